#!/usr/bin/env node
// The compression results table (issue 9): the demo model and its compressed variants on SST-2
// dev, each with its file size, parameter count, accuracy (native CLI) and wasm time (Node, the
// single-threaded SIMD build in dist/) at batch 1 x 64 tokens, and its speed ratio against the
// int8 demo model measured in the same process.
//
//  1. Builds every variant with the native CLI (`convert`, `prune`, `factorize`,
//     `calibrate-exits`) into bench/models/compression/ (git-ignored).
//  2. Per variant: bytes of the .hbm, parameters (elements of every tensor in the file's
//     safetensors header except int8 scales, padding and the vocabulary), SST-2 dev accuracy with
//     the native CLI at full depth (`--early-exit off`) and, for models with exit heads, with the
//     model's default rule (+ average layers).
//  3. wasm speed, one process, model loaded once: `model.run([text], {maxLength: 64,
//     earlyExit: 'off'})` on a text that tokenizes to exactly 64 tokens ([CLS] and [SEP]
//     included). Every round times every model (order alternating between rounds) as the mean of
//     --calls calls; figures are medians over --runs rounds after --warmup rounds. For models with
//     exit heads: mean time per sentence over the first --ee-sentences dev sentences at batch 1,
//     default rule vs full depth, interleaved the same way with the int8 demo model at full depth.
//     Timing is CPU time of this process (process.cpuUsage; the machine is shared, see
//     bench/README.md); wall time is in the JSON too. speed = int8 demo time / variant time.
//  4. Writes bench/results/compression.json and bench/results/compression.md.
//
// usage: node bench/compression_bench.mjs [--cli build/hummingbert] [--dev DEV.tsv]
//          [--train TRAIN.tsv] [--runs 21] [--calls 10] [--warmup 3] [--ee-sentences 200]
//          [--ee-runs 15] [--out bench/results] [--models bench/models/compression] [--reuse 0]
// Needs the native CLI (npm run build:native) and dist/ (npm run build:wasm).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The repository root; ../shared (the data sets) sits beside it.
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const T_START = Date.now();
const LOAD_START = os.loadavg().map((x) => Number(x.toFixed(2)));
const log = (...a) => console.error(`[compression ${((Date.now() - T_START) / 1000).toFixed(0)}s]`, ...a);

const opts = {
  cli: 'build/hummingbert',
  dev: path.resolve(REPO_ROOT, '..', 'shared', 'data', 'sst2', 'dev.tsv'),
  train: path.resolve(REPO_ROOT, '..', 'shared', 'data', 'sst2', 'train.tsv'),
  runs: '21',
  calls: '10',
  warmup: '3',
  'ee-sentences': '200',
  'ee-runs': '15',
  out: 'bench/results',
  models: 'bench/models/compression',
  reuse: '0',
};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const k = argv[i].replace(/^--/, '');
  if (!(k in opts) || i + 1 >= argv.length) {
    console.error(`unknown or incomplete option '${argv[i]}'; options: ${Object.keys(opts).join(', ')}`);
    process.exit(2);
  }
  opts[k] = argv[i + 1];
}
const rel = (p) => (path.isAbsolute(p) ? path.relative(REPO_ROOT, p) : p);
const abs = (p) => path.resolve(REPO_ROOT, p);
const CLI = abs(opts.cli);
const MODELS = abs(opts.models);
const RUNS = Number(opts.runs);
const CALLS = Number(opts.calls);
const WARMUP = Number(opts.warmup);
const EE_N = Number(opts['ee-sentences']);
const EE_RUNS = Number(opts['ee-runs']);
if (!fs.existsSync(CLI)) {
  console.error(`no native CLI at ${opts.cli} (npm run build:native, or --cli PATH)`);
  process.exit(1);
}
if (!fs.existsSync(abs('dist/hummingbert-simd.wasm'))) {
  console.error('no dist/hummingbert-simd.wasm (npm run build:wasm)');
  process.exit(1);
}

