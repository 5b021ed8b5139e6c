// createWorker() in Node (worker_threads): the same results as the in-thread API, errors
// rebuilt as the same HummingbertError subclass and code, transfer of byte sources, dispose,
// and an idle worker that does not keep Node alive. Also the `hummingbert/worker` subpath.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { DisposedError, InvalidArgumentError, UnsupportedError, createWorker, load } from '../../js/src/index.js';
import * as workerEntry from '../../js/src/worker.js';
import { ROOT, modelDir } from './helpers.mjs';

const TEXTS = ['I loved it.', 'A dull, lifeless film that wastes a talented cast.'];

let worker;
let direct;
beforeAll(async () => {
  worker = await createWorker();
  direct = await load();
});
afterAll(async () => {
  await worker.dispose();
  direct.dispose();
});

test('info and every method match the in-thread model', async () => {
  expect(worker.info).toEqual(direct.info);
  expect(await worker.classify(TEXTS[0])).toEqual({ ...direct.classify(TEXTS[0]), timeMs: expect.any(Number) });
  const rs = await worker.classify(TEXTS);
  expect(rs.map((r) => r.label)).toEqual(['positive', 'negative']);
  const v = await worker.embed(TEXTS[1], { normalize: true });
  // (Jest runs tests in a vm context: typed arrays from a worker belong to the main realm.)
  expect(Object.prototype.toString.call(v)).toBe('[object Float32Array]');
  expect(Array.from(v)).toEqual(Array.from(direct.embed(TEXTS[1], { normalize: true })));
  expect(await worker.tokenize('Hello world')).toEqual(direct.tokenize('Hello world'));
  const [r] = await worker.run(TEXTS[0]);
  expect(r.label).toBe('positive');
});

test('errors come back as the same subclass, code and message, with both stacks', async () => {
  const e1 = await worker.classify(42).catch((e) => e);
  expect(e1).toBeInstanceOf(InvalidArgumentError);
  expect(e1).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('texts must be a string') });
  expect(e1.stack).toContain('(in worker)');
  expect(e1.stack).toContain('(caller)');
  const e2 = await worker.tagTokens('x').catch((e) => e);
  expect(e2).toBeInstanceOf(UnsupportedError);
  expect(e2.code).toBe('UNSUPPORTED_TASK');
  // The worker keeps working after errors.
  expect((await worker.classify('great')).label).toBe('positive');
});

test('load errors reject createWorker and terminate the worker', async () => {
  await expect(createWorker('/nonexistent.hbm')).rejects.toMatchObject({ name: 'ModelLoadError', code: 'NOT_FOUND' });
  await expect(createWorker(undefined, { dtype: 'fp64' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
});

test('ArrayBuffer sources are transferred (detached in the caller); progress crosses over', async () => {
  const buf = new Uint8Array(fs.readFileSync(path.join(ROOT, 'dist/models/sst2-demo.hbm'))).buffer;
  const statuses = [];
  const w = await createWorker(buf, { onProgress: (e) => statuses.push(e.status) });
  expect(buf.byteLength).toBe(0);
  expect(statuses).toEqual(['compile', 'ready']);
  expect((await w.classify('superb')).label).toBe('positive');
  await w.dispose();
});

test('a Hugging Face folder in a worker; dispose rejects later calls with DISPOSED', async () => {
  const w = await createWorker(modelDir('bert_encoder'));
  expect((await w.embed('hi')).length).toBe(w.info.hiddenSize);
  await w.dispose();
  expect(w.disposed).toBe(true);
  const e = await w.embed('hi').catch((x) => x);
  expect(e).toBeInstanceOf(DisposedError);
  await w.dispose(); // idempotent
});

test('the hummingbert/worker subpath exports createWorker', () => {
  expect(typeof workerEntry.createWorker).toBe('function');
});

test('an idle worker does not keep Node alive; ESM and CJS', () => {
  const esm = spawnSync(process.execPath, ['--input-type=module', '-e',
    "import { createWorker } from 'hummingbert/worker'; const w = await createWorker(); console.log((await w.classify('I loved it')).label);"],
  { cwd: ROOT, encoding: 'utf8', timeout: 60000 });
  expect([esm.status, esm.stdout, esm.stderr]).toEqual([0, 'positive\n', '']);
  const cjs = spawnSync(process.execPath, ['-e',
    "require('hummingbert/worker').createWorker().then((w) => w.classify('awful')).then((r) => console.log(r.label));"],
  { cwd: ROOT, encoding: 'utf8', timeout: 60000 });
  expect([cjs.status, cjs.stdout, cjs.stderr]).toEqual([0, 'negative\n', '']);
});
