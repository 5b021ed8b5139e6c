// Rebuilds ONNX exports that came back from the device machine as payloads (tools/onnx_payload.py):
// gunzips each file's parts, refills the byte ranges the manifest lists from the checkpoint
// (fp16 -> fp32, transposed where torch exported a Linear for MatMul), and checks the result's
// sha256 against the exported file's before writing it. For the BERT-base-shaped bench model,
// whose ONNX files are too big to send back whole.
//   node bench/peers/assemble_onnx.mjs bench/models/onnx/base bench/models/base-random/model.safetensors
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

function readSafetensors(file) {
  const buf = fs.readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  return { buf, header, base: 8 + n };
}

const half = new Float32Array(65536);
{
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  for (let h = 0; h < 65536; ++h) {
    const s = (h & 0x8000) << 16, e = (h >> 10) & 0x1f, m = h & 0x3ff;
    if (e === 0) half[h] = (s ? -1 : 1) * m * 2 ** -24;
    else if (e === 31) {
      u[0] = s | 0x7f800000 | (m << 13);
      half[h] = f[0];
    } else {
      u[0] = s | ((e + 112) << 23) | (m << 13);
      half[h] = f[0];
    }
  }
}

/** The checkpoint tensor `name` as little-endian fp32 bytes, transposed if asked (2-D only). */
function tensorBytes(ck, name, transpose) {
  const t = ck.header[name];
  if (!t) throw new Error(`checkpoint has no tensor ${name}`);
  const [b, e] = t.data_offsets;
  const n = (e - b) / (t.dtype === 'F16' ? 2 : 4);
  const out = new Float32Array(n);
  const src = ck.buf.subarray(ck.base + b, ck.base + e);
  const at = (i) => (t.dtype === 'F16' ? half[src.readUInt16LE(2 * i)] : src.readFloatLE(4 * i));
  if (!transpose) for (let i = 0; i < n; ++i) out[i] = at(i);
  else {
    const [rows, cols] = t.shape;
    for (let r = 0; r < rows; ++r) for (let c = 0; c < cols; ++c) out[c * rows + r] = at(r * cols + c);
  }
  return Buffer.from(out.buffer);
}

export function assemble(dir, checkpoint) {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const ck = readSafetensors(checkpoint);
  const ckSha = crypto.createHash('sha256').update(ck.buf).digest('hex');
  if (ckSha !== manifest.checkpoint_sha256) {
    throw new Error(`${checkpoint} is not the exported checkpoint (sha256 ${ckSha}, expected ${manifest.checkpoint_sha256}); rebuild it with make_random_bert.mjs`);
  }
  for (const f of manifest.files) {
    const packed = Buffer.concat(f.parts.map((p) => fs.readFileSync(path.join(dir, p))));
    const data = zlib.gunzipSync(packed, { maxOutputLength: f.bytes + 1 });
    if (data.length !== f.bytes) throw new Error(`${f.file}: payload is ${data.length} bytes, expected ${f.bytes}`);
    for (const t of f.tensors) {
      const bytes = tensorBytes(ck, t.source, t.transpose);
      if (bytes.length !== t.bytes) throw new Error(`${f.file}: ${t.initializer} needs ${t.bytes} bytes, ${t.source} has ${bytes.length}`);
      bytes.copy(data, t.offset);
    }
    const sha = crypto.createHash('sha256').update(data).digest('hex');
    if (sha !== f.sha256) throw new Error(`${f.file}: rebuilt sha256 ${sha} differs from the export's ${f.sha256}`);
    fs.writeFileSync(path.join(dir, f.file), data);
    console.log(`wrote ${path.join(dir, f.file)} (${data.length} bytes, sha256 matches the export)`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  if (process.argv.length < 4) {
    console.error('usage: node bench/peers/assemble_onnx.mjs ONNX_DIR CHECKPOINT.safetensors');
    process.exit(2);
  }
  assemble(process.argv[2], process.argv[3]);
}
