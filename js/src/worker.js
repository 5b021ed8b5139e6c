// createWorker(): the Model API, run in a Web Worker (a module worker in browsers, a
// worker_threads worker in Node), so inference never blocks the page. Every method returns a
// promise; errors thrown in the worker come back as the same HummingbertError subclass and
// code, with the caller's stack. Byte sources (ArrayBuffer, whole-buffer typed arrays) are
// transferred to the worker, which detaches them on the calling side.
import { ErrorCode, InternalError, makeError, rebuildError } from './errors.js';
import { checkLoadOptions } from './load.js';
import { isNode } from './runtime.js';
import { createBrowserWorker, nodeWorkerEntry } from './wasm-glue.js';
import { importNode } from './node-import.js';

/** ArrayBuffers that can move to the worker without copying (never a Node pool slab). */
function sourceTransfers(source) {
  const out = new Set();
  const add = (v) => {
    if (v instanceof ArrayBuffer) out.add(v);
    else if (ArrayBuffer.isView(v) && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength &&
             v.buffer instanceof ArrayBuffer && !(isNode && Buffer.isBuffer(v))) out.add(v.buffer);
  };
  if (source !== null && typeof source === 'object' && !(source instanceof URL) && !ArrayBuffer.isView(source) &&
      !(source instanceof ArrayBuffer)) {
    Object.values(source).forEach(add);
  } else {
    add(source);
  }
  return [...out];
}

export class WorkerModel {
  #worker;
  #pending = new Map();
  #nextId = 1;
  #info = null;
  #dead = null; // an error once the worker crashed or was disposed

  /** @internal Use createWorker(). */
  constructor(worker) {
    this.#worker = worker;
    const onMessage = (m) => this.#onMessage(m);
    const onError = (e) => this.#fail(new InternalError(`the hummingbert worker crashed: ${e?.message ?? e}`, { cause: e }));
    if (isNode) {
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', (code) => this.#fail(new InternalError(`the hummingbert worker exited (code ${code})`)));
      worker.unref(); // an idle worker never keeps Node alive
    } else {
      worker.onmessage = (e) => onMessage(e.data);
      worker.onerror = (e) => {
        e.preventDefault?.();
        onError(e);
      };
      worker.onmessageerror = () => onError(new Error('a message could not be deserialized'));
    }
  }

  #onMessage({ id, result, error, progress }) {
    const call = this.#pending.get(id);
    if (call === undefined) return;
    if (progress !== undefined) {
      call.onProgress?.(progress);
      return;
    }
    this.#pending.delete(id);
    if (isNode && this.#pending.size === 0) this.#worker.unref();
    if (error !== undefined) call.reject(rebuildError(error, call.stack));
    else call.resolve(result);
  }

  #fail(error) {
    if (this.#dead === null) this.#dead = error;
    for (const call of this.#pending.values()) call.reject(error);
    this.#pending.clear();
  }

  /** @internal */
  call(method, args, transfer = [], onProgress = null) {
    if (this.#dead !== null) return Promise.reject(this.#dead);
    const id = this.#nextId++;
    const stack = new Error().stack;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onProgress, stack });
      if (isNode) this.#worker.ref();
      try {
        this.#worker.postMessage({ id, method, args }, transfer);
      } catch (e) {
        this.#pending.delete(id);
        reject(makeError(`could not send the arguments to the worker: ${e?.message ?? e}`, { code: ErrorCode.INVALID_ARGUMENT, cause: e }));
      }
    });
  }

  /** @internal */
  setInfo(info) {
    this.#info = Object.freeze({ ...info, labels: Object.freeze(info.labels), exitLayers: Object.freeze(info.exitLayers), limits: Object.freeze(info.limits) });
  }

  /** The model's info (as Model#info). */
  get info() {
    return this.#info;
  }

  get disposed() {
    return this.#dead !== null && this.#dead.code === ErrorCode.DISPOSED;
  }

  classify(texts, options) {
    return this.call('classify', [texts, options]);
  }

  embed(texts, options) {
    return this.call('embed', [texts, options]);
  }

  tokenize(text, options) {
    return this.call('tokenize', [text, options]);
  }

  tagTokens(texts, options) {
    return this.call('tagTokens', [texts, options]);
  }

  run(texts, options) {
    return this.call('run', [texts, options]);
  }

  /** Frees the model and terminates the worker. Idempotent. Later calls reject with DISPOSED. */
  async dispose() {
    if (this.#dead !== null) {
      if (this.#dead.code !== ErrorCode.DISPOSED) this.#dead = makeError('this worker model has been disposed', { code: ErrorCode.DISPOSED });
      return;
    }
    this.#fail(makeError('this worker model has been disposed', { code: ErrorCode.DISPOSED }));
    await this.#worker.terminate();
  }
}
if (typeof Symbol.asyncDispose === 'symbol') {
  WorkerModel.prototype[Symbol.asyncDispose] = function asyncDispose() {
    return this.dispose();
  };
}
if (typeof Symbol.dispose === 'symbol') {
  WorkerModel.prototype[Symbol.dispose] = function dispose() {
    void this.dispose();
  };
}

export async function createWorker(source, options) {
  const { onProgress, limits, wasmOptions } = checkLoadOptions(options);
  let worker;
  if (isNode) {
    const { Worker } = await importNode('node:worker_threads');
    // --input-type (node -e with ESM) is not allowed for workers; drop it from the inherited flags.
    worker = new Worker(nodeWorkerEntry(), { execArgv: process.execArgv.filter((a) => !a.startsWith('--input-type')) });
  } else {
    worker = createBrowserWorker();
  }
  const model = new WorkerModel(worker);
  try {
    const { info } = await model.call('load', [source instanceof URL ? source.href : source, { numThreads: wasmOptions.numThreads, dtype: wasmOptions.dtype || undefined, int8Activations: wasmOptions.int8Activations || undefined, limits, progress: onProgress !== null }],
      sourceTransfers(source), onProgress);
    model.setInfo(info);
  } catch (e) {
    await model.dispose();
    throw e;
  }
  return model;
}
