// Model and Tokenizer: JS wrappers that own one Embind handle each. Arguments are validated here
// (validate.js) before they cross into wasm; results come back as plain objects of copied typed
// arrays (wasm/result_conversion.h) and are shaped for JS below.
import { ErrorCode, HummingbertError, invalidArgument, unwrap } from './errors.js';
import {
  checkBoolean,
  checkEarlyExit,
  checkExitPatience,
  checkExitThreshold,
  checkKnownKeys,
  checkMaxLength,
  checkOffsetUnit,
  checkOptionsObject,
  checkWellFormed,
  describe,
  isText,
  normalizeTexts,
} from './validate.js';

// Frees handles whose wrapper was garbage-collected without dispose() (best effort: Embind
// handles are never freed by GC on their own).
const registry =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((handle) => {
        if (!handle.isDeleted()) handle.delete();
      })
    : null;

// Module-private accessor for the live Embind handle (throws DISPOSED after dispose()).
const liveHandle = Symbol('liveHandle');

const TOKENIZE_OPTIONS = ['pair', 'maxLength', 'offsets', 'addSpecialTokens'];
const RUN_OPTIONS = ['maxLength', 'embeddings', 'normalize', 'offsets', 'earlyExit', 'exitThreshold', 'exitPatience'];

/** Flat [b0, e0, b1, e1, ...] -> [[b0, e0], [b1, e1], ...]. */
function toPairs(flat) {
  const out = new Array(flat.length / 2);
  for (let i = 0; i < out.length; ++i) out[i] = [flat[2 * i], flat[2 * i + 1]];
  return out;
}

/** Index of the first largest value (as std::max_element). */
function argmax(v) {
  let best = 0;
  for (let j = 1; j < v.length; ++j) if (v[j] > v[best]) best = j;
  return best;
}

function shapeEncoding(e) {
  return { ids: e.ids, typeIds: e.typeIds, tokens: e.tokens, offsets: toPairs(e.offsets), truncated: e.truncated };
}

function tokenizeArgs(text, options) {
  if (!isText(text)) {
    invalidArgument(`text must be a string (or a Uint8Array of UTF-8 bytes), got ${describe(text)}`);
  }
  checkWellFormed(text, 'text');
  const o = checkOptionsObject(options, 'tokenize');
  checkKnownKeys(o, TOKENIZE_OPTIONS, 'tokenize');
  const pair = o.pair ?? null;
  if (pair !== null && !isText(pair)) {
    invalidArgument(`pair must be a string (or a Uint8Array of UTF-8 bytes), got ${describe(pair)}`);
  }
  checkWellFormed(pair, 'pair');
  return {
    pair,
    wasmOptions: {
      maxLength: checkMaxLength(o.maxLength),
      addSpecialTokens: checkBoolean(o.addSpecialTokens, 'addSpecialTokens', true),
      offsetUnit: checkOffsetUnit(o.offsets, 'utf16'),
    },
  };
}

class Handle {
  #handle;
  #kind;

  constructor(handle, kind) {
    this.#handle = handle;
    this.#kind = kind;
    registry?.register(this, handle, this);
  }

  [liveHandle]() {
    if (this.#handle === null) {
      throw new HummingbertError(`this ${this.#kind} has been disposed; load it again to use it`, {
        code: ErrorCode.DISPOSED,
      });
    }
    return this.#handle;
  }

  /** True after dispose(). */
  get disposed() {
    return this.#handle === null;
  }

  /** Frees the wasm memory this object holds. Idempotent. */
  dispose() {
    if (this.#handle === null) return;
    registry?.unregister(this);
    this.#handle.delete();
    this.#handle = null;
  }
}
if (typeof Symbol.dispose === 'symbol') {
  Handle.prototype[Symbol.dispose] = function dispose() {
    this.dispose();
  };
}

export class Model extends Handle {
  #info;

  /** @internal Use loadModel(). */
  constructor(handle) {
    super(handle, 'model');
    const info = unwrap(() => handle.info());
    info.labels = Object.freeze(info.labels);
    info.exitLayers = Object.freeze(info.exitLayers);
    this.#info = Object.freeze(info);
  }

  /** Architecture, sizes, labels and tokenizer defaults. Still readable after dispose(). */
  get info() {
    return this.#info;
  }

  tokenize(text, options) {
    const handle = this[liveHandle]();
    const { pair, wasmOptions } = tokenizeArgs(text, options);
    return shapeEncoding(unwrap(() => handle.tokenize(text, pair, wasmOptions)));
  }

  run(texts, options) {
    const handle = this[liveHandle]();
    const batch = normalizeTexts(texts);
    const o = checkOptionsObject(options, 'run');
    checkKnownKeys(o, RUN_OPTIONS, 'run');
    const wasmOptions = {
      maxLength: checkMaxLength(o.maxLength),
      embeddings: checkBoolean(o.embeddings, 'embeddings', false),
      normalize: checkBoolean(o.normalize, 'normalize', false),
      offsetUnit: checkOffsetUnit(o.offsets, 'utf16'),
      earlyExit: checkEarlyExit(o.earlyExit),
      exitThreshold: checkExitThreshold(o.exitThreshold),
      exitPatience: checkExitPatience(o.exitPatience),
    };
    const raw = unwrap(() => handle.run(batch.texts, batch.pairs, wasmOptions));
    return raw.map((r) => this.#shapeOutput(r));
  }

  #shapeOutput(r) {
    const labels = this.#info.labels;
    const out = shapeEncoding(r);
    if (this.#info.task === 'sequence-classification') {
      out.logits = r.logits;
      out.probs = r.probs;
      out.labelId = r.label;
      out.label = labels[r.label];
      // Early exit: the 1-based layer the text left at, and every head evaluated on the way.
      out.exitLayer = r.exitLayer;
      out.layers = r.layerLogits.map((logits, j) => {
        const labelId = argmax(logits);
        return { layer: r.layerNumbers[j], logits, labelId, label: labels[labelId] };
      });
    } else if (this.#info.task === 'token-classification') {
      // One row per token (subarrays of our own copy, not of wasm memory).
      const n = labels.length;
      const tokens = r.ids.length;
      out.logits = new Array(tokens);
      out.probs = new Array(tokens);
      out.labelIds = new Int32Array(tokens);
      out.labels = new Array(tokens);
      for (let t = 0; t < tokens; ++t) {
        const row = r.logits.subarray(t * n, (t + 1) * n);
        out.logits[t] = row;
        out.probs[t] = r.probs.subarray(t * n, (t + 1) * n);
        const best = argmax(row);
        out.labelIds[t] = best;
        out.labels[t] = labels[best];
      }
    }
    if (r.cls !== undefined) out.cls = r.cls;
    if (r.mean !== undefined) out.mean = r.mean;
    if (r.pooler !== undefined) out.pooler = r.pooler;
    return out;
  }
}

export class Tokenizer extends Handle {
  /** @internal Use loadTokenizer(). */
  constructor(handle) {
    super(handle, 'tokenizer');
  }

  tokenize(text, options) {
    const handle = this[liveHandle]();
    const { pair, wasmOptions } = tokenizeArgs(text, options);
    return shapeEncoding(unwrap(() => handle.tokenize(text, pair, wasmOptions)));
  }
}
