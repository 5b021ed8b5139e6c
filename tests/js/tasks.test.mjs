// The task API: classify / embed / tagTokens / tokenize on Model, pipeline(), batching by
// length buckets, task mismatches and wrong argument types.
import { DisposedError, UnsupportedError, load, loadModel, pipeline } from '../../js/src/index.js';
import { modelDir } from './helpers.mjs';

const POSITIVE = 'I loved it: the acting was superb and the story kept me hooked.';
const NEGATIVE = 'A dull, lifeless film that wastes a talented cast.';
const MIXED = [POSITIVE, 'ok', NEGATIVE, 'It is a charming and often affecting journey.', 'Not the worst thing I have seen this year, but close.'];

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

let demo;
let encoder;
let tagger;
beforeAll(async () => {
  demo = await load();
  encoder = await loadModel(modelDir('bert_encoder'));
  tagger = await loadModel(modelDir('bert_tokcls_cased'));
});
afterAll(() => [demo, encoder, tagger].forEach((m) => m.dispose()));

describe('classify', () => {
  test('one text: one result with every field', () => {
    const r = demo.classify(POSITIVE);
    expect(r).toEqual({
      label: 'positive',
      score: expect.any(Number),
      scores: { positive: expect.any(Number), negative: expect.any(Number) },
      exitLayer: expect.any(Number),
      layers: expect.any(Array),
      tokens: demo.tokenize(POSITIVE).ids.length,
      truncated: false,
      attention: 'dense',
      timeMs: expect.any(Number),
    });
    expect(r.score).toBe(r.scores.positive);
    expect(r.scores.positive + r.scores.negative).toBeCloseTo(1, 5);
    expect(Object.keys(r.scores)).toEqual(['positive', 'negative']); // most probable first
    expect(r.layers.at(-1)).toMatchObject({ layer: r.exitLayer, label: r.label });
    expect(r.layers.at(-1).score).toBeCloseTo(r.score, 5);
    expect(r.timeMs).toBeGreaterThanOrEqual(0);
  });

  test('an array: results in input order, equal to one-at-a-time', () => {
    const rs = demo.classify(MIXED);
    expect(rs).toHaveLength(MIXED.length);
    MIXED.forEach((t, i) => {
      const one = demo.classify(t);
      expect(rs[i].label).toBe(one.label);
      expect(rs[i].exitLayer).toBe(one.exitLayer);
      expect(rs[i].score).toBeCloseTo(one.score, 5);
    });
    expect(rs[0].label).toBe('positive');
    expect(rs[2].label).toBe('negative');
  });

  test('buckets of bounded tokens give the same results as one batch', () => {
    const texts = Array.from({ length: 40 }, (_, i) => MIXED[i % MIXED.length] + ' x'.repeat(i % 7));
    const big = demo.classify(texts);
    const small = demo.classify(texts, { batchTokens: 30 });
    expect(small.map((r) => [r.label, r.exitLayer, r.tokens])).toEqual(big.map((r) => [r.label, r.exitLayer, r.tokens]));
    small.forEach((r, i) => expect(r.score).toBeCloseTo(big[i].score, 5));
  });

  test('earlyExit: false runs every layer (only the final classifier is evaluated)', () => {
    const r = demo.classify(POSITIVE, { earlyExit: false });
    expect(r.exitLayer).toBe(demo.info.numLayers);
    expect(r.layers.map((l) => l.layer)).toEqual([demo.info.numLayers]);
    const d = demo.classify(NEGATIVE, { earlyExit: 'entropy', exitThreshold: 0 }); // never confident enough
    expect(d.layers.map((l) => l.layer)).toEqual([...demo.info.exitLayers, demo.info.numLayers]);
    const e = demo.classify(POSITIVE, { earlyExit: 'max-prob', exitThreshold: 0.5 });
    expect(e.exitLayer).toBe(demo.info.exitLayers[0]);
  });

  test('attention: reported per text; truncation, chunking and sliding window from the core', () => {
    expect(demo.classify(POSITIVE).attention).toBe('dense');
    const long = 'The film is long and slow but the ending is wonderful. '.repeat(20);
    const t = demo.classify(long);
    expect(t.attention).toMatch(/^truncated\(128 of (\d+)\)$/);
    expect(Number(/of (\d+)/.exec(t.attention)[1])).toBeGreaterThan(128);
    expect(demo.classify(long, { longInput: 'chunk' }).attention).toMatch(/^chunked\(\d+x128\)$/);
    expect(demo.classify(POSITIVE, { attention: 'sliding-window', window: 4 }).attention).toMatch(/^sliding_window\(4\)/);
    expect(demo.info.attention).toBe('dense');
    expect(demo.run(POSITIVE)[0].attention).toBe('dense');
    expect(thrown(() => demo.classify('x', { attention: 'sparse' })).message).toBe(
      "attention must be one of ['default', 'dense', 'sliding-window'], got 'sparse'");
    expect(thrown(() => demo.classify('x', { window: 1 })).message).toContain('window must be an integer >= 2');
    expect(thrown(() => demo.embed('x', { globalPositions: [-1] })).message).toContain('globalPositions must be an array');
    expect(thrown(() => demo.classify('x', { longInput: 'split' })).code).toBe('INVALID_ARGUMENT');
  });

  test('topK keeps the K most probable labels', () => {
    const r = demo.classify(NEGATIVE, { topK: 1 });
    expect(Object.keys(r.scores)).toEqual(['negative']);
  });

  test('maxLength truncates', () => {
    const r = demo.classify(POSITIVE, { maxLength: 6 });
    expect(r).toMatchObject({ tokens: 6, truncated: true });
    expect(demo.classify('word '.repeat(500)).tokens).toBe(demo.info.maxLength);
  });

  test('on an encoder or token classifier: UNSUPPORTED_TASK naming what to use', () => {
    const e = thrown(() => encoder.classify('hi'));
    expect(e).toBeInstanceOf(UnsupportedError);
    expect(e).toMatchObject({ code: 'UNSUPPORTED_TASK', message: expect.stringMatching(/classify\(\) needs a sequence-classification model.*encoder.*use embed\(\)/) });
    expect(thrown(() => tagger.classify('hi')).message).toContain('use tagTokens()');
  });

  test.each([
    [[42], 'texts must be a string or an array of strings'],
    [[null], 'texts must be a string or an array of strings'],
    [[['a', 1]], 'texts[1] is a number'],
    [[[['a', 'b', 'c']]], 'texts[0] is an array'],
    [['a', { topK: 0 }], 'topK must be a positive integer'],
    [['a', { earlyExit: 'sometimes' }], "earlyExit must be one of ['default', 'off', 'entropy', 'max-prob', 'patience']"],
    [['a', { exitThreshold: -1 }], 'exitThreshold must be a non-negative number'],
    [['a', { batchTokens: 'x' }], 'batchTokens must be a positive integer'],
    [['a', { pooling: 'cls' }], "unknown classify option 'pooling'"],
  ])('rejects %p up front', (args, fragment) => {
    const e = thrown(() => demo.classify(...args));
    expect(e).toMatchObject({ name: 'InvalidArgumentError', code: 'INVALID_ARGUMENT' });
    expect(e.message).toContain(fragment);
  });
});

