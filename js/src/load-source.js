// Turns what users pass to loadModel()/loadTokenizer() into the bytes the module takes:
// a Node directory path (read here with fs; the wasm build has no file system), or an object
// of files given as strings, Uint8Array or ArrayBuffer.
import { ErrorCode, invalidArgument, makeError } from './errors.js';
import { isNode } from './runtime.js';
import { describe } from './validate.js';
import { importNode } from './node-import.js';

const REQUIRED = ['config', 'weights', 'vocab'];
const OPTIONAL = ['tokenizerConfig', 'tokenizerJson', 'specialTokensMap', 'exitConfig', 'exitHeads'];
const FILE_NAMES = {
  config: 'config.json',
  weights: 'model.safetensors',
  vocab: 'vocab.txt',
  tokenizerConfig: 'tokenizer_config.json',
  tokenizerJson: 'tokenizer.json',
  specialTokensMap: 'special_tokens_map.json',
  exitConfig: 'exit_config.json',
  exitHeads: 'exit_heads.safetensors',
};

/** string | Uint8Array | ArrayBuffer | other ArrayBufferView -> string | Uint8Array. */
export function toBytesOrString(v, name) {
  if (typeof v === 'string' || v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return invalidArgument(`${name} must be a string, Uint8Array or ArrayBuffer, got ${describe(v)}`);
}

async function nodeFs() {
  return importNode('node:fs/promises');
}

// As the native JoinPath (src/base/file_io.cc), so messages name the same paths.
function joinPath(dir, name) {
  if (dir === '' || name.startsWith('/')) return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

function requireNode(what) {
  if (!isNode) {
    invalidArgument(
      `${what} is only supported in Node; in browsers and workers fetch the files yourself and ` +
        'pass {config, weights, vocab, ...} as strings, Uint8Array or ArrayBuffer',
    );
  }
}

/** A regular file (as the native FileExists). */
async function exists(fs, file) {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Whole file as bytes; errors worded as the native ReadFile (src/base/file_io.cc). */
export async function readFileOrThrow(fs, file) {
  try {
    return new Uint8Array(await fs.readFile(file));
  } catch (e) {
    if (e?.code === 'ENOENT' || e?.code === 'ENOTDIR') {
      throw makeError(`file not found: '${file}'`, { code: ErrorCode.NOT_FOUND, cause: e });
    }
    throw makeError(`cannot read '${file}': ${e?.message ?? e}`, {
      code: ErrorCode.IO_ERROR,
      cause: e,
    });
  }
}

/** A Hugging Face model folder, read with the same rules as the native Model::FromHuggingFaceDir. */
async function readModelDir(dir) {
  requireNode('a model directory path');
  const fs = await nodeFs();
  const at = (key) => joinPath(dir, FILE_NAMES[key]);
  if (!(await exists(fs, at('config')))) {
    throw makeError(`no config.json in '${dir}' (expected a Hugging Face model folder)`, {
      code: ErrorCode.NOT_FOUND,
    });
  }
  if (!(await exists(fs, at('weights')))) {
    if (await exists(fs, joinPath(dir, 'pytorch_model.bin'))) {
      throw makeError(
        `'${dir}' holds pytorch_model.bin; hummingbert reads model.safetensors (save with ` +
          'save_pretrained(..., safe_serialization=True))',
        { code: ErrorCode.UNSUPPORTED },
      );
    }
    throw makeError(`no model.safetensors in '${dir}'`, { code: ErrorCode.NOT_FOUND });
  }
  const files = {};
  for (const key of REQUIRED) files[key] = await readFileOrThrow(fs, at(key));
  for (const key of OPTIONAL) {
    if (await exists(fs, at(key))) files[key] = await readFileOrThrow(fs, at(key));
  }
  return files;
}

/**
 * loadModel() source -> {config, weights, vocab, tokenizerConfig, tokenizerJson,
 * specialTokensMap, exitConfig, exitHeads}, each a string or Uint8Array (optional ones may be
 * null).
 */
export async function resolveModelSource(source) {
  if (typeof source === 'string') return readModelDir(source);
  if (source === null || typeof source !== 'object' || Array.isArray(source) ||
      ArrayBuffer.isView(source) || source instanceof ArrayBuffer) {
    invalidArgument(
      'source must be a model directory path (Node) or an object {config, weights, vocab, ' +
        `tokenizerConfig?, tokenizerJson?, specialTokensMap?, exitConfig?, exitHeads?}, got ${describe(source)}`,
    );
  }
  const known = [...REQUIRED, ...OPTIONAL];
  for (const key of Object.keys(source)) {
    if (!known.includes(key)) {
      invalidArgument(`unknown model file '${key}'. Must be one of [${known.map((k) => `'${k}'`).join(', ')}]`);
    }
  }
  const files = {};
  for (const key of REQUIRED) {
    if (source[key] === undefined || source[key] === null) {
      invalidArgument(`source.${key} (${FILE_NAMES[key]}) is required`);
    }
    files[key] = toBytesOrString(source[key], `source.${key}`);
  }
  for (const key of OPTIONAL) {
    files[key] =
      source[key] === undefined || source[key] === null ? null : toBytesOrString(source[key], `source.${key}`);
  }
  return files;
}

/** loadTokenizer() source: a vocab.txt path (Node), its contents, or {vocab}. */
export async function resolveVocabSource(source) {
  if (typeof source === 'string') {
    requireNode('a vocab.txt path');
    return readFileOrThrow(await nodeFs(), source);
  }
  if (source instanceof Uint8Array || source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    return toBytesOrString(source, 'source');
  }
  if (source !== null && typeof source === 'object' && !Array.isArray(source) && 'vocab' in source) {
    return toBytesOrString(source.vocab, 'source.vocab');
  }
  return invalidArgument(
    `source must be a vocab.txt path (Node), its bytes, or {vocab: string | Uint8Array}, got ${describe(source)}`,
  );
}
