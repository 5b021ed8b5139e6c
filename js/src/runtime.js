// Instantiates the WebAssembly module once per JS realm and shares it between all models.
// Node: the .wasm is read with fs and handed over as `wasmBinary` (no fetch of file paths).
// Browsers and workers: the glue fetches it from the URL computed next to our own source.
import { ErrorCode, HummingbertError } from './errors.js';
import { createHummingbertModule, wasmLocation } from './wasm-glue.js';

export const isNode =
  typeof process === 'object' && process !== null && typeof process.versions?.node === 'string';

let modulePromise = null;

async function instantiate() {
  const location = wasmLocation();
  const moduleArg = {};
  if (isNode) {
    const { readFile } = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:fs/promises');
    moduleArg.wasmBinary = await readFile(location);
  } else {
    moduleArg.locateFile = (file, prefix) => (file.endsWith('.wasm') ? String(location) : prefix + file);
  }
  return createHummingbertModule(moduleArg);
}

/** The shared module; a failed instantiation is not cached, so a later call retries. */
export function getModule() {
  if (modulePromise === null) {
    modulePromise = instantiate().catch((e) => {
      modulePromise = null;
      throw new HummingbertError(
        `could not instantiate the WebAssembly module: ${e instanceof Error ? e.message : e}`,
        { code: ErrorCode.INTERNAL, cause: e },
      );
    });
  }
  return modulePromise;
}
