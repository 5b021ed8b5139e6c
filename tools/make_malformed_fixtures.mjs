// Writes the malformed model files in tests/fixtures/malformed/ that the C++, CLI and JS tests
// use to check that hostile input gives a clear error, never a crash. Deterministic; Node 20,
// no dependencies. Run: node tools/make_malformed_fixtures.mjs [out_dir]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const outDir = process.argv[2] ??
    join(dirname(fileURLToPath(import.meta.url)), '..', 'tests', 'fixtures', 'malformed');

// 8-byte little-endian header length (may lie), header text, data bytes.
function safetensors(headerText, data, headerLength = Buffer.byteLength(headerText)) {
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(headerLength));
  return Buffer.concat([len, Buffer.from(headerText, 'utf8'), data]);
}

// A header object -> text padded with spaces to a multiple of 8, as the reference writer does.
function headerText(header) {
  const text = JSON.stringify(header);
  return text.padEnd(Math.ceil(text.length / 8) * 8, ' ');
}

// dense.weight [4, 4] F32 at [0, 64), dense.bias [4] F32 at [64, 80): the valid base file.
function f32Bytes(n, start) {
  const b = Buffer.alloc(4 * n);
  for (let i = 0; i < n; ++i) b.writeFloatLE(start + i / 8, 4 * i);
  return b;
}
const data = Buffer.concat([f32Bytes(16, 1), f32Bytes(4, -1)]);
const validHeader = () => ({
  __metadata__: { format: 'pt' },
  'dense.weight': { dtype: 'F32', shape: [4, 4], data_offsets: [0, 64] },
  'dense.bias': { dtype: 'F32', shape: [4], data_offsets: [64, 80] },
});
const valid = safetensors(headerText(validHeader()), data);

const files = {};
// Cut in the middle of the data section.
files['truncated.safetensors'] = valid.subarray(0, valid.length - 40);
// Header length says more bytes than the file has.
files['header_length_past_end.safetensors'] =
    safetensors(headerText(validHeader()), data, 1 << 20);
files['empty.safetensors'] = Buffer.alloc(0);
{
  const h = validHeader();
  h['dense.weight'].data_offsets = [1000000, 1000064];
  files['bad_offsets.safetensors'] = safetensors(headerText(h), data);
}
files['header_not_json.safetensors'] = safetensors('this is not json', data);
{
  const h = validHeader();
  h['dense.weight'].shape = [8, 8];
  files['lying_shape.safetensors'] = safetensors(headerText(h), data);
}
{
  const h = validHeader();
  h['dense.weight'] = { dtype: 'F8_E4M3', shape: [4, 16], data_offsets: [0, 64] };
  files['wrong_dtype.safetensors'] = safetensors(headerText(h), data);
}

// config.json files: a tiny but otherwise valid BERT config with one thing wrong.
const config = (changes) => JSON.stringify({
  architectures: ['BertForSequenceClassification'],
  model_type: 'bert',
  vocab_size: 32,
  hidden_size: 16,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  intermediate_size: 32,
  max_position_embeddings: 64,
  type_vocab_size: 2,
  hidden_act: 'gelu',
  layer_norm_eps: 1e-12,
  id2label: { 0: 'NEGATIVE', 1: 'POSITIVE' },
  ...changes,
}, null, 2) + '\n';
files['bad_activation.json'] = config({ hidden_act: 'swish' });
files['unsupported_arch.json'] = config({ architectures: ['BertForMaskedLM'] });
files['not_json.json'] = config({}).slice(0, 60);

mkdirSync(outDir, { recursive: true });
for (const [name, bytes] of Object.entries(files)) {
  writeFileSync(join(outDir, name), bytes);
  console.log(`${name}: ${bytes.length} bytes`);
}
