#!/usr/bin/env node
// Writes the seed corpora under tests/fuzz/corpus/<target>/ (deterministic, Node 18+, no deps):
// a tiny valid safetensors file, a tiny Hugging Face BERT checkpoint (vocab 16, hidden 4, one
// layer) and, when a hummingbert CLI is given, its .hbm conversions (fp32/fp16/int8); the
// malformed fixtures; configs and tokenizer settings from the fixtures; texts from
// tests/fixtures/texts.json. Usage: node tests/fuzz/make_seeds.mjs [path/to/hummingbert]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const fx = path.join(root, 'tests/fixtures');
const corpus = path.join(here, 'corpus');
const cli = process.argv[2];

function out(target, name, bytes) {
  const dir = path.join(corpus, target);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, name), bytes);
}

// safetensors writer: {name: {dtype, shape, data: Buffer}}, optional metadata.
function safetensors(tensors, metadata) {
  const header = {};
  if (metadata) header.__metadata__ = metadata;
  let off = 0;
  const blobs = [];
  for (const [name, t] of Object.entries(tensors)) {
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [off, off + t.data.length] };
    off += t.data.length;
    blobs.push(t.data);
  }
  let json = Buffer.from(JSON.stringify(header));
  const pad = (8 - (json.length % 8)) % 8;
  json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json, ...blobs]);
}

let seed = 12345;
function rnd() {  // deterministic LCG in [-0.5, 0.5)
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648 - 0.5;
}
function f32(shape, fill) {
  const n = shape.reduce((a, b) => a * b, 1);
  const b = Buffer.alloc(4 * n);
  for (let i = 0; i < n; ++i) b.writeFloatLE(fill === undefined ? rnd() : fill, 4 * i);
  return { dtype: 'F32', shape, data: b };
}
function f16(shape) {
  const n = shape.reduce((a, b) => a * b, 1);
  const b = Buffer.alloc(2 * n);
  for (let i = 0; i < n; ++i) b.writeUInt16LE(0x3c00 + (i % 7), 2 * i);  // ~1.0..1.007
  return { dtype: 'F16', shape, data: b };
}
function bf16(shape) {
  const n = shape.reduce((a, b) => a * b, 1);
  const b = Buffer.alloc(2 * n);
  for (let i = 0; i < n; ++i) b.writeUInt16LE(0x3f80 + i, 2 * i);
  return { dtype: 'BF16', shape, data: b };
}

// ---- fuzz_safetensors: tiny valid files + the malformed fixtures
out('fuzz_safetensors', 'tiny_f32', safetensors({ 'a.weight': f32([2, 3]), 'a.bias': f32([3]) }));
out('fuzz_safetensors', 'tiny_mixed', safetensors(
  { w16: f16([4]), wbf: bf16([2, 2]), scalar: f32([]), empty: f32([0, 3]) }, { format: 'pt' }));
for (const f of fs.readdirSync(path.join(fx, 'malformed'))) {
  if (f.endsWith('.safetensors')) {
    out('fuzz_safetensors', f, fs.readFileSync(path.join(fx, 'malformed', f)));
  }
}

// ---- a tiny BERT sequence classifier (HF layout)
const V = 16, H = 4, I = 8, P = 16, T = 2, L = 2;
const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'hello', 'world', 'i', 'loved',
               'it', '##s', ',', '!', '.', 'the', 'a'];
const config = {
  architectures: ['BertForSequenceClassification'], model_type: 'bert', vocab_size: V,
  hidden_size: H, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: I,
  max_position_embeddings: P, type_vocab_size: T, hidden_act: 'gelu', layer_norm_eps: 1e-12,
  id2label: { 0: 'NEGATIVE', 1: 'POSITIVE' }, pad_token_id: 0,
};
const t = {
  'bert.embeddings.word_embeddings.weight': f32([V, H]),
  'bert.embeddings.position_embeddings.weight': f32([P, H]),
  'bert.embeddings.token_type_embeddings.weight': f32([T, H]),
  'bert.embeddings.LayerNorm.weight': f32([H], 1), 'bert.embeddings.LayerNorm.bias': f32([H], 0),
};
const l = 'bert.encoder.layer.0.';
for (const m of ['attention.self.query', 'attention.self.key', 'attention.self.value',
                 'attention.output.dense']) {
  t[l + m + '.weight'] = f32([H, H]);
  t[l + m + '.bias'] = f32([H]);
}
t[l + 'attention.output.LayerNorm.weight'] = f32([H], 1);
t[l + 'attention.output.LayerNorm.bias'] = f32([H], 0);
t[l + 'intermediate.dense.weight'] = f32([I, H]);
t[l + 'intermediate.dense.bias'] = f32([I]);
t[l + 'output.dense.weight'] = f32([H, I]);
t[l + 'output.dense.bias'] = f32([H]);
t[l + 'output.LayerNorm.weight'] = f32([H], 1);
t[l + 'output.LayerNorm.bias'] = f32([H], 0);
t['bert.pooler.dense.weight'] = f32([H, H]);
t['bert.pooler.dense.bias'] = f32([H]);
t['classifier.weight'] = f32([L, H]);
t['classifier.bias'] = f32([L]);
const modelSt = safetensors(t);
out('fuzz_safetensors', 'tiny_bert', modelSt);

