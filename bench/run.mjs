#!/usr/bin/env node
// npm run bench [-- --profile] [-- --models=demo,minilm,base] [-- --quick]
//
// hummingbert against its peers, side by side, on the same inputs and the same checkpoints:
//   hb-wasm      hummingbert WebAssembly SIMD (dist/), 1 thread (2 threads if a threaded build is in dist/)
//   hb-native    hummingbert native CLI (build/hummingbert), 1 thread
//   ort-web      onnxruntime-web 1.30 wasm backend (SIMD), ort.env.wasm.numThreads = 1 and 2
//   ort-node     onnxruntime-node 1.30 CPU EP, intraOpNumThreads = 1
// Models: the demo classifier (web-demo/model), a MiniLM-L6-shaped and a BERT-base-shaped random
// classifier (vocab 8000; bench/peers/make_random_bert.mjs). ONNX exports come from
// tools/export_onnx.py (bench/models/onnx/<model>/model.onnx and model_quantized.onnx).
// Writes bench/results/latest.{json,md,svg}. See bench/README.md ("bench: peers").
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { prepareInputs as prepareSharedInputs } from './peers/inputs.mjs';

// The peers live in bench/peers/node_modules (`npm ci --prefix bench/peers --ignore-scripts`), not
// in the package's dev dependencies.
const PEERS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'peers');
const peerRequire = createRequire(path.join(PEERS_DIR, 'package.json'));
async function importPeer(name) {
  return import(pathToFileURL(peerRequire.resolve(name)).href);
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TMP = path.join(ROOT, 'bench/results/tmp');
const RESULTS = path.join(ROOT, 'bench/results');
const ARGS = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    return m ? [m[1], m[2] ?? true] : [a, true];
  }),
);
const CI = process.env.CI === 'true' || ARGS.quick === true;
const T_START = Date.now();
const DEADLINE_MS = Number(ARGS['budget-s'] ?? (CI ? 420 : 600)) * 1000; // leaves room for cold/profile under 15 min
const elapsedS = () => ((Date.now() - T_START) / 1000).toFixed(0);
const log = (...a) => console.error(`[bench ${elapsedS()}s]`, ...a);

