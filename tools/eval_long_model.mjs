#!/usr/bin/env node
// Long-document accuracy on IMDB test (or 20 Newsgroups test, --dataset 20ng) with the native CLI
// (node 20, no dependencies): the long model (tools/train_long_model.py -> web-demo/long-model ->
// `hummingbert convert ... --attention-window 256`) run three ways on the same texts:
//   sparse   --attention sliding-window --window 256 --max-length 2048   (the whole text; longer
//            texts are truncated at 2048 tokens (--max-length; 20ng: 4096) and counted)
//   truncate --attention dense --max-length 512                           (first 510 word pieces)
//   chunk    --attention dense --long-input chunk --max-length 512        (overlapping 512 windows)
// plus, with --extra 1, the same two 512-token baselines with sliding-window attention (the
// attention the model was trained with), which separates "less text" from "other attention".
// Reviews are cleaned as in training ('<br />' -> ' ', newlines -> ' '); 20 Newsgroups posts are
// taken whole, headers included, with '\r' and '\n' -> ' ' (as tools/train_long_model.py --dataset 20ng).
// Before the test run, a parity check: the fp32 conversion vs the PyTorch goldens in
// <hf>/dev_predictions.json (ids and logits, sliding-window and dense).
//
// usage: node tools/eval_long_model.mjs [--dataset imdb|20ng] [--cli build/hummingbert]
//          [--model /tmp/long.hbm] [--fp32-model /tmp/long_fp32.hbm] [--hf web-demo/long-model]
//          [--max-length 2048 (imdb) | 4096 (20ng)] [--subset all|N] [--threads 2] [--batch-size 8]
//          [--extra 0|1] [--modes a,b] [--out bench/results/long_document.json]
// --cli: the native CLI (any build of the `hummingbert` target, e.g. build/hummingbert).
// --subset N (imdb only): a fixed stratified subset: the reviews with id % (12500 / (N / 2)) == 0 in
// each label (test ids are 0..12499 per label), so N/2 positive + N/2 negative. Default: all.
// --limit N: a smoke test on every (n/N)-th test text only (not for reported numbers).
// Labels are compared by name: the CLI prints the model's id2label name, the data's label index is
// mapped through <hf>/config.json's id2label.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const args = parseArgs(process.argv.slice(2), {
  dataset: 'imdb',
  'max-length': '',
  cli: 'build/hummingbert',
  model: '/tmp/long.hbm',
  'fp32-model': '/tmp/long_fp32.hbm',
  hf: 'web-demo/long-model',
  subset: 'all',
  threads: '2',
  'batch-size': '8',
  extra: '0',
  modes: '',
  limit: '0',
  out: 'bench/results/long_document.json',
});
if (!['imdb', '20ng'].includes(args.dataset)) {
  console.error(`--dataset must be imdb or 20ng, not '${args.dataset}'`);
  process.exit(2);
}
const IS_20NG = args.dataset === '20ng';
const DATA = path.resolve(REPO_ROOT, '..', 'shared', 'data', IS_20NG ? '20newsgroups' : 'imdb');
const MAX_LEN = args['max-length'] || (IS_20NG ? '4096' : '2048');
const ID2LABEL = JSON.parse(fs.readFileSync(path.join(args.hf, 'config.json'), 'utf8')).id2label;

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

const clean = IS_20NG ? (t) => t.replace(/[\r\n]/g, ' ')
  : (t) => t.replace(/<br \/>|<br\/>|<br>/g, ' ').replace(/[\r\n]/g, ' ');

function readJsonlGz(file) {
  return zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n')
    .filter((l) => l.length > 0).map((l) => JSON.parse(l));
}

// Runs the CLI over `texts` (one process), returns the parsed JSON lines in input order and the
// wall-clock seconds. Texts are sent sorted by length (so that batches pad little) and mapped back.
function runCli(model, texts, flags) {
  const order = texts.map((t, i) => i).sort((a, b) => texts[a].length - texts[b].length);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-long-'));
  const input = path.join(tmp, 'input.txt');
  fs.writeFileSync(input, order.map((i) => texts[i]).join('\n') + '\n');
  const argv = ['run', '--model', model, '--input', input, '--threads', args.threads,
    '--batch-size', args['batch-size'], ...flags];
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const p = spawn(args.cli, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = new Array(texts.length);
    let k = 0;
    let buf = '';
    let errText = '';
    p.stdout.on('data', (d) => {
      buf += d.toString('utf8');
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.length === 0) continue;
        const o = JSON.parse(line);
        out[order[k++]] = { label: o.label, probs: o.probs, logits: o.logits, attention: o.attention, n: o.ids.length, ids: o.ids };
        if (k % 2500 === 0) process.stderr.write(`  ${k}/${texts.length}\n`);
      }
    });
    p.stderr.on('data', (d) => { errText += d.toString('utf8'); });
    p.on('close', (code) => {
      fs.rmSync(tmp, { recursive: true, force: true });
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      if (code !== 0 || k !== texts.length) reject(new Error(`${args.cli} ${argv.join(' ')}: exit ${code}, ${k} of ${texts.length} lines\n${errText}`));
      else resolve({ results: out, seconds: secs, command: `${args.cli} ${argv.map((a) => (a === input ? 'TEXTS.txt' : a)).join(' ')}` });
    });
  });
}

