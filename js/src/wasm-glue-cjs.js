// CommonJS twin of wasm-glue.js, used only by js/build-cjs.mjs: dist/index.cjs sits next to the
// CJS glue and the .wasm, so both are found from its own __dirname.
import createHummingbertModule from './hummingbert-simd.cjs'; // external: resolved from dist/

export { createHummingbertModule };

export function wasmLocation() {
  return require('node:path').join(__dirname, 'hummingbert-simd.wasm');
}
