// The JS API surface: loading from a path and from bytes, info, tokenize options and offset
// units, run options and result shapes per task, dispose/Symbol.dispose, loadTokenizer.
import fs from 'node:fs';
import path from 'node:path';

import * as hb from '../../js/src/index.js';
import { FIXTURES, ROOT, modelDir, modelFiles } from './helpers.mjs';

function modelFilesAt(dir) {
  const read = (f) => (fs.existsSync(path.join(dir, f)) ? new Uint8Array(fs.readFileSync(path.join(dir, f))) : null);
  return {
    config: read('config.json'),
    weights: read('model.safetensors'),
    vocab: read('vocab.txt'),
    tokenizerConfig: read('tokenizer_config.json'),
    exitConfig: read('exit_config.json'),
    exitHeads: read('exit_heads.safetensors'),
  };
}

const { HummingbertError, loadModel, loadTokenizer } = hb;

describe('exports', () => {
  test('public names', () => {
    expect(Object.keys(hb).sort()).toEqual(
      [
      'DisposedError', 'ErrorCode', 'HummingbertError', 'InternalError', 'InvalidArgumentError', 'Model',
      'ModelLoadError', 'ResourceExhaustedError', 'Tokenizer', 'UnsupportedError', 'WorkerModel', 'convert',
      'createWorker', 'env', 'load', 'loadModel', 'loadTokenizer', 'memoryStats', 'pipeline', 'version',
    ].sort(),
    );
    expect(hb.version).toBe('0.1.0');
    expect(new HummingbertError('m', { code: 'NOT_FOUND' })).toMatchObject({ name: 'HummingbertError', code: 'NOT_FOUND', message: 'm' });
    expect(hb.ErrorCode.DISPOSED).toBe('DISPOSED');
  });
});

