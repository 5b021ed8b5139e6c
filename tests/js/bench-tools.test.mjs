// The benchmark's helper scripts: the report writer renders the committed results, and
// assemble_onnx.mjs rebuilds a file from a payload + checkpoint byte for byte (and refuses a
// wrong checkpoint or a damaged payload).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { writeReports } from '../../bench/peers/report.mjs';
import { assemble } from '../../bench/peers/assemble_onnx.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'hb-bench-tools-'));

test('report.mjs renders every speed row of the committed results', () => {
  const res = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench/results/latest.json'), 'utf8'));
  const dir = tmp();
  writeReports(res, dir);
  const md = fs.readFileSync(path.join(dir, 'latest.md'), 'utf8');
  for (const r of res.speed) {
    const row = md.split('\n').find((l) => l.startsWith(`| ${r.model} | ${r.dtype} | ${r.batch}×${r.length} |`));
    expect(row).toBeDefined();
    const inter = r.speedup['hb-wasm(1t)/hb-wasm(2t), interleaved'];
    if (inter) expect(row.split('|')[10].trim()).toBe(`${inter.wall.toFixed(2)}×`);
  }
  expect(fs.readFileSync(path.join(dir, 'latest.svg'), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
});

// A checkpoint of two F16 tensors and an "export" holding one as is and one transposed between
// bytes that only the payload carries.
function fixture(dir) {
  const a = [0.5, -1, 2, 0.25, 3, -0.125]; // [2, 3]
  const b = [1, 2, 3, 4]; // [4]
  const half = (v) => {
    const f = new Float32Array([v]);
    const x = new Uint32Array(f.buffer)[0];
    return ((x >>> 16) & 0x8000) | ((((x >>> 23) & 0xff) - 112) << 10) | ((x >>> 13) & 0x3ff);
  };
  const header = {
    a: { dtype: 'F16', shape: [2, 3], data_offsets: [0, 12] },
    b: { dtype: 'F16', shape: [4], data_offsets: [12, 20] },
  };
  const h = Buffer.from(JSON.stringify(header));
  const data = Buffer.alloc(20);
  [...a, ...b].forEach((v, i) => data.writeUInt16LE(half(v), 2 * i));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.length));
  const ckpt = Buffer.concat([len, h, data]);
  fs.writeFileSync(path.join(dir, 'model.safetensors'), ckpt);

  const aT = Buffer.from(new Float32Array([0.5, 0.25, -1, 3, 2, -0.125]).buffer);
  const bF = Buffer.from(new Float32Array(b).buffer);
  const head = crypto.randomBytes(37), mid = crypto.randomBytes(11), tail = crypto.randomBytes(5);
  const file = Buffer.concat([head, aT, mid, bF, tail]);
  const hollow = Buffer.from(file);
  const offA = head.length, offB = head.length + aT.length + mid.length;
  hollow.fill(0, offA, offA + aT.length);
  hollow.fill(0, offB, offB + bF.length);
  const gz = zlib.gzipSync(hollow);
  const cut = gz.length >> 1;
  fs.writeFileSync(path.join(dir, 'm.onnx.gz.part00'), gz.subarray(0, cut));
  fs.writeFileSync(path.join(dir, 'm.onnx.gz.part01'), gz.subarray(cut));
  const sha = (x) => crypto.createHash('sha256').update(x).digest('hex');
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
    checkpoint_sha256: sha(ckpt),
    files: [{
      file: 'm.onnx', bytes: file.length, sha256: sha(file), parts: ['m.onnx.gz.part00', 'm.onnx.gz.part01'],
      tensors: [
        { initializer: 'A_T', source: 'a', transpose: true, offset: offA, bytes: aT.length },
        { initializer: 'B', source: 'b', transpose: false, offset: offB, bytes: bF.length },
      ],
    }],
  }));
  return file;
}

test('assemble_onnx.mjs rebuilds the exported bytes from payload and checkpoint', () => {
  const dir = tmp();
  const file = fixture(dir);
  const log = console.log;
  console.log = () => {};
  try {
    assemble(dir, path.join(dir, 'model.safetensors'));
  } finally {
    console.log = log;
  }
  expect(fs.readFileSync(path.join(dir, 'm.onnx')).equals(file)).toBe(true);
});

test('assemble_onnx.mjs refuses another checkpoint and a damaged payload', () => {
  const dir = tmp();
  fixture(dir);
  const ckpt = path.join(dir, 'model.safetensors');
  const good = fs.readFileSync(ckpt);
  const other = Buffer.from(good);
  other[other.length - 1] ^= 1;
  fs.writeFileSync(ckpt, other);
  expect(() => assemble(dir, ckpt)).toThrow(/is not the exported checkpoint/);
  fs.writeFileSync(ckpt, good);
  // Flip a payload byte outside the gzip header: the gunzip CRC or the sha256 check must catch it.
  const part = path.join(dir, 'm.onnx.gz.part01');
  const p = fs.readFileSync(part);
  p[0] ^= 0xff;
  fs.writeFileSync(part, p);
  expect(() => assemble(dir, ckpt)).toThrow();
  expect(fs.existsSync(path.join(dir, 'm.onnx'))).toBe(false);
});
