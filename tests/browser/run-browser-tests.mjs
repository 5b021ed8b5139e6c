#!/usr/bin/env node
// Headless Chromium checks that browsers can load the ES module build (`npm run test:browser`):
//   1. the bare Emscripten glue (dist/hummingbert-simd.mjs) fetches its .wasm and tokenizes;
//   2. the package entry (js/src/index.js) loads a model from fetched bytes, tokenizes and runs;
//   3. the same inside a module Web Worker;
//   4. load() of the embedded demo model with progress events;
//   4b. convert() of fetched Hugging Face files (the converter's own module, hummingbert-convert):
//      the same bytes (length and SHA-256) as in Node;
//   5. the demo page (web-demo/, served by its own COOP/COEP server): type a sentence, check label,
//      exit layer, attention note and no console errors, keyboard use, a phone-sized viewport;
//      screenshots go to tests/browser/artifacts/.
// Results must equal what Node computes with the same package. Pages are served from a local
// http.createServer on 127.0.0.1; nothing else is fetched. Chromium: Debian's /usr/bin/chromium
// (override with HB_CHROMIUM), driven by playwright-core (which never downloads a browser).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { convert, load, loadModel, loadTokenizer } from '../../js/src/index.js';
import { createDemoServer } from '../../web-demo/server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.HB_CHROMIUM || '/usr/bin/chromium';
const MODEL = 'tests/fixtures/models/bert_seqcls';
const VOCAB = 'tests/fixtures/tokenizer/vocab_uncased.txt';
const TEXT = 'Héllo, wörld! 中文 😀 tokenizers';
const DEMO_TEXT = 'I loved it: the acting was superb and the story kept me hooked.';
const RELAXED_TEXTS = [DEMO_TEXT, 'A dull, lifeless script.', 'not bad at all , though a little long and the ending drags on .'];
const ARTIFACTS = path.join(ROOT, 'tests/browser/artifacts');
const SERVED = ['dist/', 'js/src/', 'tests/fixtures/'];
const MIME = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.cjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.txt': 'text/plain; charset=utf-8', '.html': 'text/html; charset=utf-8' };

// Page scripts. Each sets window.__result (or posts it from the worker).
// (Import declarations must stay at module top level, outside the try blocks.)
const PACKAGE_IMPORT = "import { loadModel } from '/js/src/index.js';";
const PACKAGE_CHECK = `
  const get = async (f) => new Uint8Array(await (await fetch('/${MODEL}/' + f)).arrayBuffer());
  const model = await loadModel({ config: await get('config.json'), weights: await get('model.safetensors'),
                                  vocab: await get('vocab.txt'), tokenizerConfig: await get('tokenizer_config.json') });
  const e = model.tokenize(${JSON.stringify(TEXT)});
  const [r] = model.run([${JSON.stringify(TEXT)}]);
  let code; try { model.run(42); } catch (err) { code = err.code; }
  model.dispose();
  const result = { tokens: e.tokens, ids: Array.from(e.ids), offsets: e.offsets, logits: Array.from(r.logits), label: r.label, code };`;