describe('sequence classifier', () => {
  let model;
  beforeAll(async () => {
    model = await loadModel(modelDir('bert_seqcls'));
  });
  afterAll(() => model.dispose());

  test('info', () => {
    expect(model.info).toEqual({
      architecture: 'BertForSequenceClassification',
      attention: 'dense',
      modelType: 'bert',
      task: 'sequence-classification',
      vocabSize: 3603,
      hiddenSize: 48,
      numLayers: 3,
      numHeads: 3,
      intermediateSize: 100,
      maxPositionEmbeddings: 128,
      typeVocabSize: 2,
      hiddenAct: 'gelu_new',
      layerNormEps: expect.closeTo(1e-5, 10),
      labels: ['negative', 'neutral', 'positive'],
      scoreFunction: 'softmax',
      hasPooler: true,
      maxLength: 128,
      lowercase: true,
      numThreads: 1,
      exitLayers: [],
      defaultExitRule: 'none',
      defaultExitThreshold: 0,
      defaultExitPatience: 0,
      dtype: 'fp32',
      int8Activations: '',
      relaxedSimd: false,
      limits: { maxTextBytes: 1048576, maxBatchSize: 4096, maxTotalTokens: 1048576 },
    });
    expect(Object.isFrozen(model.info)).toBe(true);
  });

  test('loading from bytes equals loading from the folder', async () => {
    const fromBytes = await loadModel(modelFiles('bert_seqcls'));
    expect(fromBytes.info).toEqual(model.info);
    expect(fromBytes.run('Some text')[0].logits).toEqual(model.run('Some text')[0].logits);
    fromBytes.dispose();
  });

  test('run result shape', () => {
    const [r] = model.run('Hello, world!');
    expect(Object.keys(r)).toEqual(
      ['ids', 'typeIds', 'tokens', 'offsets', 'truncated', 'attention', 'logits', 'probs', 'labelId', 'label', 'exitLayer', 'layers']);
    // No exit heads: the text leaves at the last layer, whose head is the final classifier.
    expect(r.exitLayer).toBe(3);
    expect(r.layers).toEqual([{ layer: 3, logits: r.logits, labelId: r.labelId, label: r.label }]);
    expect(r.ids).toBeInstanceOf(Int32Array);
    expect(r.typeIds).toBeInstanceOf(Int32Array);
    expect(r.logits).toBeInstanceOf(Float32Array);
    expect(r.logits).toHaveLength(3);
    expect(r.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // Copies, not views of wasm memory (which growth would detach).
    expect(r.logits.buffer.byteLength).toBe(12);
    expect(r.tokens).toEqual(['[CLS]', 'hell', '##o', ',', 'world', '!', '[SEP]']);
    expect(r.offsets).toEqual([[0, 0], [0, 4], [4, 5], [5, 6], [7, 12], [12, 13], [0, 0]]);
  });

  test('results survive wasm memory growth', async () => {
    const [before] = model.run('keep me');
    const snapshot = Array.from(before.logits);
    const big = await loadModel(modelDir('bert_encoder')); // allocates: the heap grows
    model.run('word '.repeat(100).split(' ').filter(Boolean));
    expect(Array.from(before.logits)).toEqual(snapshot);
    big.dispose();
  });

  test('embeddings and normalize', () => {
    const [r] = model.run('Hello', { embeddings: true, normalize: true });
    for (const key of ['cls', 'mean', 'pooler']) {
      expect(r[key]).toBeInstanceOf(Float32Array);
      expect(r[key]).toHaveLength(48);
      expect(Math.hypot(...r[key])).toBeCloseTo(1, 5);
    }
    const [raw] = model.run('Hello', { embeddings: true });
    expect(Math.hypot(...raw.cls)).not.toBeCloseTo(1, 3);
  });

  test('single text, array, pairs and mixes', () => {
    expect(model.run('a')).toHaveLength(1);
    expect(model.run([])).toEqual([]);
    const out = model.run(['first', ['question?', 'answer.'], new TextEncoder().encode('bytes')]);
    expect(out).toHaveLength(3);
    expect(Array.from(out[1].typeIds)).toEqual([0, 0, 0, 0, 1, 1, 1]);
    expect(out[2].tokens).toEqual(model.run('bytes')[0].tokens);
  });

  test('tokenize offsets in utf16, codepoint and byte units', () => {
    const text = 'a😀b é';
    const u16 = model.tokenize(text).offsets;
    const cp = model.tokenize(text, { offsets: 'codepoint' }).offsets;
    const bytes = model.tokenize(text, { offsets: 'byte' }).offsets;
    const tokens = model.tokenize(text).tokens;
    expect(tokens.length).toBe(u16.length);
    // JS indices slice the original string.
    u16.forEach(([b, e], i) => {
      if (tokens[i] !== '[CLS]' && tokens[i] !== '[SEP]' && tokens[i] !== '[UNK]') {
        expect(text.slice(b, e).toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '')).toBe(tokens[i].replace(/^##/, ''));
      }
    });
    const last = u16.length - 2;
    expect(u16[last]).toEqual([5, 6]);
    expect(cp[last]).toEqual([4, 5]);
    expect(bytes[last]).toEqual([7, 9]);
  });

  test('tokenize pair, maxLength and addSpecialTokens', () => {
    const e = model.tokenize('one two three four five', { pair: 'six seven', maxLength: 6 });
    expect(e.ids).toHaveLength(6);
    expect(e.truncated).toBe(true);
    expect(e.tokens[0]).toBe('[CLS]');
    const plain = model.tokenize('hello world', { addSpecialTokens: false });
    expect(plain.tokens).toEqual(['hell', '##o', 'world']);
  });

  test('early exit options', () => {
    const [off] = model.run('Hello', { earlyExit: 'off' });
    expect(off.exitLayer).toBe(3);
    expect(() => model.run('Hello', { earlyExit: 'entropy', exitThreshold: 0.3 })).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED', message: expect.stringContaining('no exit heads') }));
    expect(() => model.run('Hello', { earlyExit: 'soon' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining("earlyExit must be one of ['default', 'off'") }));
    expect(() => model.run('Hello', { exitThreshold: -0.5 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => model.run('Hello', { exitPatience: 1.5 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  test('maxLength in run', () => {
    const [r] = model.run('one two three four five six', { maxLength: 4 });
    expect(r.ids).toHaveLength(4);
    expect(r.truncated).toBe(true);
  });
});

describe('token classifier and encoder result shapes', () => {
  test('token classification: one row per token, argmax labels', async () => {
    const model = await loadModel(modelDir('bert_tokcls_cased'));
    expect(model.info.task).toBe('token-classification');
    const [r] = model.run('Hello John in Paris');
    expect(r.logits).toHaveLength(r.ids.length);
    r.logits.forEach((row) => expect(row).toHaveLength(model.info.labels.length));
    expect(r.probs[0].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(r.labels).toHaveLength(r.ids.length);
    expect(r.labelIds).toBeInstanceOf(Int32Array);
    r.labels.forEach((l, i) => expect(l).toBe(model.info.labels[r.labelIds[i]]));
    expect(r.label).toBeUndefined();
    model.dispose();
  });

  test('encoders return cls/mean (and pooler when the checkpoint has one)', async () => {
    const bert = await loadModel(modelDir('bert_encoder'));
    const [b] = bert.run('text');
    expect(bert.info).toMatchObject({ task: 'encoder', hasPooler: true, labels: [] });
    expect(b.cls).toHaveLength(32);
    expect(b.mean).toHaveLength(32);
    expect(b.pooler).toHaveLength(32);
    expect(b.logits).toBeUndefined();
    bert.dispose();
    const distil = await loadModel(modelDir('distilbert_encoder'));
    const [d] = distil.run('text');
    expect(d.pooler).toBeUndefined();
    expect(distil.info.hasPooler).toBe(false);
    distil.dispose();
  });
});

describe('early exit (web-demo/model: exit heads on layers 1-3 of 4)', () => {
  const dir = path.join(ROOT, 'web-demo/model');
  const texts = [
    'I loved it: the acting was superb and the story kept me hooked.',
    'A dull, lifeless film that wastes a talented cast.',
    "Not the worst thing I've seen this year, but close.",
  ];

  test('exit heads are loaded from the folder and from bytes; rules change the depth', async () => {
    const model = await loadModel(dir);
    expect(model.info).toMatchObject({ exitLayers: [1, 2, 3], defaultExitRule: 'entropy', numLayers: 4 });
    const byDefault = model.run(texts);
    for (const r of byDefault) {
      expect(r.exitLayer).toBeGreaterThanOrEqual(1);
      expect(r.layers.map((l) => l.layer)).toEqual([1, 2, 3, 4].slice(0, r.layers.length));
      expect(r.layers.at(-1)).toMatchObject({ layer: r.exitLayer, label: r.label, labelId: r.labelId });
      expect(r.layers.at(-1).logits).toEqual(r.logits);
    }
    expect(byDefault.some((r) => r.exitLayer < 4)).toBe(true);
    const full = model.run(texts, { earlyExit: 'off' });
    expect(full.map((r) => r.exitLayer)).toEqual([4, 4, 4]);
    // A threshold nothing reaches runs every head.
    const strict = model.run(texts, { earlyExit: 'entropy', exitThreshold: 0 });
    strict.forEach((r, i) => {
      expect(r.layers.map((l) => l.layer)).toEqual([1, 2, 3, 4]);
      expect(r.logits).toEqual(full[i].logits);
    });
    const files = modelFilesAt(dir);
    const fromBytes = await loadModel(files);
    expect(fromBytes.run(texts).map((r) => r.exitLayer)).toEqual(byDefault.map((r) => r.exitLayer));
    await expect(loadModel({ ...files, exitHeads: null })).rejects.toMatchObject({
      code: 'INVALID_MODEL',
      message: expect.stringContaining('need both exit_config.json and exit_heads.safetensors'),
    });
    fromBytes.dispose();
    model.dispose();
  });
});

describe('dispose', () => {
  test('Symbol.dispose frees the model (using declarations)', async () => {
    const model = await loadModel(modelDir('distilbert_tokcls'));
    expect(typeof Symbol.dispose === 'symbol' ? typeof model[Symbol.dispose] : 'function').toBe('function');
    if (typeof Symbol.dispose === 'symbol') {
      model[Symbol.dispose]();
      expect(model.disposed).toBe(true);
    }
  });
});

describe('loadTokenizer', () => {
  const vocab = path.join(FIXTURES, 'tokenizer/vocab_uncased.txt');

  test('from a path, bytes and {vocab}', async () => {
    const a = await loadTokenizer(vocab);
    const bytes = fs.readFileSync(vocab);
    const b = await loadTokenizer(new Uint8Array(bytes));
    const c = await loadTokenizer({ vocab: bytes.toString('utf8') }, { lowercase: true, maxLength: 8 });
    const text = 'Hello, wonderful 中文 world!';
    expect(a.tokenize(text)).toEqual(b.tokenize(text));
    expect(a.tokenize(text).tokens).toEqual(['[CLS]', 'hello', ',', 'wonderful', '中', '文', 'world', '!', '[SEP]']);
    expect(c.tokenize(text).ids).toHaveLength(8);
    for (const t of [a, b, c]) t.dispose();
  });

  test('cased', async () => {
    const t = await loadTokenizer(path.join(FIXTURES, 'tokenizer/vocab_cased.txt'), { lowercase: false });
    expect(t.tokenize('Hello').tokens[1]).toBe('Hello');
    t.dispose();
  });
});
