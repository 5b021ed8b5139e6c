// Argument checks done in JS before anything crosses into Embind, so callers read a message
// about their own argument instead of an Embind conversion error.
import { ResourceExhaustedError, invalidArgument } from './errors.js';

/** Offset units accepted by `offsets`, with the core's hb::OffsetUnit value. */
export const OFFSET_UNITS = Object.freeze({ codepoint: 0, utf16: 1, byte: 2 });

/** Early-exit rules accepted by `earlyExit`, with the core's hb::EarlyExit value. */
export const EARLY_EXIT_RULES = Object.freeze({ default: 0, off: 1, entropy: 2, 'max-prob': 3, patience: 4 });

export function checkEarlyExit(v) {
  if (v === undefined || v === null) return EARLY_EXIT_RULES.default;
  if (typeof v !== 'string' || !Object.hasOwn(EARLY_EXIT_RULES, v)) {
    invalidArgument(
      `earlyExit must be one of ['default', 'off', 'entropy', 'max-prob', 'patience'], got ${typeof v === 'string' ? `'${v}'` : describe(v)}`,
    );
  }
  return EARLY_EXIT_RULES[v];
}

/** exitThreshold: a number >= 0 (-1 tells the core "the model's value"). */
export function checkExitThreshold(v) {
  if (v === undefined || v === null) return -1;
  if (typeof v !== 'number' || !(v >= 0)) {
    invalidArgument(`exitThreshold must be a non-negative number, got ${describe(v)} ${show(v)}`);
  }
  return v;
}

/** exitPatience: an integer >= 1 (0 tells the core "the model's value"). */
export function checkExitPatience(v) {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 0x7fffffff) {
    invalidArgument(`exitPatience must be a positive integer, got ${describe(v)} ${show(v)}`);
  }
  return v;
}

/** A text is a string, or UTF-8 bytes as a Uint8Array (Node Buffer included). */
export function isText(v) {
  return typeof v === 'string' || v instanceof Uint8Array;
}

/**
 * Strings go to wasm as UTF-8; a lone surrogate has no UTF-8 form (Embind would silently merge
 * it with the next code unit), so it is rejected like invalid UTF-8 bytes are by the core.
 */
export function checkWellFormed(text, name) {
  if (typeof text !== 'string') return;
  const ok = typeof text.isWellFormed === 'function' ? text.isWellFormed() : !LONE_SURROGATE.test(text);
  if (!ok) {
    const at = text.search(LONE_SURROGATE);
    invalidArgument(
      `${name} is not valid Unicode: lone surrogate U+${text.charCodeAt(at).toString(16).toUpperCase()} ` +
        `at UTF-16 index ${at} (it has no UTF-8 encoding)`,
    );
  }
}
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A short printable form of any value for messages; never throws (String() throws for symbols
 * in templates and for objects without a prototype or with a throwing toString).
 */
export function show(v) {
  let s;
  try {
    s = typeof v === 'symbol' ? v.toString() : String(v);
  } catch {
    s = '(unprintable)';
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

export function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Uint8Array) return 'a Uint8Array';
  return typeof v === 'object' ? `an object (${Object.prototype.toString.call(v)})` : `a ${typeof v}`;
}

export function checkOptionsObject(options, where) {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    invalidArgument(`${where} options must be an object, got ${describe(options)}`);
  }
  return options;
}

export function checkKnownKeys(options, known, where) {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      invalidArgument(
        `unknown ${where} option '${key}'. Must be one of [${known.map((k) => `'${k}'`).join(', ')}]`,
      );
    }
  }
}

/** maxLength: undefined/0 for the default, else an integer >= 2 (the core checks the upper bound). */
export function checkMaxLength(v) {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0x7fffffff) {
    invalidArgument(`maxLength must be a non-negative integer, got ${describe(v)} ${show(v)}`);
  }
  return v;
}

export function checkBoolean(v, name, fallback) {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') invalidArgument(`${name} must be a boolean, got ${describe(v)}`);
  return v;
}

export function checkOffsetUnit(v, fallback) {
  if (v === undefined || v === null) return OFFSET_UNITS[fallback];
  if (typeof v !== 'string' || !Object.hasOwn(OFFSET_UNITS, v)) {
    invalidArgument(
      `offsets must be one of ['utf16', 'codepoint', 'byte'], got ${typeof v === 'string' ? `'${v}'` : describe(v)}`,
    );
  }
  return OFFSET_UNITS[v];
}

/**
 * Normalizes run() inputs: a text, or an array whose items are texts or [text, text] pairs.
 * Returns {texts, pairs} where pairs is null when no item is a pair.
 */
export function normalizeTexts(input) {
  const message =
    'texts must be a string or an array of strings (or of [text, textPair] arrays); ' +
    'Uint8Array (UTF-8 bytes) is accepted in place of a string';
  if (isText(input)) {
    checkWellFormed(input, 'text');
    return { texts: [input], pairs: null };
  }
  if (!Array.isArray(input)) invalidArgument(`${message}, got ${describe(input)}`);
  const texts = new Array(input.length);
  let pairs = null;
  for (let i = 0; i < input.length; ++i) {
    const item = input[i];
    if (isText(item)) {
      checkWellFormed(item, `texts[${i}]`);
      texts[i] = item;
    } else if (Array.isArray(item) && item.length === 2 && isText(item[0]) && isText(item[1])) {
      checkWellFormed(item[0], `texts[${i}][0]`);
      checkWellFormed(item[1], `texts[${i}][1]`);
      texts[i] = item[0];
      pairs ??= new Array(input.length).fill(null);
      pairs[i] = item[1];
    } else {
      invalidArgument(`${message}; texts[${i}] is ${describe(item)}`);
    }
  }
  return { texts, pairs };
}

