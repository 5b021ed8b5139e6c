// convert() and `npx hummingbert convert`: the WebAssembly build of the native converter. Its
// output must be byte-identical to the native `hummingbert convert` (build/hummingbert, when
// built), and load() must read it back.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { convert, load } from '../../js/src/index.js';
import { MODEL_NAMES, ROOT, modelDir, modelFiles } from './helpers.mjs';

const NATIVE = path.join(ROOT, 'build/hummingbert');
const haveNative = fs.existsSync(NATIVE);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-convert-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function nativeConvert(dir, dtype) {
  const out = path.join(tmp, `native-${path.basename(dir)}-${dtype}.hbm`);
  const r = spawnSync(NATIVE, ['convert', dir, '-o', out, '--dtype', dtype], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return { bytes: fs.readFileSync(out), stderr: r.stderr };
}

const CASES = [
  ...MODEL_NAMES.map((n) => [n, 'int8']),
  ['bert_seqcls', 'fp16'],
  ['bert_seqcls', 'fp32'],
];

(haveNative ? describe : describe.skip)('byte-identical to the native converter', () => {
  test.each(CASES)('%s --dtype %s', async (name, dtype) => {
    const js = await convert(modelDir(name), { dtype });
    const native = nativeConvert(modelDir(name), dtype).bytes;
    expect(js.length).toBe(native.length);
    expect(Buffer.compare(Buffer.from(js), native)).toBe(0);
  });

  test('the demo model with exit heads (web-demo/model) = dist/models/sst2-demo.hbm', () => {
    const native = nativeConvert(path.join(ROOT, 'web-demo/model'), 'int8').bytes;
    expect(Buffer.compare(fs.readFileSync(path.join(ROOT, 'dist/models/sst2-demo.hbm')), native)).toBe(0);
  });

  test('npx hummingbert convert: same file and same summary line as native', () => {
    const out = path.join(tmp, 'cli.hbm');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'js/cli.js'), 'convert', modelDir('bert_seqcls'), '-o', out], { encoding: 'utf8' });
    const n = nativeConvert(modelDir('bert_seqcls'), 'int8');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(n.stderr.replace(path.join(tmp, 'native-bert_seqcls-int8.hbm'), out));
    expect(Buffer.compare(fs.readFileSync(out), n.bytes)).toBe(0);
  });
});

test('converted bytes load and give the HF folder results within int8 tolerance', async () => {
  const bytes = await convert(modelFiles('bert_seqcls'));
  const a = await load(bytes);
  const b = await load(modelDir('bert_seqcls'), { dtype: 'int8' });
  const ra = a.classify('hello world');
  const rb = b.classify('hello world');
  expect(ra.label).toBe(rb.label);
  expect(ra.score).toBeCloseTo(rb.score, 5);
  a.dispose();
  b.dispose();
});

test('errors: dtype listed, missing folder, CLI usage', async () => {
  await expect(convert(modelDir('bert_seqcls'), { dtype: 'int4' })).rejects.toMatchObject({
    code: 'INVALID_ARGUMENT', message: "dtype must be one of ['int8', 'fp16', 'fp32'], got 'int4'",
  });
  await expect(convert('/nonexistent-folder')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  const cli = (args) => spawnSync(process.execPath, [path.join(ROOT, 'js/cli.js'), ...args], { encoding: 'utf8' });
  expect(cli(['convert', modelDir('bert_seqcls')])).toMatchObject({ status: 2, stderr: expect.stringMatching(/^error: convert needs -o MODEL_FILE/) });
  expect(cli(['convert', '-o', 'x.hbm'])).toMatchObject({ status: 2, stderr: expect.stringMatching(/^error: convert needs an HF_DIR/) });
  expect(cli(['convert', modelDir('bert_seqcls'), '-o', path.join(tmp, 'y.hbm'), '--dtype', 'int4']))
    .toMatchObject({ status: 2, stderr: expect.stringMatching(/^error: --dtype must be one of int8, fp16, fp32; got 'int4'/) });
  expect(cli(['convert', '/nonexistent-folder', '-o', path.join(tmp, 'z.hbm')])).toMatchObject({ status: 1, stderr: expect.stringMatching(/^error: /) });
  expect(fs.existsSync(path.join(tmp, 'z.hbm'))).toBe(false);
});
