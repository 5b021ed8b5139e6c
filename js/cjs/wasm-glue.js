// CommonJS twin of js/src/wasm-glue.js, used only by js/build-cjs.mjs (not shipped):
// dist/index.cjs sits next to the CJS glue, the .wasm and models/, so all are found from its
// __dirname. The worker entry stays the ES module in js/src/ (worker_threads runs it as ESM).
import createHummingbertModule from './hummingbert-simd.cjs'; // external: resolved from dist/

export { createHummingbertModule };

export function wasmLocation() {
  return require('node:path').join(__dirname, 'hummingbert-simd.wasm');
}

export async function loadConvertGlue() {
  return {
    createModule: require('./hummingbert-convert.cjs'), // external: resolved from dist/
    wasmLocation: require('node:path').join(__dirname, 'hummingbert-convert.wasm'),
  };
}

export function demoModelLocation() {
  return require('node:path').join(__dirname, 'models', 'sst2-demo.hbm');
}

export function createBrowserWorker() {
  throw new Error('the CommonJS entry runs in Node only; import the ES module entry in browsers');
}

export function nodeWorkerEntry() {
  return require('node:path').join(__dirname, '..', 'js', 'src', 'worker-entry.js');
}

export async function loadThreadedGlue() {
  const path = require('node:path');
  return {
    createModule: require('./hummingbert-simd-threaded.js'), // external: resolved from dist/
    wasmLocation: path.join(__dirname, 'hummingbert-simd-threaded.wasm'),
    workerLocation: path.join(__dirname, 'hummingbert-simd-threaded.worker.js'),
    mainScriptLocation: path.join(__dirname, 'hummingbert-simd-threaded.js'),
  };
}
