#!/usr/bin/env node
// npm run bench:browser [-- --quick] [-- --models=demo,minilm] [-- --no-node]
//
// hummingbert's int8 kernels in headless Debian Chromium, one thread, against onnxruntime-web:
//   hb relaxed    dist/hummingbert-simd.wasm with the relaxed-SIMD kernel (i32x4.relaxed_dot_i8x16_i7x16_add_s,
//                 7-bit 'u7' activations): the default where the runtime passes the self-test
//   hb SIMD128    the same module with env.relaxedSimd = false (i32x4.dot_i16x8_s, 'int8' activations)
//   ort-web       onnxruntime-web 1.30 wasm backend, numThreads 1, model_quantized.onnx (quantize_dynamic)
// The WebAssembly module is instantiated once per realm, so each hb configuration lives in its own
// same-origin iframe; the top page drives both iframes and ORT, interleaved call by call on the one
// renderer thread. The page is cross-origin isolated (COOP/COEP) so performance.now() has 5 us
// resolution instead of 100 us. Inputs are bench/run.mjs's: SST-2 dev sentences concatenated and
// cut to exactly N tokens by hummingbert's tokenizer; ORT gets those ids. Also checks that the
// engines agree (argmax, probabilities) on those inputs and on SST-2 dev, and, for context, times
// hb and ort-web in Node (no relaxed SIMD there). Writes bench/results/browser.{json,md}.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

import { prepareInputs as prepareSharedInputs } from './peers/inputs.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, 'bench/results');
const CHROMIUM = process.env.HB_CHROMIUM || '/usr/bin/chromium';
const PEERS_DIR = path.join(ROOT, 'bench/peers');
const ORT_DIST = path.join(PEERS_DIR, 'node_modules/onnxruntime-web/dist');
const ARGS = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    return m ? [m[1], m[2] ?? true] : [a, true];
  }),
);
const QUICK = ARGS.quick === true;
const T_START = Date.now();
const elapsedS = () => ((Date.now() - T_START) / 1000).toFixed(0);
const log = (...a) => console.error(`[bench:browser ${elapsedS()}s]`, ...a);

const MODELS = {
  demo: { dir: 'web-demo/model', onnx: 'bench/models/onnx/demo', make: null, desc: 'demo SST-2 classifier: hidden 256, 4 layers, 4 heads, FFN 768, vocab 8000' },
  minilm: { dir: 'bench/models/minilm-random', onnx: 'bench/models/onnx/minilm', make: 'minilm', desc: 'MiniLM-L6-shaped random classifier: hidden 384, 6 layers, 12 heads, FFN 1536, vocab 8000' },
};
const HB_FILES = { config: 'config.json', weights: 'model.safetensors', vocab: 'vocab.txt', tokenizerConfig: 'tokenizer_config.json', exitConfig: 'exit_config.json', exitHeads: 'exit_heads.safetensors' };
const CASES = QUICK ? [[1, 16], [1, 128]] : [[1, 16], [1, 128], [8, 128]];
const TIMING = QUICK
  ? { warmMs: 250, minReps: 3, maxReps: 20, budgetMs: 500, capMs: 6000 }
  : { warmMs: 500, minReps: 5, maxReps: 100, budgetMs: 1500, capMs: 15000 };
const SST_CHECK = QUICK ? 200 : Infinity; // SST-2 dev sentences in the agreement check
const ONNX_HELP = 'python3 tools/export_onnx.py --out bench/models/onnx --models demo,minilm';

const r2 = (x, d = 2) => (Number.isFinite(x) ? Number(x.toFixed(d)) : null);
const loadAvg = () => os.loadavg().map((x) => r2(x));

// ------------------------------------------------------------------ timing (Node and page)

/**
 * engines: [{name, run}] (run may be async). Warms each (>= 3 calls and >= warmMs: V8 tiers wasm
 * up to TurboFan only on later calls), then rounds of one call per engine, the starting engine
 * rotating each round, until minReps and the time budget. Median ms per engine.
 * Self-contained: its source is also evaluated in the page.
 */
