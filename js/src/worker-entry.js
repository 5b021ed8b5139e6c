// The worker side of createWorker() (js/src/worker.js): a module Web Worker in browsers, a
// worker_threads worker in Node. Protocol: {id, method, args} in; {id, result} or
// {id, error: cloneError(e)} out, plus {id, progress} during 'load'. Typed arrays in results
// are transferred, not copied.
import { ErrorCode, cloneError, makeError } from './errors.js';
import { load } from './load.js';
import { importNode } from './node-import.js';

const METHODS = ['classify', 'embed', 'tokenize', 'tagTokens', 'run'];
let model = null;

function transferables(value, out = new Set()) {
  if (ArrayBuffer.isView(value)) {
    if (!(typeof SharedArrayBuffer === 'function' && value.buffer instanceof SharedArrayBuffer)) out.add(value.buffer);
  } else if (Array.isArray(value)) {
    for (const v of value) transferables(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) transferables(v, out);
  }
  return out;
}

async function handle({ id, method, args }, post) {
  try {
    let result;
    if (method === 'load') {
      const [source, options] = args;
      const { progress, ...rest } = options;
      model = await load(source, { ...rest, onProgress: progress ? (p) => post({ id, progress: p }) : undefined });
      result = { info: model.info };
    } else if (method === 'dispose') {
      model?.dispose();
      model = null;
      result = null;
    } else if (METHODS.includes(method)) {
      if (model === null) throw makeError('this worker model has been disposed', { code: ErrorCode.DISPOSED });
      result = model[method](...args);
    } else {
      throw makeError(`unknown worker method '${method}'`, { code: ErrorCode.INTERNAL });
    }
    post({ id, result }, [...transferables(result)]);
  } catch (e) {
    post({ id, error: cloneError(e) });
  }
}

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';
if (isNode) {
  importNode('node:worker_threads').then(({ parentPort }) => {
    parentPort.on('message', (m) => handle(m, (msg, t) => parentPort.postMessage(msg, t)));
  });
} else {
  self.onmessage = (e) => handle(e.data, (msg, t) => self.postMessage(msg, t));
}