function readTsv(file) {
  return fs.readFileSync(file, 'utf8').split('\n').slice(1).filter((l) => l.length > 0).map((l) => {
    const tab = l.lastIndexOf('\t');
    return { text: l.slice(0, tab), label: Number(l.slice(tab + 1)) };
  });
}
const dev = readTsv(opts.dev);
fs.mkdirSync(MODELS, { recursive: true });
// Pruning sample: the first 512 sentences of SST-2 train (labels are not used by prune).
const pruneData = path.join(MODELS, 'sst2_train_first512.tsv');
fs.writeFileSync(pruneData, readTsv(opts.train).slice(0, 512).map((r) => `${r.text}\t${r.label}`).join('\n') + '\n');
const devTexts = path.join(MODELS, 'sst2_dev.txt');
fs.writeFileSync(devTexts, dev.map((r) => r.text).join('\n') + '\n');

// ------------------------------------------------------------------ 1. variants
const DEMO = 'web-demo/model';
const S384 = 'web-demo/students/l2f384';
const S64 = 'web-demo/students/l2f256e64';
const f = (id) => path.join(MODELS, `${id}.hbm`);
const PRUNE = ['--data', pruneData, '--max-examples', '512', '--threads', '1'];
// calibrate-exits on SST-2 train with --max-drop 0.005: the students were distilled on train, so
// its held-out split is easier than dev (at the default 0.01 they lose ~1.8 points on dev).
const CALIB = ['--data', opts.train, '--max-examples', '4000', '--max-drop', '0.005', '--threads', '1', '--no-timing'];
// what: how it was made; steps: CLI argument lists (OUT = the variant's file); eeTime: time early
// exit in wasm (models with exit heads; accuracy with the default rule is measured for all).
const VARIANTS = [
  { id: 'demo-fp32', group: 'baseline', what: 'demo model, fp32', steps: [['convert', DEMO, '-o', 'OUT', '--dtype', 'fp32']] },
  { id: 'demo-int8', group: 'baseline', what: 'demo model, int8 (reference)', eeTime: true, steps: [['convert', DEMO, '-o', 'OUT', '--dtype', 'int8']] },
  { id: 'prune-h25', group: 'prune', what: 'demo, prune heads 0.25, int8', steps: [['prune', DEMO, '-o', 'OUT', '--heads', '0.25', ...PRUNE, '--dtype', 'int8']] },
  { id: 'prune-h50', group: 'prune', what: 'demo, prune heads 0.5, int8', steps: [['prune', DEMO, '-o', 'OUT', '--heads', '0.5', ...PRUNE, '--dtype', 'int8']] },
  { id: 'prune-f25', group: 'prune', what: 'demo, prune FFN 0.25, int8', steps: [['prune', DEMO, '-o', 'OUT', '--ffn', '0.25', ...PRUNE, '--dtype', 'int8']] },
  { id: 'prune-f50', group: 'prune', what: 'demo, prune FFN 0.5, int8', eeTime: true, steps: [['prune', DEMO, '-o', 'OUT', '--ffn', '0.5', ...PRUNE, '--dtype', 'int8']] },
  { id: 'prune-h50-f50', group: 'prune', what: 'demo, prune heads 0.5 + FFN 0.5, int8', eeTime: true, steps: [['prune', DEMO, '-o', 'OUT', '--heads', '0.5', '--ffn', '0.5', ...PRUNE, '--dtype', 'int8']] },
  { id: 'fact-e128', group: 'factorize', what: 'demo, factorize embeddings E=128, int8', steps: [['factorize', DEMO, '-o', 'OUT', '--embedding-rank', '128', '--dtype', 'int8']] },
  { id: 'fact-e64', group: 'factorize', what: 'demo, factorize embeddings E=64, int8', steps: [['factorize', DEMO, '-o', 'OUT', '--embedding-rank', '64', '--dtype', 'int8']] },
  { id: 'fact-energy0.8', group: 'factorize', what: 'demo, factorize Linears energy 0.8, int8', eeTime: true, steps: [['factorize', DEMO, '-o', 'OUT', '--energy', '0.8', '--dtype', 'int8']] },
  { id: 'fact-r64', group: 'factorize', what: 'demo, factorize Linears rank 64, int8', steps: [['factorize', DEMO, '-o', 'OUT', '--rank', '64', '--dtype', 'int8']] },
  { id: 'student-l2f384-int8', group: 'student', what: 'student l2f384 (2 layers, FFN 384), int8', steps: [['convert', S384, '-o', 'OUT', '--dtype', 'int8']] },
  { id: 'student-l2f256e64-int8', group: 'student', what: 'student l2f256e64 (2 layers, FFN 256, E=64), int8', steps: [['convert', S64, '-o', 'OUT', '--dtype', 'int8']] },
  { id: 'student-l2f256e64-h25-int8', group: 'student', what: 'student l2f256e64 + prune heads 0.25, int8', steps: [['prune', S64, '-o', 'OUT', '--heads', '0.25', ...PRUNE, '--dtype', 'int8']] },
  { id: 'student-l2f384-int8-exits', group: 'student+exit', eeTime: true, what: 'student l2f384 int8 + calibrate-exits (max-drop 0.005)', steps: [['calibrate-exits', f('student-l2f384-int8'), ...CALIB, '-o', 'OUT']] },
  { id: 'student-l2f256e64-int8-exits', group: 'student+exit', eeTime: true, what: 'student l2f256e64 int8 + calibrate-exits (max-drop 0.005)', steps: [['calibrate-exits', f('student-l2f256e64-int8'), ...CALIB, '-o', 'OUT']] },
  { id: 'student-l2f256e64-h25-int8-exits', group: 'student+exit', eeTime: true, what: 'student l2f256e64 + prune heads 0.25, int8 + calibrate-exits (max-drop 0.005)', steps: [['calibrate-exits', f('student-l2f256e64-h25-int8'), ...CALIB, '-o', 'OUT']] },
];
const REF = 'demo-int8';
const showArgs = (a) => a.map((x) => (path.isAbsolute(x) ? rel(x) : x)).join(' ');

