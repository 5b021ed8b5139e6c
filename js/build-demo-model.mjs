// Builds dist/models/sst2-demo.hbm, the model load() uses when given no source: web-demo/model
// (SST-2 sentiment with exit heads) converted to int8 by the WebAssembly converter, i.e. the
// same bytes `hummingbert convert web-demo/model -o X.hbm` writes natively. Skipped when the
// output is newer than every input.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { convert } from './src/load.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const input = path.join(root, 'web-demo/model');
const output = path.join(root, 'dist/models/sst2-demo.hbm');

const inputs = [...fs.readdirSync(input).map((f) => path.join(input, f)), fileURLToPath(import.meta.url),
  path.join(root, 'dist/hummingbert-simd.wasm')];
const newest = Math.max(...inputs.map((f) => fs.statSync(f).mtimeMs));
if (fs.existsSync(output) && fs.statSync(output).mtimeMs >= newest) {
  console.log(`${path.relative(root, output)} is up to date`);
} else {
  const bytes = await convert(input, { dtype: 'int8' });
  fs.mkdirSync(path.dirname(output), { recursive: true });
  fs.writeFileSync(`${output}.tmp`, bytes);
  fs.renameSync(`${output}.tmp`, output);
  console.log(`${path.relative(root, output)}: ${bytes.length} bytes`);
}