async function timeInterleaved(engines, o) {
  const med = (a) => {
    const s = [...a].sort((x, y) => x - y);
    const n = s.length;
    return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  };
  for (const e of engines) {
    const w0 = performance.now();
    for (let i = 0; i < 3 || performance.now() - w0 < o.warmMs; ++i) await e.run();
  }
  const ms = engines.map(() => []);
  const t0 = performance.now();
  for (let rep = 0; rep < o.maxReps; ++rep) {
    for (let j = 0; j < engines.length; ++j) {
      const k = (rep + j) % engines.length;
      const s = performance.now();
      await engines[k].run();
      ms[k].push(performance.now() - s);
    }
    const el = performance.now() - t0;
    if ((rep + 1 >= o.minReps && el >= o.budgetMs * engines.length) || el >= o.capMs * engines.length) break;
  }
  return engines.map((e, k) => ({ name: e.name, medianMs: med(ms[k]), reps: ms[k].length }));
}

// ------------------------------------------------------------------ inputs

// bench/peers/inputs.mjs (as bench/run.mjs): texts of the measured lengths, SST-2 dev sentences.
const prepareInputs = (hb) => prepareSharedInputs(hb, ROOT, CASES.map(([, l]) => l), SST_CHECK);

// ------------------------------------------------------------------ agreement

const softmax = (l) => {
  const m = Math.max(...l);
  const e = l.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};
const argmax = (l) => l.reduce((b, x, i) => (x > l[b] ? i : b), 0);

/** rows: {engine: logits[][]} -> argmax agreement and max |prob difference| per engine pair. */
function agreement(rows, labels) {
  const names = Object.keys(rows);
  const pairs = {};
  for (let a = 0; a < names.length; ++a) {
    for (let b = a + 1; b < names.length; ++b) {
      const [x, y] = [rows[names[a]], rows[names[b]]];
      let same = 0;
      let maxProb = 0;
      x.forEach((lx, i) => {
        if (argmax(lx) === argmax(y[i])) ++same;
        const [px, py] = [softmax(lx), softmax(y[i])];
        px.forEach((p, c) => (maxProb = Math.max(maxProb, Math.abs(p - py[c]))));
      });
      pairs[`${names[a]} vs ${names[b]}`] = { argmaxAgree: same, of: x.length, maxAbsProbDiff: r2(maxProb, 5) };
    }
  }
  const accuracy = labels ? Object.fromEntries(names.map((n) => [n, r2(rows[n].filter((l, i) => argmax(l) === labels[i]).length / labels.length, 4)])) : undefined;
  return { pairs, accuracy };
}

// ------------------------------------------------------------------ browser

const COI_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'same-origin' };
const MIME = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.txt': 'text/plain; charset=utf-8', '.html': 'text/html; charset=utf-8' };
const HEAD = '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">';
// One hb configuration per iframe realm. Everything the model touches is created in that realm
// (bytes, arrays, option objects), so no cross-realm instanceof checks are in play.
const HB_FRAME = `${HEAD}<script type="module">
  import * as hb from '/js/src/index.js';
  hb.env.relaxedSimd = new URLSearchParams(location.search).get('relaxed') !== '0';
  const models = {};
  window.hbLoad = async (key, urls) => {
    const files = {};
    for (const [k, u] of Object.entries(urls)) files[k] = new Uint8Array(await (await fetch(u)).arrayBuffer());
    const m = await hb.load(files, { dtype: 'int8' });
    models[key] = m;
    const i = m.info;
    return { dtype: i.dtype, int8Activations: i.int8Activations, relaxedSimd: i.relaxedSimd, numThreads: i.numThreads, numLayers: i.numLayers, hiddenSize: i.hiddenSize };
  };
  window.hbRun = (key, texts, maxLength) => models[key].run(Array.from(texts, String), { maxLength, earlyExit: 'off' });
  window.hbLogits = (key, texts, maxLength) => window.hbRun(key, texts, maxLength).map((r) => Array.from(r.logits));
  window.hbIds = (key, text, maxLength) => Array.from(models[key].tokenize(String(text), { maxLength }).ids);
  window.hbDispose = (key) => { models[key].dispose(); delete models[key]; };
  window.__ready = true;
</script>`;
const TOP_PAGE = `${HEAD}<title>hb browser bench</title>
<iframe id="relaxed" src="/bench/hb.html?relaxed=1"></iframe>
<iframe id="simd128" src="/bench/hb.html?relaxed=0"></iframe>`;

