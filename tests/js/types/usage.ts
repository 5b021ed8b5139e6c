// Compiled (never run) by types.test.mjs with `tsc --strict`: the public API as a TypeScript user
// writes it, resolved through the package's own name and `exports` map.
import {
  ErrorCode,
  HummingbertError,
  loadModel,
  loadTokenizer,
  Model,
  version,
  type Encoding,
  type ModelInfo,
  type RunResult,
} from 'hummingbert';

export async function usage(bytes: Uint8Array, buffer: ArrayBuffer): Promise<void> {
  const v: string = version;
  const model = await loadModel('./model-dir');
  const fromBytes = await loadModel({ config: '{}', weights: bytes, vocab: buffer, tokenizerConfig: null });
  const info: ModelInfo = model.info;
  const labels: readonly string[] = info.labels;
  const task: 'encoder' | 'sequence-classification' | 'token-classification' = info.task;

  const e: Encoding = model.tokenize('Hello', { pair: 'world', maxLength: 16, offsets: 'codepoint' });
  const ids: Int32Array = e.ids;
  const offsets: Array<[number, number]> = e.offsets;

  const results: RunResult[] = model.run(['a', ['b', 'c'], bytes], { embeddings: true, normalize: true, earlyExit: 'max-prob', exitThreshold: 0.9 });
  const exitAt: number | undefined = results[0].exitLayer;
  const firstHead: string | undefined = results[0].layers?.[0].label;
  const exitLayers: readonly number[] = model.info.exitLayers;
  console.log(exitAt, firstHead, exitLayers);
  const first = results[0];
  const label: string | undefined = first.label;
  const cls: Float32Array | undefined = first.cls;
  model.run('one text');

  try {
    model.run('x');
  } catch (err) {
    if (err instanceof HummingbertError && err.code === ErrorCode.DISPOSED) console.log(err.message);
  }
  const tok = await loadTokenizer({ vocab: 'a\nb\n' }, { lowercase: false, maxLength: 128 });
  tok.tokenize(bytes).tokens.join(' ');
  tok.dispose();
  model.dispose();
  fromBytes[Symbol.dispose]();
  console.log(v, labels, task, ids, offsets, label, cls);
}

// Misuse the types must reject.
export async function misuse(): Promise<void> {
  const model = await loadModel('./m');
  // @ts-expect-error numbers are not texts
  model.run(42);
  // @ts-expect-error unknown offset unit
  model.tokenize('x', { offsets: 'chars' });
  // @ts-expect-error unknown early-exit rule
  model.run('x', { earlyExit: 'max_prob' });
  // @ts-expect-error weights are required
  await loadModel({ config: '{}', vocab: '' });
  // @ts-expect-error models come from loadModel(); the constructor is private
  new Model();
}
