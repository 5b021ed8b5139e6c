#!/usr/bin/env node
// End-to-end speed of early exit on the demo model over SST-2 dev (872 sentences): the model's
// default exit rule against `--early-exit off`, batch 1 and batch 32, natively (the CLI, one
// process per run) and in wasm (the npm package in Node, one loaded model). Medians of several
// runs, alternating the two settings so that load on a shared machine hits both alike.
// Writes bench/results/early_exit_bench.json.
//
// usage: node bench/early_exit_bench.mjs [--cli build-cal/hummingbert] [--model web-demo/model]
//          [--dev DEV.tsv] [--runs 5] [--out bench/results] [--wasm 1]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The repository root; ../shared (the data sets) sits beside it.
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const opts = { cli: 'build-cal/hummingbert', model: 'web-demo/model',
  dev: path.resolve(REPO_ROOT, '..', 'shared', 'data', 'sst2', 'dev.tsv'), runs: '5', out: 'bench/results', wasm: '1' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const k = argv[i].replace(/^--/, '');
  if (!(k in opts) || i + 1 >= argv.length) {
    console.error(`unknown or incomplete option '${argv[i]}'; options: ${Object.keys(opts).join(', ')}`);
    process.exit(2);
  }
  opts[k] = argv[i + 1];
}
const runs = Number(opts.runs);
const texts = fs.readFileSync(opts.dev, 'utf8').split('\n').slice(1).filter((l) => l)
  .map((l) => l.slice(0, l.lastIndexOf('\t')));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-ee-bench-'));
const input = path.join(tmp, 'dev.txt');
fs.writeFileSync(input, texts.join('\n') + '\n');
const one = path.join(tmp, 'one.txt');
fs.writeFileSync(one, texts[0] + '\n');

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const now = () => Number(process.hrtime.bigint()) / 1e6;

// --- Native: whole process (load + tokenize + run + JSON output).
function cli(file, batch, mode) {
  const t0 = now();
  const out = execFileSync(opts.cli, ['run', '--model', opts.model, '--input', file,
    '--batch-size', String(batch), '--early-exit', mode], { maxBuffer: 1 << 30, encoding: 'utf8' });
  const ms = now() - t0;
  const lines = out.trim().split('\n').map((l) => JSON.parse(l));
  return { ms, layers: lines.reduce((a, o) => a + o.exit_layer, 0) / lines.length };
}
const native = { what: 'native CLI process wall clock (ms); run_ms subtracts the median time ' +
  'of the same command on a one-line input (model load and process start)', batches: {} };
cli(input, 32, 'default');  // warm the page cache
const loadMs = median(Array.from({ length: runs }, () => cli(one, 1, 'off').ms));
native.load_ms = loadMs;
for (const batch of [1, 32]) {
  const times = { default: [], off: [] };
  let layers = {};
  for (let r = 0; r < runs; ++r) {
    for (const mode of r % 2 ? ['off', 'default'] : ['default', 'off']) {
      const x = cli(input, batch, mode);
      times[mode].push(x.ms);
      layers[mode] = x.layers;
    }
  }
  const d = median(times.default);
  const o = median(times.off);
  native.batches[batch] = {
    exit: { total_ms: d, run_ms: d - loadMs, average_layers: layers.default, runs: times.default },
    off: { total_ms: o, run_ms: o - loadMs, average_layers: layers.off, runs: times.off },
    speedup_total: o / d,
    speedup_run: (o - loadMs) / (d - loadMs),
  };
  console.error(`native batch ${batch}: off ${o.toFixed(0)} ms, exit ${d.toFixed(0)} ms ` +
    `(load ${loadMs.toFixed(0)} ms) -> ${(o / d).toFixed(2)}x total, ` +
    `${((o - loadMs) / (d - loadMs)).toFixed(2)}x without load`);
}

// --- wasm: the npm package in Node, model loaded once, `model.run` over all texts.
let wasm = null;
if (opts.wasm !== '0') {
  try {
    const { loadModel } = await import(new URL('../js/src/index.js', import.meta.url));
    const model = await loadModel(opts.model);
    const pass = async (batch, earlyExit) => {
      const t0 = now();
      let layers = 0;
      for (let i = 0; i < texts.length; i += batch) {
        const outs = await model.run(texts.slice(i, i + batch), { earlyExit });
        for (const o of outs) layers += o.exitLayer;
      }
      return { ms: now() - t0, layers: layers / texts.length };
    };
    wasm = { what: 'wasm (dist/hummingbert-simd.wasm, 1 thread) in Node ' + process.version +
      ': model.run over all dev texts, ms per pass (model loaded once)', batches: {} };
    for (const batch of [1, 32]) {
      await pass(batch, 'default');  // warm-up: V8 tiers wasm up on later calls
      const times = { default: [], off: [] };
      const layers = {};
      for (let r = 0; r < runs; ++r) {
        for (const mode of r % 2 ? ['off', 'default'] : ['default', 'off']) {
          const x = await pass(batch, mode);
          times[mode].push(x.ms);
          layers[mode] = x.layers;
        }
      }
      const d = median(times.default);
      const o = median(times.off);
      wasm.batches[batch] = {
        exit: { ms: d, average_layers: layers.default, runs: times.default },
        off: { ms: o, average_layers: layers.off, runs: times.off },
        speedup: o / d,
      };
      console.error(`wasm batch ${batch}: off ${o.toFixed(0)} ms, exit ${d.toFixed(0)} ms -> ` +
        `${(o / d).toFixed(2)}x`);
    }
    model.dispose?.();
  } catch (e) {
    wasm = { error: `wasm not measured: ${e.message}` };
    console.error(wasm.error);
  }
}

const result = {
  what: 'early exit (model default rule) vs --early-exit off, demo model, SST-2 dev (872 texts)',
  machine: `${os.cpus()[0].model}, ${os.cpus().length} logical CPUs (shared), 1 thread`,
  runs,
  native,
  wasm,
};
fs.mkdirSync(opts.out, { recursive: true });
fs.writeFileSync(path.join(opts.out, 'early_exit_bench.json'), JSON.stringify(result, null, 1) + '\n');
fs.rmSync(tmp, { recursive: true, force: true });
console.error(`wrote ${opts.out}/early_exit_bench.json`);
