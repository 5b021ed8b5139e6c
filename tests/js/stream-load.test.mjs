// Streaming .hbm loads (js/src/load.js -> wasm ModelFileLoader): a path, Uint8Array, ArrayBuffer,
// file: URL and http: URLs (odd chunk sizes, no Content-Length) give identical outputs; truncated
// files, trailing bytes and a dropped connection fail with clear errors; and a failed load leaves
// nothing allocated in the wasm heap.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { HummingbertError, load, memoryStats } from '../../js/src/index.js';
import { ROOT, errorOf } from './helpers.mjs';

const DEMO = path.join(ROOT, 'dist/models/sst2-demo.hbm');
const TEXTS = ['I loved it: the acting was superb.', 'A dull, lifeless film.', 'ok'];
const bytes = new Uint8Array(fs.readFileSync(DEMO));

let server;
let base;
let tmp;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-stream-'));
  server = http.createServer((req, res) => {
    const cut = req.url.match(/^\/cut\/(\d+)$/);
    if (req.url === '/odd.hbm' || req.url === '/nolength.hbm') {
      const headers = { 'Content-Type': 'application/octet-stream' };
      if (req.url === '/odd.hbm') headers['Content-Length'] = bytes.length;
      res.writeHead(200, headers);
      for (let i = 0; i < bytes.length; i += 100003) res.write(bytes.subarray(i, i + 100003));
      res.end();
    } else if (cut) {
      res.writeHead(200, { 'Content-Length': bytes.length });
      res.write(bytes.subarray(0, Number(cut[1])), () => res.destroy());
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
});
afterAll(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  await new Promise((r) => server.close(r));
});

function outputs(model) {
  return model.run(TEXTS).map((r) => Array.from(r.logits));
}

describe('every source streams to the same model', () => {
  let reference;
  beforeAll(async () => {
    const m = await load(DEMO);
    reference = outputs(m);
    m.dispose();
  });

  test.each([
    ['a path', () => DEMO],
    ['a file: URL', () => pathToFileURL(DEMO)],
    ['a Uint8Array (several 1 MiB chunks)', () => bytes],
    ['a Uint8Array view at an offset', () => {
      const padded = new Uint8Array(bytes.length + 3);
      padded.set(bytes, 3);
      return padded.subarray(3);
    }],
    ['an ArrayBuffer', () => bytes.slice().buffer],
    ['an http: URL sent in odd chunks', () => `${base}/odd.hbm`],
    ['an http: URL without Content-Length', () => `${base}/nolength.hbm`],
  ])('%s', async (name, source) => {
    const events = [];
    const m = await load(source(), { onProgress: (e) => events.push(e) });
    expect(outputs(m)).toEqual(reference);
    expect(events.at(-1)).toMatchObject({ status: 'ready', loaded: bytes.length, total: bytes.length });
    m.dispose();
  });
});

describe('broken files fail cleanly and free what they took', () => {
  let baseline;
  beforeAll(async () => {
    // Warm up: the module loaded, one model in and out.
    (await load(bytes)).dispose();
    baseline = (await memoryStats()).allocated;
  });
  afterEach(async () => {
    expect((await memoryStats()).allocated).toBe(baseline);
  });

  const header = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));

  test.each([
    ['in the length', 5, 'file is too small to be safetensors: 5 bytes'],
    ['in the header', 8 + Math.floor(header / 2), 'safetensors header length is'],
    ['in the data', 8 + header + 1000, '(truncated file?)'],
    ['one byte short', bytes.length - 1, '(truncated file?)'],
  ])('truncated %s', async (where, size, fragment) => {
    const e = await errorOf(load(bytes.subarray(0, size)));
    expect(e).toBeInstanceOf(HummingbertError);
    expect(e).toMatchObject({ code: 'INVALID_MODEL', message: expect.stringContaining(fragment) });
    expect(e.message).toContain('model file: ');
  });

  test('a truncated file on disk', async () => {
    const file = path.join(tmp, 'half.hbm');
    fs.writeFileSync(file, bytes.subarray(0, bytes.length >> 1));
    const e = await errorOf(load(file));
    expect(e).toMatchObject({ code: 'INVALID_MODEL', message: expect.stringContaining('(truncated file?)') });
  });

  test('trailing bytes', async () => {
    const longer = new Uint8Array(bytes.length + 10);
    longer.set(bytes);
    const e = await errorOf(load(longer));
    expect(e).toMatchObject({
      code: 'INVALID_MODEL',
      message: expect.stringContaining(`goes on after its last tensor, which ends at byte ${bytes.length}`),
    });
  });

  test('a connection dropped mid-body: NETWORK_ERROR', async () => {
    const e = await errorOf(load(`${base}/cut/${3 << 20}`));
    expect(e).toBeInstanceOf(HummingbertError);
    expect(e).toMatchObject({ code: 'NETWORK_ERROR', message: expect.stringContaining('downloading the model from') });
  });

  test('bad options fail before any byte is read', async () => {
    const e = await errorOf(load(bytes, { dtype: 'fp32' }));
    expect(['INVALID_ARGUMENT', 'UNSUPPORTED']).toContain(e.code);
  });
});
