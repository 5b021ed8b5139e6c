#!/usr/bin/env node
// Sparse scaling against onnxruntime-web: the long model's shape (hidden 256, 4 layers, 4 heads,
// FFN 768, vocab 8000, 8192 positions; RANDOM weights, timing only) on one text of n tokens
// (512 .. 8192), batch 1, one thread, in Node:
//   hb-wasm sparse  hummingbert (js/src + dist/ wasm, fp32 weights), sliding window 256 + [CLS]
//   hb-wasm dense   hummingbert, our dense attention
//   ort-web fp32    onnxruntime-web 1.30 wasm (SIMD), dense attention (the model as exported), fp32
//   ort-web int8    the same, quantize_dynamic int8 (when bench/models/onnx/long/model_quantized.onnx exists)
// All four read the same checkpoint: bench/models/long-random (`node bench/peers/make_random_bert.mjs
// long`); the ONNX files are its export by `tools/export_onnx.py --models long` (tools/README.md).
//
// Each (engine, n) runs in a fresh process (node --no-liftoff, so that wasm is compiled by TurboFan
// at once and no tier-up lands inside a timed call): load, one warm-up call at 16 tokens, then the
// peak-RSS mark is reset (`5` > /proc/self/clear_refs) and the n-token call runs `reps` times (2,
// 1 from 4096 tokens on). time = the best CPU time (process.cpuUsage) of those calls, as in
// hb_sparse_attention_bench. Memory: wasm_heap_after_mb = the size of the engine's wasm linear
// memory after the n-token calls (it only grows, so this is the peak so far, model included);
// wasm_heap_growth_mb = its growth during those calls, over the size after load + warm-up. Both
// engines keep memory freed while loading the model inside the heap and reuse it first, so growth
// is ~0 for short texts and understates the need by that slack (tens of MB at most); from 2048
// tokens on it is close to what the forward needed. rss_growth_mb (VmHWM after -
// VmRSS before, after resetting the peak) is the same from the process's side.
//
//   node bench/sparse_ort_bench.mjs [--lengths 512,1024,2048,4096,8192] [--engines hb-sparse,hb-dense,ort-fp32,ort-int8]
//        [--out bench/results/sparse_scaling_ort.json] [--timeout-s 600] [--hb-root DIR]
// --hb-root: where js/src and dist/ come from (default: this repository).
// --hb-bench FILE: also run our wasm hb_sparse_attention_bench (FILE = build-wasm-sparse/bench/
//   hb_sparse_attention_bench.js of a -DHB_BUILD_BENCH=ON emcmake build; encoder only, no head)
//   with --dense-max 8192, in the same session, and keep its rows: its peak is the exact heap bytes
//   our forward allocates (operator new is counted), which RSS cannot show for hummingbert (its
//   wasm heap reuses pages that loading the model freed).
// Needs bench/peers (`npm ci --prefix bench/peers --ignore-scripts`) and dist/ (npm run build:wasm).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PEERS_DIR = path.join(ROOT, 'bench', 'peers');
const peerRequire = createRequire(path.join(PEERS_DIR, 'package.json'));
const MODEL_DIR = path.join(ROOT, 'bench/models/long-random');
const ONNX_DIR = path.join(ROOT, 'bench/models/onnx/long');
const ENGINES = {
  'hb-sparse': 'hummingbert wasm SIMD, fp32, sliding window 256 + global [CLS]',
  'hb-dense': 'hummingbert wasm SIMD, fp32, dense attention',
  'ort-fp32': 'onnxruntime-web wasm SIMD, fp32 ONNX, dense attention',
  'ort-int8': 'onnxruntime-web wasm SIMD, int8 (quantize_dynamic) ONNX, dense attention',
};