async function parity() {
  const gold = JSON.parse(fs.readFileSync(path.join(args.hf, 'dev_predictions.json'), 'utf8')).predictions;
  const train = readJsonlGz(path.join(DATA, 'train.jsonl.gz'));
  // 20ng goldens name their line in train.jsonl.gz; IMDB's index the dev fold (fold 0)
  const texts = IS_20NG ? gold.map((g) => clean(train[g.train_index].text))
    : ((dev) => gold.map((g) => clean(dev[g.dev_index].text)))(train.filter((r) => r.fold === 0));
  const res = {};
  for (const [name, flags, key] of [
    ['sliding_window', ['--attention', 'sliding-window', '--window', '256', '--max-length', MAX_LEN], 'logits_sliding_window'],
    ['dense', ['--attention', 'dense', '--max-length', MAX_LEN], 'logits_dense'],
  ]) {
    const r = await runCli(args['fp32-model'], texts, flags);
    let idsMatch = 0;
    let maxDiff = 0;
    let labelMatch = 0;
    r.results.forEach((o, i) => {
      const g = gold[i];
      if (o.ids.length === g.input_ids.length && o.ids.every((v, j) => v === g.input_ids[j])) idsMatch++;
      const d = Math.max(...o.logits.map((v, j) => Math.abs(v - g[key][j])));
      maxDiff = Math.max(maxDiff, d);
      if (argmax(o.logits) === argmax(g[key])) labelMatch++;
    });
    res[name] = { texts: gold.length, ids_match: idsMatch, max_abs_logit_diff_vs_pytorch_fp32: Number(maxDiff.toPrecision(4)),
      same_label: labelMatch, attention_reported: r.results[0].attention, command: r.command };
    console.error(`parity ${name}: ${JSON.stringify(res[name])}`);
  }
  return res;
}

const argmax = (v) => v.reduce((b, x, i) => (x > v[b] ? i : b), 0);

function pickSubset(rows) {
  if (args.subset === 'all') return { rows, rule: IS_20NG ? `all ${rows.length} test posts` : 'all 25,000 test reviews' };
  if (IS_20NG) throw new Error('--subset N is for imdb only');
  const n = Number(args.subset);
  const step = Math.round(12500 / (n / 2));
  return { rows: rows.filter((r) => r.id % step === 0), rule: `test reviews with id % ${step} == 0 in each label` };
}

