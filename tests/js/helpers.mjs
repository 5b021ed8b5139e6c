// Shared helpers for the Jest suites: fixture paths, goldens, tolerance checks.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.join(ROOT, 'tests/fixtures');
export const MODELS_DIR = path.join(FIXTURES, 'models');
export const MODEL_NAMES = fs
  .readdirSync(MODELS_DIR)
  .filter((n) => fs.existsSync(path.join(MODELS_DIR, n, 'golden.json')))
  .sort();

/** Absolute tolerance for fp32 outputs against the HF goldens. */
export const TOL = 1e-4;

export function modelDir(name) {
  return path.join(MODELS_DIR, name);
}

export function readGolden(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The model folder's files as bytes, as a browser would pass them. */
export function modelFiles(name) {
  const dir = modelDir(name);
  const read = (f) => (fs.existsSync(path.join(dir, f)) ? new Uint8Array(fs.readFileSync(path.join(dir, f))) : null);
  return {
    config: read('config.json'),
    weights: read('model.safetensors'),
    vocab: read('vocab.txt'),
    tokenizerConfig: read('tokenizer_config.json'),
    tokenizerJson: read('tokenizer.json'),
  };
}

/** Max |a - b| over (nested) arrays / typed arrays; Infinity on a shape mismatch. */
export function maxAbsDiff(a, b) {
  const fa = flatten(a);
  const fb = flatten(b);
  if (fa.length !== fb.length) return Infinity;
  let m = 0;
  for (let i = 0; i < fa.length; ++i) {
    const d = Math.abs(fa[i] - fb[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

function flatten(v) {
  if (ArrayBuffer.isView(v)) return Array.from(v);
  if (Array.isArray(v)) return v.flatMap((x) => (typeof x === 'number' ? [x] : flatten(x)));
  return [v];
}

/** The inputs of golden cases for model.run(): text, or [text, pair]. */
export function caseInput(c) {
  return 'pair' in c ? [c.text, c.pair] : c.text;
}

/** Code-point offsets of `text` -> UTF-16 offsets. */
export function codePointToUtf16(text, [begin, end]) {
  const cps = Array.from(text);
  const u16 = (n) => cps.slice(0, n).join('').length;
  return [u16(begin), u16(end)];
}

/** The error a promise rejects with; throws if it resolves. */
export async function errorOf(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}
