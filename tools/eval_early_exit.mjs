#!/usr/bin/env node
// Early-exit proof on SST-2 dev with the native CLI (node 20, no dependencies):
//  1. the demo model's trained exit heads: full-depth accuracy and a threshold sweep per rule
//     (entropy 0..0.7, max-prob 0.5..0.999, patience 1..4), each point a real `hummingbert run`;
//     -> bench/results/early_exit_sweep.json and the chart bench/results/early_exit_curve.svg.
//  2. calibrate-exits: the demo model without its heads, calibrated on SST-2 train
//     (--max-examples 4000), compared with the trained heads on dev at the same accuracy drop;
//     -> bench/results/calibrate_exits.json.
//
// usage: node tools/eval_early_exit.mjs [--cli build-cal/hummingbert] [--model web-demo/model]
//          [--dev DEV.tsv] [--train TRAIN.tsv] [--out bench/results] [--max-examples 4000]
//          [--threads 2]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The repository root; ../shared (the data sets) sits beside it.
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const args = parseArgs(process.argv.slice(2), {
  cli: 'build-cal/hummingbert',
  model: 'web-demo/model',
  dev: path.resolve(REPO_ROOT, '..', 'shared', 'data', 'sst2', 'dev.tsv'),
  train: path.resolve(REPO_ROOT, '..', 'shared', 'data', 'sst2', 'train.tsv'),
  out: 'bench/results',
  'max-examples': '4000',
  threads: '2',
});

const GRIDS = {
  entropy: [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7],
  'max-prob': [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995, 0.999],
  patience: [1, 2, 3, 4],
};

function parseArgs(argv, defaults) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in defaults) || i + 1 >= argv.length) {
      console.error(`unknown or incomplete option '${argv[i]}'; options: ${Object.keys(defaults).join(', ')}`);
      process.exit(2);
    }
    out[key] = argv[i + 1];
  }
  return out;
}

function readTsv(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
  const rows = lines.slice(1).map((l) => {
    const tab = l.lastIndexOf('\t');
    return { text: l.slice(0, tab), label: Number(l.slice(tab + 1)) };
  });
  return rows;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-early-exit-'));
const dev = readTsv(args.dev);
const devFile = path.join(tmp, 'dev.txt');
fs.writeFileSync(devFile, dev.map((r) => r.text).join('\n') + '\n');

function runCli(model, extra) {
  const out = execFileSync(args.cli, ['run', '--model', model, '--input', devFile,
    '--threads', args.threads, ...extra], { maxBuffer: 1 << 30, encoding: 'utf8' });
  return out.trim().split('\n').map((l) => JSON.parse(l));
}

function labelIds(model) {
  const config = JSON.parse(fs.readFileSync(path.join(model, 'config.json'), 'utf8'));
  const ids = {};
  for (const [id, name] of Object.entries(config.id2label)) ids[name] = Number(id);
  return ids;
}

// Accuracy and average exit layer of one CLI run.
function score(outputs, ids) {
  let correct = 0;
  let layers = 0;
  outputs.forEach((o, i) => {
    correct += ids[o.label] === dev[i].label ? 1 : 0;
    layers += o.exit_layer;
  });
  return { accuracy: correct / dev.length, average_layers: layers / dev.length };
}

function ruleArgs(rule, value) {
  return rule === 'patience'
    ? ['--early-exit', 'patience', '--exit-patience', String(value)]
    : ['--early-exit', rule, '--exit-threshold', String(value)];
}

// --- Simulation from every head's logits (one run that never exits), as ShouldExit decides.
function headsOf(model) {
  // entropy < 0 never holds: every head is evaluated and reported.
  return runCli(model, ['--early-exit', 'entropy', '--exit-threshold', '0']).map((o) => o.layers);
}
function stats(logits) {
  const mx = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - mx));
  const sum = e.reduce((a, b) => a + b, 0);
  let entropy = 0;
  for (const v of e) {
    const p = v / sum;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return { entropy, maxProb: 1 / sum, argmax: logits.indexOf(mx) };
}
function simulate(heads, rule, value, ids) {
  let correct = 0;
  let layers = 0;
  heads.forEach((hs, i) => {
    const preds = [];
    for (let h = 0; h < hs.length; ++h) {
      const s = stats(hs[h].logits);
      let leave = h + 1 === hs.length;
      if (!leave && rule === 'entropy') leave = s.entropy < Math.fround(value);
      if (!leave && rule === 'max-prob') leave = s.maxProb >= Math.fround(value);
      if (!leave && rule === 'patience') {
        let run = 1;
        for (let j = preds.length - 1; j >= 0 && preds[j] === s.argmax; --j) ++run;
        leave = run >= value;
      }
      preds.push(s.argmax);
      if (leave) {
        correct += s.argmax === dev[i].label ? 1 : 0;
        layers += hs[h].layer;
        break;
      }
    }
  });
  void ids;
  return { accuracy: correct / heads.length, average_layers: layers / heads.length };
}
// Fewest average layers whose accuracy stays >= fullAccuracy - drop, over every distinct entropy
// threshold on dev (an oracle choice, the same for both head sets).
function bestAtDrop(heads, fullAccuracy, drop, ids) {
  const values = new Set([0]);
  for (const hs of heads) for (const h of hs.slice(0, -1)) values.add(stats(h.logits).entropy);
  const sorted = [...values].sort((a, b) => a - b);
  let best = { threshold: 0, accuracy: fullAccuracy, average_layers: heads[0].length ? 4 : 0 };
  best = { threshold: 0, ...simulate(heads, 'entropy', 0, ids) };
  for (let j = 0; j < sorted.length; ++j) {
    const t = j + 1 < sorted.length ? (sorted[j] + sorted[j + 1]) / 2 : sorted[j] + 1;
    const r = simulate(heads, 'entropy', t, ids);
    if (r.accuracy >= fullAccuracy - drop - 1e-12 && r.average_layers < best.average_layers) {
      best = { threshold: t, ...r };
    }
  }
  return best;
}

