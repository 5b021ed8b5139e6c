// load(): one entry point for every kind of model source (the embedded demo model, a URL with
// download progress, a Node path to a .hbm file or a Hugging Face folder, .hbm bytes, or an
// object of Hugging Face files), and convert(): Hugging Face files -> .hbm bytes, as the
// native `hummingbert convert` writes them.
import { ErrorCode, invalidArgument, makeError, unwrap } from './errors.js';
import { readFileOrThrow, resolveModelSource, toBytesOrString } from './load-source.js';
import { Model } from './model.js';
import { acquireModule, getConvertModule, getModule, isNode } from './runtime.js';
import { checkKnownKeys, checkLimits, checkOptionsObject, describe, show } from './validate.js';
import { demoModelLocation } from './wasm-glue.js';
import { importNode } from './node-import.js';

const LOAD_OPTIONS = ['onProgress', 'numThreads', 'dtype', 'int8Activations', 'limits'];
const DTYPES = ['int8', 'fp32'];
const INT8_ACTIVATIONS = ['int8', 'u7'];
const CONVERT_DTYPES = ['int8', 'fp16', 'fp32'];

const nodeFs = () => importNode('node:fs/promises');

/** A string that names a URL (scheme://, data:, blob:) rather than a file path. */
function isUrlString(s) {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^(data|blob):/i.test(s);
}

/** GET `url` as bytes, reporting {status: 'progress'} per chunk. NETWORK_ERROR on failure. */
async function fetchBytes(url, file, report) {
  let res;
  try {
    res = await fetch(url);
  } catch (e) {
    throw makeError(`could not fetch the model from '${url}': ${e?.message ?? e} (offline, wrong host, or blocked by CORS?)`, {
      code: ErrorCode.NETWORK_ERROR,
      cause: e,
    });
  }
  if (!res.ok) {
    throw makeError(`fetching the model from '${url}' failed: HTTP ${res.status} ${res.statusText}`.trim(), {
      code: res.status === 404 ? ErrorCode.NOT_FOUND : ErrorCode.NETWORK_ERROR,
    });
  }
  // Content-Length is the encoded size; with gzip the decoded body can be larger, so grow.
  const total = Number(res.headers.get('content-length')) || 0;
  report({ status: 'download', file, loaded: 0, total });
  if (!res.body) {
    const bytes = new Uint8Array(await res.arrayBuffer());
    report({ status: 'progress', file, loaded: bytes.length, total: total || bytes.length, progress: 100 });
    return bytes;
  }
  let buf = new Uint8Array(total || 1 << 20);
  let loaded = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.length > buf.length) {
      const bigger = new Uint8Array(Math.max(buf.length * 2, loaded + value.length));
      bigger.set(buf.subarray(0, loaded));
      buf = bigger;
    }
    buf.set(value, loaded);
    loaded += value.length;
    report({ status: 'progress', file, loaded, total, progress: total ? Math.min(100, (100 * loaded) / total) : undefined });
  }
  return buf.length === loaded ? buf : buf.slice(0, loaded);
}

async function readPath(path, report) {
  const fs = await nodeFs();
  let stat;
  try {
    stat = await fs.stat(path);
  } catch (e) {
    throw makeError(`model not found: '${path}' (expected a .hbm model file or a Hugging Face model folder)`, {
      code: ErrorCode.NOT_FOUND,
      cause: e,
    });
  }
  if (stat.isDirectory()) {
    report({ status: 'download', file: path, loaded: 0, total: 0 });
    const files = await resolveModelSource(path);
    const total = Object.values(files).reduce((s, f) => s + (f?.length ?? 0), 0);
    report({ status: 'progress', file: path, loaded: total, total, progress: 100 });
    return { kind: 'files', files, file: path, total };
  }
  report({ status: 'download', file: path, loaded: 0, total: stat.size });
  const bytes = await readFileOrThrow(fs, path);
  report({ status: 'progress', file: path, loaded: bytes.length, total: bytes.length, progress: 100 });
  return { kind: 'hbm', bytes, file: path, total: bytes.length };
}

/** Any load() source -> {kind: 'hbm', bytes} | {kind: 'files', files}, plus file and total. */
async function readSource(source, report) {
  if (source === undefined || source === null) {
    const location = demoModelLocation();
    if (isNode) {
      const path = typeof location === 'string' ? location : (await importNode('node:url')).fileURLToPath(location);
      return readPath(path, report);
    }
    const bytes = await fetchBytes(location, 'sst2-demo.hbm', report);
    return { kind: 'hbm', bytes, file: 'sst2-demo.hbm', total: bytes.length };
  }
  if (typeof source === 'string' || source instanceof URL) {
    const s = String(source);
    if (isNode && s.startsWith('file:')) return readPath((await importNode('node:url')).fileURLToPath(s), report);
    if (isNode && !isUrlString(s)) return readPath(s, report);
    const bytes = await fetchBytes(s, s, report);
    return { kind: 'hbm', bytes, file: s, total: bytes.length };
  }
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    const bytes = toBytesOrString(source, 'source');
    return { kind: 'hbm', bytes, file: 'bytes', total: bytes.length };
  }
  if (typeof source === 'object' && !Array.isArray(source)) {
    const files = await resolveModelSource(source);
    const total = Object.values(files).reduce((s, f) => s + (f?.length ?? 0), 0);
    return { kind: 'files', files, file: 'files', total };
  }
  return invalidArgument(
    'source must be omitted (the embedded demo model), a URL, a path (Node: a .hbm file or a Hugging ' +
      `Face folder), the bytes of a .hbm file, or an object of Hugging Face files; got ${describe(source)}`,
  );
}

