// CommonJS twin of js/src/wasm-glue.js, used only by js/build-cjs.mjs (not shipped):
// dist/index.cjs sits next to the CJS glue and the .wasm, so both are found from its __dirname.
import createHummingbertModule from './hummingbert-simd.cjs'; // external: resolved from dist/

export { createHummingbertModule };

export function wasmLocation() {
  return require('node:path').join(__dirname, 'hummingbert-simd.wasm');
}
