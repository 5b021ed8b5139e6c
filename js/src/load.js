// load(): one entry point for every kind of model source (the embedded demo model, a URL with
// download progress, a Node path to a .hbm file or a Hugging Face folder, .hbm bytes, or an
// object of Hugging Face files), and convert(): Hugging Face files -> .hbm bytes, as the
// native `hummingbert convert` writes them.
import { ErrorCode, invalidArgument, makeError, unwrap } from './errors.js';
import { resolveModelSource, toBytesOrString } from './load-source.js';
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

// .hbm files are streamed into the module in chunks of this size through one staging buffer
// in the wasm heap: the whole file is never held, in JS or in wasm. 256 KiB keeps the buffer
// small next to small models (1 MiB was 16% of the 6.4 MB demo model's peak) at a few hundred
// more JS -> wasm calls for a BERT-base file.
const CHUNK_BYTES = 256 << 10;

/** GET `url`: the Response, once it is known to be OK. NETWORK_ERROR / NOT_FOUND on failure. */
async function fetchOk(url) {
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
  return res;
}

/** The body of an OK response as chunks, reporting {status: 'progress'} per chunk. */
async function* responseChunks(res, url, file, report) {
  // Content-Length is the encoded size; with gzip the decoded body can be larger.
  const total = Number(res.headers.get('content-length')) || 0;
  report({ status: 'download', file, loaded: 0, total });
  const failed = (e) =>
    makeError(`downloading the model from '${url}' failed: ${e?.message ?? e}`, { code: ErrorCode.NETWORK_ERROR, cause: e });
  if (!res.body) {
    let bytes;
    try {
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch (e) {
      throw failed(e);
    }
    report({ status: 'progress', file, loaded: bytes.length, total: total || bytes.length, progress: 100 });
    yield bytes;
    return;
  }
  const reader = res.body.getReader();
  let loaded = 0;
  let done = false;
  try {
    for (;;) {
      let step;
      try {
        step = await reader.read();
      } catch (e) {
        throw failed(e);
      }
      if (step.done) break;
      loaded += step.value.length;
      report({ status: 'progress', file, loaded, total, progress: total ? Math.min(100, (100 * loaded) / total) : undefined });
      yield step.value;
    }
    done = true;
  } finally {
    // Stops the download when the model is rejected before its end.
    if (!done) reader.cancel().catch(() => {});
  }
}

/** A Node file as chunks read into one reused buffer (never the whole file). */
async function* fileChunks(fs, path, size, report) {
  report({ status: 'download', file: path, loaded: 0, total: size });
  let handle;
  try {
    handle = await fs.open(path, 'r');
  } catch (e) {
    const notFound = e?.code === 'ENOENT' || e?.code === 'ENOTDIR';
    throw makeError(notFound ? `file not found: '${path}'` : `cannot read '${path}': ${e?.message ?? e}`, {
      code: notFound ? ErrorCode.NOT_FOUND : ErrorCode.IO_ERROR,
      cause: e,
    });
  }
  const buffer = new Uint8Array(CHUNK_BYTES);
  let loaded = 0;
  try {
    for (;;) {
      let n;
      try {
        ({ bytesRead: n } = await handle.read(buffer, 0, buffer.length, null));
      } catch (e) {
        throw makeError(`cannot read '${path}': ${e?.message ?? e}`, { code: ErrorCode.IO_ERROR, cause: e });
      }
      if (n === 0) break;
      loaded += n;
      yield buffer.subarray(0, n); // consumed (copied into the wasm heap) before the next read
    }
  } finally {
    await handle.close().catch(() => {});
  }
  report({ status: 'progress', file: path, loaded, total: loaded, progress: 100 });
}

/** Bytes already in memory as chunks (views, no copies; nothing to report: no download). */
function* byteChunks(bytes) {
  for (let i = 0; i < bytes.length; i += CHUNK_BYTES) yield bytes.subarray(i, i + CHUNK_BYTES);
}

/**
 * The wasm memory as bytes, read anew before each use: growth inside a call replaces the buffer
 * (and in the threaded build another thread may have grown it, leaving Module.HEAPU8 stale).
 */
function heapBytes(wasm) {
  return wasm.wasmMemory ? new Uint8Array(wasm.wasmMemory.buffer) : wasm.HEAPU8;
}

/**
 * Feeds a .hbm file's chunks to a wasm ModelFileLoader through its staging buffer and returns
 * the ModelHandle. The loader (staging buffer, weights read so far) is freed on every path.
 */
async function streamModelFile(wasm, chunks, loadOptions, onEnd) {
  const loader = unwrap(() => wasm.ModelFileLoader.create(loadOptions, CHUNK_BYTES));
  let total = 0;
  try {
    const staging = loader.stagingPointer();
    const size = loader.stagingSize();
    for await (const chunk of chunks) {
      for (let i = 0; i < chunk.length; i += size) {
        const piece = chunk.subarray(i, i + size);
        heapBytes(wasm).set(piece, staging);
        unwrap(() => loader.append(piece.length));
        total += piece.length;
      }
    }
    onEnd(total);
    return unwrap(() => loader.finish());
  } finally {
    loader.delete();
  }
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
  return { kind: 'hbm', file: path, total: stat.size, chunks: () => fileChunks(fs, path, stat.size, report) };
}

/** A URL: fetched now (network errors come before the module is awaited), read as it streams. */
async function readUrl(url, file, report) {
  const res = await fetchOk(url);
  const total = Number(res.headers.get('content-length')) || 0;
  return {
    kind: 'hbm', file, total,
    chunks: () => responseChunks(res, url, file, report),
    cancel: () => res.body?.cancel().catch(() => {}),
  };
}

/**
 * Any load() source -> {kind: 'hbm', chunks} (chunks(): the file's chunks, read only once the
 * module is ready) | {kind: 'files', files}, plus file and total (bytes; 0 when unknown).
 */
async function readSource(source, report) {
  if (source === undefined || source === null) {
    const location = demoModelLocation();
    if (isNode) {
      const path = typeof location === 'string' ? location : (await importNode('node:url')).fileURLToPath(location);
      return readPath(path, report);
    }
    return readUrl(location, 'sst2-demo.hbm', report);
  }
  if (typeof source === 'string' || source instanceof URL) {
    const s = String(source);
    if (isNode && s.startsWith('file:')) return readPath((await importNode('node:url')).fileURLToPath(s), report);
    if (isNode && !isUrlString(s)) return readPath(s, report);
    return readUrl(s, s, report);
  }
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    const bytes = toBytesOrString(source, 'source');
    return { kind: 'hbm', file: 'bytes', total: bytes.length, chunks: () => byteChunks(bytes) };
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
  const compiling = () => report({ status: 'compile', file: data.file, loaded: data.total, total: data.total });
  // A .hbm file streams into the module: its download (or read) starts once the module is ready.
  if (data.kind !== 'hbm') compiling();
  let module;
  try {
    module = await modulePromise;
  } catch (e) {
    if (data.kind === 'hbm') data.cancel?.();
    throw e;
  }
  const { wasm, numThreads, release } = module;
  const loadOptions = { ...wasmOptions, numThreads };
  let handle;
  try {
    handle =
      data.kind === 'hbm'
        ? await streamModelFile(wasm, data.chunks(), loadOptions, (bytes) => {
            data.total ||= bytes; // unknown Content-Length: what arrived
            compiling();
          })
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