const MODELS = {
  demo: { dir: 'web-demo/model', onnx: 'bench/models/onnx/demo', desc: 'demo SST-2 classifier: hidden 256, 4 layers, 4 heads, FFN 768, vocab 8000, 128 positions (fp16 checkpoint)' },
  minilm: { dir: 'bench/models/minilm-random', onnx: 'bench/models/onnx/minilm', make: 'minilm', desc: 'MiniLM-L6-shaped random classifier: hidden 384, 6 layers, 12 heads, FFN 1536, vocab 8000 (not 30522), 512 positions (fp16 checkpoint)' },
  base: { dir: 'bench/models/base-random', onnx: 'bench/models/onnx/base', make: 'base', desc: 'BERT-base-shaped random classifier: hidden 768, 12 layers, 12 heads, FFN 3072, vocab 8000 (not 30522), 512 positions (fp16 checkpoint)' },
};
const CASES = {
  demo: [[1, 16], [1, 128], [8, 128]],
  minilm: [[1, 16], [1, 128], [8, 128], [1, 512]],
  base: [[1, 16], [1, 128]], // 8x128 of BERT-base would take minutes per engine on 2 cores
};
const caseKey = (b, l) => `${b}x${l}`;
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const r2 = (x, d = 2) => (Number.isFinite(x) ? Number(x.toFixed(d)) : null);
// Peak RSS of this process: VmHWM (ru_maxrss would carry the parent's peak over fork + exec).
const peakRssKB = () => Number(/VmHWM:\s*(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

// ------------------------------------------------------------------ inputs

// bench/peers/inputs.mjs: SST-2 dev sentences and texts of exactly 16, 128 and 512 tokens.
const prepareInputs = (hb) => prepareSharedInputs(hb, ROOT, [16, 128, 512]);

// ------------------------------------------------------------------ engines (in-process)

let ortWeb = null;
let ortNode = null;
// Both peers register their backends in the one shared onnxruntime-common: imported after
// onnxruntime-web, onnxruntime-node's sessions silently ran on the web package's wasm 'cpu'
// backend (ort-node timings equal to ort-web's). onnxruntime-node is therefore always imported
// first, and every ort-node session is checked to be the native one.
async function getOrtWeb(threads) {
  if (!ortWeb) {
    await getOrtNode();
    ortWeb = await importPeer('onnxruntime-web');
    ortWeb.env.wasm.numThreads = threads;
    ortWeb.env.logLevel = 'error';
  }
  return ortWeb;
}
async function getOrtNode() {
  if (!ortNode) ortNode = await importPeer('onnxruntime-node');
  return ortNode;
}

function feedsFor(ort, idsRows) {
  const b = idsRows.length;
  const l = idsRows[0].length;
  const ids = new BigInt64Array(b * l);
  const mask = new BigInt64Array(b * l);
  idsRows.forEach((r, i) => r.forEach((v, j) => ((ids[i * l + j] = BigInt(v)), (mask[i * l + j] = 1n))));
  return {
    input_ids: new ort.Tensor('int64', ids, [b, l]),
    attention_mask: new ort.Tensor('int64', mask, [b, l]),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(b * l), [b, l]),
  };
}

function onnxFile(model, dtype) {
  return path.join(ROOT, MODELS[model].onnx, dtype === 'int8' ? 'model_quantized.onnx' : 'model.onnx');
}

// The .hbm a user ships (what `hummingbert convert --dtype DTYPE` writes), for the cold-start row
// that loads it the way ORT loads its .onnx: no quantization at load, streamed into wasm.
function hbmFile(model, dtype) {
  return path.join(TMP, `${model}.${dtype}.hbm`);
}

async function makeEngine(kind, model, dtype, threads = 1) {
  const dir = path.join(ROOT, MODELS[model].dir);
  if (kind === 'hb-wasm' || kind === 'hb-wasm-hbm') {
    const hb = await import(pathToFileURL(path.join(ROOT, 'js/src/index.js')));
    const src = kind === 'hb-wasm-hbm' ? hbmFile(model, dtype) : dir;
    const m = hb.load ? await hb.load(src, { dtype, numThreads: threads }) : await hb.loadModel(src);
    return {
      kind,
      threads: m.info?.numThreads ?? threads,
      dtypeUsed: m.info?.dtype ?? dtype,
      run: (c) => m.run(c.texts, { maxLength: c.len, earlyExit: 'off' }).map((r) => Array.from(r.logits)),
      runOne: (text, opts) => m.run([text], opts)[0],
      dispose: () => m.dispose(),
    };
  }
  const file = onnxFile(model, dtype);
  if (!fs.existsSync(file)) throw new Error(`missing ${path.relative(ROOT, file)} (run tools/export_onnx.py on a machine with torch)`);
  const ort = kind === 'ort-web' ? await getOrtWeb(threads) : await getOrtNode();
  const opts =
    kind === 'ort-web'
      ? { executionProviders: ['wasm'], graphOptimizationLevel: 'all' }
      : { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' };
  const s = await ort.InferenceSession.create(file, opts);
  if (kind === 'ort-node' && s.handler?.constructor?.name !== 'OnnxruntimeSessionHandler') {
    throw new Error(`ort-node session is not onnxruntime-node's native one (${s.handler?.constructor?.name})`);
  }
  const toRows = (t, b) => {
    const n = t.data.length / b;
    return Array.from({ length: b }, (_, i) => Array.from(t.data.subarray(i * n, (i + 1) * n)));
  };
  return {
    kind,
    threads,
    dtypeUsed: dtype,
    run: async (c) => toRows((await s.run(c.feeds[kind])).logits, c.batch),
    runIds: async (ids) => (await s.run(feedsFor(ort, [ids]))).logits.data,
    feeds: (rows) => feedsFor(ort, rows),
    dispose: () => s.release?.(),
  };
}

/** Interleaved timing: warm each engine, then rounds of one call per engine. Wall and CPU ms. */
async function timeInterleaved(engines, c) {
  // Warm-up: >= 3 calls and >= 0.5 s per engine (V8 tiers wasm up to TurboFan on later calls).
  for (const e of engines) {
    const w0 = performance.now();
    for (let i = 0; i < 3 || performance.now() - w0 < (CI ? 250 : 500); ++i) await e.run(c);
  }
  const wall = engines.map(() => []);
  const cpu = engines.map(() => []);
  const minReps = CI ? 3 : 5;
  const maxReps = CI ? 10 : 30;
  const budget = (CI ? 600 : 1500) * engines.length;
  const cap = (CI ? 8000 : 20000) * engines.length;
  const t0 = performance.now();
  for (let rep = 0; rep < maxReps; ++rep) {
    for (let k = 0; k < engines.length; ++k) {
      const c0 = cpuMs();
      const w0 = performance.now();
      await engines[k].run(c);
      wall[k].push(performance.now() - w0);
      cpu[k].push(cpuMs() - c0);
    }
    const el = performance.now() - t0;
    if ((rep + 1 >= minReps && el >= budget) || el >= cap) break;
  }
  return engines.map((e, k) => ({ wallMs: median(wall[k]), cpuMs: median(cpu[k]), reps: wall[k].length }));
}

// ------------------------------------------------------------------ children (fresh processes)

function runChild(args, timeoutMs = 240000) {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [fileURLToPath(import.meta.url), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop();
      try {
        resolve(JSON.parse(line));
      } catch {
        resolve({ error: `child ${args.join(' ')} exited ${code}: ${(err || out).trim().split('\n').slice(-3).join(' | ')}` });
      }
    });
  });
}