for (const v of VARIANTS) {
  v.file = f(v.id);
  v.commands = v.steps.map((s) => `hummingbert ${showArgs(s.map((x) => (x === 'OUT' ? v.file : x)))}`);
  const reportFile = v.file.replace(/\.hbm$/, '.report.json');
  if (opts.reuse !== '0' && fs.existsSync(v.file)) {
    if (fs.existsSync(reportFile)) v.report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  } else {
    const t0 = Date.now();
    fs.rmSync(reportFile, { force: true });
    for (const s of v.steps) {
      const out = execFileSync(CLI, s.map((x) => (x === 'OUT' ? v.file : x)),
        { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
      if (out.trim().startsWith('{')) {
        v.report = JSON.parse(out);
        fs.writeFileSync(reportFile, out);
      }
    }
    v.build_s = (Date.now() - t0) / 1000;
    log(`built ${v.id} (${v.build_s.toFixed(1)} s)`);
  }
  // Factorized Linears: name the ranks that were applied.
  const ranks = (v.report?.linears ?? []).filter((l) => l.applied).map((l) => l.rank);
  if (v.report?.energy && ranks.length) v.what = v.what.replace(', int8', ` (ranks ${Math.min(...ranks)}-${Math.max(...ranks)}), int8`);
}

// ------------------------------------------------------------------ 2. size, parameters, accuracy
function inspect(file) {
  const buf = fs.readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  const meta = header.__metadata__ ?? {};
  let params = 0;
  let exitParams = 0;
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__' || name.startsWith('_pad.') || name === 'tokenizer.vocab' || name.endsWith('.scale')) continue;
    const count = t.shape.reduce((a, b) => a * b, 1);
    params += count;
    if (name.startsWith('exit_heads.')) exitParams += count;
  }
  const config = JSON.parse(meta.config);
  const exit = meta.exit ? JSON.parse(meta.exit) : null;
  return { bytes: buf.length, params, exit_head_params: exitParams, dtype: meta.dtype, config, exit };
}

function accuracy(v, mode) {
  const out = execFileSync(CLI, ['run', '--model', v.file, '--input', devTexts, '--early-exit', mode,
    '--threads', '1'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const rows = out.trim().split('\n').map((l) => JSON.parse(l));
  if (rows.length !== dev.length) throw new Error(`${v.id}: ${rows.length} outputs for ${dev.length} texts`);
  const labels = v.info.config.labels;
  let correct = 0;
  let layers = 0;
  rows.forEach((r, i) => {
    correct += labels.indexOf(r.label) === dev[i].label ? 1 : 0;
    layers += r.exit_layer;
  });
  return { accuracy: correct / dev.length, average_layers: layers / dev.length, labels: rows.map((r) => r.label) };
}

for (const v of VARIANTS) {
  v.info = inspect(v.file);
  v.hasExits = !!(v.info.exit && v.info.exit.default_rule);
  const full = accuracy(v, 'off');
  v.native = { full: { accuracy: full.accuracy, average_layers: full.average_layers } };
  v.nativeLabels = full.labels;
  if (v.hasExits) {
    const ee = accuracy(v, 'default');
    v.native.early_exit = { rule: v.info.exit.default_rule, accuracy: ee.accuracy, average_layers: ee.average_layers };
  }
  log(`${v.id}: ${(v.info.bytes / 1e6).toFixed(2)} MB, ${(v.info.params / 1e6).toFixed(3)} M params, ` +
    `dev ${(100 * full.accuracy).toFixed(2)}%` + (v.hasExits ? `, exit ${(100 * v.native.early_exit.accuracy).toFixed(2)}% ` +
    `at ${v.native.early_exit.average_layers.toFixed(2)} layers` : ''));
}

// ------------------------------------------------------------------ 3. wasm timing
const hb = await import(pathToFileURL(path.join(REPO_ROOT, 'js/src/index.js')).href);
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
function timed(fn) {
  const w0 = nowMs();
  const c0 = cpuMs();
  fn();
  return { cpu: cpuMs() - c0, wall: nowMs() - w0 };
}

for (const v of VARIANTS) {
  v.model = await hb.load(v.file, { numThreads: 1 });
  if (v.model.info.numThreads !== 1) throw new Error(`${v.id}: ${v.model.info.numThreads} threads`);
}
const ref = VARIANTS.find((v) => v.id === REF);

// A text of exactly 64 tokens: dev sentences concatenated, truncated by maxLength 64.
let text64 = '';
for (let j = 0; ref.model.tokenize(text64, { maxLength: 128 }).ids.length < 80; ++j) text64 += (text64 ? ' ' : '') + dev[j].text;
for (const v of VARIANTS) {
  const n = v.model.tokenize(text64, { maxLength: 64 }).ids.length;
  if (n !== 64) throw new Error(`${v.id}: the 64-token input gives ${n} tokens`);
}
const RUN64 = { maxLength: 64, earlyExit: 'off' };

// wasm vs native agreement (full depth) on the first EE_N dev sentences: a sanity check that the
// wasm build runs the same model as the CLI that measured the accuracy.
const eeTexts = dev.slice(0, EE_N).map((r) => r.text);
for (const v of VARIANTS) {
  const labels = eeTexts.map((t) => v.model.run([t], { earlyExit: 'off' })[0].label);
  v.wasmNativeAgreement = labels.filter((l, i) => l === v.nativeLabels[i]).length / labels.length;
}

log(`timing ${VARIANTS.length} models at 1x64 tokens: ${WARMUP} warm-up + ${RUNS} rounds of ${CALLS} calls each`);
const t64 = Object.fromEntries(VARIANTS.map((v) => [v.id, { cpu: [], wall: [] }]));
for (let r = -WARMUP; r < RUNS; ++r) {
  const order = r % 2 ? [...VARIANTS].reverse() : VARIANTS;
  for (const v of order) {
    const t = timed(() => {
      for (let c = 0; c < CALLS; ++c) v.model.run([text64], RUN64);
    });
    if (r >= 0) {
      t64[v.id].cpu.push(t.cpu / CALLS);
      t64[v.id].wall.push(t.wall / CALLS);
    }
  }
}

// Early exit: per-sentence time over the first EE_N dev sentences, batch 1.
const eeModels = VARIANTS.filter((v) => v.hasExits && v.eeTime);
log(`timing early exit on ${eeModels.length} models: ${EE_N} dev sentences, batch 1, ${EE_RUNS} rounds`);
const pass = (v, earlyExit) => timed(() => {
  for (const t of eeTexts) v.model.run([t], { earlyExit });
});
const tee = {};
const eeKey = (v, mode) => `${v.id}/${mode}`;
const eeJobs = [[ref, 'off'], ...eeModels.flatMap((v) => (v === ref ? [[v, 'default']] : [[v, 'default'], [v, 'off']]))];
for (const [v, mode] of eeJobs) tee[eeKey(v, mode)] = { cpu: [], wall: [] };
for (let r = -1; r < EE_RUNS; ++r) {
  const order = r % 2 ? [...eeJobs].reverse() : eeJobs;
  for (const [v, mode] of order) {
    const t = pass(v, mode);
    if (r >= 0) {
      tee[eeKey(v, mode)].cpu.push(t.cpu / EE_N);
      tee[eeKey(v, mode)].wall.push(t.wall / EE_N);
    }
  }
}
// Average exit layer of the timed sentences (wasm).
const wasmLayers = (v, earlyExit) => eeTexts.reduce((a, t) => a + v.model.run([t], { earlyExit })[0].exitLayer, 0) / EE_N;

// ------------------------------------------------------------------ 4. results
const refMs = median(t64[REF].cpu);
const refWall = median(t64[REF].wall);
const refEe = median(tee[eeKey(ref, 'off')].cpu);
const refAcc = ref.native.full.accuracy;
const refBytes = ref.info.bytes;
const r3 = (x) => Number(x.toFixed(3));
const r4 = (x) => Number(x.toFixed(4));
const rows = VARIANTS.map((v) => {
  const ms = median(t64[v.id].cpu);
  const row = {
    id: v.id,
    group: v.group,
    what: v.what,
    commands: v.commands,
    file: rel(v.file),
    dtype: v.info.dtype,
    bytes: v.info.bytes,
    size_vs_int8_demo: r4(v.info.bytes / refBytes),
    parameters: v.info.params,
    exit_head_parameters: v.info.exit_head_params,
    layers: v.info.config.num_layers,
    per_layer: v.info.config.layers ?? null,
    embedding_size: v.info.config.embedding_size ?? null,
    build_s: v.build_s ?? null,
    compression_report: v.report ?? null,
    sst2_dev: v.native,
    wasm_native_label_agreement: r4(v.wasmNativeAgreement),
    wasm_1x64: {
      cpu_ms_median: r4(ms),
      wall_ms_median: r4(median(t64[v.id].wall)),
      speed_vs_int8_demo: r3(refMs / ms),
      speed_vs_int8_demo_wall: r3(refWall / median(t64[v.id].wall)),
      // The same ratio per round (both timed within the round), then the median.
      speed_vs_int8_demo_per_round_median: r3(median(t64[v.id].cpu.map((x, i) => t64[REF].cpu[i] / x))),
      cpu_ms_runs: t64[v.id].cpu.map(r4),
    },
  };
  if (v.hasExits && v.eeTime) {
    const d = median(tee[eeKey(v, 'default')].cpu);
    const o = median(tee[eeKey(v, 'off')].cpu);
    row.wasm_early_exit = {
      sentences: EE_N,
      rule: v.info.exit.default_rule,
      default_cpu_ms_per_sentence: r4(d),
      off_cpu_ms_per_sentence: r4(o),
      default_wall_ms_per_sentence: r4(median(tee[eeKey(v, 'default')].wall)),
      off_wall_ms_per_sentence: r4(median(tee[eeKey(v, 'off')].wall)),
      average_layers_default: r3(wasmLayers(v, 'default')),
      speedup_vs_own_full_depth: r3(o / d),
      speed_vs_int8_demo_full_depth: r3(refEe / d),
    };
  }
  const best = row.wasm_early_exit
    ? Math.max(row.wasm_1x64.speed_vs_int8_demo, row.wasm_early_exit.speed_vs_int8_demo_full_depth) : row.wasm_1x64.speed_vs_int8_demo;
  row.target = {
    size_ok: v.info.bytes * 3 <= refBytes,
    accuracy_full_ok: v.native.full.accuracy >= refAcc - 0.02,
    speed_1x64_ok: row.wasm_1x64.speed_vs_int8_demo >= 3,
    full_depth_met: v.info.bytes * 3 <= refBytes && v.native.full.accuracy >= refAcc - 0.02 && row.wasm_1x64.speed_vs_int8_demo >= 3,
  };
  if (row.wasm_early_exit) {
    row.target.early_exit_met = row.target.size_ok && v.native.early_exit.accuracy >= refAcc - 0.02 &&
      row.wasm_early_exit.speed_vs_int8_demo_full_depth >= 3;
  }
  row.target.best_speed = best;
  return row;
});
for (const v of VARIANTS) v.model.dispose();

const cpuModel = (() => {
  try {
    const m = /model name\s*:\s*(.*)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    return m ? m[1].trim() : os.cpus()[0].model;
  } catch {
    return os.cpus()[0].model;
  }
})();
const command = `node bench/compression_bench.mjs${argv.length ? ' ' + argv.map((a) => (path.isAbsolute(a) ? rel(a) : a)).join(' ') : ''}`;
const met = rows.filter((r) => r.target.full_depth_met).map((r) => `${r.id} (full depth)`)
  .concat(rows.filter((r) => r.target.early_exit_met).map((r) => `${r.id} (early exit)`));
const result = {
  what: 'compression variants of the demo model on SST-2 dev (872 sentences): size, parameters, ' +
    'accuracy (native CLI), wasm time at batch 1 x 64 tokens (Node, dist/hummingbert-simd.wasm, 1 thread)',
  command,
  cli: rel(CLI),
  machine: { cpu: cpuModel, nproc: os.availableParallelism?.() ?? os.cpus().length, shared: true,
    loadavg_start: LOAD_START,
    loadavg_end: os.loadavg().map((x) => Number(x.toFixed(2))), node: process.version, platform: `${os.platform()} ${os.arch()}` },
  timing: {
    clock: 'CPU time of the process (process.cpuUsage), wall time also given',
    batch1x64: { runs: RUNS, warmup_rounds: WARMUP, calls_per_run: CALLS, text_tokens: 64,
      note: 'every round times every model, order reversed on odd rounds; figure = median over rounds of the mean per call' },
    early_exit: { sentences: EE_N, runs: EE_RUNS, warmup_rounds: 1, batch: 1,
      note: 'first N SST-2 dev sentences one at a time; reference = int8 demo at full depth on the same sentences' },
  },
  reference: { id: REF, bytes: refBytes, accuracy: refAcc, wasm_1x64_cpu_ms: r4(refMs), early_exit_reference_cpu_ms_per_sentence: r4(refEe) },
  target: {
    goal: '>= 3x faster than the int8 demo model, <= 1/3 of its size, within 2 points of its (full-depth) accuracy',
    met: met.length > 0,
    met_by: met,
  },
  prune_data: 'first 512 sentences of SST-2 train',
  calibrate_data: 'SST-2 train, --max-examples 4000, --max-drop 0.005',
  dist_wasm: (() => {
    const st = fs.statSync(abs('dist/hummingbert-simd.wasm'));
    return { file: 'dist/hummingbert-simd.wasm', bytes: st.size, mtime: st.mtime.toISOString() };
  })(),
  elapsed_s: Math.round((Date.now() - T_START) / 1000),
  variants: rows,
};
const outDir = abs(opts.out);
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'compression.json'), JSON.stringify(result, null, 1) + '\n');

// Markdown
const pct = (x) => (100 * x).toFixed(2);
const mb = (b) => (b / 1e6).toFixed(2);
const x2 = (x) => `${x.toFixed(2)}×`;
const lines = [];
lines.push(`| variant | file MB (× int8 demo) | params M | SST-2 dev (full depth) | wasm 1×64 ms | speed vs int8 demo |`);
lines.push('|---|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const mark = r.target.full_depth_met ? ' **✓**' : '';
  lines.push(`| ${r.what}${mark} | ${mb(r.bytes)} (${r.size_vs_int8_demo.toFixed(2)}) | ${(r.parameters / 1e6).toFixed(2)} | ` +
    `${pct(r.sst2_dev.full.accuracy)}% | ${r.wasm_1x64.cpu_ms_median.toFixed(3)} | ${x2(r.wasm_1x64.speed_vs_int8_demo)} |`);
}
const ee = [];
ee.push(`| variant (default exit rule) | file MB | SST-2 dev, exit (avg layers) | ms/sentence exit / full depth | vs own full depth | speed vs int8 demo full depth |`);
ee.push('|---|---:|---:|---:|---:|---:|');
for (const r of rows.filter((x) => x.sst2_dev.early_exit)) {
  const a = r.sst2_dev.early_exit;
  const e = r.wasm_early_exit;
  const rule = a.rule.type === 'patience' ? `patience ${a.rule.k}` : `${a.rule.type} ${Number(a.rule.threshold.toFixed(3))}`;
  const mark = r.target.early_exit_met ? ' **✓**' : '';
  const timing = e
    ? `${e.default_cpu_ms_per_sentence.toFixed(3)} / ${e.off_cpu_ms_per_sentence.toFixed(3)} | ${x2(e.speedup_vs_own_full_depth)} | ${x2(e.speed_vs_int8_demo_full_depth)}`
    : 'not timed | – | –';
  ee.push(`| ${r.what}, ${rule}${mark} | ${mb(r.bytes)} | ${pct(a.accuracy)}% (${a.average_layers.toFixed(2)} of ${r.layers}) | ${timing} |`);
}
const machine = `${result.machine.cpu}, nproc ${result.machine.nproc} (shared), Node ${process.version}`;
const targetLine = met.length
  ? `Target (≥ 3× faster than the int8 demo model, ≤ 1/3 of its size, ≥ ${pct(refAcc - 0.02)}% dev): **met** by ${met.join(', ')} (✓).`
  : `Target (≥ 3× faster than the int8 demo model, ≤ 1/3 of its size, ≥ ${pct(refAcc - 0.02)}% dev): **not met** by any variant.`;
const md = [
  `# Compression (SST-2 dev, ${dev.length} sentences)`,
  '',
  `Command: \`${command}\` (${result.elapsed_s} s). Machine: ${machine}.`,
  `wasm: dist/hummingbert-simd.wasm (1 thread) in Node, CPU ms per \`run\` call (tokenization included), ` +
    `median of ${RUNS} interleaved rounds × ${CALLS} calls; accuracy: native CLI. Reference (int8 demo): ` +
    `${mb(refBytes)} MB, ${pct(refAcc)}%, ${refMs.toFixed(3)} ms at 1×64.`,
  '',
  ...lines,
  '',
  `Early exit (wasm, the first ${EE_N} dev sentences one at a time, ${EE_RUNS} rounds; accuracy on all ${dev.length}):`,
  '',
  ...ee,
  '',
  targetLine,
  '',
].join('\n');
fs.writeFileSync(path.join(outDir, 'compression.md'), md);
console.log(md);
log(`wrote ${rel(path.join(outDir, 'compression.json'))} and compression.md`);