function serve(haveOrt) {
  const routes = [
    ['/dist/', path.join(ROOT, 'dist')],
    ['/js/src/', path.join(ROOT, 'js/src')],
    ...Object.entries(MODELS).flatMap(([k, m]) => [[`/m/${k}/`, path.join(ROOT, m.dir)], [`/onnx/${k}/`, path.join(ROOT, m.onnx)]]),
    ...(haveOrt ? [['/ort/', ORT_DIST]] : []),
  ];
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    let body = name === '/bench/index.html' ? TOP_PAGE : name === '/bench/hb.html' ? HB_FRAME : null;
    if (body === null && !name.includes('..')) {
      const route = routes.find(([p]) => name.startsWith(p));
      const file = route && path.join(route[1], name.slice(route[0].length));
      if (file && fs.existsSync(file) && fs.statSync(file).isFile()) body = fs.readFileSync(file);
    }
    if (body === null) {
      res.writeHead(404, COI_HEADERS).end('not found');
      return;
    }
    const ext = name.endsWith('.html') ? '.html' : path.extname(name);
    res.writeHead(200, { ...COI_HEADERS, 'Content-Type': MIME[ext] ?? 'application/octet-stream' }).end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// Page functions (run in the top page through page.evaluate; self-contained).

async function pageInit({ withOrt }) {
  const frames = { relaxed: document.getElementById('relaxed'), simd128: document.getElementById('simd128') };
  for (const f of Object.values(frames)) {
    while (!f.contentWindow?.__ready) await new Promise((r) => setTimeout(r, 20));
  }
  window.__frames = Object.fromEntries(Object.entries(frames).map(([k, f]) => [k, f.contentWindow]));
  window.__sessions = {};
  if (withOrt) {
    window.__ort = await import('/ort/ort.wasm.min.mjs');
    window.__ort.env.wasm.numThreads = 1;
    window.__ort.env.wasm.wasmPaths = '/ort/';
    window.__ort.env.logLevel = 'error';
  }
  return { crossOriginIsolated: self.crossOriginIsolated, userAgent: navigator.userAgent };
}

async function pageLoadModel({ key, urls, onnxUrl, idsCheck }) {
  const info = {};
  for (const [cfg, w] of Object.entries(window.__frames)) {
    info[cfg] = await w.hbLoad(key, urls);
    // The ids ORT gets must be what hb's run() tokenizes.
    info[cfg].sameIds = idsCheck.every(({ text, len, ids }) => JSON.stringify(w.hbIds(key, text, len)) === JSON.stringify(ids));
  }
  if (onnxUrl) {
    window.__sessions[key] = await window.__ort.InferenceSession.create(onnxUrl, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  }
  return info;
}

/** Logits of every engine for texts (hb) / ids rows (ORT, one call per row: no padding). */
async function pageLogits({ key, texts, ids, len, batchOrt }) {
  const out = {};
  for (const [cfg, w] of Object.entries(window.__frames)) out[`hb ${cfg}`] = w.hbLogits(key, texts, len);
  const s = window.__sessions[key];
  if (s) {
    const ort = window.__ort;
    const feeds = (rows) => {
      const b = rows.length;
      const l = rows[0].length;
      const t = (fill) => new ort.Tensor('int64', BigInt64Array.from({ length: b * l }, (_, i) => fill(i)), [b, l]);
      return { input_ids: t((i) => BigInt(rows[Math.floor(i / l)][i % l])), attention_mask: t(() => 1n), token_type_ids: t(() => 0n) };
    };
    const rows = [];
    const groups = batchOrt ? [ids] : ids.map((r) => [r]);
    for (const g of groups) {
      const d = (await s.run(feeds(g))).logits.data;
      const n = d.length / g.length;
      for (let i = 0; i < g.length; ++i) rows.push(Array.from(d.subarray(i * n, (i + 1) * n)));
    }
    out['ort-web'] = rows;
  }
  return out;
}

async function pageMeasure({ key, texts, ids, len, timing }) {
  const engines = Object.entries(window.__frames).map(([cfg, w]) => ({ name: `hb ${cfg}`, run: () => w.hbRun(key, texts, len) }));
  const s = window.__sessions[key];
  if (s) {
    const ort = window.__ort;
    const b = ids.length;
    const t = (fill) => new ort.Tensor('int64', BigInt64Array.from({ length: b * len }, (_, i) => fill(i)), [b, len]);
    const feeds = { input_ids: t((i) => BigInt(ids[Math.floor(i / len)][i % len])), attention_mask: t(() => 1n), token_type_ids: t(() => 0n) };
    engines.push({ name: 'ort-web', run: () => s.run(feeds) });
  }
  return window.timeInterleaved(engines, timing);
}

async function pageDispose({ key }) {
  for (const w of Object.values(window.__frames)) w.hbDispose(key);
  await window.__sessions[key]?.release();
  delete window.__sessions[key];
}

async function browserBench(models, inputs, haveOrt, result) {
  const server = await serve(haveOrt);
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
           '--disable-sync', '--no-first-run', '--disable-renderer-backgrounding', '--disable-background-timer-throttling'],
  });
  result.chromium = browser.version();
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => log(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && log(`console: ${m.text()}`));
    await page.goto(`${base}/bench/index.html`);
    await page.evaluate(`window.timeInterleaved = ${timeInterleaved.toString()}`);
    const init = await page.evaluate(pageInit, { withOrt: haveOrt });
    result.page = init;
    log(`Chromium ${result.chromium}, crossOriginIsolated ${init.crossOriginIsolated}`);
    for (const key of models) {
      const m = MODELS[key];
      const urls = Object.fromEntries(Object.entries(HB_FILES).filter(([, f]) => fs.existsSync(path.join(ROOT, m.dir, f))).map(([k, f]) => [k, `/m/${key}/${f}`]));
      const onnxOk = haveOrt && fs.existsSync(path.join(ROOT, m.onnx, 'model_quantized.onnx'));
      const idsCheck = Object.entries(inputs.cases).map(([len, c]) => ({ text: c.texts[0], len: Number(len), ids: c.ids[0] }));
      const info = await page.evaluate(pageLoadModel, { key, urls, onnxUrl: onnxOk ? `/onnx/${key}/model_quantized.onnx` : null, idsCheck });
      result.hbInfo[key] = info;
      log(`${key}: relaxed iframe ${JSON.stringify(info.relaxed)}, simd128 iframe ${JSON.stringify(info.simd128)}, ort-web ${onnxOk ? 'loaded' : 'skipped'}`);
      if (info.relaxed.relaxedSimd !== true) result.notes.push(`${key}: the relaxed iframe did not get the relaxed-SIMD kernel (info.relaxedSimd ${info.relaxed.relaxedSimd}): Chromium lacks relaxed SIMD or the self-test failed; "hb relaxed" rows are SIMD128`);
      if (info.simd128.relaxedSimd !== false) result.notes.push(`${key}: env.relaxedSimd = false did not keep the SIMD128 kernels (info.relaxedSimd ${info.simd128.relaxedSimd})`);
      if (!info.relaxed.sameIds || !info.simd128.sameIds) result.notes.push(`${key}: hb tokenizes the benchmark texts differently from the ids fed to ORT`);

      for (const [b, l] of CASES) {
        const c = inputs.cases[l];
        const t = await page.evaluate(pageMeasure, { key, texts: c.texts.slice(0, b), ids: c.ids.slice(0, b), len: l, timing: TIMING });
        const ort = t.find((e) => e.name === 'ort-web');
        const la = loadAvg();
        for (const e of t) {
          const cfg = e.name.replace('hb ', '');
          result.browser.push({
            engine: e.name, model: key, dtype: 'int8', batch: b, length: l, medianMs: r2(e.medianMs, 3), reps: e.reps,
            speedupVsOrtWeb: ort ? r2(ort.medianMs / e.medianMs, 3) : null,
            ...(e.name === 'ort-web' ? { threads: 1 } : { threads: info[cfg].numThreads, relaxedSimd: info[cfg].relaxedSimd, int8Activations: info[cfg].int8Activations }),
            loadAvg: la,
          });
        }
        log(`  ${key} ${b}x${l}: ${t.map((e) => `${e.name} ${e.medianMs.toFixed(2)} ms (${e.reps})`).join(', ')}`);
      }
      // Agreement on the measured inputs (all 8 texts of each length) and on SST-2 dev, after the
      // timing so that ORT's allocator has seen only the timed shapes while timed.
      result.agreement[key] = {};
      for (const [len, c] of Object.entries(inputs.cases)) {
        const rows = await page.evaluate(pageLogits, { key, texts: c.texts, ids: c.ids, len: Number(len), batchOrt: true });
        result.agreement[key][`8x${len}`] = agreement(rows);
      }
      const s = inputs.sst;
      const rows = await page.evaluate(pageLogits, { key, texts: s.texts, ids: s.ids, len: 128, batchOrt: false });
      result.agreement[key][`sst2-dev(${s.texts.length})`] = agreement(rows, key === 'demo' ? s.labels : null);

      await page.evaluate(pageDispose, { key });
    }
    await page.close();
  } finally {
    await browser.close();
    server.close();
  }
}

