// `hummingbert` (js/cli.js): golden parity of `run` and `tokenize` output, the native CLI's
// JSON Lines format, exit codes, and the shared CLI contract (tests/cli/run_cli_tests.mjs,
// which the native binary passes too).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { FIXTURES, ROOT, TOL, maxAbsDiff, modelDir, readGolden } from './helpers.mjs';

const CLI = path.join(ROOT, 'js/cli.js');
// From `npm run build:native` (or HB_NATIVE_CLI=path), if built.
const NATIVE = process.env.HB_NATIVE_CLI || path.join(ROOT, 'build/hummingbert');
const oneLine = (t) => !/[\n\r\u0085\u2028\u2029]/.test(t);

let tmp;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-cli-js-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(args, options = {}) {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const bin = options.native ? NATIVE : process.execPath;
  const argv = options.native ? args : [CLI, ...args];
  const r = spawnSync(bin, argv, { env, input: options.input, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function writeLines(name, lines) {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, lines.map((l) => `${l}\n`).join(''));
  return file;
}

test('run --model matches the HF golden (bert_seqcls, all one-line texts)', () => {
  const golden = readGolden(path.join(modelDir('bert_seqcls'), 'golden.json'));
  const cases = golden.cases.filter((c) => !('pair' in c) && oneLine(c.text));
  const input = writeLines('seqcls.txt', cases.map((c) => c.text));
  const r = cli(['run', '--model', modelDir('bert_seqcls'), '--input', input]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
  expect(lines).toHaveLength(cases.length);
  let worst = 0;
  lines.forEach((o, i) => {
    expect(Object.keys(o)).toEqual(['ids', 'logits', 'probs', 'label', 'exit_layer', 'layers', 'attention']);
    expect(o.exit_layer).toBe(3);
    expect(o.layers).toEqual([{ layer: 3, logits: o.logits, label: o.label }]);
    expect(o.ids).toEqual(cases[i].ids);
    worst = Math.max(worst, maxAbsDiff(o.logits, cases[i].logits), maxAbsDiff(o.probs, cases[i].probs));
    expect(['negative', 'neutral', 'positive']).toContain(o.label);
  });
  expect(worst).toBeLessThanOrEqual(TOL);
});

test('run output keys per task, as the native CLI', () => {
  const input = writeLines('two.txt', ['Hello John', 'x']);
  const keys = (model, extra = []) =>
    Object.keys(JSON.parse(cli(['run', '--model', modelDir(model), '--input', input, ...extra]).stdout.split('\n')[0]));
  expect(keys('bert_tokcls_cased')).toEqual(['ids', 'tokens', 'logits', 'labels', 'attention']);
  expect(keys('bert_encoder')).toEqual(['ids', 'attention', 'cls', 'mean', 'pooler']);
  expect(keys('distilbert_encoder')).toEqual(['ids', 'attention', 'cls', 'mean']);
  expect(keys('bert_seqcls', ['--embeddings', '--normalize', '--early-exit', 'off', '--threads', '2'])).toEqual(
    ['ids', 'logits', 'probs', 'label', 'exit_layer', 'layers', 'attention', 'cls', 'mean', 'pooler']);
});

test('floats are printed as C "%.9g"', () => {
  const input = writeLines('one.txt', ['Hello, world!']);
  const { stdout } = cli(['run', '--model', modelDir('bert_encoder'), '--input', input]);
  const numbers = stdout.match(/-?[\d.]+(e[-+]\d+)?/g);
  for (const n of numbers) {
    expect(n).toMatch(/^-?(0|[1-9]\d*)(\.\d*[1-9])?(e[-+]\d\d+)?$|^-?0\.0{0,3}\d*[1-9]$/);
    expect(n.replace(/^-?0\.0*|e.*$|[-.]/g, '').length).toBeLessThanOrEqual(9);
  }
  expect(stdout).not.toMatch(/e-0?[1-4]\b/); // %g switches to exponents below 1e-4 only
});

test('tokenize --vocab matches the tokenizer golden (--pairs; --max-length)', () => {
  const golden = readGolden(path.join(FIXTURES, 'tokenizer/golden_uncased.json'));
  const vocab = path.join(FIXTURES, 'tokenizer/vocab_uncased.txt');
  const usable = (c) => oneLine(c.text) && !c.text.includes('\t') && (!('pair' in c) || (oneLine(c.pair) && !c.pair.includes('\t')));
  const runs = [
    [golden.cases.filter((c) => 'pair' in c && c.max_length === undefined && usable(c)), ['--pairs']],
    [golden.cases.filter((c) => !('pair' in c) && c.max_length === 16 && usable(c)), ['--max-length', '16']],
  ];
  for (const [cases, extra] of runs) {
    expect(cases.length).toBeGreaterThan(10);
    const input = writeLines('tok.txt', cases.map((c) => ('pair' in c ? `${c.text}\t${c.pair}` : c.text)));
    const r = cli(['tokenize', '--vocab', vocab, '--input', input, ...extra]);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(cases.length);
    lines.forEach((o, i) => {
      expect(Object.keys(o)).toEqual(['ids', 'tokens', 'type_ids', 'offsets']);
      expect(o).toEqual({ ids: cases[i].ids, tokens: cases[i].tokens, type_ids: cases[i].type_ids, offsets: cases[i].offsets });
    });
  }
});

test('stdin input and CRLF lines', () => {
  const r = cli(['tokenize', '--model', modelDir('bert_seqcls'), '--input', '-', '--offsets', 'byte'], { input: 'héllo\r\n\nb\n' });
  expect(r.stdout).toBe(
    '{"ids":[2,2115,1086,3],"tokens":["[CLS]","hell","##o","[SEP]"],"type_ids":[0,0,0,0],"offsets":[[0,0],[0,5],[5,6],[0,0]]}\n' +
      '{"ids":[2,3],"tokens":["[CLS]","[SEP]"],"type_ids":[0,0],"offsets":[[0,0],[0,0]]}\n' +
      '{"ids":[2,44,3],"tokens":["[CLS]","b","[SEP]"],"type_ids":[0,0,0],"offsets":[[0,0],[0,1],[0,0]]}\n',
  );
});

test('errors: exit 1 with one "error:" line; usage errors exit 2', () => {
  const bad = path.join(tmp, 'bad.txt');
  fs.writeFileSync(bad, Buffer.from([0x6f, 0x6b, 0x0a, 0x62, 0xff, 0x0a]));
  const r1 = cli(['run', '--model', modelDir('bert_seqcls'), '--input', bad]);
  expect(r1.status).toBe(1);
  expect(r1.stderr).toMatch(/^error: line 1\+: text 1: text is not valid UTF-8.*\n$/);
  const r2 = cli(['tokenize', '--model', modelDir('bert_seqcls'), '--input', bad]);
  expect(r2.status).toBe(1);
  expect(r2.stdout).toBe('{"ids":[2,57,1249,3],"tokens":["[CLS]","o","##k","[SEP]"],"type_ids":[0,0,0,0],"offsets":[[0,0],[0,1],[1,2],[0,0]]}\n');
  expect(r2.stderr).toMatch(/^error: line 2: text is not valid UTF-8/);
  const r3 = cli(['run', '--model', path.join(tmp, 'none'), '--input', bad]);
  expect([r3.status, r3.stderr]).toEqual([1, `error: '${path.join(tmp, 'none')}' does not exist (expected a model file or a model folder)\n`]);
  const r4 = cli(['tokenize', '--vocab', 'v.txt', '--model', 'm', '--input', bad]);
  expect(r4.status).toBe(2);
  expect(r4.stderr).toMatch(/^error: tokenize needs exactly one of --model DIR or --vocab FILE\nusage:/);
  expect(cli([]).status).toBe(2);
  expect(cli(['run', '--max-length', '1']).stderr).toMatch(/^error: --max-length needs an integer >= 2\n/);
  expect(cli(['run', '--threads', '0']).stderr).toMatch(/^error: --threads needs an integer in \[1, 256\]\n/);
  expect(cli(['run', '--early-exit', 'soon']).stderr).toMatch(/^error: --early-exit must be one of default, off, entropy, max-prob, patience\n/);
  expect(cli(['run', '--exit-threshold', '-1']).status).toBe(2);
  expect(cli(['run', '--exit-patience', '0']).status).toBe(2);
  const good = writeLines('good.txt', ['fine']);
  const r5 = cli(['run', '--model', modelDir('bert_seqcls'), '--input', good, '--early-exit', 'entropy']);
  expect([r5.status, r5.stderr]).toEqual([1, expect.stringMatching(/^error: line 1\+: early exit is unavailable: this model has no exit heads/)]);
  expect(cli(['--version']).stdout).toBe('hummingbert 0.1.0\n');
  // No --model: the demo model shipped in the package, as the native CLI's built-in model.
  const demo = cli(['run', '--input', writeLines('demo.txt', ['I loved it'])]);
  expect([demo.status, JSON.parse(demo.stdout).label]).toEqual([0, 'positive']);
  expect(cli(["--help"]).stdout).toMatch(/^usage:\n {2}hummingbert run \[--model DIR\|FILE\.hbm\] --input FILE/);
});

test('the shared CLI contract (tests/cli/run_cli_tests.mjs)', () => {
  const script = path.join(ROOT, 'tests/cli/run_cli_tests.mjs');
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const r = spawnSync(process.execPath, [script, CLI, FIXTURES], { env, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/(\d+)\/\1 checks passed\n$/);
  expect(r.status).toBe(0);
});

// Where `npm run build:native` has built the native CLI, both front ends must print the same
// bytes for tokenize (integers and strings only) and the same keys/ids for run (floats differ in
// the last digits: native uses FMA, wasm SIMD128 has none).
const withNative = fs.existsSync(NATIVE) ? test : test.skip;
withNative('same output as the native CLI (build/hummingbert)', () => {
  const texts = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'texts.json'), 'utf8'));
  const input = writeLines('texts.txt', texts.texts.filter(oneLine));
  for (const args of [
    ['tokenize', '--vocab', path.join(FIXTURES, 'tokenizer/vocab_cased.txt'), '--cased', '--offsets', 'utf16'],
    ['tokenize', '--model', modelDir('bert_tokcls_cased'), '--max-length', '12'],
  ]) {
    const js = cli([...args, '--input', input]);
    const native = cli([...args, '--input', input], { native: true });
    expect(js.status).toBe(0);
    expect(js.stdout).toBe(native.stdout);
  }
  for (const dir of [...['bert_seqcls', 'bert_tokcls_cased', 'bert_encoder'].map(modelDir), path.join(ROOT, 'web-demo/model')]) {
    const args = ['run', '--model', dir, '--input', input, '--embeddings'];
    const js = cli(args).stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    const native = cli(args, { native: true }).stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    const shape = (o) => [Object.keys(o), o.ids, o.label, o.labels, o.exit_layer, o.layers?.map((l) => [l.layer, l.label])];
    expect(js.map(shape)).toEqual(native.map(shape));
    js.forEach((o, i) => expect(maxAbsDiff(o.cls, native[i].cls)).toBeLessThanOrEqual(1e-4));
  }
});
