// Errors reach JS as HummingbertError with the core's code and message, and the module keeps
// working afterwards: hostile model bytes, bad configs, wrong argument types, invalid UTF-8,
// use after dispose.
import fs from 'node:fs';
import path from 'node:path';

import { ErrorCode, HummingbertError, loadModel, loadTokenizer } from '../../js/src/index.js';
import { FIXTURES, modelDir, modelFiles } from './helpers.mjs';

const base = modelFiles('bert_seqcls');
let model; // loaded before the hostile inputs; must keep working after each of them

beforeAll(async () => {
  model = await loadModel(base);
});
afterAll(() => model?.dispose());

const CLASS_FOR_CODE = {
  INVALID_ARGUMENT: 'InvalidArgumentError',
  INVALID_MODEL: 'ModelLoadError',
  NOT_FOUND: 'ModelLoadError',
  IO_ERROR: 'ModelLoadError',
  NETWORK_ERROR: 'ModelLoadError',
  UNSUPPORTED: 'UnsupportedError',
  UNSUPPORTED_TASK: 'UnsupportedError',
  RESOURCE_EXHAUSTED: 'ResourceExhaustedError',
  DISPOSED: 'DisposedError',
  INTERNAL: 'InternalError',
};

/** Asserts fn() rejects/throws HummingbertError with `code` and a message containing `fragment`. */
async function expectError(fn, code, fragment) {
  let error;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(HummingbertError);
  expect(error).toBeInstanceOf(Error);
  // The subclass follows the code (InvalidArgumentError for INVALID_ARGUMENT, ...).
  expect(error.name).toBe(CLASS_FOR_CODE[code]);
  expect(error.constructor.name).toBe(CLASS_FOR_CODE[code]);
  expect({ code: error.code, message: error.message }).toEqual({
    code,
    message: expect.stringContaining(fragment),
  });
  // The module is still usable: a model loaded before the error still runs.
  expect(model.run('still works')[0].label).toMatch(/^(negative|neutral|positive)$/);
  return error;
}

function withWeights(weights) {
  return { ...base, weights };
}

describe('hostile safetensors bytes', () => {
  const w = base.weights;

  test('truncated weights', () =>
    expectError(() => loadModel(withWeights(w.subarray(0, w.length >> 1))), 'INVALID_MODEL', 'truncated file'));

  test('header length flipped to a huge value', () => {
    const flipped = w.slice();
    flipped[7] ^= 0x7f; // high byte of the little-endian u64 header length
    return expectError(() => loadModel(withWeights(flipped)), 'INVALID_MODEL', 'safetensors header length is');
  });

  test('header length one byte too long', () => {
    const bumped = w.slice();
    const view = new DataView(bumped.buffer);
    view.setUint32(0, view.getUint32(0, true) + 1, true);
    return expectError(() => loadModel(withWeights(bumped)), 'INVALID_MODEL', 'safetensors header');
  });

  test('garbage bytes', () => {
    let x = 12345;
    const garbage = new Uint8Array(8192).map(() => ((x = (x * 1103515245 + 12345) >>> 0) >>> 24));
    return expectError(() => loadModel(withWeights(garbage)), 'INVALID_MODEL', 'safetensors');
  });

  test('empty weights', () =>
    expectError(() => loadModel(withWeights(new Uint8Array(0))), 'INVALID_MODEL', 'too small to be safetensors'));

  test('an ArrayBuffer and a DataView are accepted as bytes', async () => {
    const ab = w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength);
    (await loadModel(withWeights(ab))).dispose();
    (await loadModel(withWeights(new DataView(ab)))).dispose();
  });
});