const PAGES = {
  'glue.html': `<script type="module">
    import createHummingbertModule from '/dist/hummingbert-simd.mjs';
    try {
      const wasm = await createHummingbertModule();   // fetches hummingbert-simd.wasm next to the glue
      const vocab = await (await fetch('/${VOCAB}')).text();
      const t = wasm.TokenizerHandle.fromVocab(vocab, { lowercase: true, maxLength: 512 });
      const r = t.value.tokenize(${JSON.stringify(TEXT)}, null, { maxLength: 0, addSpecialTokens: true, offsetUnit: 1, maxTextBytes: 0 });
      t.value.delete();
      window.__result = { tokens: r.value.tokens, ids: Array.from(r.value.ids) };
    } catch (e) { window.__result = { error: String(e && e.stack || e) }; }
  </script>`,
  'package.html': `<script type="module">
    ${PACKAGE_IMPORT}
    try { ${PACKAGE_CHECK} window.__result = result; }
    catch (e) { window.__result = { error: String(e && e.stack || e) }; }
  </script>`,
  'load.html': `<script type="module">
    import { load } from '/js/src/index.js';
    try {
      const statuses = [];
      const m = await load(undefined, { onProgress: (e) => statuses.push(e.status) });
      const r = m.classify(${JSON.stringify(DEMO_TEXT)});
      m.dispose();
      window.__result = { label: r.label, exitLayer: r.exitLayer, tokens: r.tokens,
                          statuses: [...new Set(statuses)] };
    } catch (e) { window.__result = { error: String(e && e.stack || e) }; }
  </script>`,
  // Relaxed SIMD: Chromium runs the int8 demo model on the relaxed-SIMD kernel (7-bit
  // activations); its int32 sums equal those of the SIMD128 kernels on the same 7-bit inputs,
  // so the scores must equal Node's with int8Activations 'u7', bit for bit.
  'relaxed.html': `<script type="module">
    import { load } from '/js/src/index.js';
    try {
      const m = await load();
      const rs = m.classify(${JSON.stringify(RELAXED_TEXTS)}, { earlyExit: false });
      window.__result = { relaxedSimd: m.info.relaxedSimd, int8Activations: m.info.int8Activations,
                          scores: rs.map((r) => r.scores) };
      m.dispose();
    } catch (e) { window.__result = { error: String(e && e.stack || e) }; }
  </script>`,
  'convert.html': `<script type="module">
    import { convert } from '/js/src/index.js';
    try {
      const get = async (f) => new Uint8Array(await (await fetch('/${MODEL}/' + f)).arrayBuffer());
      const bytes = await convert({ config: await get('config.json'), weights: await get('model.safetensors'),
                                    vocab: await get('vocab.txt') }, { dtype: 'int8' });
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      window.__result = { bytes: bytes.length, sha256: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('') };
    } catch (e) { window.__result = { error: String(e && e.stack || e) }; }
  </script>`,
  'worker.html': `<script type="module">
    const w = new Worker('/__test/worker.mjs', { type: 'module' });
    w.onmessage = (m) => { window.__result = m.data; };
    w.onerror = (e) => { window.__result = { error: 'worker error: ' + e.message }; };
  </script>`,
  'worker.mjs': `${PACKAGE_IMPORT}
    try { ${PACKAGE_CHECK} postMessage(result); }
    catch (e) { postMessage({ error: String(e && e.stack || e) }); }`,
};

function serve() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const name = decodeURIComponent(url.pathname).slice(1);
    let body;
    if (name.startsWith('__test/') && PAGES[name.slice(7)] !== undefined) {
      const page = PAGES[name.slice(7)];
      body = name.endsWith('.html') ? `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">${page}` : page;
    } else if (SERVED.some((p) => name.startsWith(p)) && !name.includes('..') && fs.existsSync(path.join(ROOT, name))) {
      body = fs.readFileSync(path.join(ROOT, name));
    } else {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': MIME[path.extname(name)] ?? 'application/octet-stream' }).end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function expectedInNode() {
  const tok = await loadTokenizer(path.join(ROOT, VOCAB));
  const t = tok.tokenize(TEXT);
  const model = await loadModel(path.join(ROOT, MODEL));
  const e = model.tokenize(TEXT);
  const [r] = model.run([TEXT]);
  const expected = {
    'glue.html': { tokens: t.tokens, ids: Array.from(t.ids) },
    'package.html': { tokens: e.tokens, ids: Array.from(e.ids), offsets: e.offsets, logits: Array.from(r.logits), label: r.label, code: 'INVALID_ARGUMENT' },
  };
  expected['worker.html'] = expected['package.html'];
  const converted = await convert({ config: fs.readFileSync(path.join(ROOT, MODEL, 'config.json')),
    weights: fs.readFileSync(path.join(ROOT, MODEL, 'model.safetensors')), vocab: fs.readFileSync(path.join(ROOT, MODEL, 'vocab.txt')) },
  { dtype: 'int8' });
  expected['convert.html'] = { bytes: converted.length, sha256: crypto.createHash('sha256').update(converted).digest('hex') };
  // Chromium has relaxed SIMD: its single-threaded module runs int8 models with u7 activations.
  const demo = await load(undefined, { int8Activations: 'u7' });
  const d = demo.classify(DEMO_TEXT);
  const rs = demo.classify(RELAXED_TEXTS, { earlyExit: false });
  expected['relaxed.html'] = { relaxedSimd: true, int8Activations: 'u7', scores: rs.map((r) => r.scores) };
  expected['load.html'] = { label: d.label, exitLayer: d.exitLayer, tokens: d.tokens, statuses: ['download', 'progress', 'compile', 'ready'] };
  demo.dispose();
  tok.dispose();
  model.dispose();
  return expected;
}