// ------------------------------------------------------------------ Node (context)

async function nodeBench(hb, models, inputs, haveOrt, result) {
  let ort = null;
  if (haveOrt) {
    const req = createRequire(path.join(PEERS_DIR, 'package.json'));
    ort = await import(pathToFileURL(req.resolve('onnxruntime-web')).href);
    ort.env.wasm.numThreads = 1;
    ort.env.logLevel = 'error';
  }
  for (const key of models) {
    const m = await hb.load(path.join(ROOT, MODELS[key].dir), { dtype: 'int8' });
    const file = path.join(ROOT, MODELS[key].onnx, 'model_quantized.onnx');
    const s = ort && fs.existsSync(file) ? await ort.InferenceSession.create(file, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' }) : null;
    for (const [b, l] of CASES) {
      const c = inputs.cases[l];
      const texts = c.texts.slice(0, b);
      const engines = [{ name: 'hb (Node)', run: () => m.run(texts, { maxLength: l, earlyExit: 'off' }) }];
      if (s) {
        const t = (fill) => new ort.Tensor('int64', BigInt64Array.from({ length: b * l }, (_, i) => fill(i)), [b, l]);
        const feeds = { input_ids: t((i) => BigInt(c.ids[Math.floor(i / l)][i % l])), attention_mask: t(() => 1n), token_type_ids: t(() => 0n) };
        engines.push({ name: 'ort-web (Node)', run: () => s.run(feeds) });
      }
      const t = await timeInterleaved(engines, TIMING);
      const o = t.find((e) => e.name.startsWith('ort-web'));
      const la = loadAvg();
      for (const e of t) {
        result.node.push({
          engine: e.name, model: key, dtype: 'int8', batch: b, length: l, medianMs: r2(e.medianMs, 3), reps: e.reps,
          speedupVsOrtWeb: o ? r2(o.medianMs / e.medianMs, 3) : null, threads: 1,
          ...(e.name.startsWith('hb') ? { relaxedSimd: m.info.relaxedSimd, int8Activations: m.info.int8Activations } : {}),
          loadAvg: la,
        });
      }
      log(`  node ${key} ${b}x${l}: ${t.map((e) => `${e.name} ${e.medianMs.toFixed(2)} ms (${e.reps})`).join(', ')}`);
    }
    m.dispose();
    await s?.release();
  }
}

// ------------------------------------------------------------------ report

function markdown(r) {
  const f = (x) => (x == null ? '–' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  const x = (v) => (v == null || !Number.isFinite(v) ? '–' : `${v.toFixed(2)}×`);
  const get = (rows, engine, m, b, l) => rows.find((e) => e.engine === engine && e.model === m && e.batch === b && e.length === l);
  const out = [
    '# hummingbert in Chromium: relaxed SIMD vs SIMD128 vs onnxruntime-web (`npm run bench:browser`)',
    '',
    `${r.chromium ? `Chromium ${r.chromium}` : 'no browser run'} (headless, cross-origin isolated: ${r.page?.crossOriginIsolated ?? '–'}), one thread; ${r.machine.cpu} (${r.machine.logicalCpus} logical CPUs); load average ${r.machine.loadAvgAtStart.join('/')} at start, ${r.machine.loadAvgAtEnd.join('/')} at end; onnxruntime-web ${r.machine.onnxruntimeWeb ?? '–'}; ${r.date}; ${r.quick ? '--quick, ' : ''}total ${r.totalSeconds} s.`,
    '',
    'Median ms per call after warm-up, int8 weights, all three engines interleaved call by call in one page (hb configurations in two iframes). **Ratios are speedups** (> 1: hb relaxed faster): ort-web ms / hb relaxed ms, hb SIMD128 ms / hb relaxed ms.',
    '',
    '| model | batch×tokens | hb relaxed ms | hb SIMD128 ms | ort-web int8 ms | relaxed vs ORT | relaxed vs SIMD128 | SIMD128 vs ORT |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const m of r.models) {
    for (const [b, l] of CASES) {
      const [a, s, o] = ['hb relaxed', 'hb simd128', 'ort-web'].map((e) => get(r.browser, e, m, b, l)?.medianMs);
      if (a === undefined) continue;
      out.push(`| ${m} | ${b}×${l} | ${f(a)} | ${f(s)} | ${f(o)} | ${x(o / a)} | ${x(s / a)} | ${x(o / s)} |`);
    }
  }
  out.push('', 'Agreement (logits of each engine on the same inputs; probabilities by softmax):', '', '| model | inputs | pair | argmax agree | max abs prob diff |', '|---|---|---|---:|---:|');
  for (const [m, sets] of Object.entries(r.agreement)) {
    for (const [set, a] of Object.entries(sets)) {
      for (const [pair, p] of Object.entries(a.pairs)) out.push(`| ${m} | ${set} | ${pair} | ${p.argmaxAgree}/${p.of} | ${p.maxAbsProbDiff} |`);
      if (a.accuracy) out.push(`| ${m} | ${set} | accuracy | ${Object.entries(a.accuracy).map(([k, v]) => `${k} ${v}`).join(', ')} | |`);
    }
  }
  if (r.node.length) {
    out.push('', 'Node (context; no relaxed SIMD, so hb runs the SIMD128 kernels), interleaved in one process:', '', '| model | batch×tokens | hb ms | ort-web ms | hb vs ORT |', '|---|---|---:|---:|---:|');
    for (const m of r.models) {
      for (const [b, l] of CASES) {
        const [h, o] = ['hb (Node)', 'ort-web (Node)'].map((e) => get(r.node, e, m, b, l)?.medianMs);
        if (h !== undefined) out.push(`| ${m} | ${b}×${l} | ${f(h)} | ${f(o)} | ${x(o / h)} |`);
      }
    }
  }
  if (r.notes.length) out.push('', 'Notes:', '', ...r.notes.map((n) => `- ${n}`));
  return `${out.join('\n')}\n`;
}

// ------------------------------------------------------------------ main

async function main() {
  const models = (ARGS.models ? String(ARGS.models).split(',') : Object.keys(MODELS)).filter((m) => MODELS[m]);
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const ortPkg = path.join(ORT_DIST, '..', 'package.json');
  const result = {
    date: new Date().toISOString(),
    quick: QUICK,
    machine: {
      cpu: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model,
      logicalCpus: os.cpus().length,
      loadAvgAtStart: loadAvg(),
      node: process.version,
      onnxruntimeWeb: fs.existsSync(ortPkg) ? JSON.parse(fs.readFileSync(ortPkg, 'utf8')).version : null,
    },
    chromium: null,
    page: null,
    models,
    cases: CASES.map(([b, l]) => `${b}x${l}`),
    timing: TIMING,
    method: 'engines interleaved call by call (starting engine rotated each round) after warm-up; median wall ms (performance.now(), 5 us resolution in the cross-origin-isolated page); hb times include tokenizing the texts inside run(), ORT gets the same ids pre-tokenized; speedupVsOrtWeb = ort-web median / this median, same page (or same Node process)',
    hbInfo: {},
    browser: [],
    agreement: {},
    node: [],
    notes: [],
  };
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium, or set HB_CHROMIUM)`);
  const haveOrt = fs.existsSync(path.join(ORT_DIST, 'ort.wasm.min.mjs'));
  if (!haveOrt) {
    const msg = 'onnxruntime-web is not installed: ort-web skipped (npm ci --prefix bench/peers --ignore-scripts --no-audit --no-fund)';
    log(msg);
    result.notes.push(msg);
  }
  for (const m of models) {
    const spec = MODELS[m];
    if (spec.make && !fs.existsSync(path.join(ROOT, spec.dir, 'model.safetensors'))) {
      log(`generating ${spec.dir}`);
      const { makeRandomBert } = await import(pathToFileURL(path.join(PEERS_DIR, 'make_random_bert.mjs')).href);
      makeRandomBert(spec.make, path.join(ROOT, spec.dir));
    }
    if (haveOrt && !fs.existsSync(path.join(ROOT, spec.onnx, 'model_quantized.onnx'))) {
      const msg = `${m}: no ${spec.onnx}/model_quantized.onnx: ort-web skipped (export it on a machine with torch: ${ONNX_HELP})`;
      log(msg);
      result.notes.push(msg);
    }
  }
  if (result.machine.loadAvgAtStart[0] > result.machine.logicalCpus)
    result.notes.push(`load average ${result.machine.loadAvgAtStart[0]} on ${result.machine.logicalCpus} CPUs at start: the machine was busy; ratios (interleaved) are more reliable than absolute times`);

  const hb = await import(pathToFileURL(path.join(ROOT, 'js/src/index.js')).href);
  const inputs = await prepareInputs(hb);
  log(`browser: ${models.join(', ')}; cases ${result.cases.join(', ')}`);
  await browserBench(models, inputs, haveOrt, result);
  if (ARGS['no-node'] !== true) {
    log('node (context)');
    await nodeBench(hb, models, inputs, haveOrt, result);
  }
  result.totalSeconds = Number(elapsedS());
  result.machine.loadAvgAtEnd = loadAvg();
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, 'browser.json'), `${JSON.stringify(result, null, 1)}\n`);
  const md = markdown(result);
  fs.writeFileSync(path.join(RESULTS, 'browser.md'), md);
  log(`wrote bench/results/browser.{json,md} in ${result.totalSeconds}s`);
  process.stdout.write(md);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