/** Attention patterns accepted by `attention`, with the core's hb::AttentionMode value. */
export const ATTENTION_MODES = Object.freeze({ default: 0, dense: 1, 'sliding-window': 2 });
/** Long-input strategies accepted by `longInput`, with the core's hb::LongInput value. */
export const LONG_INPUTS = Object.freeze({ truncate: 0, chunk: 1 });

/**
 * The attention options shared by run/classify/embed/tagTokens -> the core's fields:
 * attention ('default' | 'dense' | 'sliding-window'), window (integer >= 2), globalPositions
 * (token positions >= 0), longInput ('truncate' | 'chunk').
 */
export function checkAttentionOptions(o) {
  const pick = (v, table, name) => {
    if (v === undefined || v === null) return 0;
    if (typeof v !== 'string' || !Object.hasOwn(table, v)) {
      invalidArgument(
        `${name} must be one of [${Object.keys(table).map((k) => `'${k}'`).join(', ')}], got ${typeof v === 'string' ? `'${v}'` : describe(v)}`,
      );
    }
    return table[v];
  };
  let window = 0;
  if (o.window !== undefined && o.window !== null) {
    if (typeof o.window !== 'number' || !Number.isInteger(o.window) || o.window < 2 || o.window > 0x7fffffff) {
      invalidArgument(`window must be an integer >= 2, got ${describe(o.window)} ${show(o.window)}`);
    }
    window = o.window;
  }
  const globals = o.globalPositions ?? [];
  if (!Array.isArray(globals) || !globals.every((p) => Number.isInteger(p) && p >= 0 && p <= 0x7fffffff)) {
    invalidArgument(`globalPositions must be an array of token positions (integers >= 0), got ${describe(globals)}`);
  }
  return {
    attentionMode: pick(o.attention, ATTENTION_MODES, 'attention'),
    attentionWindow: window,
    globalPositions: globals,
    longInput: pick(o.longInput, LONG_INPUTS, 'longInput'),
  };
}

/** Input limit names accepted in `limits` objects, with the core's InputLimits field. */
export const LIMIT_NAMES = Object.freeze({
  maxTextBytes: 'max_text_bytes',
  maxBatchSize: 'max_batch_size',
  maxTotalTokens: 'max_total_tokens',
});

/**
 * `limits` option ({maxTextBytes?, maxBatchSize?, maxTotalTokens?}) -> the flat wasm fields, 0
 * for "not set" (the model's limit, or at load the built-in default). Each set value is an
 * integer in [1, 2^32 - 1]. `allowed`: the names this call takes.
 */
export function checkLimits(limits, where, allowed = Object.keys(LIMIT_NAMES)) {
  const out = {};
  for (const name of allowed) out[name] = 0;
  if (limits === undefined || limits === null) return out;
  if (typeof limits !== 'object' || Array.isArray(limits)) {
    invalidArgument(`${where} limits must be an object, got ${describe(limits)}`);
  }
  checkKnownKeys(limits, allowed, `${where} limits`);
  for (const name of allowed) {
    const v = limits[name];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 0xffffffff) {
      invalidArgument(`limits.${name} must be an integer in [1, 4294967295], got ${describe(v)} ${show(v)}`);
    }
    out[name] = v;
  }
  return out;
}

function raiseHint(name) {
  return `raise it with the ${name} option in JS or InputLimits::${LIMIT_NAMES[name]} in C++`;
}

/**
 * The checks of the core's InputLimits that JS can make before copying anything into wasm memory
 * (same code and wording as the core, which still checks exactly): the batch size, and strings
 * whose UTF-16 length alone is over maxTextBytes (UTF-8 is never shorter). `effective`: the
 * limits in force (per-call values over the model's). Throws RESOURCE_EXHAUSTED.
 */
export function checkBatchLimits(batch, effective) {
  const n = batch.texts.length;
  if (n > effective.maxBatchSize) {
    throw new ResourceExhaustedError(
      `a batch of ${n} inputs is over the limit max_batch_size = ${effective.maxBatchSize}; split it or ${raiseHint('maxBatchSize')}`,
    );
  }
  for (let i = 0; i < n; ++i) {
    const size = (t) => (t === null || t === undefined ? 0 : t.length);
    const len = size(batch.texts[i]) + size(batch.pairs?.[i]);
    if (len > effective.maxTextBytes) textTooLong(`text ${i}`, len, effective.maxTextBytes);
  }
}

export function textTooLong(what, atLeast, limit) {
  throw new ResourceExhaustedError(
    `${what} is at least ${atLeast} bytes of UTF-8, over the limit max_text_bytes = ${limit}; shorten it or ${raiseHint('maxTextBytes')}`,
  );
}
