// Input limits (InputLimits in js/types/index.d.ts, hb::InputLimits in the core): defaults in
// info.limits, set per model at load and per call, RESOURCE_EXHAUSTED errors that name the limit
// and how to raise it, checked before any work; the model keeps working afterwards.
import { ResourceExhaustedError, createWorker, load, loadTokenizer } from '../../js/src/index.js';
import { modelFiles } from './helpers.mjs';

let model;
beforeAll(async () => {
  model = await load();
});
afterAll(() => model?.dispose());

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
}

function expectLimit(e, fragment) {
  expect(e).toBeInstanceOf(ResourceExhaustedError);
  expect(e.code).toBe('RESOURCE_EXHAUSTED');
  expect(e.message).toContain(fragment);
  expect(e.message).toMatch(/raise it with the max\w+ option in JS/);
  expect(model.classify('I loved it.').label).toBe('positive');
}

test('defaults are reported in info.limits', () => {
  expect(model.info.limits).toEqual({ maxTextBytes: 1048576, maxBatchSize: 4096, maxTotalTokens: 1048576 });
  expect(Object.isFrozen(model.info.limits)).toBe(true);
});

test('text bytes: JS pre-check (UTF-16 length) and the core (exact UTF-8 bytes)', () => {
  const limits = { maxTextBytes: 8 };
  expect(model.classify('12345678', { limits }).label).toBeDefined();
  // 9 UTF-16 units: refused before the copy into wasm.
  expectLimit(thrown(() => model.classify('123456789', { limits })), 'text 0 is at least 9 bytes of UTF-8, over the limit max_text_bytes = 8');
  // 5 UTF-16 units but 10 UTF-8 bytes: refused by the core.
  expectLimit(thrown(() => model.embed(['ok', '\u00e9\u00e9\u00e9\u00e9\u00e9'], { limits })), 'text 1 is 10 bytes of UTF-8, over the limit max_text_bytes = 8');
  // Pairs count both texts; Uint8Array counts its bytes.
  expectLimit(thrown(() => model.run([['12345', '6789']], { limits })), 'max_text_bytes = 8');
  expectLimit(thrown(() => model.run(new Uint8Array(9).fill(97), { limits })), 'max_text_bytes = 8');
  expectLimit(thrown(() => model.tokenize('123456789', { limits })), 'the text is at least 9 bytes');
  expectLimit(thrown(() => model.tokenize('\u00e9\u00e9\u00e9\u00e9\u00e9', { limits, pair: 'x' })), 'the text is 11 bytes');
});

test('batch size is checked on the whole batch, before bucketing', () => {
  const texts = Array.from({ length: 5 }, () => 'ok');
  expect(model.classify(texts, { limits: { maxBatchSize: 5 } })).toHaveLength(5);
  expectLimit(thrown(() => model.classify(texts, { limits: { maxBatchSize: 4 }, batchTokens: 4 })), 'a batch of 5 inputs is over the limit max_batch_size = 4');
  expectLimit(thrown(() => model.run(Array.from({ length: 4097 }, () => 'a'))), 'max_batch_size = 4096');
});

test('total tokens, chunked windows included', () => {
  const text = 'word '.repeat(100);
  expect(model.run(text, { longInput: 'chunk', maxLength: 32, limits: { maxTotalTokens: 1000 } })[0].attention).toMatch(/^chunked/);
  expectLimit(thrown(() => model.run(text, { longInput: 'chunk', maxLength: 32, limits: { maxTotalTokens: 100 } })), 'max_total_tokens = 100');
  // A huge chunked text at a tiny window fails fast instead of building millions of windows.
  const t0 = performance.now();
  expectLimit(thrown(() => model.run('a '.repeat(500000), { longInput: 'chunk', maxLength: 3 })), 'chunked windows included');
  expect(performance.now() - t0).toBeLessThan(10000);
});

test('limits set at load; per-call values override them', async () => {
  const m = await load(undefined, { limits: { maxTextBytes: 4, maxBatchSize: 2 } });
  try {
    expect(m.info.limits).toEqual({ maxTextBytes: 4, maxBatchSize: 2, maxTotalTokens: 1048576 });
    expectLimit(thrown(() => m.classify('hello')), 'max_text_bytes = 4');
    expect(m.classify('hello', { limits: { maxTextBytes: 5 } }).label).toBeDefined();
    expectLimit(thrown(() => m.classify(['a', 'b', 'c'])), 'max_batch_size = 2');
  } finally {
    m.dispose();
  }
});

test('bad limit values are INVALID_ARGUMENT', async () => {
  for (const limits of [{ maxTextBytes: 0 }, { maxBatchSize: -1 }, { maxTotalTokens: 1.5 }, { maxTextBytes: '10' }, { bogus: 1 }, 7, [1]]) {
    expect(thrown(() => model.classify('x', { limits })).code).toBe('INVALID_ARGUMENT');
  }
  await expect(load(undefined, { limits: { maxBatchSize: 2 ** 32 } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  expect(thrown(() => model.tokenize('x', { limits: { maxBatchSize: 3 } })).code).toBe('INVALID_ARGUMENT');
});

test('standalone tokenizer and worker', async () => {
  const tok = await loadTokenizer({ vocab: modelFiles('distilbert_tokcls').vocab });
  try {
    expect(thrown(() => tok.tokenize('x'.repeat((1 << 20) + 1))).code).toBe('RESOURCE_EXHAUSTED');
    expect(tok.tokenize('x'.repeat((1 << 20) + 1), { limits: { maxTextBytes: 2 << 20 } }).ids.length).toBeGreaterThan(0);
  } finally {
    tok.dispose();
  }
  const worker = await createWorker(undefined, { limits: { maxBatchSize: 1 } });
  try {
    expect(worker.info.limits.maxBatchSize).toBe(1);
    await expect(worker.classify(['a', 'b'])).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED' });
    expect((await worker.classify(['a', 'b'], { limits: { maxBatchSize: 2 } })).length).toBe(2);
  } finally {
    await worker.dispose();
  }
});
