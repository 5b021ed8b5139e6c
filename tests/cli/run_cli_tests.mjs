#!/usr/bin/env node
// End-to-end tests of the CLI contract (`hummingbert run` / `tokenize`) against the HF goldens,
// and of its error behaviour. Works for the native binary and for the npm CLI (a .js path is run
// with node), so both front ends are held to the same contract.
//
// usage: node tests/cli/run_cli_tests.mjs <hummingbert binary | js/cli.js> <tests/fixtures>
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [bin, fixtures] = process.argv.slice(2);
if (!bin || !fixtures) {
  console.error('usage: run_cli_tests.mjs <hummingbert> <fixtures dir>');
  process.exit(2);
}
const TOL = 1e-4;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-cli-'));
let failures = 0;
let checks = 0;

function cli(args, input) {
  const cmd = bin.endsWith('.js') || bin.endsWith('.mjs') ? process.execPath : bin;
  const argv = cmd === bin ? args : [bin, ...args];
  const r = spawnSync(cmd, argv, { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function check(cond, what) {
  checks++;
  if (!cond) {
    failures++;
    console.error('FAIL:', what);
  }
}

function maxAbsDiff(a, b) {
  const fa = a.flat(), fb = b.flat();
  if (fa.length !== fb.length) return Infinity;
  let m = 0;
  for (let i = 0; i < fa.length; i++) m = Math.max(m, Math.abs(fa[i] - fb[i]));
  return m;
}

const oneLine = (t) => !/[\n\r\u0085\u2028\u2029]/.test(t);

function writeLines(name, lines) {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, lines.map((l) => l + '\n').join(''));
  return p;
}

// ---- run: every model, every single-line case (plus pairs where the golden has them).
for (const model of fs.readdirSync(path.join(fixtures, 'models')).sort()) {
  const dir = path.join(fixtures, 'models', model);
  const golden = JSON.parse(fs.readFileSync(path.join(dir, 'golden.json'), 'utf8'));
  for (const pairs of [false, true]) {
    const cases = golden.cases.filter((c) => ('pair' in c) === pairs && oneLine(c.text) &&
        (!pairs || (oneLine(c.pair) && !c.text.includes('\t') && !c.pair.includes('\t'))));
    if (!cases.length) continue;
    const input = writeLines(`${model}-${pairs}.txt`,
                             cases.map((c) => (pairs ? `${c.text}\t${c.pair}` : c.text)));
    const r = cli(['run', '--model', dir, '--input', input, ...(pairs ? ['--pairs'] : [])]);
    check(r.code === 0, `${model} run exit code ${r.code}: ${r.stderr}`);
    const lines = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    check(lines.length === cases.length, `${model}: ${lines.length} lines for ${cases.length} texts`);
    let worst = 0, idsOk = true;
    lines.forEach((o, i) => {
      const c = cases[i];
      if (JSON.stringify(o.ids) !== JSON.stringify(c.ids)) idsOk = false;
      for (const k of ['logits', 'probs', 'cls', 'mean', 'pooler']) {
        if (k in c) worst = Math.max(worst, maxAbsDiff(o[k] ?? [], c[k]));
        else if (k === 'pooler') check(!('pooler' in o), `${model}: unexpected pooler`);
      }
      if ('probs' in c) check(typeof o.label === 'string', `${model}: label is a string`);
      if ('tokens' in c) check(JSON.stringify(o.tokens) === JSON.stringify(c.tokens), `${model}: tokens`);
    });
    check(idsOk, `${model}${pairs ? ' pairs' : ''}: ids identical`);
    check(worst <= TOL, `${model}${pairs ? ' pairs' : ''}: max |diff| ${worst} <= ${TOL}`);
    console.log(`run ${model}${pairs ? ' --pairs' : ''}: ${cases.length} texts, max |diff| ${worst.toExponential(2)}`);
  }
}

// ---- tokenize --vocab: tokenizer goldens (single texts with the default max length).
for (const [name, cased] of [['uncased', false], ['cased', true]]) {
  const g = JSON.parse(fs.readFileSync(path.join(fixtures, 'tokenizer', `golden_${name}.json`), 'utf8'));
  const cases = g.cases.filter((c) => !('pair' in c) && !('max_length' in c) && oneLine(c.text));
  const input = writeLines(`tok-${name}.txt`, cases.map((c) => c.text));
  const r = cli(['tokenize', '--vocab', path.join(fixtures, 'tokenizer', g.vocab), '--input', input,
                 ...(cased ? ['--cased'] : [])]);
  check(r.code === 0, `tokenize ${name} exit ${r.code}: ${r.stderr}`);
  const lines = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  let bad = 0;
  lines.forEach((o, i) => {
    const c = cases[i];
    if (JSON.stringify([o.ids, o.tokens, o.offsets]) !== JSON.stringify([c.ids, c.tokens, c.offsets])) {
      if (bad++ < 3) console.error('  mismatch:', JSON.stringify(c.text).slice(0, 80));
    }
  });
  check(lines.length === cases.length && bad === 0, `tokenize ${name}: ${bad} of ${cases.length} differ`);
  console.log(`tokenize --vocab (${name}): ${cases.length} texts, ${bad} mismatches`);
}

// ---- errors: non-zero exit and a one-line message naming the problem.
function expectError(args, code, fragment, what) {
  const r = cli(args);
  const lines = r.stderr.trim().split('\n');
  check(r.code === code, `${what}: exit ${r.code}, expected ${code}`);
  check(lines[0].startsWith('error: ') && lines[0].includes(fragment),
        `${what}: stderr '${lines[0]}' should name '${fragment}'`);
  check(r.stdout === '', `${what}: nothing on stdout`);
}
const okText = writeLines('ok.txt', ['fine']);
const seqcls = path.join(fixtures, 'models', 'bert_seqcls');
function copyModel(name, edit) {
  const d = path.join(tmp, name);
  fs.mkdirSync(d, { recursive: true });
  for (const f of fs.readdirSync(seqcls)) fs.copyFileSync(path.join(seqcls, f), path.join(d, f));
  edit(d);
  return d;
}
expectError(['run', '--model', path.join(tmp, 'nope'), '--input', okText], 1, 'does not exist', 'missing model');
expectError(['run', '--model', tmp, '--input', okText], 1, 'config.json', 'folder without a model');
const truncated = copyModel('truncated', (d) => {
  const w = fs.readFileSync(path.join(d, 'model.safetensors'));
  fs.writeFileSync(path.join(d, 'model.safetensors'), w.subarray(0, w.length >> 1));
});
expectError(['run', '--model', truncated, '--input', okText], 1, 'safetensors', 'truncated weights');
const arch = copyModel('arch', (d) => {
  const p = path.join(d, 'config.json');
  fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace('BertForSequenceClassification', 'BertForMaskedLM'));
});
expectError(['run', '--model', arch, '--input', okText], 1, 'BertForMaskedLM', 'unsupported architecture');
const shape = copyModel('shape', (d) => {
  const p = path.join(d, 'config.json');
  fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace('"hidden_size": 48', '"hidden_size": 24'));
});
expectError(['run', '--model', shape, '--input', okText], 1, 'shape', 'shape mismatch');
const badUtf8 = path.join(tmp, 'bad.txt');
fs.writeFileSync(badUtf8, Buffer.from([0x6f, 0x6b, 0x0a, 0x62, 0xff, 0x0a]));
expectError(['run', '--model', seqcls, '--input', badUtf8], 1, 'UTF-8', 'invalid UTF-8 input');
expectError(['run', '--model', seqcls, '--input', path.join(tmp, 'missing.txt')], 1, 'missing.txt', 'missing input');
expectError(['run', '--model', seqcls], 2, '--input', 'no --input');
expectError(['frobnicate'], 2, 'frobnicate', 'unknown command');
expectError(['run', '--model', seqcls, '--input', okText, '--max-length', 'x'], 2, '--max-length', 'bad --max-length');
// Input limits (hb::InputLimits): a line over --max-text-bytes fails with the limit's name.
expectError(['run', '--model', seqcls, '--input', okText, '--max-text-bytes', '3'], 1, 'max_text_bytes = 3', '--max-text-bytes');
expectError(['run', '--model', seqcls, '--input', okText, '--max-total-tokens', '2'], 1, 'max_total_tokens = 2', '--max-total-tokens');
expectError(['tokenize', '--model', seqcls, '--input', okText, '--max-text-bytes', '3'], 1, 'max_text_bytes = 3', 'tokenize --max-text-bytes');
expectError(['run', '--model', seqcls, '--input', okText, '--max-text-bytes', '0'], 2, '--max-text-bytes', 'bad --max-text-bytes');

