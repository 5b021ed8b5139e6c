// Property-based hardening tests (fast-check, fixed seed, bounded runs): every public function
// of the JS API gets arbitrary wrong types, detached ArrayBuffers, huge strings, lone
// surrogates, invalid UTF-8, null/undefined, disposed models and concurrent calls. Each call
// must either succeed with a well-formed result or throw/reject a HummingbertError with a known
// code and a message, and the module must stay usable: a reference classify() gives the same
// result after every case.
import fc from 'fast-check';

import {
  ErrorCode,
  HummingbertError,
  convert,
  createWorker,
  load,
  loadModel,
  loadTokenizer,
  memoryStats,
  pipeline,
} from '../../js/src/index.js';
import { modelFiles } from './helpers.mjs';

// HB_PROPERTY_SEED / HB_PROPERTY_RUNS: another seed or a longer run (the default takes ~10 s).
const SEED = Number(process.env.HB_PROPERTY_SEED ?? 0x5eed10);
const RUNS = Number(process.env.HB_PROPERTY_RUNS ?? 100);
const CODES = new Set(Object.values(ErrorCode));
const REFERENCE_TEXT = 'I loved it: the acting was superb.';

let model; // the embedded demo (sequence classifier)
let tagger; // token classifier
let tokenizer;
let reference;
let realFetch;

function stable(r) {
  const { timeMs, ...rest } = r;
  return rest;
}

beforeAll(async () => {
  // Arbitrary strings may look like URLs: no test may touch the network.
  realFetch = globalThis.fetch;
  globalThis.fetch = async () => {
    throw new TypeError('fetch disabled in property tests');
  };
  model = await load();
  tagger = await loadModel(modelFiles('distilbert_tokcls'));
  tokenizer = await loadTokenizer({ vocab: modelFiles('distilbert_tokcls').vocab });
  reference = stable(model.classify(REFERENCE_TEXT));
});
afterAll(() => {
  globalThis.fetch = realFetch;
  model?.dispose();
  tagger?.dispose();
  tokenizer?.dispose();
});

/** The outcome of fn(): {ok, value} or {ok: false, error}; anything but a HummingbertError fails. */
async function outcome(fn) {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (!(e instanceof HummingbertError)) {
      throw new Error(`threw a non-HummingbertError: ${e?.name}: ${e?.message}`, { cause: e });
    }
    expect(CODES.has(e.code)).toBe(true);
    expect(typeof e.message).toBe('string');
    expect(e.message.length).toBeGreaterThan(0);
    return { ok: false, error: e };
  }
}

function stillUsable() {
  expect(stable(model.classify(REFERENCE_TEXT))).toEqual(reference);
}

function detachedBytes(n) {
  const bytes = new Uint8Array(n).fill(97);
  structuredClone(bytes.buffer, { transfer: [bytes.buffer] }); // detaches `bytes`
  return bytes;
}

const LONE = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF'];

// Texts: valid, lone surrogates, invalid UTF-8 bytes, detached views, huge (over the limit).
const textArb = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...LONE)).map(([s, l]) => s + l) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.nat(64).map(detachedBytes) },
  { weight: 1, arbitrary: fc.constantFrom('a'.repeat((1 << 20) + 1), '\u00e9'.repeat(600000), 'x '.repeat(300000)) },
);

// Wrong types of every kind, and a few special objects.
const junkArb = fc.oneof(
  fc.anything({ maxDepth: 2, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }),
  fc.constantFrom(null, undefined, NaN, Infinity, -1, 0, 2 ** 53, Symbol('s'), () => 1, new ArrayBuffer(4), new DataView(new ArrayBuffer(2)), new Float32Array(3), Promise.resolve(1), new Proxy({}, {}), Object.create(null)),
  fc.nat(8).map(detachedBytes),
);

const textsArb = fc.oneof(
  { weight: 3, arbitrary: textArb },
  { weight: 3, arbitrary: fc.array(fc.oneof(textArb, fc.tuple(textArb, textArb)), { maxLength: 6 }) },
  { weight: 2, arbitrary: junkArb },
  { weight: 1, arbitrary: fc.array(junkArb, { maxLength: 4 }) },
);

const OPTION_KEYS = [
  'maxLength', 'topK', 'batchTokens', 'earlyExit', 'exitThreshold', 'exitPatience', 'attention', 'window',
  'globalPositions', 'longInput', 'limits', 'pooling', 'normalize', 'ignoreLabels', 'embeddings', 'offsets',
  'pair', 'addSpecialTokens', 'bogus',
];
const optionValueArb = fc.oneof(
  junkArb,
  fc.integer({ min: -5, max: 600 }),
  fc.constantFrom('truncate', 'chunk', 'dense', 'sliding-window', 'default', 'entropy', 'off', 'patience', 'max-prob', 'cls', 'mean', 'pooler', 'utf16', 'byte', 'codepoint', true, false),
  fc.array(fc.integer({ min: -2, max: 200 }), { maxLength: 4 }),
  fc.record({ maxTextBytes: fc.oneof(fc.integer({ min: -1, max: 64 }), junkArb), maxBatchSize: fc.integer({ min: 0, max: 4 }), maxTotalTokens: fc.integer({ min: 0, max: 64 }) }, { requiredKeys: [] }),
);
const optionsArb = fc.oneof(
  { weight: 1, arbitrary: junkArb },
  { weight: 4, arbitrary: fc.dictionary(fc.constantFrom(...OPTION_KEYS), optionValueArb, { maxKeys: 4 }) },
);

