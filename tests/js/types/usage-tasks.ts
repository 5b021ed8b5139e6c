// Compiled (never run) by types.test.mjs with `tsc --strict`: the load()/task/worker/pipeline API
// as a TypeScript user writes it, through the package name, plus the `hummingbert/worker` subpath.
import {
  convert,
  createWorker,
  env,
  HummingbertError,
  InvalidArgumentError,
  load,
  memoryStats,
  pipeline,
  UnsupportedError,
  type ClassifyResult,
  type ProgressEvent,
  type TokenTag,
} from 'hummingbert';
import { createWorker as createWorker2, type WorkerModel } from 'hummingbert/worker';

export async function tasks(bytes: Uint8Array): Promise<void> {
  env.wasmPaths = '/static/';
  const onProgress = (e: ProgressEvent): void => {
    if (e.status === 'progress') console.log(e.loaded / e.total, e.progress);
  };
  const model = await load(undefined, { onProgress, numThreads: 2, dtype: 'int8' });
  await load('https://example.com/m.hbm');
  await load(new URL('file:///m.hbm'));
  await load(new ArrayBuffer(8));
  await load({ config: '{}', weights: bytes, vocab: 'a\n' });

  const one: ClassifyResult = model.classify('I loved it', { earlyExit: true, exitThreshold: 0.3, topK: 1 });
  const many: ClassifyResult[] = model.classify(['a', 'b'], { earlyExit: 'max-prob', batchTokens: 4096, attention: 'sliding-window', window: 64, globalPositions: [1], longInput: 'chunk' });
  const how: string = many[0].attention + model.info.attention + model.run('x')[0].attention;
  const pct: number = one.scores['positive'] ?? 0;
  const layerScore: number = one.layers[0].score;
  console.log(one.label, one.exitLayer, one.tokens, one.timeMs, many.length, pct, layerScore, how);

  const v: Float32Array = model.embed('x', { pooling: 'cls', normalize: true });
  const vs: Float32Array[] = model.embed(['x', 'y']);
  const tags: TokenTag[] = model.tagTokens('John', { ignoreLabels: ['O'] });
  const tagss: TokenTag[][] = model.tagTokens(['John', 'Paris']);
  console.log(v, vs, tags, tagss, tags[0].start, model.tokenize('x').tokens);
  model.dispose();

  const worker: WorkerModel = await createWorker(bytes, { onProgress });
  const r: ClassifyResult = await worker.classify('x');
  const rs: ClassifyResult[] = await worker.classify(['x']);
  const e: Float32Array = await worker.embed('x');
  console.log(r, rs, e, worker.info.labels);
  await worker.dispose();
  await using w2 = await createWorker2();
  await w2.tokenize('x');

  const classifier = await pipeline('sentiment-analysis');
  console.log(await classifier('x'), classifier.model.info);
  const extractor = await pipeline('feature-extraction', './m.hbm');
  const t = await extractor(['a'], { pooling: 'mean', normalize: true });
  const dims: [number, number] = t.dims;
  console.log(dims, t.data, t.tolist());
  const ner = await pipeline('ner', './ner.hbm');
  console.log(await ner('x', { ignore_labels: [] }));

  const hbm: Uint8Array = await convert('./hf-folder', { dtype: 'fp16' });
  const { heapSize, allocated } = await memoryStats();
  console.log(hbm, heapSize, allocated);
  try {
    model.classify('x');
  } catch (err) {
    if (err instanceof UnsupportedError && err.code === 'UNSUPPORTED_TASK') console.log(err.message);
    if (err instanceof InvalidArgumentError) console.log(err.code);
    if (err instanceof HummingbertError) console.log(err.code);
  }
}

export async function misuseTasks(): Promise<void> {
  const model = await load();
  // @ts-expect-error unknown pooling
  model.embed('x', { pooling: 'max' });
  // @ts-expect-error numbers are not texts
  model.classify(42);
  // @ts-expect-error unknown dtype
  await load(undefined, { dtype: 'fp8' });
  // @ts-expect-error unknown task
  await pipeline('translation');
  // @ts-expect-error classify on a string gives one result, not an array
  const arr: ClassifyResult[] = model.classify('x');
  console.log(arr);
}
