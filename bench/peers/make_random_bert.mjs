// Writes a Hugging Face BertForSequenceClassification folder with deterministic random fp16 weights
// (seeded PRNG, no Python): config.json, model.safetensors (F16), vocab.txt + tokenizer_config.json
// copied from the demo model (vocab 8000). Used for the MiniLM-shaped and BERT-base-shaped
// benchmark models; tools/export_onnx.py exports the same files to ONNX on the device.
//   node bench/peers/make_random_bert.mjs minilm|base|long [outDir]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHAPES = {
  // MiniLM-L6 shape (all-MiniLM-L6-v2: hidden 384, 6 layers, 12 heads, FFN 1536), demo vocab.
  minilm: { hidden: 384, layers: 6, heads: 12, ffn: 1536, maxPos: 512, seed: 6 },
  // BERT-base shape (hidden 768, 12 layers, 12 heads, FFN 3072), demo vocab.
  base: { hidden: 768, layers: 12, heads: 12, ffn: 3072, maxPos: 512, seed: 12 },
  // The long-document model's shape (web-demo/long-model: hidden 256, 4 layers, 4 heads, FFN 768)
  // with 8192 positions, for onnxruntime-web's dense attention in the sparse scaling bench
  // (bench/sparse_ort_bench.mjs). Random weights: timing only.
  long: { hidden: 256, layers: 4, heads: 4, ffn: 768, maxPos: 8192, seed: 4 },
};
const VOCAB = 8000;

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function toHalf(v) {
  f32[0] = v;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  let e = ((x >>> 23) & 0xff) - 127 + 15;
  let m = x & 0x7fffff;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    m |= 0x800000;
    const shift = 14 - e;
    let h = m >>> shift;
    if ((m >>> (shift - 1)) & 1) h += 1; // round half up (fine for init noise)
    return sign | h;
  }
  let h = sign | (e << 10) | (m >>> 13);
  if (m & 0x1000) h += 1;
  return h;
}

export function makeRandomBert(kind, outDir) {
  const s = SHAPES[kind];
  if (!s) throw new Error(`unknown shape ${kind}`);
  const rnd = mulberry32(s.seed);
  const normal = (std) => {
    const u = Math.max(rnd(), 1e-12);
    return std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
  };
  const H = s.hidden;
  const tensors = [];
  const add = (name, shape, init) => tensors.push({ name, shape, init });
  add('bert.embeddings.word_embeddings.weight', [VOCAB, H], 'n');
  add('bert.embeddings.position_embeddings.weight', [s.maxPos, H], 'n');
  add('bert.embeddings.token_type_embeddings.weight', [2, H], 'n');
  add('bert.embeddings.LayerNorm.weight', [H], 'one');
  add('bert.embeddings.LayerNorm.bias', [H], 'b');
  for (let l = 0; l < s.layers; ++l) {
    const p = `bert.encoder.layer.${l}.`;
    for (const q of ['query', 'key', 'value']) {
      add(`${p}attention.self.${q}.weight`, [H, H], 'n');
      add(`${p}attention.self.${q}.bias`, [H], 'b');
    }
    add(`${p}attention.output.dense.weight`, [H, H], 'n');
    add(`${p}attention.output.dense.bias`, [H], 'b');
    add(`${p}attention.output.LayerNorm.weight`, [H], 'one');
    add(`${p}attention.output.LayerNorm.bias`, [H], 'b');
    add(`${p}intermediate.dense.weight`, [s.ffn, H], 'n');
    add(`${p}intermediate.dense.bias`, [s.ffn], 'b');
    add(`${p}output.dense.weight`, [H, s.ffn], 'n');
    add(`${p}output.dense.bias`, [H], 'b');
    add(`${p}output.LayerNorm.weight`, [H], 'one');
    add(`${p}output.LayerNorm.bias`, [H], 'b');
  }
  add('bert.pooler.dense.weight', [H, H], 'n');
  add('bert.pooler.dense.bias', [H], 'b');
  add('classifier.weight', [2, H], 'n');
  add('classifier.bias', [2], 'b');

  const header = { __metadata__: { format: 'pt' } };
  let off = 0;
  for (const t of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    header[t.name] = { dtype: 'F16', shape: t.shape, data_offsets: [off, off + 2 * n] };
    t.n = n;
    off += 2 * n;
  }
  let hjson = JSON.stringify(header);
  while ((hjson.length + 8) % 8) hjson += ' ';
  const data = Buffer.alloc(off);
  let o = 0;
  for (const t of tensors) {
    for (let i = 0; i < t.n; ++i) {
      // LayerNorm gains 1 + N(0, 0.02), biases N(0, 0.02), weights N(0, 0.02) (BERT's initializer_range).
      const v = t.init === 'one' ? 1 + normal(0.02) : normal(0.02);
      data.writeUInt16LE(toHalf(v), o);
      o += 2;
    }
  }
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(hjson.length));
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'model.safetensors'), Buffer.concat([len, Buffer.from(hjson), data]));
  const config = {
    architectures: ['BertForSequenceClassification'],
    model_type: 'bert',
    attention_probs_dropout_prob: 0.1,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    hidden_size: H,
    initializer_range: 0.02,
    intermediate_size: s.ffn,
    layer_norm_eps: 1e-12,
    max_position_embeddings: s.maxPos,
    num_attention_heads: s.heads,
    num_hidden_layers: s.layers,
    pad_token_id: 0,
    type_vocab_size: 2,
    vocab_size: VOCAB,
    id2label: { 0: 'negative', 1: 'positive' },
    label2id: { negative: 0, positive: 1 },
    dtype: 'float16',
  };
  fs.writeFileSync(path.join(outDir, 'config.json'), JSON.stringify(config, null, 1));
  fs.copyFileSync(path.join(ROOT, 'web-demo/model/vocab.txt'), path.join(outDir, 'vocab.txt'));
  const tc = JSON.parse(fs.readFileSync(path.join(ROOT, 'web-demo/model/tokenizer_config.json'), 'utf8'));
  tc.model_max_length = s.maxPos;
  fs.writeFileSync(path.join(outDir, 'tokenizer_config.json'), JSON.stringify(tc, null, 1));
  return outDir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const kind = process.argv[2] || 'minilm';
  const out = process.argv[3] || path.join(ROOT, 'bench/models', `${kind}-random`);
  makeRandomBert(kind, out);
  console.log(`wrote ${out}`);
}
