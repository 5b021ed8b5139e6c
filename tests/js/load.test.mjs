// load(): every source kind (embedded demo model, .hbm path, Hugging Face folder path, bytes,
// ArrayBuffer, an object of files, http: and file: URLs), progress events, options, and the
// errors of each path.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { HummingbertError, ModelLoadError, InvalidArgumentError, load } from '../../js/src/index.js';
import { ROOT, modelDir, modelFiles, errorOf } from './helpers.mjs';

const DEMO = path.join(ROOT, 'dist/models/sst2-demo.hbm');
const TEXT = 'I loved it: the acting was superb.';

let server;
let base;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/demo.hbm') {
      const bytes = fs.readFileSync(DEMO);
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': bytes.length });
      // In chunks, so progress events arrive.
      for (let i = 0; i < bytes.length; i += 1 << 20) res.write(bytes.subarray(i, i + (1 << 20)));
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

describe('sources', () => {
  let reference;
  beforeAll(async () => {
    const m = await load();
    reference = m.classify(TEXT);
    m.dispose();
  });

  test('omitted: the embedded demo model (SST-2, int8, exit heads)', async () => {
    const m = await load();
    expect(m.info).toMatchObject({ task: 'sequence-classification', labels: ['negative', 'positive'], dtype: 'int8', numLayers: 4 });
    expect(m.info.exitLayers.length).toBeGreaterThan(0);
    expect(m.classify(TEXT).label).toBe('positive');
    expect(m.classify('A dull, lifeless film that wastes a talented cast.').label).toBe('negative');
    m.dispose();
  });

  test.each([
    ['a .hbm path', () => DEMO],
    ['a file: URL', () => pathToFileURL(DEMO)],
    ['a file: URL string', () => pathToFileURL(DEMO).href],
    ['Uint8Array bytes', () => new Uint8Array(fs.readFileSync(DEMO))],
    ['a Node Buffer', () => fs.readFileSync(DEMO)],
    ['an ArrayBuffer', () => new Uint8Array(fs.readFileSync(DEMO)).buffer],
    ['an http: URL', () => `${base}/demo.hbm`],
    ['an http: URL object', () => new URL(`${base}/demo.hbm`)],
    ['a Hugging Face folder path (int8 at load)', () => path.join(ROOT, 'web-demo/model')],
  ])('%s gives the same results', async (name, source) => {
    const m = await load(source(), name.includes('int8 at load') ? { dtype: 'int8' } : undefined);
    const r = m.classify(TEXT);
    expect({ label: r.label, exitLayer: r.exitLayer, tokens: r.tokens }).toEqual({
      label: reference.label, exitLayer: reference.exitLayer, tokens: reference.tokens,
    });
    expect(Math.abs(r.score - reference.score)).toBeLessThan(1e-6);
    m.dispose();
  });

  test('an object of Hugging Face files', async () => {
    const m = await load(modelFiles('bert_seqcls'));
    expect(m.info.architecture).toBe('BertForSequenceClassification');
    m.dispose();
  });
});

describe('progress events', () => {
  test('a URL: download, progress (growing to total), compile, ready', async () => {
    const events = [];
    const m = await load(`${base}/demo.hbm`, { onProgress: (e) => events.push(e) });
    m.dispose();
    const size = fs.statSync(DEMO).size;
    const statuses = events.map((e) => e.status);
    expect(statuses[0]).toBe('download');
    expect(statuses.slice(-2)).toEqual(['compile', 'ready']);
    const progress = events.filter((e) => e.status === 'progress');
    expect(progress.length).toBeGreaterThan(1);
    for (let i = 1; i < progress.length; ++i) expect(progress[i].loaded).toBeGreaterThan(progress[i - 1].loaded);
    expect(progress.at(-1)).toMatchObject({ loaded: size, total: size, progress: 100 });
    expect(events.at(-1)).toEqual({ status: 'ready', file: `${base}/demo.hbm`, loaded: size, total: size });
  });

  test('the embedded model reports the same phases', async () => {
    const statuses = [];
    (await load(undefined, { onProgress: (e) => statuses.push(e.status) })).dispose();
    expect(statuses).toEqual(['download', 'progress', 'compile', 'ready']);
  });
});

describe('errors', () => {
  test.each([
    [42, 'source must be omitted'],
    [true, 'source must be omitted'],
    [['a'], 'source must be omitted'],
  ])('source %p', async (source, fragment) => {
    const e = await errorOf(load(source));
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toContain(fragment);
  });

  test.each([
    [{ numThreads: 0 }, 'numThreads must be an integer in [1, 256]'],
    [{ numThreads: 1.5 }, 'numThreads must be an integer in [1, 256]'],
    [{ dtype: 'fp8' }, "dtype must be one of ['int8', 'fp32'], got 'fp8'"],
    [{ onProgress: 'yes' }, 'onProgress must be a function'],
    [{ threads: 2 }, "unknown load option 'threads'. Must be one of ['onProgress', 'numThreads', 'dtype', 'int8Activations', 'limits']"],
    ['fast', 'load options must be an object'],
  ])('options %p', async (options, fragment) => {
    const e = await errorOf(load(undefined, options));
    expect(e).toMatchObject({ name: 'InvalidArgumentError', code: 'INVALID_ARGUMENT' });
    expect(e.message).toContain(fragment);
  });

  test('a missing path: NOT_FOUND', async () => {
    const e = await errorOf(load('/nonexistent/model.hbm'));
    expect(e).toBeInstanceOf(ModelLoadError);
    expect(e).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining("model not found: '/nonexistent/model.hbm'") });
  });

  test('HTTP 404: NOT_FOUND naming the URL and status', async () => {
    const e = await errorOf(load(`${base}/missing.hbm`));
    expect(e).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('HTTP 404') });
  });

  test('connection refused: NETWORK_ERROR', async () => {
    const e = await errorOf(load('http://127.0.0.1:9/model.hbm'));
    expect(e).toBeInstanceOf(HummingbertError);
    expect(e).toMatchObject({ name: 'ModelLoadError', code: 'NETWORK_ERROR', message: expect.stringContaining('could not fetch') });
  });

  test('bytes that are not a model file: INVALID_MODEL', async () => {
    const e = await errorOf(load(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])));
    expect(e).toMatchObject({ name: 'ModelLoadError', code: 'INVALID_MODEL' });
  });

  test('a truncated model file: INVALID_MODEL', async () => {
    const bytes = fs.readFileSync(DEMO);
    const e = await errorOf(load(bytes.subarray(0, bytes.length - 1000)));
    expect(e.code).toBe('INVALID_MODEL');
  });

  test("dtype 'fp32' on an int8 model file: rejected by the core", async () => {
    const e = await errorOf(load(undefined, { dtype: 'fp32' }));
    expect(e).toBeInstanceOf(HummingbertError);
    expect(['INVALID_ARGUMENT', 'UNSUPPORTED']).toContain(e.code);
  });

  test('a folder that is not a model', async () => {
    const e = await errorOf(load(modelDir('..')));
    expect(e).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('no config.json') });
  });
});