async function childMain() {
  const kind = ARGS.child;
  const inputs = JSON.parse(fs.readFileSync(path.join(TMP, 'inputs.json'), 'utf8'));
  if (kind === 'baseline') {
    return { maxRssKB: peakRssKB() };
  }
  const model = ARGS.model;
  const dtype = ARGS.dtype;
  const threads = Number(ARGS.threads ?? 1);
  const engineKind = ARGS.engine;
  if (kind === 'cold') {
    const t0 = performance.now();
    const e = await makeEngine(engineKind, model, dtype, threads);
    const tLoad = performance.now() - t0;
    const c16 = makeCase(inputs, 1, 16);
    if (e.feeds) c16.feeds = { [engineKind]: e.feeds(c16.ids) };
    const f0 = performance.now();
    await e.run(c16);
    const tFirst = performance.now() - f0;
    // peak: the largest case of this model
    const [pb, pl] = CASES[model][CASES[model].length - 1][1] === 512 ? [1, 512] : [8, 128];
    const cp = makeCase(inputs, pb, pl);
    if (e.feeds) cp.feeds = { [engineKind]: e.feeds(cp.ids) };
    await e.run(cp);
    let wasmHeap = null;
    if (engineKind.startsWith('hb-wasm')) {
      const hb = await import(pathToFileURL(path.join(ROOT, 'js/src/index.js')));
      wasmHeap = hb.memoryStats ? (await hb.memoryStats()).heapSize : null;
    }
    return { loadMs: tLoad, firstRunMs: tFirst, coldMs: tLoad + tFirst, peakCase: caseKey(pb, pl), maxRssKB: peakRssKB(), wasmHeap };
  }
  if (kind === 'profile') {
    // The package copy made by profile(): same js/src, the named module in its dist/. Only the
    // timed loop is sampled (inspector Profiler started after load and warm-up).
    const { Session } = await import('node:inspector/promises');
    const hb = await import(pathToFileURL(path.join(String(ARGS.pkg), 'js/src/index.js')));
    const model = await hb.load(path.join(ROOT, MODELS.minilm.dir), { dtype: 'int8' });
    const c = makeCase(inputs, 1, Number(process.env.HB_PROFILE_LEN || 128));
    for (let i = 0; i < 10; ++i) model.classify(c.texts, { maxLength: 128, earlyExit: false });
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    const t0 = performance.now();
    let calls = 0;
    while (performance.now() - t0 < (CI ? 1500 : 4000)) {
      model.classify(c.texts, { maxLength: 128, earlyExit: false });
      ++calls;
    }
    const msPerCall = (performance.now() - t0) / calls;
    const { profile: cpuProfile } = await session.post('Profiler.stop');
    session.disconnect();
    model.dispose();
    fs.writeFileSync(String(ARGS.out), JSON.stringify(cpuProfile));
    return { calls, msPerCall };
  }
  if (kind === 'speed') {
    const e = await makeEngine(engineKind, model, dtype, threads);
    // hb-wasm with 2 threads also times a 1-thread model interleaved call by call in the same
    // process, so its 2t/1t ratio does not depend on the load of another moment.
    const one = ARGS['with-1t'] ? await makeEngine(engineKind, model, dtype, 1) : null;
    const out = {}, outOne = {};
    for (const [b, l] of CASES[model]) {
      const c = makeCase(inputs, b, l);
      if (e.feeds) c.feeds = { [engineKind]: e.feeds(c.ids) };
      const [t, t1] = await timeInterleaved(one ? [e, one] : [e], c);
      out[caseKey(b, l)] = t;
      if (one) outOne[caseKey(b, l)] = t1;
    }
    return { threads: e.threads, results: out, ...(one ? { oneThread: outOne } : {}) };
  }
  throw new Error(`unknown child ${kind}`);
}

function makeCase(inputs, batch, len) {
  const src = inputs.cases[len];
  return { batch, len, texts: src.texts.slice(0, batch), ids: src.ids.slice(0, batch) };
}

// ------------------------------------------------------------------ native CLI

const NATIVE = path.join(ROOT, 'build/hummingbert');

function timeProc(args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', NATIVE, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`hummingbert ${args.join(' ')}: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
  const last = r.stderr.trim().split('\n').pop().split(' ');
  return { wallMs: Number(last[0]) * 1000, maxRssKB: Number(last[1]), stdout: r.stdout };
}