// numRuns: per property, at the default RUNS; scaled with HB_PROPERTY_RUNS.
const params = (numRuns = 100) => ({ seed: SEED, numRuns: Math.max(1, Math.round((numRuns * RUNS) / 100)), endOnFailure: true });

/** Checks the shape of a successful classify() result for `texts`. */
function checkClassify(texts, r) {
  const one = (x) => {
    expect(model.info.labels).toContain(x.label);
    expect(x.score).toBeGreaterThanOrEqual(0);
    expect(x.score).toBeLessThanOrEqual(1);
  };
  if (Array.isArray(texts)) {
    expect(r).toHaveLength(texts.length);
    r.forEach(one);
  } else {
    one(r);
  }
}

describe('arbitrary arguments', () => {
  test('classify', async () => {
    await fc.assert(
      fc.asyncProperty(textsArb, optionsArb, async (texts, options) => {
        const o = await outcome(() => model.classify(texts, options));
        if (o.ok) checkClassify(texts, o.value);
        stillUsable();
      }),
      params(),
    );
  });

  test('embed, run and tokenize', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('embed', 'run', 'tokenize'), textsArb, optionsArb, async (method, texts, options) => {
        const o = await outcome(() => model[method](texts, options));
        if (o.ok && method === 'embed') {
          const vs = Array.isArray(texts) ? o.value : [o.value];
          for (const v of vs) {
            expect(v).toBeInstanceOf(Float32Array);
            expect(v.length).toBe(model.info.hiddenSize);
            expect(v.every(Number.isFinite)).toBe(true);
          }
        }
        if (o.ok && method === 'tokenize') {
          expect(o.value.ids.length).toBe(o.value.offsets.length);
          expect(o.value.ids.every((id) => id >= 0 && id < model.info.vocabSize)).toBe(true);
        }
        stillUsable();
      }),
      params(),
    );
  });

  test('tagTokens and a standalone Tokenizer', async () => {
    await fc.assert(
      fc.asyncProperty(textsArb, optionsArb, async (texts, options) => {
        const o = await outcome(() => tagger.tagTokens(texts, options));
        if (o.ok) {
          const all = Array.isArray(texts) ? o.value : [o.value];
          for (const tags of all) for (const t of tags) expect(t.end).toBeGreaterThan(t.start);
        }
        await outcome(() => tokenizer.tokenize(texts, options));
        stillUsable();
      }),
      params(),
    );
  });

  test('load, loadModel, convert and pipeline with arbitrary sources and options', async () => {
    const sourceArb = fc.oneof(
      junkArb,
      fc.uint8Array({ maxLength: 64 }),
      fc.string({ maxLength: 20 }).map((s) => `no/such/${s}`),
      fc.record({ config: fc.oneof(fc.string({ maxLength: 20 }), junkArb), weights: fc.oneof(fc.uint8Array({ maxLength: 32 }), junkArb), vocab: fc.oneof(fc.string({ maxLength: 20 }), junkArb) }, { requiredKeys: [] }),
    );
    const loadOptionsArb = fc.oneof(junkArb, fc.dictionary(fc.constantFrom('numThreads', 'dtype', 'limits', 'onProgress', 'bogus'), optionValueArb, { maxKeys: 3 }));
    const taskArb = fc.oneof(fc.constantFrom('sentiment-analysis', 'feature-extraction', 'ner', 'token-classification'), junkArb);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('load', 'loadModel', 'convert', 'pipeline'), sourceArb, loadOptionsArb, taskArb, async (fn, source, options, task) => {
        const o = await outcome(() => {
          if (fn === 'load') return load(source, options);
          if (fn === 'loadModel') return loadModel(source);
          if (fn === 'convert') return convert(source, options);
          return pipeline(task, source, options);
        });
        // A junk source may be `undefined` (the demo model): a success must then be usable.
        if (o.ok && o.value && typeof o.value.dispose === 'function') o.value.dispose();
        stillUsable();
      }),
      params(40),
    );
  });

  test('memoryStats ignores its arguments', async () => {
    await fc.assert(
      fc.asyncProperty(junkArb, async (x) => {
        const s = await memoryStats(x);
        expect(s.heapSize).toBeGreaterThan(0);
        expect(s.allocated).toBeGreaterThan(0);
      }),
      params(20),
    );
  });
});

