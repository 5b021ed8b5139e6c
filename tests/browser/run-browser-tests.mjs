#!/usr/bin/env node
// Headless Chromium checks that browsers can load the ES module build (`npm run test:browser`):
//   1. the bare Emscripten glue (dist/hummingbert-simd.mjs) fetches its .wasm and tokenizes;
//   2. the package entry (js/src/index.js) loads a model from fetched bytes, tokenizes and runs;
//   3. the same inside a module Web Worker.
// Results must equal what Node computes with the same package. Pages are served from a local
// http.createServer on 127.0.0.1; nothing else is fetched. Chromium: Debian's /usr/bin/chromium
// (override with HB_CHROMIUM), driven by playwright-core (which never downloads a browser).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { loadModel, loadTokenizer } from '../../js/src/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.HB_CHROMIUM || '/usr/bin/chromium';
const MODEL = 'tests/fixtures/models/bert_seqcls';
const VOCAB = 'tests/fixtures/tokenizer/vocab_uncased.txt';
const TEXT = 'Héllo, wörld! 中文 😀 tokenizers';
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
      const r = t.value.tokenize(${JSON.stringify(TEXT)}, null, { maxLength: 0, addSpecialTokens: true, offsetUnit: 1 });
      t.value.delete();
      window.__result = { tokens: r.value.tokens, ids: Array.from(r.value.ids) };
    } catch (e) { window.__result = { error: String(e && e.stack || e) }; }
  </script>`,
  'package.html': `<script type="module">
    ${PACKAGE_IMPORT}
    try { ${PACKAGE_CHECK} window.__result = result; }
    catch (e) { window.__result = { error: String(e && e.stack || e) }; }
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
        console.log(`ok   ${page} (${Date.now() - started} ms): ${result.tokens.length} tokens` +
                    `${result.label ? `, label ${result.label}` : ''}`);
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(failures ? `${failures} browser check(s) failed` : 'all browser checks passed');
  return failures ? 1 : 0;
}

process.exitCode = await main();