// ---- compression (native CLI only): prune / factorize / share write a .hbm that `run` loads,
// the report goes to stdout as JSON, and impossible arguments exit 2 naming the option.
if (!(bin.endsWith('.js') || bin.endsWith('.mjs'))) {
  const out = path.join(tmp, 'small.hbm');
  const data = writeLines('sample.tsv', ['sentence\tlabel', 'a fine film\t1', 'dull\t0']);
  const compress = [
    ['prune', seqcls, '--heads', '0.34', '--ffn', '0.5', '--data', data, '-o', out],
    ['prune', seqcls, '--ffn', '0.25', '--dtype', 'int8', '-o', out],
    ['factorize', seqcls, '--rank', '8', '--embedding-rank', '16', '-o', out],
    ['factorize', seqcls, '--energy', '0.9', '--dtype', 'fp16', '-o', out],
    ['share', seqcls, '--sources', '0,0,0', '-o', out],
  ];
  for (const args of compress) {
    const r = cli(args);
    check(r.code === 0, `${args.join(' ')}: exit ${r.code}: ${r.stderr}`);
    let report = {};
    try { report = JSON.parse(r.stdout); } catch { check(false, `${args[0]}: report is JSON`); }
    check(report.operation === args[0], `${args[0]}: report names the operation`);
    const run = cli(['run', '--model', out, '--input', okText]);
    check(run.code === 0 && 'logits' in JSON.parse(run.stdout || '{}'), `${args.join(' ')}: run`);
  }
  const bad = [
    [['prune', seqcls, '--heads', '1', '-o', out], '--heads'],
    [['prune', seqcls, '--heads', '-0.5', '-o', out], '--heads'],
    [['prune', seqcls, '--ffn', '0.5'], '-o'],
    [['prune', seqcls, '-o', out], 'nothing to prune'],
    [['factorize', seqcls, '--rank', '0', '-o', out], '--rank'],
    [['factorize', seqcls, '--energy', '0', '-o', out], '--energy'],
    [['factorize', seqcls, '--energy', '1.5', '-o', out], '--energy'],
    [['factorize', seqcls, '--rank', '4', '--energy', '0.5', '-o', out], 'not both'],
    [['factorize', seqcls, '-o', out], '--rank'],
    [['share', seqcls, '--sources', '0,x', '-o', out], '--sources'],
  ];
  for (const [args, fragment] of bad) expectError(args, 2, fragment, args.join(' '));
  expectError(['factorize', seqcls, '--rank', '49', '-o', out], 1, 'at most 48', 'rank > min dim');
  expectError(['factorize', seqcls, '--embedding-rank', '49', '-o', out], 1, 'embedding rank',
              'embedding rank > hidden');
  expectError(['prune', path.join(tmp, 'nope'), '--heads', '0.5', '-o', out], 1, 'nope',
              'missing model');
  expectError(['prune', seqcls, '--heads', '0.5', '--data', path.join(tmp, 'none.tsv'), '-o', out],
              1, 'none.tsv', 'missing data');
  expectError(['share', seqcls, '--sources', '0,2,1', '-o', out], 1, 'cannot share', 'bad sources');
  console.log(`compression: ${compress.length} commands, ${bad.length + 5} rejections`);
}

fs.rmSync(tmp, { recursive: true, force: true });
console.log(`${checks - failures}/${checks} checks passed`);
process.exit(failures ? 1 : 0);