const ARGS = Object.fromEntries(
  process.argv.slice(2).map((a, i, all) => (a.startsWith('--') ? [a.slice(2), all[i + 1]] : null)).filter(Boolean),
);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const status = () => fs.readFileSync('/proc/self/status', 'utf8');
const kb = (key) => Number(new RegExp(`${key}:\\s*(\\d+)`).exec(status())?.[1] ?? NaN);

// A text of at least n word pieces ("the" and "movie" are single pieces in the demo vocabulary);
// hummingbert truncates it to exactly n tokens with maxLength n.
const textOf = (n) => 'the movie '.repeat(Math.ceil(n / 2) + 8).trim();

// Every WebAssembly.Memory an engine instantiates (imported or exported), to read the size of the
// wasm linear memory (it only grows, so after a call it is the peak the engine needed so far).
const MEMORIES = new Set();
function watchWasmMemories() {
  const note = (imports, instance) => {
    for (const ns of Object.values(imports ?? {})) {
      for (const v of Object.values(ns ?? {})) if (v instanceof WebAssembly.Memory) MEMORIES.add(v);
    }
    for (const v of Object.values(instance?.exports ?? {})) if (v instanceof WebAssembly.Memory) MEMORIES.add(v);
  };
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = async function (src, imports) {
    const r = await instantiate.call(this, src, imports);
    note(imports, r.instance ?? r);
    return r;
  };
  const streaming = WebAssembly.instantiateStreaming;
  if (streaming) {
    WebAssembly.instantiateStreaming = async function (src, imports) {
      const r = await streaming.call(this, src, imports);
      note(imports, r.instance);
      return r;
    };
  }
}
const wasmHeapMB = () => Math.max(0, ...[...MEMORIES].map((m) => m.buffer.byteLength)) / 2 ** 20;

async function child(engine, n) {
  watchWasmMemories();
  let run;
  if (engine.startsWith('hb-')) {
    const hb = await import(pathToFileURL(path.join(path.resolve(ARGS['hb-root'] ?? ROOT), 'js/src/index.js')));
    const m = await hb.load(MODEL_DIR, { dtype: 'fp32', numThreads: 1 });
    const attention = engine === 'hb-sparse' ? { attention: 'sliding-window', window: 256 } : { attention: 'dense' };
    run = (len) => {
      const r = m.classify(textOf(len), { maxLength: len, earlyExit: 'off', ...attention });
      return { tokens: r.tokens, attention: r.attention };
    };
  } else {
    const ort = await import(pathToFileURL(peerRequire.resolve('onnxruntime-web')).href);
    ort.env.wasm.numThreads = 1;
    ort.env.logLevel = 'error';
    const file = path.join(ONNX_DIR, engine === 'ort-int8' ? 'model_quantized.onnx' : 'model.onnx');
    const s = await ort.InferenceSession.create(file, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    run = async (len) => {
      const ids = new BigInt64Array(len);
      for (let i = 0; i < len; ++i) ids[i] = BigInt(5 + ((i * 7919) % 7990));
      ids[0] = 2n;
      ids[len - 1] = 3n;
      const out = await s.run({
        input_ids: new ort.Tensor('int64', ids, [1, len]),
        attention_mask: new ort.Tensor('int64', new BigInt64Array(len).fill(1n), [1, len]),
        token_type_ids: new ort.Tensor('int64', new BigInt64Array(len), [1, len]),
      });
      return { tokens: len, logits: Array.from(out.logits.data) };
    };
  }
  const heapLoaded = wasmHeapMB();
  await run(16);
  globalThis.gc?.();
  const heapBefore = wasmHeapMB();
  const rssBefore = kb('VmRSS');
  let reset = true;
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    reset = false;
  }
  const reps = n >= 4096 ? 1 : 2;
  const cpu = [];
  const wall = [];
  let info;
  for (let r = 0; r < reps; ++r) {
    const c0 = cpuMs();
    const w0 = performance.now();
    info = await run(n);
    cpu.push(cpuMs() - c0);
    wall.push(performance.now() - w0);
  }
  const hwm = kb('VmHWM');
  const heapAfter = wasmHeapMB();
  return {
    engine, tokens: n, reps, cpu_s: Math.min(...cpu) / 1000, wall_s: Math.min(...wall) / 1000,
    wasm_heap_loaded_mb: heapLoaded, wasm_heap_before_mb: heapBefore, wasm_heap_after_mb: heapAfter,
    wasm_heap_growth_mb: heapAfter - heapBefore, wasm_memories: MEMORIES.size,
    rss_growth_mb: (hwm - rssBefore) / 1024, rss_before_mb: rssBefore / 1024, hwm_reset: reset,
    tokens_run: info.tokens, attention: info.attention,
  };
}

