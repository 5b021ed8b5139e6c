// Where the ES module build finds its Emscripten glue and .wasm. `new URL('…', import.meta.url)`
// written literally is the pattern Vite, webpack 5 and Rollup turn into an emitted asset.
// js/build-cjs.mjs swaps this file for js/cjs/wasm-glue.js when it bundles dist/index.cjs.
import createHummingbertModule from '../../dist/hummingbert-simd.mjs';

export { createHummingbertModule };

/** The .wasm next to the glue: a URL (file: in Node, http(s): in browsers). */
export function wasmLocation() {
  return new URL('../../dist/hummingbert-simd.wasm', import.meta.url);
}
