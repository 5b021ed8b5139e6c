// Builds the `require('hummingbert')` entries dist/index.cjs and dist/worker.cjs from the ESM
// sources in js/src/ with esbuild. Same code as the ESM entries; only wasm-glue.js
// (import.meta.url + the .mjs glue) is swapped for js/cjs/wasm-glue.js (__dirname + the .cjs
// glue next to dist/index.cjs).
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const useCjsGlue = {
  name: 'hummingbert-cjs-glue',
  setup(b) {
    b.onResolve({ filter: /^\.\/wasm-glue\.js$/ }, () => ({
      path: path.join(root, 'js/cjs/wasm-glue.js'),
    }));
  },
};

for (const [entry, out] of [['index.js', 'index.cjs'], ['worker.js', 'worker.cjs']]) {
  await build({
    entryPoints: [path.join(root, 'js/src', entry)],
    outfile: path.join(root, 'dist', out),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['./hummingbert-simd.cjs', './hummingbert-simd-threaded.js', './hummingbert-convert.cjs'],
    plugins: [useCjsGlue],
    banner: { js: '// hummingbert CommonJS entry, built from js/src/ by js/build-cjs.mjs. Do not edit.' },
    logLevel: 'warning',
  });
}
