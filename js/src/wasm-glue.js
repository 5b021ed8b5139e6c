// Where the ES module build finds its Emscripten glue, its .wasm, the embedded demo model and
// the worker entry. `new URL('…', import.meta.url)` written literally is the pattern Vite,
// webpack 5 and Rollup turn into an emitted asset (and `new Worker(new URL(…))` into a worker
// chunk). js/build-cjs.mjs swaps this file for js/cjs/wasm-glue.js when it bundles dist/index.cjs.
import createHummingbertModule from '../../dist/hummingbert-simd.mjs';

export { createHummingbertModule };

/** The .wasm next to the glue: a URL (file: in Node, http(s): in browsers). */
export function wasmLocation() {
  return new URL('../../dist/hummingbert-simd.wasm', import.meta.url);
}

/**
 * The converter module (Hugging Face files -> model file), a module of its own so pages that
 * only run models never download it. Loaded on the first convert().
 */
export async function loadConvertGlue() {
  const { default: createModule } = await import('../../dist/hummingbert-convert.mjs');
  return { createModule, wasmLocation: new URL('../../dist/hummingbert-convert.wasm', import.meta.url) };
}

/** The demo model built from web-demo/model (SST-2 sentiment, int8, with exit heads). */
export function demoModelLocation() {
  return new URL('../../dist/models/sst2-demo.hbm', import.meta.url);
}

/** A module Web Worker running js/src/worker-entry.js (browsers). */
export function createBrowserWorker() {
  return new Worker(new URL('./worker-entry.js', import.meta.url), { type: 'module' });
}

/** The worker entry for Node's worker_threads. */
export function nodeWorkerEntry() {
  // Not the literal new URL('…') form: bundlers need not emit this Node-only path as an asset.
  const entry = './worker-entry.js';
  return new URL(entry, import.meta.url);
}

/**
 * The pthreads build, loaded only when a model asks for more than one thread where threads
 * work. Its pool workers run emcc's CommonJS worker.js, which loads the classic glue (.js, a
 * UMD script) with importScripts; the .wasm itself is handed to them by the main module.
 */
export async function loadThreadedGlue() {
  const { default: createThreadedModule } = await import('../../dist/hummingbert-simd-threaded.mjs');
  return {
    createModule: createThreadedModule,
    wasmLocation: new URL('../../dist/hummingbert-simd-threaded.wasm', import.meta.url),
    workerLocation: new URL('../../dist/hummingbert-simd-threaded.worker.js', import.meta.url),
    mainScriptLocation: new URL('../../dist/hummingbert-simd-threaded.js', import.meta.url),
  };
}
