// Model and Tokenizer: JS wrappers that own one Embind handle each. Arguments are validated here
// (validate.js) before they cross into wasm; results come back as plain objects of copied typed
// arrays (wasm/result_conversion.h) and are shaped for JS below.
import { ErrorCode, invalidArgument, makeError, unwrap } from './errors.js';
import {
  checkAttentionOptions,
  checkBatchLimits,
  checkBoolean,
  checkEarlyExit,
  checkExitPatience,
  checkExitThreshold,
  checkKnownKeys,
  checkLimits,
  checkMaxLength,
  checkOffsetUnit,
  checkOptionsObject,
  checkWellFormed,
  describe,
  isText,
  normalizeTexts,
  show,
  textTooLong,
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

const ATTENTION_OPTIONS = ['attention', 'window', 'globalPositions', 'longInput', 'limits'];
const CLASSIFY_OPTIONS = ['earlyExit', 'exitThreshold', 'exitPatience', 'maxLength', 'topK', 'batchTokens', ...ATTENTION_OPTIONS];
const EMBED_OPTIONS = ['pooling', 'normalize', 'maxLength', 'batchTokens', ...ATTENTION_OPTIONS];
const TAG_OPTIONS = ['maxLength', 'ignoreLabels', 'batchTokens', ...ATTENTION_OPTIONS];
const POOLINGS = ['cls', 'mean', 'pooler'];
/** Default bucket size for batches, in (estimated) tokens: bounds the activations' memory. */
export const DEFAULT_BATCH_TOKENS = 8192;

const now = typeof performance === 'object' ? () => performance.now() : () => Date.now();

function softmax(logits) {
  let max = -Infinity;
  for (const x of logits) if (x > max) max = x;
  const out = new Float32Array(logits.length);
  let sum = 0;
  for (let j = 0; j < logits.length; ++j) sum += out[j] = Math.exp(logits[j] - max);
  for (let j = 0; j < logits.length; ++j) out[j] /= sum;
  return out;
}

/** A classifier head's scores, as the core makes them (ModelInfo::score_function). */
function scoresOf(logits, scoreFunction) {
  if (scoreFunction === 'sigmoid') return Float32Array.from(logits, (x) => 1 / (1 + Math.exp(-x)));
  if (scoreFunction === 'none') return Float32Array.from(logits);
  return softmax(logits);
}

/** {label: prob} in descending probability order, the first topK labels only. */
function scoreMap(labels, probs, topK) {
  const order = Array.from(probs.keys()).sort((a, b) => probs[b] - probs[a] || a - b);
  const scores = {};
  for (const j of order.slice(0, topK)) scores[labels[j]] = probs[j];
  return scores;
}

function checkPositiveInt(v, name, fallback) {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    invalidArgument(`${name} must be a positive integer, got ${describe(v)} ${show(v)}`);
  }
  return v;
}

/** earlyExit for classify(): a rule name, or true (the model's rule) / false (full depth). */
function classifyEarlyExit(v) {
  if (v === true) return checkEarlyExit('default');
  if (v === false) return checkEarlyExit('off');
  return checkEarlyExit(v);
}

const TOKENIZE_OPTIONS = ['pair', 'maxLength', 'offsets', 'addSpecialTokens', 'limits'];
const RUN_OPTIONS = ['maxLength', 'embeddings', 'normalize', 'offsets', 'earlyExit', 'exitThreshold', 'exitPatience', ...ATTENTION_OPTIONS];

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

/**
 * Per-call `limits` over the model's (info.limits; a Tokenizer has only the built-in text limit):
 * returns the wasm fields (0 = the model's) and checks what JS can check before copying.
 */
function callLimits(o, where, modelLimits, batch) {
  const call = checkLimits(o.limits, where);
  if (batch !== null) {
    checkBatchLimits(batch, {
      maxTextBytes: call.maxTextBytes || modelLimits.maxTextBytes,
      maxBatchSize: call.maxBatchSize || modelLimits.maxBatchSize,
    });
  }
  return call;
}

/** Built-in default of the core's max_text_bytes (hummingbert.h kDefaultMaxTextBytes). */
const DEFAULT_MAX_TEXT_BYTES = 1 << 20;

function tokenizeArgs(text, options, modelMaxTextBytes) {
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
  const { maxTextBytes } = checkLimits(o.limits, 'tokenize', ['maxTextBytes']);
  const limit = maxTextBytes || modelMaxTextBytes;
  const length = text.length + (pair === null ? 0 : pair.length);
  if (length > limit) textTooLong('the text', length, limit);
  return {
    pair,
    wasmOptions: {
      maxLength: checkMaxLength(o.maxLength),
      addSpecialTokens: checkBoolean(o.addSpecialTokens, 'addSpecialTokens', true),
      offsetUnit: checkOffsetUnit(o.offsets, 'utf16'),
      maxTextBytes,
    },
  };
}