describe('bad config.json', () => {
  test('not JSON', () =>
    expectError(() => loadModel({ ...base, config: '{"model_type": "bert",' }), 'INVALID_MODEL', 'config.json is not valid JSON'));

  test('unsupported architecture', () => {
    const config = new TextDecoder().decode(base.config).replace('BertForSequenceClassification', 'BertForMaskedLM');
    return expectError(() => loadModel({ ...base, config }), 'UNSUPPORTED', "architecture 'BertForMaskedLM' is not supported");
  });

  test('unsupported model_type', () =>
    expectError(
      () => loadModel({ ...base, config: JSON.stringify({ model_type: 'gpt2', architectures: ['GPT2LMHeadModel'] }) }),
      'UNSUPPORTED',
      "model_type 'gpt2' is not supported",
    ));

  test('shape that disagrees with the weights', () => {
    const config = new TextDecoder().decode(base.config).replace('"hidden_size": 48', '"hidden_size": 24');
    return expectError(() => loadModel({ ...base, config }), 'INVALID_MODEL', 'shape');
  });
});

// tests/fixtures/malformed/README.md is the table of expected errors (shared with the C++ and
// CLI tests): | `file` | what | `CODE` | `message fragment` |
describe('malformed fixtures (tests/fixtures/malformed/README.md)', () => {
  const dir = path.join(FIXTURES, 'malformed');
  const readme = fs.existsSync(path.join(dir, 'README.md')) ? fs.readFileSync(path.join(dir, 'README.md'), 'utf8') : '';
  const rows = [...readme.matchAll(/^\| `([^`]+)` \| [^|]* \| `([A-Z_]+)` \| `([^`]+)` \|$/gm)].map((m) => m.slice(1));

  test('the README lists the fixtures', () => {
    expect(rows.length).toBeGreaterThanOrEqual(10);
  });

  test.each(rows)('%s gives %s', (file, code, fragment) => {
    const bytes = new Uint8Array(fs.readFileSync(path.join(dir, file)));
    const source = file.endsWith('.json') ? { ...base, config: bytes } : withWeights(bytes);
    return expectError(() => loadModel(source), code, fragment);
  });
});

describe('wrong argument types are rejected in JS', () => {
  const TEXTS = 'texts must be a string or an array of strings';
  test.each([
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['an object', { text: 'hi' }],
    ['an array of numbers', [1, 2, 3]],
    ['an array with a nested object', ['ok', { a: 1 }]],
    ['a three-element pair', [['a', 'b', 'c']]],
  ])('run(%s)', (_, texts) => expectError(() => model.run(texts), 'INVALID_ARGUMENT', TEXTS));

  test.each([
    ['a number', 42],
    ['null', null],
    ['an array', ['a']],
  ])('tokenize(%s)', (_, text) => expectError(() => model.tokenize(text), 'INVALID_ARGUMENT', 'text must be a string'));

  test('options of the wrong type', async () => {
    await expectError(() => model.run('x', 'fast'), 'INVALID_ARGUMENT', 'run options must be an object');
    await expectError(() => model.run('x', { maxLength: '12' }), 'INVALID_ARGUMENT', 'maxLength must be a non-negative integer');
    await expectError(() => model.run('x', { maxLength: 2.5 }), 'INVALID_ARGUMENT', 'maxLength');
    await expectError(() => model.run('x', { embeddings: 1 }), 'INVALID_ARGUMENT', 'embeddings must be a boolean');
    await expectError(() => model.run('x', { offsets: 'chars' }), 'INVALID_ARGUMENT', "offsets must be one of ['utf16', 'codepoint', 'byte']");
    await expectError(() => model.run('x', { maxlength: 8 }), 'INVALID_ARGUMENT', "unknown run option 'maxlength'. Must be one of [");
    await expectError(() => model.run('x', { earlyExit: true }), 'INVALID_ARGUMENT', 'earlyExit must be one of');
    await expectError(() => model.tokenize('x', { pair: 3 }), 'INVALID_ARGUMENT', 'pair must be a string');
  });

  test('maxLength out of the model range is reported by the core', async () => {
    await expectError(() => model.run('x', { maxLength: 1 }), 'INVALID_ARGUMENT', 'at least 2');
    await expectError(() => model.tokenize('x', { maxLength: 10000 }), 'INVALID_ARGUMENT', 'exceeds the model');
  });

  test('loadModel sources', async () => {
    await expectError(() => loadModel(42), 'INVALID_ARGUMENT', 'source must be a model directory path');
    await expectError(() => loadModel(null), 'INVALID_ARGUMENT', 'source must be');
    await expectError(() => loadModel(new Uint8Array(4)), 'INVALID_ARGUMENT', 'source must be');
    await expectError(() => loadModel({ config: base.config, vocab: base.vocab }), 'INVALID_ARGUMENT', 'source.weights (model.safetensors) is required');
    await expectError(() => loadModel({ ...base, weights: 123 }), 'INVALID_ARGUMENT', 'source.weights must be a string, Uint8Array or ArrayBuffer');
    await expectError(() => loadModel({ ...base, tokenizer: '{}' }), 'INVALID_ARGUMENT', "unknown model file 'tokenizer'");
    await expectError(() => loadModel('/nonexistent/model'), 'NOT_FOUND', "no config.json in '/nonexistent/model'");
    await expectError(() => loadTokenizer({ vocab: 5 }), 'INVALID_ARGUMENT', 'source.vocab must be');
    await expectError(() => loadTokenizer('/nonexistent/vocab.txt'), 'NOT_FOUND', "file not found: '/nonexistent/vocab.txt'");
  });
});