/** Checks load() options; returns {onProgress, wasmOptions}. */
export function checkLoadOptions(options) {
  const o = checkOptionsObject(options, 'load');
  checkKnownKeys(o, LOAD_OPTIONS, 'load');
  if (o.onProgress !== undefined && o.onProgress !== null && typeof o.onProgress !== 'function') {
    invalidArgument(`onProgress must be a function, got ${describe(o.onProgress)}`);
  }
  const numThreads = o.numThreads ?? 1;
  if (typeof numThreads !== 'number' || !Number.isInteger(numThreads) || numThreads < 1 || numThreads > 256) {
    invalidArgument(`numThreads must be an integer in [1, 256], got ${describe(numThreads)} ${show(numThreads)}`);
  }
  if (o.dtype !== undefined && o.dtype !== null && !DTYPES.includes(o.dtype)) {
    invalidArgument(`dtype must be one of ['int8', 'fp32'], got ${typeof o.dtype === 'string' ? `'${o.dtype}'` : describe(o.dtype)}`);
  }
  if (o.int8Activations !== undefined && o.int8Activations !== null && !INT8_ACTIVATIONS.includes(o.int8Activations)) {
    invalidArgument(`int8Activations must be one of ['int8', 'u7'], got ${typeof o.int8Activations === 'string' ? `'${o.int8Activations}'` : describe(o.int8Activations)}`);
  }
  const limits = checkLimits(o.limits, 'load');
  return {
    onProgress: o.onProgress ?? null,
    limits: o.limits ?? null,
    wasmOptions: { dtype: o.dtype ?? '', int8Activations: o.int8Activations ?? '', numThreads, ...limits },
  };
}

export async function load(source, options) {
  const { onProgress, wasmOptions } = checkLoadOptions(options);
  const report = onProgress === null ? () => {} : (e) => onProgress(e);
  // The module compiles while the model downloads.
  const modulePromise = acquireModule(wasmOptions.numThreads);
  modulePromise.catch(() => {});
  let data;
  try {
    data = await readSource(source, report);
  } catch (e) {
    modulePromise.then(({ release }) => release(), () => {});
    throw e;
  }
  report({ status: 'compile', file: data.file, loaded: data.total, total: data.total });
  const { wasm, numThreads, release } = await modulePromise;
  const loadOptions = { ...wasmOptions, numThreads };
  let handle;
  try {
    handle =
      data.kind === 'hbm'
        ? unwrap(() => wasm.ModelHandle.fromModelFile(data.bytes, loadOptions))
        : unwrap(() => {
            const f = data.files;
            return wasm.ModelHandle.load(f.config, f.weights, f.vocab, f.tokenizerConfig, f.tokenizerJson,
              f.specialTokensMap, f.exitConfig, f.exitHeads, loadOptions);
          });
  } catch (e) {
    release();
    throw e;
  }
  let model;
  try {
    model = new Model(handle, release);
  } catch (e) {
    handle.delete();
    release();
    throw e;
  }
  report({ status: 'ready', file: data.file, loaded: data.total, total: data.total });
  return model;
}

/**
 * Hugging Face files (a Node folder path or an object of files) -> {bytes, inputBytes,
 * outputBytes, numExitHeads}. Used by convert() and the CLI.
 */
export async function convertWithSummary(source, options) {
  const o = checkOptionsObject(options, 'convert');
  checkKnownKeys(o, ['dtype'], 'convert');
  const dtype = o.dtype ?? 'int8';
  if (!CONVERT_DTYPES.includes(dtype)) {
    invalidArgument(`dtype must be one of ['int8', 'fp16', 'fp32'], got ${typeof dtype === 'string' ? `'${dtype}'` : describe(dtype)}`);
  }
  const files = await resolveModelSource(source);
  const wasm = await getConvertModule();
  return unwrap(() =>
    wasm.convertHuggingFaceFiles(files.config, files.weights, files.vocab, files.tokenizerConfig, files.tokenizerJson,
      files.specialTokensMap, files.exitConfig, files.exitHeads, dtype),
  );
}

export async function convert(source, options) {
  return (await convertWithSummary(source, options)).bytes;
}