describe('limits', () => {
  test('a 100 MB string fails fast with RESOURCE_EXHAUSTED, naming the limit', async () => {
    const huge = 'a'.repeat(100 * 1024 * 1024);
    const t0 = performance.now();
    for (const call of [() => model.classify(huge), () => model.embed([huge]), () => model.tokenize(huge), () => model.run(['ok', huge], { longInput: 'chunk' })]) {
      const o = await outcome(call);
      expect(o.ok).toBe(false);
      expect(o.error.code).toBe('RESOURCE_EXHAUSTED');
      expect(o.error.message).toMatch(/max_text_bytes = 1048576.*maxTextBytes/);
    }
    expect(performance.now() - t0).toBeLessThan(2000);
    stillUsable();
  });

  test('arbitrary per-call limits: either within them or RESOURCE_EXHAUSTED', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ maxLength: 30 }), { minLength: 1, maxLength: 6 }),
        fc.record({ maxTextBytes: fc.integer({ min: 1, max: 40 }), maxBatchSize: fc.integer({ min: 1, max: 6 }), maxTotalTokens: fc.integer({ min: 1, max: 80 }) }, { requiredKeys: [] }),
        fc.constantFrom('truncate', 'chunk'),
        async (texts, limits, longInput) => {
          const o = await outcome(() => model.run(texts, { limits, longInput, maxLength: 8 }));
          const bytes = texts.map((t) => Buffer.byteLength(t));
          const overText = limits.maxTextBytes !== undefined && bytes.some((b) => b > limits.maxTextBytes);
          const overBatch = limits.maxBatchSize !== undefined && texts.length > limits.maxBatchSize;
          if (overText || overBatch) {
            expect(o.ok).toBe(false);
            expect(o.error.code).toBe('RESOURCE_EXHAUSTED');
          }
          if (o.ok) {
            const total = o.value.reduce((s, r) => s + r.ids.length, 0);
            if (limits.maxTotalTokens !== undefined && longInput === 'truncate') expect(total).toBeLessThanOrEqual(limits.maxTotalTokens);
          } else {
            expect(['RESOURCE_EXHAUSTED', 'INVALID_ARGUMENT']).toContain(o.error.code);
          }
        },
      ),
      params(),
    );
    stillUsable();
  });
});

describe('disposed models and concurrency', () => {
  test('every method of a disposed model throws DISPOSED, dispose() is idempotent', async () => {
    const m = await load();
    m.dispose();
    m.dispose();
    expect(m.disposed).toBe(true);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('classify', 'embed', 'run', 'tokenize', 'tagTokens'), textsArb, optionsArb, async (method, texts, options) => {
        const o = await outcome(() => m[method](texts, options));
        expect(o.ok).toBe(false);
        expect(o.error.code).toBe('DISPOSED');
      }),
      params(30),
    );
    expect(m.info.labels).toEqual(model.info.labels); // info stays readable
    stillUsable();
  });

  test('concurrent loads, calls and disposes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('load', 'classify', 'bad-load', 'dispose-early'), { minLength: 2, maxLength: 6 }), async (ops) => {
        const results = await Promise.all(
          ops.map(async (op) => {
            if (op === 'classify') return stable(model.classify(REFERENCE_TEXT));
            if (op === 'bad-load') return outcome(() => load(new Uint8Array([1, 2, 3])));
            const m = await load();
            if (op === 'dispose-early') {
              m.dispose();
              return outcome(() => m.classify(REFERENCE_TEXT));
            }
            const r = stable(m.classify(REFERENCE_TEXT));
            m.dispose();
            return r;
          }),
        );
        ops.forEach((op, i) => {
          if (op === 'classify' || op === 'load') expect(results[i]).toEqual(reference);
          if (op === 'bad-load') expect(results[i].error.code).toBe('INVALID_MODEL');
          if (op === 'dispose-early') expect(results[i].error.code).toBe('DISPOSED');
        });
      }),
      params(15),
    );
    stillUsable();
  });

  test('a worker: arbitrary arguments, concurrent calls, then dispose', async () => {
    const worker = await createWorker();
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom('classify', 'embed', 'tokenize', 'run'), textsArb, optionsArb), { minLength: 1, maxLength: 4 }), async (calls) => {
          // All in flight at once; each settles on its own.
          const outs = await Promise.all(calls.map(([method, texts, options]) => outcome(() => worker[method](texts, options))));
          expect(outs).toHaveLength(calls.length);
          expect(stable(await worker.classify(REFERENCE_TEXT))).toEqual(reference);
        }),
        params(15),
      );
      const bad = await outcome(() => createWorker(new Uint8Array([0, 1, 2])));
      expect(bad.ok).toBe(false);
      expect(bad.error.code).toBe('INVALID_MODEL');
    } finally {
      await worker.dispose();
    }
    const after = await outcome(() => worker.classify(REFERENCE_TEXT));
    expect(after.error.code).toBe('DISPOSED');
    stillUsable();
  }, 120000);
});