describe('embed', () => {
  test('one Float32Array of hiddenSize per text, for any model', () => {
    const v = encoder.embed('hello world');
    expect(v).toBeInstanceOf(Float32Array);
    expect(v).toHaveLength(encoder.info.hiddenSize);
    const vs = demo.embed(['a', 'b c'], { pooling: 'cls' });
    expect(vs.map((x) => x.length)).toEqual([demo.info.hiddenSize, demo.info.hiddenSize]);
  });

  test('pooling matches run() embeddings; normalize gives unit length', () => {
    const [r] = encoder.run('hello world');
    expect(Array.from(encoder.embed('hello world', { pooling: 'cls' }))).toEqual(Array.from(r.cls));
    expect(Array.from(encoder.embed('hello world'))).toEqual(Array.from(r.mean));
    const n = encoder.embed('hello world', { normalize: true });
    expect(Math.hypot(...n)).toBeCloseTo(1, 5);
  });

  test("'pooler' needs a pooler; bad pooling is listed", () => {
    const withPooler = demo.info.hasPooler ? demo : encoder;
    expect(withPooler.embed('x', { pooling: 'pooler' })).toHaveLength(withPooler.info.hiddenSize);
    expect(thrown(() => demo.embed('x', { pooling: 'max' })).message).toBe("pooling must be one of ['cls', 'mean', 'pooler'], got 'max'");
  });
});

