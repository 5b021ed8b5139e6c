// hummingbert: BERT-family encoders in WebAssembly. Public exports only; see
// js/types/index.d.ts for the documented API.
import { unwrap } from './errors.js';
import { resolveModelSource, resolveVocabSource } from './load-source.js';
import { Model, Tokenizer } from './model.js';
import { getModule } from './runtime.js';
import { checkBoolean, checkKnownKeys, checkMaxLength, checkOptionsObject } from './validate.js';

export {
  DisposedError,
  ErrorCode,
  HummingbertError,
  InternalError,
  InvalidArgumentError,
  ModelLoadError,
  ResourceExhaustedError,
  UnsupportedError,
} from './errors.js';
export { convert, load } from './load.js';
export { Model, Tokenizer } from './model.js';
export { pipeline } from './pipeline.js';
export { env, memoryStats } from './runtime.js';
export { WorkerModel, createWorker } from './worker.js';

export const version = '0.1.0';

/** Lower-level loader: a Hugging Face folder (Node) or an object of its files. */
export async function loadModel(source) {
  const files = await resolveModelSource(source);
  const wasm = await getModule();
  const handle = unwrap(() =>
    wasm.ModelHandle.load(
      files.config,
      files.weights,
      files.vocab,
      files.tokenizerConfig,
      files.tokenizerJson,
      files.specialTokensMap,
      files.exitConfig,
      files.exitHeads,
      { dtype: '', int8Activations: '', numThreads: 1, maxTextBytes: 0, maxBatchSize: 0, maxTotalTokens: 0 },
    ),
  );
  try {
    return new Model(handle);
  } catch (e) {
    handle.delete();
    throw e;
  }
}

export async function loadTokenizer(source, options) {
  const o = checkOptionsObject(options, 'loadTokenizer');
  checkKnownKeys(o, ['lowercase', 'maxLength'], 'loadTokenizer');
  const wasmOptions = {
    lowercase: checkBoolean(o.lowercase, 'lowercase', true),
    maxLength: checkMaxLength(o.maxLength) || 512,
  };
  const vocab = await resolveVocabSource(source);
  const wasm = await getModule();
  return new Tokenizer(unwrap(() => wasm.TokenizerHandle.fromVocab(vocab, wasmOptions)));
}
