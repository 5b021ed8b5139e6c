// Builds dist/index.cjs, the `require('hummingbert')` entry, from the ESM sources in js/src/ with
// esbuild. Same code as the ESM entry; only wasm-glue.js (import.meta.url + the .mjs glue) is
// swapped for js/cjs/wasm-glue.js (__dirname + the .cjs glue next to dist/index.cjs).
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

await build({
  entryPoints: [path.join(root, 'js/src/index.js')],
  outfile: path.join(root, 'dist/index.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['./hummingbert-simd.cjs'],
  plugins: [useCjsGlue],
  banner: { js: '// hummingbert CommonJS entry, built from js/src/ by js/build-cjs.mjs. Do not edit.' },
  logLevel: 'warning',
});