async function main() {
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`error: no Chromium at ${CHROMIUM} (apt-get install chromium, or set HB_CHROMIUM)`);
    return 1;
  }
  const expected = await expectedInNode();
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  let failures = 0;
  try {
    for (const page of Object.keys(expected)) {
      const started = Date.now();
      const tab = await browser.newPage();
      const problems = [];
      tab.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      tab.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
      await tab.goto(`${base}/__test/${page}`);
      let result;
      try {
        await tab.waitForFunction(() => window.__result !== undefined, null, { timeout: 30000 });
        result = await tab.evaluate(() => window.__result);
      } catch (e) {
        result = { error: `no result: ${e.message.split('\n')[0]}` };
      }
      await tab.close();
      const same = JSON.stringify(result) === JSON.stringify(expected[page]);
      if (!same || problems.length) {
        failures++;
        console.error(`FAIL ${page}:`, JSON.stringify(result).slice(0, 600), problems);
        console.error(`  expected: ${JSON.stringify(expected[page]).slice(0, 600)}`);
      } else {
        const what = result.sha256 ? `${result.bytes} bytes, SHA-256 equal to Node's` : result.relaxedSimd ? `relaxed SIMD, ${result.int8Activations} activations, scores equal Node's`
          : `${Array.isArray(result.tokens) ? result.tokens.length : result.tokens} tokens${result.label ? `, label ${result.label}` : ''}`;
        console.log(`ok   ${page} (${Date.now() - started} ms): ${what}`);
      }
    }
    failures += await demoChecks(browser, expected['load.html']);
    failures += await threadChecks(browser);
  } finally {
    await browser.close();
    server.close();
  }
  console.log(failures ? `${failures} browser check(s) failed` : 'all browser checks passed');
  return failures ? 1 : 0;
}

/**
 * The threaded build in a module worker: with COOP/COEP it runs on 2 threads and gives exactly the
 * single-threaded scores; without them it falls back to 1 thread with one warning naming the
 * headers. Returns the number of failed checks.
 */
async function threadChecks(browser) {
  if (!fs.existsSync(path.join(ROOT, 'dist/hummingbert-simd-threaded.wasm'))) {
    console.log('skip threads: dist/hummingbert-simd-threaded.wasm not built');
    return 0;
  }
  // 2 threads: the threaded module (SIMD128 kernels, int8 activations); 1 thread in Chromium:
  // the relaxed-SIMD kernel with u7 activations.
  const m = await load();
  const threaded = m.classify(DEMO_TEXT, { earlyExit: false });
  m.dispose();
  const m7 = await load(undefined, { int8Activations: 'u7' });
  const single = m7.classify(DEMO_TEXT, { earlyExit: false });
  m7.dispose();
  const page = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module">
    import { createWorker } from '/js/src/index.js';
    try {
      const w = await createWorker(undefined, { numThreads: 2 });
      const r = await w.classify(${JSON.stringify(DEMO_TEXT)}, { earlyExit: false });
      window.__result = { numThreads: w.info.numThreads, label: r.label, score: r.score, isolated: self.crossOriginIsolated };
      await w.dispose();
    } catch (e) { window.__result = { error: String(e && e.stack || e) }; }
  </script>`;
  let failures = 0;
  for (const isolated of [true, false]) {
    const server = createDemoServer({ isolated, extraRoutes: { '/web-demo/threads.html': { body: page, type: 'text/html; charset=utf-8' } } });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const tab = await browser.newPage();
    const problems = [];
    const warnings = [];
    tab.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    tab.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
      if (msg.type() === 'warning') warnings.push(msg.text());
    });
    const started = Date.now();
    await tab.goto(`http://127.0.0.1:${server.address().port}/web-demo/threads.html`);
    let result;
    try {
      await tab.waitForFunction(() => window.__result !== undefined, null, { timeout: 30000 });
      result = await tab.evaluate(() => window.__result);
    } catch (e) {
      result = { error: e.message.split('\n')[0] };
    }
    await tab.close();
    server.close();
    const expected = isolated ? threaded : single;
    const want = { numThreads: isolated ? 2 : 1, label: expected.label, score: expected.score, isolated };
    const warned = warnings.some((w) => w.includes('Cross-Origin-Opener-Policy: same-origin'));
    const name = isolated ? 'threads: 2 threads with COOP/COEP, same scores' : 'threads: 1 thread and one warning without COOP/COEP';
    if (JSON.stringify(result) !== JSON.stringify(want) || problems.length || warned === isolated) {
      failures++;
      console.error(`FAIL ${name}: ${JSON.stringify(result).slice(0, 600)} ${problems.join('; ')} warnings: ${warnings.join(' | ')}`);
      console.error(`  expected: ${JSON.stringify(want)}`);
    } else {
      console.log(`ok   ${name} (${Date.now() - started} ms)`);
    }
  }
  return failures;
}