/** Per-batch native time = (T(R2 batches) - T(R1 batches)) / (R2 - R1): process start and model load cancel. */
function nativeSpeed(model, dtype, batch, len, texts, guessMs) {
  const dir = path.join(ROOT, MODELS[model].dir);
  const r1 = 1;
  const r2 = Math.max(4, Math.min(CI ? 40 : 200, Math.ceil((CI ? 300 : 800) / Math.max(guessMs, 0.05))));
  const write = (r) => {
    const f = path.join(TMP, `native-${batch}x${len}-${r}.txt`);
    const lines = [];
    for (let i = 0; i < r; ++i) for (let k = 0; k < batch; ++k) lines.push(texts[k].replace(/\s+/g, ' '));
    fs.writeFileSync(f, lines.join('\n') + '\n');
    return f;
  };
  const f1 = write(r1);
  const f2 = write(r2);
  const args = (f) => ['run', '--model', dir, '--input', f, '--dtype', dtype, '--early-exit', 'off', '--threads', '1', '--batch-size', String(batch), '--max-length', String(len)];
  timeProc(args(f1)); // warm the page cache
  const t1 = [];
  const t2 = [];
  let out1 = null;
  for (let i = 0; i < (CI ? 2 : 3); ++i) {
    const a = timeProc(args(f1));
    out1 = a.stdout;
    t1.push(a.wallMs);
    t2.push(timeProc(args(f2)).wallMs);
  }
  const per = (median(t2) - median(t1)) / (r2 - r1);
  const logits = out1.trim().split('\n').map((l) => JSON.parse(l).logits);
  return { wallMs: per, cpuMs: null, reps: t1.length, batchesPerProcess: [r1, r2], logits };
}

// ------------------------------------------------------------------ main

function machineInfo() {
  const cpu = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(cpu)?.[1] ?? os.cpus()[0]?.model;
  const flags = /flags\s*:\s*(.*)/.exec(cpu)?.[1]?.split(' ') ?? [];
  const pkg = (p) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(PEERS_DIR, 'node_modules', p, 'package.json'), 'utf8')).version;
    } catch {
      return null;
    }
  };
  return {
    cpu: model,
    cpuFlags: ['avx2', 'avx512f', 'avx512_vnni', 'avx512vnni'].filter((f) => flags.includes(f)),
    logicalCpus: os.cpus().length,
    loadAvgAtStart: os.loadavg().map((x) => r2(x)),
    memGB: r2(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    v8: process.versions.v8,
    onnxruntimeWeb: pkg('onnxruntime-web'),
    onnxruntimeNode: pkg('onnxruntime-node'),
    ci: CI,
    date: new Date().toISOString(),
  };
}