async function main() {
  const report = {
    description: `${IS_20NG ? '20 Newsgroups' : 'IMDB'} test accuracy of the long-document model (${args.hf}, int8 .hbm) with the native CLI: ` +
      'sliding-window attention over the whole text vs truncation to 512 vs chunking at 512',
    model: { hf_folder: args.hf, file: args.model, convert: `hummingbert convert ${args.hf} -o ${args.model} --dtype int8 --attention-window 256`,
      file_bytes: fs.statSync(args.model).size, training: `tools/train_long_model.py${IS_20NG ? ' --dataset 20ng' : ''} (see report.json in the model folder)` },
    machine: `${os.cpus()[0].model}, ${os.cpus().length} cores visible; --threads ${args.threads}; node ${process.version}`,
    preprocessing: IS_20NG ? "the whole post, headers included; '\\r', '\\n' -> ' ' (as in training)"
      : "'<br />' -> ' ', newlines -> ' ' (as in training)",
  };
  try {
    report.parity_fp32_vs_pytorch = await parity();
  } catch (e) {
    report.parity_error = String(e).slice(0, 2000);
    console.error(e);
  }

  const test = readJsonlGz(path.join(DATA, 'test.jsonl.gz'));
  let { rows, rule } = pickSubset(test);
  if (Number(args.limit) > 0) {
    const step = Math.max(1, Math.floor(rows.length / Number(args.limit)));
    rows = rows.filter((_, i) => i % step === 0).slice(0, Number(args.limit));
    rule += `; SMOKE TEST: every ${step}th of those, ${rows.length} texts`;
  }
  const texts = rows.map((r) => clean(r.text));
  const labels = rows.map((r) => r.label);
  report.data = { dataset: args.dataset, split: 'test', rule, n: rows.length };
  if (IS_20NG) report.data.per_label = Object.keys(ID2LABEL).map((k) => labels.filter((y) => y === Number(k)).length);
  else report.data.positive = labels.filter((y) => y === 1).length;
  const modes = [
    ['sparse_whole_text', ['--attention', 'sliding-window', '--window', '256', '--max-length', MAX_LEN],
      `sliding-window attention (w 256, global [CLS]) over the whole text (truncated at ${MAX_LEN} tokens)`],
    ['dense_truncate_512', ['--attention', 'dense', '--max-length', '512'], 'dense attention, truncated to 512 tokens'],
    ['dense_chunk_512', ['--attention', 'dense', '--long-input', 'chunk', '--max-length', '512'],
      'dense attention, overlapping 512-token windows (stride 256), logits averaged'],
  ];
  if (args.extra === '1') {
    modes.push(['sparse_truncate_512', ['--attention', 'sliding-window', '--window', '256', '--max-length', '512'],
      'sliding-window attention, truncated to 512 tokens']);
    modes.push(['sparse_chunk_512', ['--attention', 'sliding-window', '--window', '256', '--long-input', 'chunk', '--max-length', '512'],
      'sliding-window attention, overlapping 512-token windows, logits averaged']);
  }
  const only = args.modes ? new Set(args.modes.split(',')) : null;
  report.results = {};
  let fullLen = null;
  for (const [name, flags, what] of modes) {
    if (only && !only.has(name)) continue;
    console.error(`${name}: ${rows.length} texts`);
    const r = await runCli(args.model, texts, flags);
    const ok = r.results.map((o, i) => o.label === ID2LABEL[String(labels[i])]);
    const attn = {};
    const lens = r.results.map((o) => {
      const m = /truncated\((\d+) of (\d+)\)/.exec(o.attention || '');
      return m ? Number(m[2]) : null;
    });
    r.results.forEach((o) => {
      const key = (o.attention || '').replace(/\d+/g, 'N');
      attn[key] = (attn[key] || 0) + 1;
    });
    if (name === 'dense_truncate_512') fullLen = lens.map((v, i) => v ?? r.results[i].n);
    const acc = ok.filter(Boolean).length / ok.length;
    report.results[name] = {
      what, accuracy: Number(acc.toFixed(5)), correct: ok.filter(Boolean).length, n: ok.length,
      texts_truncated: lens.filter((v) => v !== null).length,
      attention_reported: attn, seconds: Number(r.seconds.toFixed(1)),
      ms_per_text: Number((1000 * r.seconds / rows.length).toFixed(2)), command: r.command,
    };
    report.results[name]._ok = ok;
    console.error(`${name}: accuracy ${acc.toFixed(4)} (${r.seconds.toFixed(1)} s) ${JSON.stringify(attn)}`);
  }
  if (fullLen) {
    const long = fullLen.map((n) => n > 512);
    report.data.texts_over_512_tokens = long.filter(Boolean).length;
    report.data.texts_over_2048_tokens = fullLen.filter((n) => n > 2048).length;
    if (IS_20NG) {
      report.data.texts_over_1024_tokens = fullLen.filter((n) => n > 1024).length;
      report.data.texts_over_4096_tokens = fullLen.filter((n) => n > 4096).length;
    }
    const frac = (a) => Number((a.filter(Boolean).length / Math.max(1, a.length)).toFixed(5));
    for (const v of Object.values(report.results)) {
      v.accuracy_over_512_tokens = frac(v._ok.filter((_, i) => long[i]));
      v.accuracy_up_to_512_tokens = frac(v._ok.filter((_, i) => !long[i]));
      if (IS_20NG) {
        for (const n of [1024, 2048, 4096]) v[`accuracy_over_${n}_tokens`] = frac(v._ok.filter((_, i) => fullLen[i] > n));
      }
    }
  }
  for (const v of Object.values(report.results)) delete v._ok;
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, JSON.stringify(report, null, 1) + '\n');
  console.error(`wrote ${args.out}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