// --- 1. Trained heads: sweeps.
const ids = labelIds(args.model);
const full = score(runCli(args.model, ['--early-exit', 'off']), ids);
const defaultRun = score(runCli(args.model, ['--early-exit', 'default']), ids);
const exitConfig = JSON.parse(fs.readFileSync(path.join(args.model, 'exit_config.json'), 'utf8'));
console.error(`full depth: accuracy ${full.accuracy.toFixed(4)}; default rule: ` +
  `${defaultRun.accuracy.toFixed(4)} at ${defaultRun.average_layers.toFixed(3)} layers`);
const trainedHeads = headsOf(args.model);

function sweepModel(model, heads, modelIds) {
  const sweeps = {};
  let mismatches = 0;
  for (const [rule, grid] of Object.entries(GRIDS)) {
    sweeps[rule] = grid.map((value) => {
      const r = score(runCli(model, ruleArgs(rule, value)), modelIds);
      const sim = simulate(heads, rule, value, modelIds);
      if (Math.abs(sim.accuracy - r.accuracy) > 1e-12 ||
          Math.abs(sim.average_layers - r.average_layers) > 1e-12) {
        ++mismatches;
      }
      console.error(`  ${rule} ${value}: accuracy ${r.accuracy.toFixed(4)}, ` +
        `${r.average_layers.toFixed(3)} layers`);
      return { [rule === 'patience' ? 'k' : 'threshold']: value, ...r };
    });
  }
  return { sweeps, mismatches };
}
console.error('sweeping the trained heads');
const trained = sweepModel(args.model, trainedHeads, ids);

// --- 2. calibrate-exits on train, compared on dev.
const bare = path.join(tmp, 'no-exit-heads');
fs.mkdirSync(bare);
for (const f of fs.readdirSync(args.model)) {
  if (f === 'exit_config.json' || f === 'exit_heads.safetensors') continue;
  fs.copyFileSync(path.join(args.model, f), path.join(bare, f));
}
const calibrated = path.join(tmp, 'calibrated');
const calibrateArgs = ['calibrate-exits', bare, '--data', args.train, '-o', calibrated,
  '--max-examples', args['max-examples'], '--threads', args.threads];
