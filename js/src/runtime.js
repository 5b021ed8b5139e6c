// Instantiates the WebAssembly module once per JS realm and shares it between all models.
// Node: the .wasm is read with fs and handed over as `wasmBinary` (no fetch of file paths).
// Browsers and workers: the glue fetches it from the URL computed next to our own source, or
// from env.wasmPaths. A failed instantiation is not cached, so a later call retries.
import { ErrorCode, makeError } from './errors.js';
import { createHummingbertModule, loadConvertGlue, loadThreadedGlue, wasmLocation } from './wasm-glue.js';
import { importNode } from './node-import.js';

export const isNode =
  typeof process === 'object' && process !== null && typeof process.versions?.node === 'string';

/**
 * Settings read when the module is first instantiated:
 * - wasmPaths: a URL prefix (string ending in '/') where hummingbert-simd.wasm (and, for
 *   convert(), hummingbert-convert.wasm) is served, for
 *   setups that move the .wasm away from the package (CDN-less static hosting, custom bundling);
 * - wasmBinary: the .wasm bytes themselves (skips any fetch or file read);
 * - relaxedSimd: false keeps int8 models on the SIMD128 kernels even where the runtime has
 *   relaxed SIMD (the default, true, uses it after a self-test: Chromium, Firefox).
 */
export const env = { wasmPaths: undefined, wasmBinary: undefined, relaxedSimd: true };

let modulePromise = null;
let convertPromise = null;

/**
 * Instantiates one of our modules: `file` is its .wasm name (for env.wasmPaths), `location` its
 * default URL or path, `binary` bytes the caller already has.
 */
async function instantiateModule(createModule, file, location, binary) {
  const moduleArg = {};
  if (binary !== undefined) {
    moduleArg.wasmBinary = binary;
  } else if (isNode && typeof env.wasmPaths !== 'string') {
    const { readFile } = await importNode('node:fs/promises');
    moduleArg.wasmBinary = await readFile(location);
  } else {
    const url = typeof env.wasmPaths === 'string' ? `${env.wasmPaths}${file}` : location;
    moduleArg.locateFile = (f, prefix) => (f.endsWith('.wasm') ? String(url) : prefix + f);
  }
  return createModule(moduleArg);
}

async function instantiate() {
  const wasm = await instantiateModule(createHummingbertModule, 'hummingbert-simd.wasm', wasmLocation(), env.wasmBinary);
  // Int8 models then use the relaxed-SIMD kernel where the engine runs it correctly.
  if (env.relaxedSimd !== false) wasm.installRelaxedSimd();
  return wasm;
}

function instantiationError(e) {
  return makeError(`could not instantiate the WebAssembly module: ${e instanceof Error ? e.message : e}`, {
    code: ErrorCode.INTERNAL,
    cause: e,
  });
}

/** The shared module (a promise; instantiated on first use). */
export function getModule() {
  if (modulePromise === null) {
    modulePromise = instantiate().catch((e) => {
      modulePromise = null;
      throw instantiationError(e);
    });
  }
  return modulePromise;
}

/** The converter module (hummingbert-convert.wasm; instantiated on the first convert()). */
export function getConvertModule() {
  if (convertPromise === null) {
    convertPromise = loadConvertGlue()
      .then((glue) => instantiateModule(glue.createModule, 'hummingbert-convert.wasm', glue.wasmLocation))
      .catch((e) => {
        convertPromise = null;
        throw instantiationError(e);
      });
  }
  return convertPromise;
}

/**
 * Heap statistics of the shared module: `heapSize` (bytes of linear memory; it only grows) and
 * `allocated` (bytes currently malloc'ed: drops back after dispose()).
 */
export async function memoryStats() {
  const wasm = await getModule();
  return wasm.memoryStats();
}

// ---------------------------------------------------------------- threads