describe('text encoding', () => {
  test('invalid UTF-8 bytes (Uint8Array text) name the text and byte offset', async () => {
    const bad = new Uint8Array([0x6f, 0x6b, 0x20, 0xff, 0x21]);
    await expectError(() => model.run(['fine', bad]), 'INVALID_ARGUMENT', 'text 1: text is not valid UTF-8');
    const e = await expectError(() => model.tokenize(bad), 'INVALID_ARGUMENT', 'not valid UTF-8');
    expect(e.message).toContain('byte offset 3');
    await expectError(() => model.tokenize('ok', { pair: new Uint8Array([0xc3]) }), 'INVALID_ARGUMENT', 'not valid UTF-8');
  });

  test('valid UTF-8 bytes give the same result as the string', () => {
    const text = 'Héllo wörld, 中文 😀';
    const fromBytes = model.tokenize(new TextEncoder().encode(text));
    expect(fromBytes).toEqual(model.tokenize(text));
  });

  test('a lone surrogate is rejected, not silently re-encoded', async () => {
    await expectError(() => model.tokenize('ab\uD800c'), 'INVALID_ARGUMENT', 'lone surrogate U+D800 at UTF-16 index 2');
    await expectError(() => model.run(['ok', ['x', '\uDC00']]), 'INVALID_ARGUMENT', 'texts[1][1] is not valid Unicode');
  });

  test('empty and long texts', () => {
    expect(Array.from(model.tokenize('').ids)).toEqual([2, 3]);
    const long = model.run('word '.repeat(5000))[0];
    expect(long.ids).toHaveLength(model.info.maxLength);
    expect(long.truncated).toBe(true);
  });
});

describe('use after dispose', () => {
  test('every method throws DISPOSED; dispose is idempotent', async () => {
    const m = await loadModel(modelDir('distilbert_seqcls'));
    expect(m.disposed).toBe(false);
    m.dispose();
    m.dispose();
    expect(m.disposed).toBe(true);
    await expectError(() => m.run('x'), ErrorCode.DISPOSED, 'has been disposed');
    await expectError(() => m.tokenize('x'), ErrorCode.DISPOSED, 'has been disposed');
    expect(m.info.architecture).toBe('DistilBertForSequenceClassification');
    const t = await loadTokenizer(path.join(FIXTURES, 'tokenizer/vocab_uncased.txt'));
    t.dispose();
    await expectError(() => t.tokenize('x'), 'DISPOSED', 'tokenizer has been disposed');
  });

  test('a disposed model reports DISPOSED before checking arguments', async () => {
    const m = await loadModel(modelDir('bert_encoder'));
    m.dispose();
    await expectError(() => m.run(42), 'DISPOSED', 'disposed');
  });
});
