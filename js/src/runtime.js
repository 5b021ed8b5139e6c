// Instantiates the WebAssembly module once per JS realm and shares it between all models.
// Node: the .wasm is read with fs and handed over as `wasmBinary` (no fetch of file paths).
// Browsers and workers: the glue fetches it from the URL computed next to our own source, or
// from env.wasmPaths. A failed instantiation is not cached, so a later call retries.
import { ErrorCode, makeError } from './errors.js';
import { createHummingbertModule, wasmLocation } from './wasm-glue.js';
import { importNode } from './node-import.js';

export const isNode =
  typeof process === 'object' && process !== null && typeof process.versions?.node === 'string';

/**
 * Settings read when the module is first instantiated:
 * - wasmPaths: a URL prefix (string ending in '/') where hummingbert-simd.wasm is served, for
 *   setups that move the .wasm away from the package (CDN-less static hosting, custom bundling);
 * - wasmBinary: the .wasm bytes themselves (skips any fetch or file read).
 */
export const env = { wasmPaths: undefined, wasmBinary: undefined };

let modulePromise = null;

function wasmUrl() {
  if (typeof env.wasmPaths === 'string') return `${env.wasmPaths}hummingbert-simd.wasm`;
  return wasmLocation();
}

async function instantiate() {
  const moduleArg = {};
  if (env.wasmBinary !== undefined) {
    moduleArg.wasmBinary = env.wasmBinary;
  } else if (isNode && typeof env.wasmPaths !== 'string') {
    const { readFile } = await importNode('node:fs/promises');
    moduleArg.wasmBinary = await readFile(wasmLocation());
  } else {
    const location = wasmUrl();
    moduleArg.locateFile = (file, prefix) => (file.endsWith('.wasm') ? String(location) : prefix + file);
  }
  return createHummingbertModule(moduleArg);
}

/** The shared module (a promise; instantiated on first use). */
export function getModule() {
  if (modulePromise === null) {
    modulePromise = instantiate().catch((e) => {
      modulePromise = null;
      throw makeError(`could not instantiate the WebAssembly module: ${e instanceof Error ? e.message : e}`, {
        code: ErrorCode.INTERNAL,
        cause: e,
      });
    });
  }
  return modulePromise;
}

/**
 * Heap statistics of the shared module: `heapSize` (bytes of linear memory; it only grows) and
 * `allocated` (bytes currently malloc'ed: drops back after dispose()).
 */
export async function memoryStats() {
  const wasm = await getModule();
  return wasm.memoryStats();
}