/** Threads can be used: Node, or a cross-origin isolated page/worker (SharedArrayBuffer). */
export function threadsSupported() {
  return isNode || (globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function');
}

const warned = new Set();
function warnOnce(key, message) {
  if (warned.has(key)) return;
  warned.add(key);
  console.warn(`hummingbert: ${message}`);
}

async function hardwareThreads() {
  if (isNode) return (await importNode('node:os')).availableParallelism?.() ?? 1;
  return globalThis.navigator?.hardwareConcurrency ?? 1;
}

let threadedPromise = null;
// Pool workers are created with the module (-sPTHREAD_POOL_SIZE=Module.hbPoolSize), so that a
// model's threads start at once instead of deadlocking a main thread that waits for them. Models
// share the pool: threads handed out are returned by dispose().
const pool = { size: 0, used: 0 };

function toPath(url) {
  return typeof url === 'string' ? url : importNode('node:url').then((u) => u.fileURLToPath(url));
}

/**
 * Bundlers inline small assets as data: URLs (Vite below 4 KiB, and worker.js is ~3 KiB). A
 * worker started from a data: URL has an opaque origin: it could neither importScripts() the
 * glue nor share the memory. A blob: URL keeps this page's origin.
 */
function workerScriptUrl(url) {
  if (!url.startsWith('data:')) return url;
  const comma = url.indexOf(',');
  const meta = url.slice(5, comma);
  const body = meta.endsWith(';base64') ? atob(url.slice(comma + 1)) : decodeURIComponent(url.slice(comma + 1));
  const bytes = Uint8Array.from(body, (c) => c.charCodeAt(0));
  return URL.createObjectURL(new Blob([bytes], { type: 'text/javascript' }));
}

async function instantiateThreaded() {
  const glue = await loadThreadedGlue();
  pool.size = Math.max(1, Math.min(7, (await hardwareThreads()) - 1));
  const moduleArg = { hbPoolSize: pool.size };
  if (isNode) {
    const { readFile } = await importNode('node:fs/promises');
    moduleArg.wasmBinary = await readFile(glue.wasmLocation);
    const worker = await toPath(glue.workerLocation);
    moduleArg.locateFile = (file, prefix) => (file.endsWith('.worker.js') ? worker : prefix + file);
    moduleArg.mainScriptUrlOrBlob = await toPath(glue.mainScriptLocation);
  } else {
    const worker = workerScriptUrl(String(glue.workerLocation));
    moduleArg.locateFile = (file, prefix) => {
      if (file.endsWith('.wasm')) return String(glue.wasmLocation);
      if (file.endsWith('.worker.js')) return worker;
      return prefix + file;
    };
    moduleArg.mainScriptUrlOrBlob = String(glue.mainScriptLocation);
  }
  const wasm = await glue.createModule(moduleArg);
  // Idle pool workers must not keep Node alive.
  if (isNode) for (const w of wasm.PThread?.unusedWorkers ?? []) w.unref?.();
  return wasm;
}

/**
 * The module for a model that asks for `numThreads`: the threaded build with up to numThreads
 * threads (the caller's included) where threads work and pool workers are free, else the
 * single-threaded build. Returns {wasm, numThreads, release}; release() returns the threads.
 */
export async function acquireModule(numThreads) {
  if (numThreads > 1 && !threadsSupported()) {
    warnOnce('isolation',
      `numThreads ${numThreads} needs a cross-origin isolated page (serve it with the headers ` +
      "'Cross-Origin-Opener-Policy: same-origin' and 'Cross-Origin-Embedder-Policy: require-corp'); using 1 thread");
  }
  if (numThreads > 1 && threadsSupported()) {
    if (threadedPromise === null) {
      threadedPromise = instantiateThreaded().catch((e) => {
        warnOnce('threaded', `the threaded WebAssembly build could not be loaded (${e?.message ?? e}); using 1 thread`);
        return null;
      });
    }
    const wasm = await threadedPromise;
    if (wasm !== null) {
      const extra = Math.min(numThreads - 1, pool.size - pool.used);
      pool.used += extra;
      let released = false;
      const release = () => {
        if (!released) pool.used -= extra;
        released = true;
      };
      return { wasm, numThreads: 1 + extra, release };
    }
  }
  return { wasm: await getModule(), numThreads: 1, release: () => {} };
}