function runChild(engine, n, timeoutS) {
  return new Promise((resolve) => {
    const extra = ARGS['hb-root'] ? ['--hb-root', ARGS['hb-root']] : [];
    const p = spawn(process.execPath, ['--no-liftoff', '--expose-gc', fileURLToPath(import.meta.url), '--child', engine, '--n', String(n), ...extra],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutS * 1000);
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()));
      } catch {
        resolve({ engine, tokens: n, error: `exit ${code}${signal ? ` (${signal})` : ''}: ${(err || out).trim().split('\n').slice(-4).join(' | ').slice(0, 600)}` });
      }
    });
  });
}

async function main() {
  if (ARGS.child) {
    process.stdout.write(JSON.stringify(await child(ARGS.child, Number(ARGS.n))) + '\n');
    return;
  }
  const lengths = (ARGS.lengths ?? '512,1024,2048,4096,8192').split(',').map(Number);
  let engines = (ARGS.engines ?? 'hb-sparse,hb-dense,ort-fp32,ort-int8').split(',');
  const notes = [];
  if (!fs.existsSync(path.join(MODEL_DIR, 'model.safetensors'))) {
    const { makeRandomBert } = await import(pathToFileURL(path.join(PEERS_DIR, 'make_random_bert.mjs')));
    makeRandomBert('long', MODEL_DIR);
  }
  engines = engines.filter((e) => {
    const f = e === 'ort-int8' ? 'model_quantized.onnx' : e === 'ort-fp32' ? 'model.onnx' : null;
    if (f && !fs.existsSync(path.join(ONNX_DIR, f))) {
      notes.push(`${e} skipped: no ${path.relative(ROOT, path.join(ONNX_DIR, f))} (tools/export_onnx.py --models long, tools/README.md)`);
      return false;
    }
    return true;
  });
  const timeoutS = Number(ARGS['timeout-s'] ?? 600);
  const rows = [];
  for (const n of lengths) {
    for (const e of engines) {
      const r = await runChild(e, n, timeoutS);
      rows.push(r);
      console.error(JSON.stringify(r));
    }
  }
  let hbBench = null;
  if (ARGS['hb-bench']) {
    const t0 = Date.now();
    const res = await new Promise((resolve) => {
      const p = spawn(process.execPath, [ARGS['hb-bench'], '--dense-max', '8192'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (out += d));
      p.on('close', (code) => resolve({ code, out }));
    });
    const rowsHb = [];
    for (const line of res.out.split('\n')) {
      const m = /^\|\s*(\d+)\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|\s*([\d.]+|-)\s*\|\s*([\d.]+|-)\s*\|/.exec(line);
      if (m) {
        rowsHb.push({ tokens: Number(m[1]), sparse_cpu_s: Number(m[2]), sparse_peak_mb: Number(m[3]),
          dense_cpu_s: m[4] === '-' ? null : Number(m[4]), dense_peak_mb: m[5] === '-' ? null : Number(m[5]) });
      }
    }
    hbBench = { command: `node ${ARGS['hb-bench']} --dense-max 8192`, exit: res.code, seconds: (Date.now() - t0) / 1000,
      header: res.out.split('\n')[0], rows: rowsHb };
    console.error(JSON.stringify(hbBench));
  }
  const get = (e, n) => rows.find((r) => r.engine === e && r.tokens === n && !r.error);
  const scaling = {};
  for (const e of engines) {
    const a = get(e, 512);
    const b = get(e, 4096);
    const c = get(e, 8192);
    const m = get(e, 2048);
    scaling[e] = {
      'time(4096)/time(512)': a && b ? Number((b.cpu_s / a.cpu_s).toFixed(2)) : null,
      'time(8192)/time(4096)': b && c ? Number((c.cpu_s / b.cpu_s).toFixed(2)) : null,
      // linear memory doubles per doubling of n, dense attention's scores quadruple
      'heap_growth(4096)/heap_growth(2048)': m && b && m.wasm_heap_growth_mb > 0 ? Number((b.wasm_heap_growth_mb / m.wasm_heap_growth_mb).toFixed(2)) : null,
      'heap_growth(8192)/heap_growth(4096)': b && c && b.wasm_heap_growth_mb > 0 ? Number((c.wasm_heap_growth_mb / b.wasm_heap_growth_mb).toFixed(2)) : null,
    };
  }
  const vsOrt = {};
  for (const n of lengths) {
    const s = get('hb-sparse', n);
    const d = get('hb-dense', n);
    const o = get('ort-fp32', n);
    const q = get('ort-int8', n);
    vsOrt[n] = {
      'ort-fp32 / hb-sparse (time)': o && s ? Number((o.cpu_s / s.cpu_s).toFixed(2)) : null,
      'ort-fp32 / hb-dense (time)': o && d ? Number((o.cpu_s / d.cpu_s).toFixed(2)) : null,
      'ort-int8 / hb-sparse (time)': q && s ? Number((q.cpu_s / s.cpu_s).toFixed(2)) : null,
      'ort-fp32 / hb-sparse (wasm heap growth)': o && s && s.wasm_heap_growth_mb > 0 ? Number((o.wasm_heap_growth_mb / s.wasm_heap_growth_mb).toFixed(2)) : null,
    };
  }
  const peerPkg = JSON.parse(fs.readFileSync(path.join(PEERS_DIR, 'node_modules/onnxruntime-web/package.json'), 'utf8'));
  const report = {
    description: 'Whole forward (embeddings, 4 layers, pooler, classifier) of the long model shape on one text of n tokens, batch 1, ' +
      '1 thread, in Node: hummingbert wasm sparse (window 256 + [CLS]) and dense vs onnxruntime-web dense. RANDOM weights (timing only). ' +
      'time = best CPU time of the reps; wasm_heap_after_mb = wasm linear memory after the n-token calls (peak so far, model included), ' +
      'wasm_heap_growth_mb = its growth during them (fresh process per row; see the header of bench/sparse_ort_bench.mjs).',
    command: `node bench/sparse_ort_bench.mjs ${process.argv.slice(2).join(' ')}`.trim(),
    model: 'bench/models/long-random (node bench/peers/make_random_bert.mjs long) + its ONNX export (tools/export_onnx.py --models long)',
    engines: Object.fromEntries(engines.map((e) => [e, ENGINES[e]])),
    machine: { cpu: os.cpus()[0].model, cores: os.cpus().length, loadavg: os.loadavg().map((x) => Number(x.toFixed(2))), node: process.version, onnxruntimeWeb: peerPkg.version },
    date: new Date().toISOString(),
    notes,
    rows,
    hb_wasm_encoder_bench: hbBench,
    scaling,
    ratios: vsOrt,
  };
  const out = ARGS.out ?? 'bench/results/sparse_scaling_ort.json';
  fs.mkdirSync(path.dirname(path.resolve(ROOT, out)), { recursive: true });
  fs.writeFileSync(path.resolve(ROOT, out), JSON.stringify(report, null, 1) + '\n');
  console.error(`wrote ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