const tokenizerConfig = { do_lower_case: true, model_max_length: 16, tokenize_chinese_chars: true };
if (cli) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-seeds-'));
  fs.writeFileSync(path.join(tmp, 'config.json'), JSON.stringify(config));
  fs.writeFileSync(path.join(tmp, 'model.safetensors'), modelSt);
  fs.writeFileSync(path.join(tmp, 'vocab.txt'), vocab.join('\n') + '\n');
  fs.writeFileSync(path.join(tmp, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig));
  for (const dtype of ['fp32', 'fp16', 'int8']) {
    const o = path.join(tmp, `tiny_${dtype}.hbm`);
    execFileSync(cli, ['convert', tmp, '-o', o, '--dtype', dtype], { stdio: 'inherit' });
    out('fuzz_model_file', `tiny_${dtype}.hbm`, fs.readFileSync(o));
  }
  fs.rmSync(tmp, { recursive: true });
}
out('fuzz_model_file', 'tiny_hf.safetensors', modelSt);  // not a model file: rejected early

// ---- fuzz_config: config \0 tokenizer_config \0 tokenizer.json \0 special_tokens_map \0 exit
const nul = Buffer.from([0]);
const join = (parts) => Buffer.concat(parts.flatMap((p, i) => (i ? [nul, Buffer.from(p)] : [Buffer.from(p)])));
const exitCfgs = [
  '{"layers":[0,1],"default_rule":{"type":"entropy","threshold":0.3}}',
  '{"layers":[1],"default_rule":{"type":"patience","k":1}}',
  '{"layers":[0],"default_rule":{"type":"max_prob","threshold":0.9}}',
  '{"layers":[],"default_rule":null}',
];
let k = 0;
for (const m of fs.readdirSync(path.join(fx, 'models')).sort()) {
  const d = path.join(fx, 'models', m);
  const read = (f) => (fs.existsSync(path.join(d, f)) ? fs.readFileSync(path.join(d, f), 'utf8') : '');
  // tokenizer.json is large (the vocabulary): keep its non-vocab parts only.
  let tj = read('tokenizer.json');
  if (tj) {
    const j = JSON.parse(tj);
    if (j.model && j.model.vocab) j.model.vocab = Object.fromEntries(Object.entries(j.model.vocab).slice(0, 8));
    tj = JSON.stringify(j);
  }
  out('fuzz_config', m, join([read('config.json'), read('tokenizer_config.json'), tj,
                              read('special_tokens_map.json'), exitCfgs[k++ % exitCfgs.length]]));
}
for (const f of fs.readdirSync(path.join(fx, 'malformed'))) {
  if (f.endsWith('.json')) out('fuzz_config', f, fs.readFileSync(path.join(fx, 'malformed', f)));
}
out('fuzz_config', 'tiny', join([JSON.stringify(config), JSON.stringify(tokenizerConfig), '',
                                 '{"unk_token":"[UNK]","cls_token":{"content":"[CLS]"}}', exitCfgs[0]]));

// ---- fuzz_tokenizer / fuzz_run: texts
const texts = JSON.parse(fs.readFileSync(path.join(fx, 'texts.json'), 'utf8'));
const all = [...texts.texts, ...(texts.pairs || []).map((p) => (Array.isArray(p) ? p.join('\t') : String(p)))];
all.forEach((s, i) => {
  const b = Buffer.from(String(s));
  if (b.length > 2000) return;
  // tokenizer: flags, max_length, offset unit | split; vary the options over the texts
  const flags = [0x21, 0x20, 0x2b, 0x3d, 0x61, 0x71, 0xa1, 0x00][i % 8];
  out('fuzz_tokenizer', `text_${String(i).padStart(3, '0')}`,
      Buffer.concat([Buffer.from([flags, [0, 8, 16, 3][i % 4], (i % 3) | (32 << 2)]), b]));
  // run (Run mode): mode/model, max_length, flags, window, pairs/offsets, threshold
  if (i % 2 === 0) {
    out('fuzz_run', `run_${String(i).padStart(3, '0')}`,
        Buffer.concat([Buffer.from([1 | ((i >> 1) & 1) << 1, [0, 12, 40][i % 3], [0, 1, 0x20 | 3, 0x80, 0x40][i % 5],
                                    [0, 4, 1][i % 3], i % 4 === 0 ? 1 : 0, 0]), b]));
  }
});
// run (Forward mode): one/two sequences of a few ids
out('fuzz_run', 'forward_one', Buffer.from([0, 0, 0, 0, 4, 2, 0, 0, 7, 0, 0, 9, 0, 0, 3, 0, 0]));
out('fuzz_run', 'forward_two_bert', Buffer.from([2, 0x0d, 4, 1, 1, 3, 2, 0, 0, 5, 0, 0, 3, 0, 0,
                                                 2, 2, 0, 0, 3, 0, 1]));