describe('tagTokens', () => {
  test('labels per token with UTF-16 offsets, special tokens left out', () => {
    const text = 'Zoë lives in Paris 😀 now';
    const tags = tagger.tagTokens(text);
    const e = tagger.tokenize(text);
    expect(tags).toHaveLength(e.tokens.length - 2);
    for (const t of tags) {
      expect(t).toEqual({ token: expect.any(String), label: expect.any(String), score: expect.any(Number), start: expect.any(Number), end: expect.any(Number) });
      expect(tagger.info.labels).toContain(t.label);
      expect(t.end).toBeGreaterThan(t.start);
    }
    // UTF-16: slicing the text gives the token's surface (for non-[UNK] word pieces).
    const paris = tags.find((t) => t.token === 'Paris');
    if (paris) expect(text.slice(paris.start, paris.end)).toBe('Paris');
    const [r] = tagger.run(text);
    expect(tags.map((t) => t.label)).toEqual(r.labels.slice(1, -1));
  });

  test('arrays and ignoreLabels', () => {
    const [a, b] = tagger.tagTokens(['Paris', 'Berlin is big']);
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    const all = tagger.tagTokens('Berlin is big');
    const label = all[0].label;
    expect(tagger.tagTokens('Berlin is big', { ignoreLabels: [label] }).every((t) => t.label !== label)).toBe(true);
    expect(thrown(() => tagger.tagTokens('x', { ignoreLabels: 'O' })).code).toBe('INVALID_ARGUMENT');
  });

  test('on a sequence classifier: UNSUPPORTED_TASK', () => {
    expect(thrown(() => demo.tagTokens('x'))).toMatchObject({ code: 'UNSUPPORTED_TASK', message: expect.stringContaining('use classify()') });
  });
});

describe('dispose', () => {
  test('every method throws DisposedError; Symbol.dispose frees', async () => {
    const m = await load();
    m[Symbol.dispose]();
    expect(m.disposed).toBe(true);
    for (const call of [() => m.classify('x'), () => m.embed('x'), () => m.tagTokens('x'), () => m.tokenize('x')]) {
      const e = thrown(call);
      expect(e).toBeInstanceOf(DisposedError);
      expect(e.code).toBe('DISPOSED');
    }
    m.dispose(); // idempotent
  });
});

describe('pipeline', () => {
  test('sentiment-analysis: transformers.js shapes', async () => {
    const classifier = await pipeline('sentiment-analysis');
    expect(await classifier(POSITIVE)).toEqual([{ label: 'positive', score: expect.any(Number) }]);
    const two = await classifier([POSITIVE, NEGATIVE]);
    expect(two.map((r) => r.label)).toEqual(['positive', 'negative']);
    const both = await classifier(POSITIVE, { top_k: 2 });
    expect(both.map((r) => r.label)).toEqual(['positive', 'negative']);
    expect(classifier.task).toBe('sentiment-analysis');
    classifier.dispose();
  });

  test('feature-extraction: a {data, dims} tensor', async () => {
    const extractor = await pipeline('feature-extraction', modelDir('bert_encoder'));
    const t = await extractor(['a', 'b c'], { pooling: 'mean', normalize: true });
    expect(t.dims).toEqual([2, extractor.model.info.hiddenSize]);
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(t.tolist()).toHaveLength(2);
    await expect(extractor('a', { pooling: 'none' })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    extractor.dispose();
  });

  test('token-classification / ner', async () => {
    const ner = await pipeline('ner', modelDir('bert_tokcls_cased'));
    const out = await ner('John lives in Paris', { ignore_labels: [] });
    expect(out[0]).toEqual({ entity: expect.any(String), score: expect.any(Number), index: 0, word: expect.any(String), start: expect.any(Number), end: expect.any(Number) });
    ner.dispose();
  });

  test('wrong task for the model, unknown task', async () => {
    await expect(pipeline('ner')).rejects.toMatchObject({ code: 'UNSUPPORTED_TASK', message: expect.stringContaining("the 'ner' pipeline needs a token-classification model") });
    await expect(pipeline('translation')).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining("task must be one of ['sentiment-analysis', 'text-classification', 'feature-extraction', 'token-classification', 'ner']"),
    });
  });
});