class Handle {
  #handle;
  #kind;
  #onDispose;

  constructor(handle, kind, onDispose = null) {
    this.#handle = handle;
    this.#kind = kind;
    this.#onDispose = onDispose;
    registry?.register(this, handle, this);
  }

  [liveHandle]() {
    if (this.#handle === null) {
      throw makeError(`this ${this.#kind} has been disposed; load it again to use it`, {
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
    this.#onDispose?.();
    this.#onDispose = null;
  }
}
if (typeof Symbol.dispose === 'symbol') {
  Handle.prototype[Symbol.dispose] = function dispose() {
    this.dispose();
  };
}

export class Model extends Handle {
  #info;

  /** @internal Use load() or loadModel(). onDispose: called once after the handle is freed. */
  constructor(handle, onDispose = null) {
    super(handle, 'model', onDispose);
    const info = unwrap(() => handle.info());
    info.labels = Object.freeze(info.labels);
    info.limits = Object.freeze(info.limits);
    info.exitLayers = Object.freeze(info.exitLayers);
    this.#info = Object.freeze(info);
  }

  /** Architecture, sizes, labels and tokenizer defaults. Still readable after dispose(). */
  get info() {
    return this.#info;
  }

  tokenize(text, options) {
    const handle = this[liveHandle]();
    const { pair, wasmOptions } = tokenizeArgs(text, options, this.#info.limits.maxTextBytes);
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
      ...checkAttentionOptions(o),
      ...callLimits(o, 'run', this.#info.limits, batch),
    };
    const raw = unwrap(() => handle.run(batch.texts, batch.pairs, wasmOptions));
    return raw.map((r) => this.#shapeOutput(r));
  }

  /**
   * Runs `batch` ({texts, pairs}) in buckets of similar length whose estimated token count
   * (UTF-16 length + 2, capped at the model's length: an over-estimate for most text) stays
   * under `batchTokens`, then puts results back in input order. The core packs each bucket
   * without padding, so bucketing only bounds memory; results equal one-at-a-time runs.
   * Returns [{raw, timeMs}] in input order, timeMs being the bucket's time shared by tokens.
   */
  #runBatched(handle, batch, wasmOptions, batchTokens) {
    const n = batch.texts.length;
    const cap = wasmOptions.maxLength || this.#info.maxLength || 512;
    const estimate = (i) => {
      const len = (t) => (t === null ? 0 : t.length);
      return Math.min(cap, len(batch.texts[i]) + len(batch.pairs?.[i] ?? null) + 3);
    };
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => estimate(a) - estimate(b));
    const out = new Array(n);
    let begin = 0;
    while (begin < n) {
      let end = begin;
      let tokens = 0;
      while (end < n && (end === begin || tokens + estimate(order[end]) <= batchTokens)) tokens += estimate(order[end++]);
      const idx = order.slice(begin, end);
      const texts = idx.map((i) => batch.texts[i]);
      const pairs = batch.pairs === null ? null : idx.map((i) => batch.pairs[i]);
      const t0 = now();
      const raw = unwrap(() => handle.run(texts, pairs, wasmOptions));
      const ms = now() - t0;
      const total = raw.reduce((s, r) => s + r.ids.length, 0) || 1;
      raw.forEach((r, k) => {
        out[idx[k]] = { raw: r, timeMs: (ms * r.ids.length) / total };
      });
      begin = end;
    }
    return out;
  }

  #requireTask(task, method, hint) {
    if (this.#info.task !== task) {
      throw makeError(
        `${method}() needs a ${task} model, but this model is ${this.#info.task === 'encoder' ? 'an' : 'a'} ` +
          `${this.#info.task} (${this.#info.architecture}); ${hint}`,
        { code: ErrorCode.UNSUPPORTED_TASK },
      );
    }
  }

  classify(texts, options) {
    const handle = this[liveHandle]();
    const single = !Array.isArray(texts);
    const batch = normalizeTexts(texts);
    const o = checkOptionsObject(options, 'classify');
    checkKnownKeys(o, CLASSIFY_OPTIONS, 'classify');
    const wasmOptions = {
      maxLength: checkMaxLength(o.maxLength),
      embeddings: false,
      normalize: false,
      offsetUnit: 1,
      earlyExit: classifyEarlyExit(o.earlyExit),
      exitThreshold: checkExitThreshold(o.exitThreshold),
      exitPatience: checkExitPatience(o.exitPatience),
      ...checkAttentionOptions(o),
      ...callLimits(o, 'classify', this.#info.limits, batch),
    };
    const labels = this.#info.labels;
    const topK = checkPositiveInt(o.topK, 'topK', labels.length);
    const batchTokens = checkPositiveInt(o.batchTokens, 'batchTokens', DEFAULT_BATCH_TOKENS);
    this.#requireTask('sequence-classification', 'classify',
      this.#info.task === 'encoder' ? 'use embed() for sentence embeddings' : 'use tagTokens() for token classifiers');
    const results = this.#runBatched(handle, batch, wasmOptions, batchTokens).map(({ raw, timeMs }) => ({
      label: labels[raw.label],
      score: raw.probs[raw.label],
      scores: scoreMap(labels, raw.probs, topK),
      exitLayer: raw.exitLayer,
      layers: raw.layerLogits.map((logits, j) => {
        const probs = scoresOf(logits, this.#info.scoreFunction);
        const best = argmax(probs);
        return { layer: raw.layerNumbers[j], label: labels[best], score: probs[best], scores: scoreMap(labels, probs, topK) };
      }),
      tokens: raw.ids.length,
      truncated: raw.truncated,
      attention: raw.attention,
      timeMs,
    }));
    return single ? results[0] : results;
  }

  embed(texts, options) {
    const handle = this[liveHandle]();
    const single = !Array.isArray(texts);
    const batch = normalizeTexts(texts);
    const o = checkOptionsObject(options, 'embed');
    checkKnownKeys(o, EMBED_OPTIONS, 'embed');
    const pooling = o.pooling ?? 'mean';
    if (!POOLINGS.includes(pooling)) {
      invalidArgument(`pooling must be one of ['cls', 'mean', 'pooler'], got ${typeof pooling === 'string' ? `'${pooling}'` : describe(pooling)}`);
    }
    if (pooling === 'pooler' && !this.#info.hasPooler) {
      throw makeError(`pooling 'pooler' needs a checkpoint with a pooler layer, and this ${this.#info.architecture} has none; use 'cls' or 'mean'`, {
        code: ErrorCode.UNSUPPORTED,
      });
    }
    const wasmOptions = {
      maxLength: checkMaxLength(o.maxLength),
      embeddings: true,
      normalize: checkBoolean(o.normalize, 'normalize', false),
      offsetUnit: 1,
      earlyExit: checkEarlyExit('off'),
      exitThreshold: -1,
      exitPatience: 0,
      ...checkAttentionOptions(o),
      ...callLimits(o, 'embed', this.#info.limits, batch),
    };
    const batchTokens = checkPositiveInt(o.batchTokens, 'batchTokens', DEFAULT_BATCH_TOKENS);
    const results = this.#runBatched(handle, batch, wasmOptions, batchTokens).map(({ raw }) => raw[pooling]);
    return single ? results[0] : results;
  }

  tagTokens(texts, options) {
    const handle = this[liveHandle]();
    const single = !Array.isArray(texts);
    const batch = normalizeTexts(texts);
    const o = checkOptionsObject(options, 'tagTokens');
    checkKnownKeys(o, TAG_OPTIONS, 'tagTokens');
    const ignore = o.ignoreLabels ?? [];
    if (!Array.isArray(ignore) || !ignore.every((l) => typeof l === 'string')) {
      invalidArgument(`ignoreLabels must be an array of label strings, got ${describe(ignore)}`);
    }
    const wasmOptions = {
      maxLength: checkMaxLength(o.maxLength),
      embeddings: false,
      normalize: false,
      offsetUnit: 1, // UTF-16: what String.prototype.slice takes
      earlyExit: checkEarlyExit('off'),
      exitThreshold: -1,
      exitPatience: 0,
      ...checkAttentionOptions(o),
      ...callLimits(o, 'tagTokens', this.#info.limits, batch),
    };
    const batchTokens = checkPositiveInt(o.batchTokens, 'batchTokens', DEFAULT_BATCH_TOKENS);
    this.#requireTask('token-classification', 'tagTokens',
      this.#info.task === 'encoder' ? 'use embed() for embeddings' : 'use classify() for sequence classifiers');
    const labels = this.#info.labels;
    const n = labels.length;
    const results = this.#runBatched(handle, batch, wasmOptions, batchTokens).map(({ raw }) => {
      const tags = [];
      for (let t = 0; t < raw.ids.length; ++t) {
        const start = raw.offsets[2 * t];
        const end = raw.offsets[2 * t + 1];
        if (start === end) continue; // [CLS], [SEP] and other added tokens cover no text
        const probs = raw.probs.subarray(t * n, (t + 1) * n);
        const best = argmax(probs);
        if (ignore.includes(labels[best])) continue;
        tags.push({ token: raw.tokens[t], label: labels[best], score: probs[best], start, end });
      }
      return tags;
    });
    return single ? results[0] : results;
  }

  #shapeOutput(r) {
    const labels = this.#info.labels;
    const out = shapeEncoding(r);
    out.attention = r.attention;
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
    const { pair, wasmOptions } = tokenizeArgs(text, options, DEFAULT_MAX_TEXT_BYTES);
    return shapeEncoding(unwrap(() => handle.tokenize(text, pair, wasmOptions)));
  }
}