/** The demo page, as a user would use it. Returns the number of failed checks. */
async function demoChecks(browser, expected) {
  const server = createDemoServer({ isolated: true });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  let failures = 0;
  const check = (name, ok, detail) => {
    if (ok) console.log(`ok   demo: ${name}`);
    else {
      failures++;
      console.error(`FAIL demo: ${name}: ${detail}`);
    }
  };
  try {
    const started = Date.now();
    const tab = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
    const problems = [];
    tab.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    tab.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    await tab.goto(`${base}/`);
    await tab.waitForFunction(() => window.__hbDemo?.ready || window.__hbDemo?.error, null, { timeout: 30000 });
    check('isolated (COOP/COEP)', await tab.evaluate(() => self.crossOriginIsolated), 'crossOriginIsolated is false');
    await tab.type('#text', DEMO_TEXT, { delay: 5 });
    await tab.waitForFunction((t) => window.__hbDemo.result?.text === t || window.__hbDemo.error, DEMO_TEXT, { timeout: 30000 });
    const r = await tab.evaluate(() => ({ ...window.__hbDemo, state: document.getElementById('result').dataset.state,
      exit: document.getElementById('exit').textContent, attention: document.getElementById('attention').textContent,
      summary: document.getElementById('summary').textContent, bars: document.querySelectorAll('#layers li').length }));
    check('typed sentence classified', r.result?.label === expected.label && r.result?.exitLayer === expected.exitLayer &&
      r.state === 'done' && r.summary.includes(expected.label), JSON.stringify(r).slice(0, 400));
    check('exit layer, attention and per-layer bars shown', r.exit === `${expected.exitLayer} of 4` &&
      r.attention === `dense, ${expected.tokens} tokens` && r.bars === 4, `${r.exit} | ${r.attention} | ${r.bars} bars`);
    await tab.screenshot({ path: path.join(ARTIFACTS, 'demo-screenshot.png'), fullPage: true });

    // Long text: the attention note says how it was truncated.
    const long = 'The film is long and slow but the ending is wonderful. '.repeat(30);
    await tab.fill('#text', long);
    await tab.waitForFunction((t) => window.__hbDemo.result?.text === t, long, { timeout: 30000 });
    const attention = await tab.textContent('#attention');
    check('long text: truncation shown', /^dense, \d+ tokens, truncated to 128$/.test(attention) &&
      Number(attention.split(' ')[1].replace(',', '')) > 128, attention);

    // Keyboard only: Tab to the first example and press Enter.
    await tab.focus('#text');
    await tab.keyboard.press('Tab');
    await tab.keyboard.press('Enter');
    const first = (await tab.textContent('#examples button')).trim();
    await tab.waitForFunction((t) => window.__hbDemo.result?.text === t, first, { timeout: 30000 });
    check('keyboard: an example chosen with Tab + Enter', true);
    check('no console errors', problems.length === 0, problems.join('; '));
    console.log(`     demo page took ${Date.now() - started} ms`);
    await tab.close();

    // Phone-sized viewport: no horizontal scrolling.
    const phone = await browser.newPage({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2 });
    await phone.goto(`${base}/`);
    await phone.waitForFunction(() => window.__hbDemo?.ready, null, { timeout: 30000 });
    await phone.type('#text', 'A dull, lifeless film that wastes a talented cast.', { delay: 2 });
    await phone.waitForFunction(() => window.__hbDemo.result?.label === 'negative', null, { timeout: 30000 });
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    check('phone viewport fits (375 px)', width <= 375, `scrollWidth ${width}`);
    await phone.screenshot({ path: path.join(ARTIFACTS, 'demo-phone.png'), fullPage: true });
    await phone.close();
  } catch (e) {
    check('demo page', false, e.message.split('\n')[0]);
  } finally {
    server.close();
  }
  return failures;
}

process.exitCode = await main();