function maxAbsDiff(a, b) {
  let m = 0;
  for (let i = 0; i < a.length; ++i) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

async function main() {
  fs.mkdirSync(TMP, { recursive: true });
  const selected = (ARGS.models ? String(ARGS.models).split(',') : ['demo', 'minilm', 'base']).filter((m) => MODELS[m]);
  const result = { machine: machineInfo(), models: {}, speed: [], twoThreads: [], cold: [], earlyExit: null, profile: null, blocked: [], notes: [] };
  log('machine', JSON.stringify(result.machine));
  if (result.machine.loadAvgAtStart[0] > result.machine.logicalCpus)
    result.notes.push(`load average ${result.machine.loadAvgAtStart[0]} on ${result.machine.logicalCpus} CPUs at start: other jobs were running; figures are interleaved so that ratios stay comparable, absolute times are inflated`);

  for (const m of selected) {
    const spec = MODELS[m];
    if (spec.make && !fs.existsSync(path.join(ROOT, spec.dir, 'model.safetensors'))) {
      log(`generating ${spec.dir}`);
      const { makeRandomBert } = await import(pathToFileURL(path.join(ROOT, 'bench/peers/make_random_bert.mjs')));
      makeRandomBert(spec.make, path.join(ROOT, spec.dir));
    }
    const onnxOk = fs.existsSync(onnxFile(m, 'int8'));
    result.models[m] = { description: spec.desc, hf: spec.dir, onnx: onnxOk ? spec.onnx : null };
    if (!onnxOk)
      result.blocked.push(`${m}: no ONNX export (${spec.onnx}); ${m === 'base' ? 'BERT-base-shaped ONNX files (fp32 ~370 MB, int8 ~95 MB) exceed what the device machine can send back (16 MB a file, 64 MB a call), so only hummingbert runs it' : 'run tools/export_onnx.py'}`);
  }

  const hb = await import(pathToFileURL(path.join(ROOT, 'js/src/index.js')));
  const inputs = await prepareInputs(hb);
  fs.writeFileSync(path.join(TMP, 'inputs.json'), JSON.stringify(inputs));
  const haveNative = fs.existsSync(NATIVE);
  if (!haveNative) result.blocked.push('hb-native: build/hummingbert missing (npm run build:native)');
  const threadedWasm = fs.existsSync(path.join(ROOT, 'dist/hummingbert-simd-threaded.wasm'));
  if (!threadedWasm) result.notes.push('dist/ has no threaded hummingbert build (hummingbert-simd-threaded.wasm): hb-wasm runs 1 thread only; ort-web 2-thread rows are compared with hb-wasm 1 thread');
  const overBudget = () => Date.now() - T_START > DEADLINE_MS;

  // ---- speed, in-process, interleaved
  for (const m of selected) {
    for (const dtype of ['int8', 'fp32']) {
      if (overBudget()) {
        result.notes.push(`skipped ${m} ${dtype}: time budget`);
        continue;
      }
      log(`speed ${m} ${dtype}`);
      const engines = [];
      for (const kind of ['hb-wasm', 'ort-web', 'ort-node']) {
        try {
          engines.push(await makeEngine(kind, m, dtype, 1));
        } catch (e) {
          if (kind === 'hb-wasm') throw e;
          log(`  ${kind}: ${e.message}`);
        }
      }
      for (const [b, l] of CASES[m]) {
        if (overBudget()) break;
        const c = makeCase(inputs, b, l);
        c.feeds = {};
        for (const e of engines) if (e.feeds) c.feeds[e.kind] = e.feeds(c.ids);
        const check = await Promise.all(engines.map((e) => e.run(c)));
        const t = await timeInterleaved(engines, c);
        const row = { model: m, dtype, batch: b, length: l, engines: {} };
        engines.forEach((e, k) => {
          row.engines[e.kind] = { threads: e.threads, wallMs: r2(t[k].wallMs, 3), cpuMs: r2(t[k].cpuMs, 3), reps: t[k].reps };
          if (k > 0) row.engines[e.kind].maxAbsLogitDiffVsHb = r2(maxAbsDiff(check[0].flat(), check[k].flat()), 5);
        });
        if (haveNative && !overBudget()) {
          try {
            const n = nativeSpeed(m, dtype, b, l, c.texts, t[0].wallMs / 3);
            row.engines['hb-native'] = { threads: 1, wallMs: r2(n.wallMs, 3), cpuMs: null, reps: n.reps, method: `(T(${n.batchesPerProcess[1]} batches) - T(1 batch)) / ${n.batchesPerProcess[1] - 1}, process wall`, maxAbsLogitDiffVsHb: r2(maxAbsDiff(check[0].flat(), n.logits.flat()), 5) };
          } catch (e) {
            row.engines['hb-native'] = { error: e.message };
          }
        }
        const hbw = row.engines['hb-wasm'];
        const ratios = {};
        // speedup = peer time / our time (> 1: hummingbert faster). 1-thread pairs use CPU time
        // (robust on a shared machine), wall time is given too.
        if (row.engines['ort-web']) ratios['ort-web(1t)/hb-wasm(1t)'] = { cpu: r2(row.engines['ort-web'].cpuMs / hbw.cpuMs), wall: r2(row.engines['ort-web'].wallMs / hbw.wallMs) };
        if (row.engines['ort-node'] && row.engines['hb-native']?.wallMs) ratios['ort-node(1t)/hb-native(1t)'] = { wall: r2(row.engines['ort-node'].wallMs / row.engines['hb-native'].wallMs) };
        if (row.engines['ort-node']) ratios['ort-node(1t)/hb-wasm(1t)'] = { cpu: r2(row.engines['ort-node'].cpuMs / hbw.cpuMs), wall: r2(row.engines['ort-node'].wallMs / hbw.wallMs) };
        row.speedup = ratios;
        result.speed.push(row);
        log(`  ${caseKey(b, l)}`, Object.entries(row.engines).map(([k, v]) => `${k} ${v.wallMs}ms`).join(', '));
      }
      for (const e of engines) e.dispose();
    }
  }

  // ---- 2 threads: ort-web (numThreads 2) and, if built, hb-wasm threaded, in fresh processes
  for (const m of selected) {
    const haveOnnx = fs.existsSync(onnxFile(m, 'int8'));
    if (!haveOnnx && !threadedWasm) continue;
    for (const dtype of ['int8', 'fp32']) {
      if (overBudget()) {
        result.notes.push(`skipped 2-thread ${m} ${dtype}: time budget`);
        continue;
      }
      log(`2 threads ${m} ${dtype}`);
      const runs = [];
      if (haveOnnx) runs.push(['ort-web', await runChild(['--child=speed', '--engine=ort-web', `--model=${m}`, `--dtype=${dtype}`, '--threads=2'])]);
      if (threadedWasm) runs.push(['hb-wasm', await runChild(['--child=speed', '--engine=hb-wasm', `--model=${m}`, `--dtype=${dtype}`, '--threads=2', '--with-1t'])]);
      for (const [kind, r] of runs) result.twoThreads.push({ engine: kind, model: m, dtype, threads: r.threads ?? 2, ...(r.error ? { error: r.error } : { results: r.results, oneThread: r.oneThread }) });
    }
  }
  for (const t of result.twoThreads) {
    if (!t.results) continue;
    for (const [k, v] of Object.entries(t.results)) {
      const row = result.speed.find((s) => s.model === t.model && s.dtype === t.dtype && caseKey(s.batch, s.length) === k);
      if (!row) continue;
      row.engines[`${t.engine}-2t`] = { threads: t.threads, wallMs: r2(v.wallMs, 3), cpuMs: r2(v.cpuMs, 3), reps: v.reps, note: 'separate process, run after the 1-thread block' };
      row.speedup[`${t.engine}(2t)/hb-wasm(1t)`] = { wall: r2(v.wallMs / row.engines['hb-wasm'].wallMs) };
      const one = t.oneThread?.[k];
      if (one) row.speedup['hb-wasm(1t)/hb-wasm(2t), interleaved'] = { wall: r2(one.wallMs / v.wallMs), oneThreadWallMs: r2(one.wallMs, 3) };
    }
  }

  // ---- early exit on SST-2 dev, batch 1
  if (selected.includes('demo') && Date.now() - T_START < DEADLINE_MS + 120000) {
    log('early exit, SST-2 dev');
    result.earlyExit = await earlyExit(inputs);
  }

  // ---- cold start and peak memory, fresh processes
  log('cold start / peak memory');
  const base = await runChild(['--child=baseline']);
  result.coldBaselineNodeRssKB = base.maxRssKB ?? null;
  for (const m of selected) {
    for (const dtype of ['int8', 'fp32']) {
      if (Date.now() - T_START > DEADLINE_MS + 60000) {
        result.notes.push(`skipped cold start ${m} ${dtype}: time budget`);
        continue;
      }
      const kinds = fs.existsSync(onnxFile(m, dtype)) ? ['hb-wasm', 'hb-wasm-hbm', 'ort-web', 'ort-node'] : ['hb-wasm', 'hb-wasm-hbm'];
      try {
        const hb = await import(pathToFileURL(path.join(ROOT, 'js/src/index.js')));
        fs.writeFileSync(hbmFile(m, dtype), await hb.convert(path.join(ROOT, MODELS[m].dir), { dtype }));
      } catch (e) {
        result.notes.push(`no .hbm cold start for ${m} ${dtype}: ${e.message}`);
        kinds.splice(kinds.indexOf('hb-wasm-hbm'), 1);
      }
      for (const k of kinds) {
        const r = await runChild(['--child=cold', `--engine=${k}`, `--model=${m}`, `--dtype=${dtype}`]);
        result.cold.push({ engine: k, model: m, dtype, threads: 1, ...r, loadMs: r2(r.loadMs, 1), firstRunMs: r2(r.firstRunMs, 1), coldMs: r2(r.coldMs, 1) });
      }
      if (haveNative) {
        try {
          const f = path.join(TMP, 'cold-one.txt');
          fs.writeFileSync(f, inputs.cases[16].texts[0] + '\n');
          const big = CASES[m][CASES[m].length - 1];
          const fb = path.join(TMP, 'cold-peak.txt');
          fs.writeFileSync(fb, inputs.cases[big[1]].texts.slice(0, big[0]).join('\n') + '\n');
          const dir = path.join(ROOT, MODELS[m].dir);
          timeProc(['run', '--model', dir, '--input', f, '--dtype', dtype, '--threads', '1']);
          const one = timeProc(['run', '--model', dir, '--input', f, '--dtype', dtype, '--threads', '1', '--max-length', '16', '--early-exit', 'off']);
          const peak = timeProc(['run', '--model', dir, '--input', fb, '--dtype', dtype, '--threads', '1', '--batch-size', String(big[0]), '--max-length', String(big[1]), '--early-exit', 'off']);
          result.cold.push({ engine: 'hb-native', model: m, dtype, threads: 1, coldMs: r2(one.wallMs, 1), note: 'whole process (exec + load + one 16-token run), 10 ms timer resolution', peakCase: caseKey(...big), maxRssKB: peak.maxRssKB });
        } catch (e) {
          result.cold.push({ engine: 'hb-native', model: m, dtype, error: e.message });
        }
      }
    }
  }

  if (ARGS.profile) result.profile = await profile();

  result.totalSeconds = Number(elapsedS());
  result.machine.loadAvgAtEnd = os.loadavg().map((x) => r2(x));
  fs.writeFileSync(path.join(RESULTS, 'latest.json'), JSON.stringify(result, null, 1) + '\n');
  const { writeReports } = await import(pathToFileURL(path.join(ROOT, 'bench/peers/report.mjs')));
  writeReports(result, RESULTS);
  log(`wrote bench/results/latest.{json,md,svg} in ${result.totalSeconds}s`);
  process.stdout.write(fs.readFileSync(path.join(RESULTS, 'latest.md'), 'utf8'));
}

async function earlyExit(inputs) {
  const { texts, labels, ids } = inputs.sst;
  const hbInt8 = await makeEngine('hb-wasm', 'demo', 'int8');
  const peers = [];
  for (const k of ['ort-web', 'ort-node']) {
    try {
      peers.push(await makeEngine(k, 'demo', 'int8'));
    } catch (e) {
      log(`  ${k}: ${e.message}`);
    }
  }
  const variants = [
    { name: 'hb-wasm int8, early exit default (entropy)', run: async (i) => hbInt8.runOne(texts[i], {}) },
    { name: 'hb-wasm int8, full depth', run: async (i) => hbInt8.runOne(texts[i], { earlyExit: 'off' }) },
    ...peers.map((p) => ({ name: `${p.kind} int8, full depth`, run: async (i) => p.runIds(ids[i]) })),
  ];
  const n = texts.length;
  for (const v of variants) for (let i = 0; i < 30; ++i) await v.run(i);
  const passes = CI ? 1 : 2;
  const stats = variants.map(() => ({ wall: [], cpu: [], correct: 0, layers: 0 }));
  for (let p = 0; p < passes; ++p) {
    for (let k = 0; k < variants.length; ++k) {
      const c0 = cpuMs();
      const w0 = performance.now();
      let correct = 0;
      let layers = 0;
      for (let i = 0; i < n; ++i) {
        const r = await variants[k].run(i);
        const pred = r.labelId ?? (r[1] > r[0] ? 1 : 0);
        if (pred === labels[i]) ++correct;
        layers += r.exitLayer ?? 4;
      }
      stats[k].wall.push(performance.now() - w0);
      stats[k].cpu.push(cpuMs() - c0);
      stats[k].correct = correct;
      stats[k].layers = layers;
    }
  }
  const rows = variants.map((v, k) => ({
    engine: v.name,
    model: 'demo',
    dtype: 'int8',
    threads: 1,
    batch: 1,
    maxLength: 128,
    sentences: n,
    passes,
    sentencesPerSecWall: r2(n / (median(stats[k].wall) / 1000), 1),
    sentencesPerSecCpu: r2(n / (median(stats[k].cpu) / 1000), 1),
    accuracy: r2(stats[k].correct / n, 4),
    meanLayers: r2(stats[k].layers / n, 3),
  }));
  const ee = rows[0];
  const ortw = rows.find((r) => r.engine.startsWith('ort-web'));
  hbInt8.dispose();
  for (const p of peers) p.dispose();
  return {
    rows,
    speedupVsOrtWebInt8: ortw ? { cpu: r2(ee.sentencesPerSecCpu / ortw.sentencesPerSecCpu), wall: r2(ee.sentencesPerSecWall / ortw.sentencesPerSecWall) } : null,
    note: 'hummingbert tokenizes inside run(); ORT gets the same ids pre-tokenized (tokenization excluded from ORT times)',
  };
}

// Which operation a sampled function belongs to (first match wins). Samples anywhere under
// the attention functions count as attention (its int8 GEMMs run the same kernels as the
// Linear layers); the rest by the sampled function's own name. The epilogues of the GEMMs
// apply dequantization, bias, GELU and the residual in one pass, so GELU is part of "GEMM
// epilogue" rather than a row of its own.
const PROFILE_ATTENTION = /DenseSelfAttention|SparseSelfAttention|Int8Head/;
const PROFILE_OPS = [
  ['GEMM int8 (QKV, attention output, FFN)', /GemmInt8Packed|GemmInt8F32|GemmU7Packed|Int8GemmCore|Int8MicroKernel|WidenPairs|hb_gemm_u7s8|GemmInt8Acc/],
  ['GEMM epilogue (dequantize, bias, GELU, residual)', /RowEpilogue|StoreF32|Int8ZeroPointEpilogue/],
  ['attention (Q K^T, softmax, P V: int8 GEMMs and their quantization)', /GemmPanels|StoreTile|PackPanels|SoftmaxRows|Attention|GemmF32/],
  ['quantize activations', /QuantizeRows/],
  ['LayerNorm', /LayerNorm/],
  ['GELU / activations (unfused)', /Gelu|Activation/],
  ['embeddings', /Embedding/],
  ['tokenizer', /Tokenizer|WordPiece|Utf8|Normaliz|Encode/],
  ['malloc, memcpy, memset', /^(dlmalloc|dlfree|emmalloc|malloc|free|__memcpy|memcpy|memset|memmove|dispose_chunk|sbrk)\b/],
];

// Measured per-operation shares: the inference module linked with function names
// (`cmake --build build-wasm --target hummingbert_wasm_profile`, so the shipped one stays
// nameless) runs MiniLM int8 at 1x128 under `node --cpu-prof` in a child; self times of the
// samples are summed per operation.
async function profile() {
  log('profile (V8 CPU profile of the wasm module with function names)');
  const out = { method: 'measured: V8 sampling CPU profile (inspector Profiler, 200 us) of minilm int8 1x128, hb-wasm 1 thread, repeated for ~4 s after warm-up; the module is the shipped one linked with --profiling-funcs (build-wasm target hummingbert_wasm_profile); self time per function, grouped by operation (everything called from the attention functions counts as attention)' };
  const buildDir = path.join(ROOT, 'build-wasm');
  if (!fs.existsSync(path.join(buildDir, 'build.ninja'))) return { ...out, missing: 'no build-wasm (npm run build:wasm)' };
  const b = spawnSync('cmake', ['--build', buildDir, '--target', 'hummingbert_wasm_profile'], { encoding: 'utf8' });
  if (b.status !== 0) return { ...out, missing: `cmake --build build-wasm --target hummingbert_wasm_profile failed: ${(b.stdout + b.stderr).trim().split('\n').slice(-3).join(' | ')}` };
  // A copy of the package whose dist/ holds the named module and its glue.
  const pkg = path.join(TMP, 'profile-pkg');
  fs.rmSync(pkg, { recursive: true, force: true });
  fs.mkdirSync(path.join(pkg, 'dist'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'js/src'), path.join(pkg, 'js/src'), { recursive: true });
  for (const f of ['hummingbert-simd.mjs', 'hummingbert-simd.wasm']) fs.copyFileSync(path.join(buildDir, 'wasm-profile', f), path.join(pkg, 'dist', f));
  const profFile = path.join(TMP, 'profile.cpuprofile');
  fs.rmSync(profFile, { force: true });
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child=profile', `--pkg=${pkg}`, `--out=${profFile}`],
    { encoding: 'utf8', timeout: 180000 });
  const child = JSON.parse(r.stdout.trim().split('\n').pop() || '{}');
  if (r.status !== 0 || child.error || !fs.existsSync(profFile)) return { ...out, missing: `profile child failed: ${child.error ?? r.stderr.trim().split('\n').pop()}` };
  const prof = JSON.parse(fs.readFileSync(profFile, 'utf8'));
  // Self time: each sample's interval is charged to the node it hit.
  const selfUs = new Map();
  const node = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const underAttention = (id) => {
    for (let p = parent.get(id); p !== undefined; p = parent.get(p)) {
      if (PROFILE_ATTENTION.test(node.get(p).callFrame.functionName)) return true;
    }
    return false;
  };
  for (let i = 0; i < prof.samples.length; ++i) {
    const id = prof.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
  }
  const byOp = new Map();
  const top = new Map();
  let total = 0;
  for (const [id, us] of selfUs) {
    const f = node.get(id).callFrame;
    const name = f.functionName || '(anonymous)';
    const wasm = f.url.startsWith('wasm://');
    let op = wasm ? 'other wasm code' : name === '(garbage collector)' || name === '(idle)' || name === '(program)' ? `V8 ${name}` : 'JS (package, glue, Embind)';
    if (wasm && underAttention(id)) op = PROFILE_OPS[2][0];
    else if (wasm) for (const [o, re] of PROFILE_OPS) if (re.test(name)) { op = o; break; }
    byOp.set(op, (byOp.get(op) ?? 0) + us);
    if (wasm) {
      let short = name.replace(/\(anonymous namespace\)::/g, '').replace(/\(.*$/, '');
      if (short.length > 60) short = `${short.slice(0, 57)}...`;
      top.set(short, (top.get(short) ?? 0) + us);
    }
    total += us;
  }
  const share = (us) => r2((100 * us) / total, 1);
  out.case = 'minilm int8, batch 1 x 128, hb-wasm 1 thread';
  out.measuredMs = r2(child.msPerCall, 3);
  out.calls = child.calls;
  out.sampledMs = r2(total / 1000, 1);
  out.breakdown = [...byOp.entries()].sort((x, y) => y[1] - x[1]).map(([op, us]) => ({ op, ms: r2((us / total) * child.msPerCall, 3), pct: share(us), }));
  out.topFunctions = [...top.entries()].sort((x, y) => y[1] - x[1]).slice(0, 10).map(([f, us]) => ({ function: f, pct: share(us) }));
  return out;
}

if (ARGS.child) {
  childMain()
    .then((r) => {
      process.stdout.write(JSON.stringify(r) + '\n');
      process.exit(0);
    })
    .catch((e) => {
      process.stdout.write(JSON.stringify({ error: String(e?.message ?? e) }) + '\n');
      process.exit(0);
    });
} else if (ARGS['profile-only']) {
  // npm run bench -- --profile-only: just the measured profile, printed as a table.
  (async () => {
    fs.mkdirSync(TMP, { recursive: true });
    const hb = await import(pathToFileURL(path.join(ROOT, 'js/src/index.js')));
    fs.writeFileSync(path.join(TMP, 'inputs.json'), JSON.stringify(await prepareInputs(hb)));
    const p = await profile();
    if (p.missing) throw new Error(p.missing);
    console.log(`${p.case}: ${p.measuredMs} ms per call (${p.calls} calls, ${p.sampledMs} ms sampled)`);
    for (const b of p.breakdown) console.log(`${String(b.pct).padStart(6)}%  ${b.op}`);
    console.log('top functions:', p.topFunctions.map((f) => `${f.function} ${f.pct}%`).join(', '));
  })().then(() => process.exit(0), (e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
