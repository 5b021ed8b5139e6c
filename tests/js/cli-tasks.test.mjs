// `npx hummingbert classify|embed|tokenize TEXT|bench` on the embedded demo model and on
// --model sources; no progress bar when stderr is not a terminal.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ROOT, modelDir } from './helpers.mjs';

const cli = (args, input) =>
  spawnSync(process.execPath, [path.join(ROOT, 'js/cli.js'), ...args], { encoding: 'utf8', input, timeout: 60000 });

test('classify: label, score, exit layer, per text', () => {
  const r = cli(['classify', 'I loved it', 'A dull, lifeless film.']);
  expect(r.stderr).toBe(''); // not a TTY: no progress bar
  expect(r.status).toBe(0);
  const lines = r.stdout.trim().split('\n').map((l) => l.split('\t'));
  expect(lines).toEqual([
    ['positive', expect.stringMatching(/^0\.\d{4}$/), expect.stringMatching(/^exit layer [1-4]\/4$/), expect.stringMatching(/ ms$/), 'I loved it'],
    ['negative', expect.stringMatching(/^0\.\d{4}$/), expect.stringMatching(/^exit layer [1-4]\/4$/), expect.stringMatching(/ ms$/), 'A dull, lifeless film.'],
  ]);
});

test('classify --json, --input FILE, --model a .hbm path and --early-exit off', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-cli-'));
  const input = path.join(dir, 'in.txt');
  fs.writeFileSync(input, 'great\nterrible\n');
  const r = cli(['classify', '--input', input, '--json', '--model', path.join(ROOT, 'dist/models/sst2-demo.hbm'), '--early-exit', 'off']);
  expect(r.status).toBe(0);
  const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  expect(rows.map((x) => [x.text, x.label, x.exitLayer])).toEqual([['great', 'positive', 4], ['terrible', 'negative', 4]]);
  fs.rmSync(dir, { recursive: true });
});

test('embed and tokenize', () => {
  const e = cli(['embed', 'hello', '--normalize', '--pooling', 'cls']);
  expect(e.status).toBe(0);
  const row = JSON.parse(e.stdout);
  expect(row.text).toBe('hello');
  expect(row.embedding).toHaveLength(256);
  expect(Math.hypot(...row.embedding)).toBeCloseTo(1, 4);
  const t = cli(['tokenize', 'Hello world', '--model', modelDir('bert_seqcls')]);
  expect(JSON.parse(t.stdout).tokens[0]).toBe('[CLS]');
});

test('bench prints a throughput figure', () => {
  const r = cli(['bench', '--seconds', '0.3', '--batch-size', '4']);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/^\d+\.\d texts\/s, \d+ tokens\/s, mean exit layer \d\.\d\d\/4 \(batches of 4, /);
});

test('usage errors exit 2; model errors exit 1', () => {
  expect(cli(['classify'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/^error: classify needs TEXT arguments or --input FILE/) });
  expect(cli(['classify', 'x', '--bogus'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/^error: unknown option '--bogus' for classify/) });
  expect(cli(['classify', 'x', '--model', modelDir('bert_encoder')])).toMatchObject({
    status: 1, stderr: expect.stringMatching(/^error: classify\(\) needs a sequence-classification model/),
  });
  expect(cli(['embed', 'x', '--pooling', 'max'])).toMatchObject({ status: 1, stderr: expect.stringContaining("pooling must be one of ['cls', 'mean', 'pooler']") });
});