console.error(`hummingbert ${calibrateArgs.join(' ')}`);
const t0 = process.hrtime.bigint();
const report = JSON.parse(execFileSync(args.cli, calibrateArgs,
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
const calibrateSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
const calFull = score(runCli(calibrated, ['--early-exit', 'off']), ids);
const calDefault = score(runCli(calibrated, ['--early-exit', 'default']), ids);
const calHeads = headsOf(calibrated);
console.error('sweeping the calibrated heads');
const cal = sweepModel(calibrated, calHeads, ids);

const layersOf = (heads) => heads[0][heads[0].length - 1].layer;
const numLayers = layersOf(trainedHeads);
const trainedDrop = Math.max(0, full.accuracy - defaultRun.accuracy);
const comparisons = [];
for (const drop of [trainedDrop, 0.005, 0.01, 0.02]) {
  const t = bestAtDrop(trainedHeads, full.accuracy, drop, ids);
  const c = bestAtDrop(calHeads, full.accuracy, drop, ids);
  const savedT = numLayers - t.average_layers;
  const savedC = numLayers - c.average_layers;
  comparisons.push({
    max_dev_drop: drop,
    trained: { ...t, layers_saved: savedT },
    calibrated: { ...c, layers_saved: savedC },
    calibrated_over_trained_speedup: savedT > 0 ? savedC / savedT : null,
  });
}
const asShipped = {
  trained_default: { rule: exitConfig.default_rule, ...defaultRun,
    layers_saved: numLayers - defaultRun.average_layers },
  calibrated_default: { rule: { type: report.rule.type, threshold: report.rule.threshold },
    ...calDefault, layers_saved: numLayers - calDefault.average_layers },
};
asShipped.calibrated_over_trained_speedup =
  asShipped.calibrated_default.layers_saved / asShipped.trained_default.layers_saved;

fs.mkdirSync(args.out, { recursive: true });
const sweepJson = {
  what: 'SST-2 dev (872 sentences), web-demo/model, native CLI `hummingbert run`, one run per point',
  cli: args.cli,
  full_depth: full,
  default_rule: { rule: exitConfig.default_rule, ...defaultRun },
  trained_heads: trained.sweeps,
  calibrated_heads: cal.sweeps,
  simulation_mismatches: trained.mismatches + cal.mismatches,
};
fs.writeFileSync(path.join(args.out, 'early_exit_sweep.json'), JSON.stringify(sweepJson, null, 1) + '\n');
const calJson = {
  what: 'calibrate-exits on SST-2 train (the demo model without its exit heads), evaluated on SST-2 dev',
  // Paths relative to the repository root: a machine's own paths never go into the results.
  command: `hummingbert ${calibrateArgs.map((a) => a.startsWith(tmp) ? a.replace(tmp, '$TMP') : path.isAbsolute(a) ? path.relative(REPO_ROOT, a) : a).join(' ')}`,
  calibrate_seconds: calibrateSeconds,
  calibration_report: report,
  dev: {
    full_depth: calFull,
    per_layer_accuracy: calHeads[0].map((h, j) => ({
      layer: h.layer,
      calibrated: calHeads.filter((hs, i) => stats(hs[j].logits).argmax === dev[i].label).length / dev.length,
      trained: trainedHeads.filter((hs, i) => stats(hs[j].logits).argmax === dev[i].label).length / dev.length,
    })),
    as_shipped: asShipped,
    at_matched_drop: comparisons,
    goal: 'calibrated heads reach >= 70% of the trained heads\' speed-up (layers saved) at the same accuracy drop',
  },
};
fs.writeFileSync(path.join(args.out, 'calibrate_exits.json'), JSON.stringify(calJson, null, 1) + '\n');
fs.writeFileSync(path.join(args.out, 'early_exit_curve.svg'), chart(sweepJson));
fs.rmSync(tmp, { recursive: true, force: true });
console.error(`wrote ${args.out}/early_exit_sweep.json, early_exit_curve.svg, calibrate_exits.json`);
console.error(JSON.stringify(comparisons.map((c) => ({ drop: c.max_dev_drop,
  ratio: c.calibrated_over_trained_speedup })), null, 0));

// --- The chart: accuracy against average layers, one line per rule (hand-written SVG).
function chart(s) {
  const W = 760;
  const H = 500;
  const m = { l: 70, r: 210, t: 40, b: 60 };
  const series = [];
  const colors = { entropy: '#1f77b4', 'max-prob': '#ff7f0e', patience: '#2ca02c' };
  for (const [rule, pts] of Object.entries(s.trained_heads)) {
    series.push({ name: `${rule} (trained heads)`, color: colors[rule], dash: '', pts });
  }
  for (const [rule, pts] of Object.entries(s.calibrated_heads)) {
    series.push({ name: `${rule} (calibrated)`, color: colors[rule], dash: '6 4', pts });
  }
  const all = series.flatMap((x) => x.pts);
  const yMin = Math.floor(Math.min(...all.map((p) => p.accuracy)) * 50) / 50;
  const yMax = Math.ceil(Math.max(...all.map((p) => p.accuracy), s.full_depth.accuracy) * 100) / 100;
  const xMin = 1;
  const xMax = 4;
  const X = (v) => m.l + ((v - xMin) / (xMax - xMin)) * (W - m.l - m.r);
  const Y = (v) => H - m.b - ((v - yMin) / (yMax - yMin)) * (H - m.t - m.b);
  const f = (v) => v.toFixed(1);
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${(m.l + W - m.r) / 2}" y="22" text-anchor="middle" font-size="14">Early exit on SST-2 dev: accuracy vs average layers (demo model, 4 layers)</text>`);
  for (let x = xMin; x <= xMax + 1e-9; x += 0.5) {
    out.push(`<line x1="${f(X(x))}" y1="${m.t}" x2="${f(X(x))}" y2="${H - m.b}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${f(X(x))}" y="${H - m.b + 16}" text-anchor="middle">${x.toFixed(1)}</text>`);
  }
  for (let y = yMin; y <= yMax + 1e-9; y += 0.01) {
    out.push(`<line x1="${m.l}" y1="${f(Y(y))}" x2="${W - m.r}" y2="${f(Y(y))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${m.l - 6}" y="${f(Y(y) + 4)}" text-anchor="end">${(y * 100).toFixed(0)}%</text>`);
  }
  out.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 18}" text-anchor="middle">average encoder layers per sentence (of 4)</text>`);
  out.push(`<text transform="translate(18 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">dev accuracy</text>`);
  const fy = Y(s.full_depth.accuracy);
  out.push(`<line x1="${m.l}" y1="${f(fy)}" x2="${W - m.r}" y2="${f(fy)}" stroke="#777" stroke-dasharray="2 3"/>`);
  out.push(`<text x="${m.l + 4}" y="${f(fy - 4)}" fill="#555">full depth ${(s.full_depth.accuracy * 100).toFixed(2)}%</text>`);
  for (const se of series) {
    const pts = [...se.pts].sort((a, b) => a.average_layers - b.average_layers);
    const d = pts.map((p, i) => `${i ? 'L' : 'M'}${f(X(p.average_layers))},${f(Y(p.accuracy))}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${se.color}" stroke-width="2"${se.dash ? ` stroke-dasharray="${se.dash}"` : ''}/>`);
    for (const p of pts) {
      out.push(`<circle cx="${f(X(p.average_layers))}" cy="${f(Y(p.accuracy))}" r="2.5" fill="${se.color}"/>`);
    }
  }
  const dp = s.default_rule;
  out.push(`<path d="M${f(X(dp.average_layers))},${f(Y(dp.accuracy) - 7)} l6,10 h-12 z" fill="black"/>`);
  const lx = W - m.r + 14;
  series.forEach((se, i) => {
    const y = m.t + 10 + i * 20;
    out.push(`<line x1="${lx}" y1="${y}" x2="${lx + 28}" y2="${y}" stroke="${se.color}" stroke-width="2"${se.dash ? ` stroke-dasharray="${se.dash}"` : ''}/>`);
    out.push(`<text x="${lx + 34}" y="${y + 4}">${se.name}</text>`);
  });
  const ty = m.t + 10 + series.length * 20;
  out.push(`<path d="M${lx + 14},${ty - 6} l6,10 h-12 z" fill="black"/>`);
  out.push(`<text x="${lx + 34}" y="${ty + 4}">shipped default rule</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
