// The CommonJS entry (dist/index.cjs, built by js/build-cjs.mjs) inside Jest's CJS runtime, which
// cannot require() ES modules: it must be self-contained apart from the CJS glue and the .wasm.
const path = require('node:path');

const hb = require('../../dist/index.cjs');

const ROOT = path.resolve(__dirname, '../..');

test('same exports as the ESM entry', () => {
  expect(Object.keys(hb).sort()).toEqual(
    [
      'DisposedError', 'ErrorCode', 'HummingbertError', 'InternalError', 'InvalidArgumentError', 'Model',
      'ModelLoadError', 'ResourceExhaustedError', 'Tokenizer', 'UnsupportedError', 'WorkerModel', 'convert',
      'createWorker', 'env', 'load', 'loadModel', 'loadTokenizer', 'memoryStats', 'pipeline', 'version',
    ].sort(),
  );
});

test('loads a model and runs it', async () => {
  const model = await hb.loadModel(path.join(ROOT, 'tests/fixtures/models/bert_seqcls'));
  const [r] = model.run('Hello, world!');
  expect(Array.from(r.ids)).toEqual([2, 2115, 1086, 16, 1094, 5, 3]);
  expect(r.label).toBe('positive');
  expect(() => model.run(null)).toThrow(hb.HummingbertError);
  model.dispose();
  expect(() => model.run('x')).toThrow(expect.objectContaining({ code: 'DISPOSED' }));
});
