// Type definitions for hummingbert 0.1 — the documented public API (hand-written: Emscripten
// 3.1.6 cannot emit .d.ts). Implementation: js/src/.

/**
 * hummingbert runs BERT and DistilBERT checkpoints (Hugging Face format: `config.json`,
 * `model.safetensors`, `vocab.txt`, or a `.hbm` model file from `hummingbert convert`) in
 * WebAssembly SIMD, in browsers, Web Workers and Node. The package embeds a small SST-2
 * sentiment model (int8, with early-exit heads), used when no source is given.
 *
 * @example The embedded demo model, no download
 * ```js
 * import { load } from 'hummingbert';
 *
 * const model = await load();
 * model.classify('I loved it');
 * // { label: 'positive', score: 0.98, scores: { positive: 0.98, negative: 0.02 },
 * //   exitLayer: 2, layers: [...], tokens: 5, truncated: false, timeMs: 0.4 }
 * model.dispose();
 * ```
 *
 * @example In a Web Worker, as people switching from transformers.js expect
 * ```js
 * import { createWorker, pipeline } from 'hummingbert';
 *
 * const worker = await createWorker('/models/sst2.hbm', { onProgress: console.log });
 * await worker.classify(['Great!', 'Awful.']);   // same results, off the main thread
 * const classifier = await pipeline('sentiment-analysis');
 * await classifier('I loved it');                // [{ label: 'positive', score: 0.98 }]
 * ```
 *
 * @example Classify two texts in Node
 * ```js
 * import { loadModel } from 'hummingbert';
 *
 * const model = await loadModel('./my-sst2-model');          // a Hugging Face model folder
 * const [a, b] = model.run(['I loved it', 'Meh.']);
 * a.label;   // 'positive'
 * a.probs;   // Float32Array(2) [0.0213, 0.9787]
 * model.dispose();                                          // frees the WebAssembly memory
 * ```
 *
 * @example In a browser: fetch the files yourself, pass the bytes
 * ```js
 * import { loadModel } from 'hummingbert';
 *
 * const get = (f) => fetch(`/models/mini/${f}`).then((r) => r.arrayBuffer());
 * const model = await loadModel({
 *   config: await get('config.json'),
 *   weights: await get('model.safetensors'),
 *   vocab: await get('vocab.txt'),
 * });
 * model.tokenize('Hello, world!').tokens;   // ['[CLS]', 'hello', ',', 'world', '!', '[SEP]']
 * ```
 *
 * @packageDocumentation
 */

/** Package version, e.g. `'0.1.0'`. */
export declare const version: string;

// ---------------------------------------------------------------- errors

/**
 * Every value of {@link HummingbertError.code}.
 *
 * - `INVALID_ARGUMENT`: a wrong argument type or value (checked in JS), invalid UTF-8 text, or
 *   an out-of-range option (checked by the core, e.g. `maxLength` above the position table).
 * - `INVALID_MODEL`: malformed, truncated or inconsistent model files.
 * - `UNSUPPORTED`: well-formed files of an unsupported architecture, dtype or activation.
 * - `NOT_FOUND`: a missing file (Node directory loading) or tensor.
 * - `IO_ERROR`: reading a file failed.
 * - `RESOURCE_EXHAUSTED`: out of WebAssembly memory (2 GiB at most) or over a limit.
 * - `UNSUPPORTED_TASK`: a method the model's task does not have (`classify()` on an encoder,
 *   `tagTokens()` on a sequence classifier, a pipeline of the wrong task).
 * - `NETWORK_ERROR`: fetching a model URL failed (HTTP status, offline, CORS).
 * - `INTERNAL`: a bug in hummingbert, or a crashed worker; please report it.
 * - `DISPOSED`: a method was called after `dispose()`.
 */
export type ErrorCodeName =
  | 'INVALID_ARGUMENT'
  | 'INVALID_MODEL'
  | 'UNSUPPORTED'
  | 'UNSUPPORTED_TASK'
  | 'NOT_FOUND'
  | 'IO_ERROR'
  | 'NETWORK_ERROR'
  | 'RESOURCE_EXHAUSTED'
  | 'INTERNAL'
  | 'DISPOSED';

/** The error codes as constants: `ErrorCode.INVALID_MODEL === 'INVALID_MODEL'`. */
export declare const ErrorCode: Readonly<{ [K in ErrorCodeName]: K }>;

/**
 * The only error class hummingbert throws. Errors from the C++ core keep their message, which
 * names the problem (file, tensor, byte offset) and, where there is a set of valid values,
 * lists it.
 *
 * @example
 * ```js
 * try {
 *   await loadModel({ config: '{"model_type": "gpt2"}', weights, vocab });
 * } catch (e) {
 *   if (e instanceof HummingbertError && e.code === 'UNSUPPORTED') console.log(e.message);
 * }
 * ```
 */
export declare class HummingbertError extends Error {
  constructor(message: string, options?: { code?: ErrorCodeName; cause?: unknown });
  readonly name: 'HummingbertError';
  /** A stable, upper-case code; match on this, not on the message. */
  readonly code: ErrorCodeName;
}

// ---------------------------------------------------------------- inputs

/**
 * Text to encode: a string, or its UTF-8 bytes (`Uint8Array`, Node `Buffer`). Bytes that are
 * not valid UTF-8 give `INVALID_ARGUMENT` naming the byte offset.
 */
export type Text = string | Uint8Array;

/** A file's contents: text, or bytes (`Uint8Array`, `ArrayBuffer`, any `ArrayBufferView`). */
export type FileData = string | Uint8Array | ArrayBuffer | ArrayBufferView;

/** The files of a Hugging Face model folder, already in memory. */
export interface ModelFiles {
  /** `config.json` */
  config: FileData;
  /** `model.safetensors` (fp32, fp16 or bf16 tensors). Copied once into WebAssembly memory. */
  weights: FileData;
  /** `vocab.txt` (WordPiece vocabulary, one token per line) */
  vocab: FileData;
  /** `tokenizer_config.json`: lower-casing, accent stripping, special tokens, max length. */
  tokenizerConfig?: FileData | null;
  /** `tokenizer.json`: its `normalizer` settings are used when present. */
  tokenizerJson?: FileData | null;
  /** `special_tokens_map.json` */
  specialTokensMap?: FileData | null;
  /**
   * Early-exit heads of a sequence classifier: `exit_config.json` (which layers, default rule)
   * and `exit_heads.safetensors` (their weights). Both or neither.
   */
  exitConfig?: FileData | null;
  exitHeads?: FileData | null;
}

/**
 * Where to load a model from: a Hugging Face model folder path (Node only), or its files.
 */
export type ModelSource = string | ModelFiles;

/** Unit of token offsets. */
export type OffsetUnit =
  /** UTF-16 code units: `text.slice(begin, end)` in JavaScript (the default). */
  | 'utf16'
  /** Unicode code points, as Python `str` indices and HF `offset_mapping`. */
  | 'codepoint'
  /** Bytes of the UTF-8 encoded text. */
  | 'byte';

/**
 * Limits on what one call may ask for, checked before any work: a call over one throws a
 * {@link ResourceExhaustedError} (code `'RESOURCE_EXHAUSTED'`) whose message names the limit
 * and how to raise it, so untrusted input (whatever a page's users paste) cannot hang the engine
 * or grow its memory without bound. Set them per model with `load(source, {limits})` (the values
 * in force are {@link ModelInfo.limits}) or per call with the `limits` option; an unset field
 * takes the model's value.
 */
export interface InputLimits {
  /**
   * UTF-8 bytes of one input (a text pair: both texts together). Default 1048576 (1 MiB).
   * Strings whose UTF-16 length is already over it fail before being copied into wasm memory.
   */
  maxTextBytes?: number;
  /** Inputs (texts or pairs) in one call. Default 4096. */
  maxBatchSize?: number;
  /**
   * Tokens the encoder runs in one WebAssembly call (one batch bucket of `batchTokens`): every
   * input after truncation, or every window of a `longInput: 'chunk'` input (windows overlap:
   * about twice its tokens). Default 1048576.
   */
  maxTotalTokens?: number;
}

export interface TokenizeOptions {
  /** Second text of a pair: `[CLS] text [SEP] pair [SEP]`, type id 1 for the pair's tokens. */
  pair?: Text | null;
  /**
   * Truncate to this many tokens, special tokens included (pairs: longest first). Default: the
   * model's (`info.maxLength`); at most `info.maxPositionEmbeddings`; at least 2.
   */
  maxLength?: number;
  /** Unit of `offsets`. Default `'utf16'`. */
  offsets?: OffsetUnit;
  /** Add `[CLS]`/`[SEP]`. Default true. */
  addSpecialTokens?: boolean;
  /** Only `maxTextBytes` applies (text and pair together). */
  limits?: Pick<InputLimits, 'maxTextBytes'>;
}

/**
 * Attention options (`run`, `classify`, `embed`, `tagTokens`). What ran is reported per text as
 * `attention`: `'dense'`, `'truncated(128 of 412)'` (tokens kept of the text's tokens),
 * `'sliding_window(256)+global(1)'` or `'chunked(3x128)'`.
 */
export interface AttentionOptions {
  /**
   * `'default'`: what the model stores (dense for Hugging Face checkpoints); `'dense'`;
   * `'sliding-window'` (Longformer-style: linear in the length; only for models trained with it).
   */
  attention?: 'default' | 'dense' | 'sliding-window';
  /** Sliding window width in tokens (>= 2). Default: the model's, else 256. */
  window?: number;
  /** Token positions ([CLS] = 0) that attend everywhere, besides [CLS]. */
  globalPositions?: number[];
  /**
   * Texts longer than `maxLength`: `'truncate'` (default) or `'chunk'` (overlapping windows,
   * logits and embeddings averaged).
   */
  longInput?: 'truncate' | 'chunk';
  /** This call's {@link InputLimits}; unset fields: the model's ({@link ModelInfo.limits}). */
  limits?: InputLimits;
}

export interface RunOptions extends AttentionOptions {
  /** As {@link TokenizeOptions.maxLength}. */
  maxLength?: number;
  /** Classifiers: also return `cls`, `mean` (and `pooler`). Encoders always return them. */
  embeddings?: boolean;
  /** L2-normalize `cls`, `mean` and `pooler`. Default false. */
  normalize?: boolean;
  /** Unit of `offsets` in the results. Default `'utf16'`. */
  offsets?: OffsetUnit;
  /**
   * Early exit for sequence classifiers with exit heads (`info.exitLayers`): a text leaves the
   * encoder at the first head whose prediction satisfies the rule.
   * - `'default'`: the rule stored with the model (`info.defaultExitRule`); full depth if none.
   * - `'off'`: always full depth.
   * - `'entropy'`: softmax entropy (nats) below `exitThreshold` (DeeBERT).
   * - `'max-prob'`: largest softmax probability at least `exitThreshold`.
   * - `'patience'`: the same label at `exitPatience` consecutive heads (PABEE).
   *
   * A rule other than `'default'`/`'off'` on a model without exit heads throws `UNSUPPORTED`.
   */
  earlyExit?: EarlyExitRule;
  /** Threshold of the entropy / max-prob rules. Default: the model's value. */
  exitThreshold?: number;
  /** Heads that must agree for the patience rule. Default: the model's value. */
  exitPatience?: number;
}

/** See {@link RunOptions.earlyExit}. */
export type EarlyExitRule = 'default' | 'off' | 'entropy' | 'max-prob' | 'patience';

/** One classifier head evaluated on the way through the encoder (early exit). */
export interface LayerResult {
  /** 1-based encoder layer the head reads. */
  layer: number;
  logits: Float32Array;
  labelId: number;
  label: string;
}

/** A batch for {@link Model.run}: texts, `[text, pair]` pairs, or a mix. */
export type RunInput = Text | ReadonlyArray<Text | readonly [Text, Text]>;

// ---------------------------------------------------------------- outputs

/** The tokens of one text (or pair). */
export interface Encoding {
  /** Token ids, special tokens included. */
  ids: Int32Array;
  /** 0 for the first text (and `[CLS]`), 1 for the second text of a pair. */
  typeIds: Int32Array;
  /** Token strings (`'##'` marks a word continuation). */
  tokens: string[];
  /**
   * `[begin, end)` of each token in its own text (the pair's text for type-1 tokens), in the
   * requested unit; `[0, 0]` for special tokens.
   */
  offsets: Array<[number, number]>;
  /** True if tokens were dropped to fit `maxLength`. */
  truncated: boolean;
}

/**
 * One result of {@link Model.run}. Which fields are present depends on `info.task`:
 *
 * - `'sequence-classification'`: `logits`, `probs` (`Float32Array` of `info.labels.length`:
 *   the scores `info.scoreFunction` gives), `labelId`, `label`, `exitLayer` and `layers` (early
 *   exit).
 * - `'token-classification'`: `logits`, `probs` (one `Float32Array` row per token),
 *   `labelIds`, `labels` (argmax per token, special tokens included).
 * - `'encoder'`: `cls`, `mean` and, if the checkpoint has one, `pooler`.
 *
 * Classifiers add `cls`/`mean`/`pooler` with `{embeddings: true}`. Every typed array is a
 * copy owned by JS; nothing aliases WebAssembly memory.
 */
export interface RunResult extends Encoding {
  /** The attention that ran, e.g. `'dense'` or `'truncated(128 of 412)'` (see {@link AttentionOptions}). */
  attention: string;
  logits?: Float32Array | Float32Array[];
  probs?: Float32Array | Float32Array[];
  /** Sequence classifiers: index of the largest logit. */
  labelId?: number;
  /** Sequence classifiers: `info.labels[labelId]`. */
  label?: string;
  /**
   * Sequence classifiers: the 1-based layer the text left the encoder at (`info.numLayers`
   * at full depth).
   */
  exitLayer?: number;
  /**
   * Sequence classifiers: every head evaluated, in layer order (exit heads, then the final
   * classifier if reached). Without exit heads: one entry, the final classifier.
   */
  layers?: LayerResult[];
  /** Token classifiers: argmax label index per token. */
  labelIds?: Int32Array;
  /** Token classifiers: label name per token. */
  labels?: string[];
  /** Last hidden state of the first token (`[CLS]`), `[hiddenSize]`. */
  cls?: Float32Array;
  /** Mean of the last hidden state over the text's tokens, `[hiddenSize]`. */
  mean?: Float32Array;
  /** BERT pooler output (tanh dense over `cls`), `[hiddenSize]`. */
  pooler?: Float32Array;
}

/** What a loaded model is, from its `config.json` and tokenizer files. */
export interface ModelInfo {
  /** e.g. `'BertForSequenceClassification'` */
  readonly architecture: string;
  /** `'bert'` or `'distilbert'` */
  readonly modelType: 'bert' | 'distilbert';
  readonly task: 'encoder' | 'sequence-classification' | 'token-classification';
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly intermediateSize: number;
  readonly maxPositionEmbeddings: number;
  readonly typeVocabSize: number;
  /** `'gelu'`, `'gelu_new'`, `'relu'`, ... */
  readonly hiddenAct: string;
  readonly layerNormEps: number;
  /** Label names by id (`id2label`); empty for encoders. */
  readonly labels: readonly string[];
  /**
   * How `probs` comes from the logits, as Hugging Face's text-classification pipeline decides
   * it from `config.json`'s `problem_type` and the label count: `'softmax'` (single-label
   * classifiers of 2+ labels), `'sigmoid'` (one per label: `multi_label_classification`, or a
   * one-label model such as a cross-encoder), `'none'` (`regression`: the logits). Token
   * classifiers: `'softmax'`; encoders: `''`.
   */
  readonly scoreFunction: 'softmax' | 'sigmoid' | 'none' | '';
  readonly hasPooler: boolean;
  /** Default truncation length, special tokens included. */
  readonly maxLength: number;
  /** Whether the tokenizer lower-cases. */
  readonly lowercase: boolean;
  /** Threads the model runs on (1 in the single-threaded WebAssembly build). */
  readonly numThreads: number;
  /** 1-based layers with an exit head; empty when the model has none. */
  readonly exitLayers: readonly number[];
  /** The model's early-exit rule: `'entropy'`, `'max_prob'`, `'patience'` or `'none'`. */
  readonly defaultExitRule: string;
  readonly defaultExitThreshold: number;
  readonly defaultExitPatience: number;
  /** Weights of the encoder layers: `'fp32'` or `'int8'`. */
  readonly dtype: string;
  /** int8 models: `'int8'` or `'u7'` ({@link LoadOptions.int8Activations} in effect); `''` for fp32. */
  readonly int8Activations: string;
  /** The int8 GEMMs run the relaxed-SIMD kernel (`i32x4.relaxed_dot_i8x16_i7x16_add_s`). */
  readonly relaxedSimd: boolean;
  /** The model's default attention: `'dense'`, or e.g. `'sliding_window(256)+global(cls)'`. */
  readonly attention: string;
  /** The {@link InputLimits} in force (defaults filled in; set with `load(source, {limits})`). */
  readonly limits: Readonly<Required<InputLimits>>;
}

// ---------------------------------------------------------------- classes

/**
 * A loaded model. Methods are synchronous (they run on the calling thread; use a Worker to
 * keep a page responsive). Call {@link Model.dispose} when done: WebAssembly memory is not
 * garbage-collected reliably. Supports `using` (`Symbol.dispose`) where available.
 */
export declare class Model {
  private constructor();
  /** Architecture, sizes, labels and tokenizer defaults. Readable after dispose(). */
  readonly info: ModelInfo;
  /** True after {@link Model.dispose}. */
  readonly disposed: boolean;

  /**
   * Tokenizes one text (or pair) as the model would.
   *
   * @example
   * ```js
   * model.tokenize('Héllo, world!');
   * // { ids: Int32Array [2, 2115, 1086, 16, 1094, 5, 3],
   * //   typeIds: Int32Array [0, 0, 0, 0, 0, 0, 0],
   * //   tokens: ['[CLS]', 'hell', '##o', ',', 'world', '!', '[SEP]'],
   * //   offsets: [[0, 0], [0, 4], [4, 5], [5, 6], [7, 12], [12, 13], [0, 0]],
   * //   truncated: false }
   * ```
   * @throws {HummingbertError} `INVALID_ARGUMENT` (types, `maxLength`, invalid UTF-8),
   *   `DISPOSED`.
   */
  tokenize(text: Text, options?: TokenizeOptions): Encoding;

  /**
   * Runs a batch. Texts of different lengths run together without padding, and each result
   * equals running that text alone.
   *
   * @example
   * ```js
   * const [r] = model.run('Hello, world!');          // a sequence classifier
   * r.label;    // 'positive'
   * r.labelId;  // 2
   * r.logits;   // Float32Array(3) [0.4132, -1.0452, 1.1377]
   * r.probs;    // Float32Array(3) [0.3034, 0.0706, 0.6261]
   * r.exitLayer; // 3 (no exit heads: full depth)
   *
   * model.run([['How old are you?', 'I am 6.'], 'single text']);   // pairs and singles
   * ```
   * @throws {HummingbertError} `INVALID_ARGUMENT` ("texts must be a string or an array of
   *   strings", invalid UTF-8 naming the text and byte), `RESOURCE_EXHAUSTED`, `DISPOSED`.
   */
  run(texts: RunInput, options?: RunOptions): RunResult[];

  /** Frees the model's WebAssembly memory. Idempotent; later calls throw `DISPOSED`. */
  dispose(): void;
  [Symbol.dispose](): void;
}

/** A WordPiece tokenizer on its own (no model weights). */
export declare class Tokenizer {
  private constructor();
  readonly disposed: boolean;
  /** As {@link Model.tokenize}. */
  tokenize(text: Text, options?: TokenizeOptions): Encoding;
  dispose(): void;
  [Symbol.dispose](): void;
}

// ---------------------------------------------------------------- functions

/**
 * Loads a BERT or DistilBERT checkpoint: `BertModel`, `BertForSequenceClassification`,
 * `BertForTokenClassification` and the DistilBERT equivalents. The WebAssembly module is
 * instantiated on first use (in Node the `.wasm` is read next to the package's glue; in
 * browsers it is fetched from `new URL('../../dist/hummingbert-simd.wasm', import.meta.url)`,
 * which bundlers emit as an asset). No other network access.
 *
 * @param source A Hugging Face model folder (Node), or its files as strings/bytes.
 * @throws {HummingbertError} `INVALID_ARGUMENT`, `NOT_FOUND`, `IO_ERROR`, `INVALID_MODEL`,
 *   `UNSUPPORTED`, `RESOURCE_EXHAUSTED`.
 *
 * @example
 * ```js
 * const model = await loadModel('tests/fixtures/models/bert_seqcls');
 * model.info.task;     // 'sequence-classification'
 * model.info.labels;   // ['negative', 'neutral', 'positive']
 * ```
 */
export declare function loadModel(source: ModelSource): Promise<Model>;

export interface LoadTokenizerOptions {
  /** Lower-case and strip accents (uncased vocabularies). Default true. */
  lowercase?: boolean;
  /** Default truncation length. Default 512. */
  maxLength?: number;
}

/**
 * Loads a WordPiece tokenizer from a `vocab.txt` alone.
 *
 * @param source A `vocab.txt` path (Node), its contents, or `{vocab}`.
 *
 * @example
 * ```js
 * const tok = await loadTokenizer('vocab.txt', { lowercase: true });
 * tok.tokenize('Hello 中国', { offsets: 'codepoint' }).tokens;
 * // ['[CLS]', 'hello', '中', '国', '[SEP]']
 * ```
 */
export declare function loadTokenizer(
  source: string | FileData | { vocab: FileData },
  options?: LoadTokenizerOptions,
): Promise<Tokenizer>;

// ---------------------------------------------------------------- error subclasses

/** `INVALID_ARGUMENT`: a wrong argument type or value, rejected before any work is done. */
export declare class InvalidArgumentError extends HummingbertError {}
/** `INVALID_MODEL`, `NOT_FOUND`, `IO_ERROR`, `NETWORK_ERROR`: the model could not be read. */
export declare class ModelLoadError extends HummingbertError {}
/** `UNSUPPORTED`, `UNSUPPORTED_TASK`: valid input that this model or build cannot handle. */
export declare class UnsupportedError extends HummingbertError {}
/** `RESOURCE_EXHAUSTED`: out of WebAssembly memory or over a limit. */
export declare class ResourceExhaustedError extends HummingbertError {}
/** `DISPOSED`: the model or worker was disposed. */
export declare class DisposedError extends HummingbertError {}
/** `INTERNAL`: a bug in hummingbert, or a crashed worker. */
export declare class InternalError extends HummingbertError {}

// ---------------------------------------------------------------- load()

/**
 * What {@link load} accepts:
 * - `undefined`: the embedded SST-2 demo model (`dist/models/sst2-demo.hbm`, shipped in the
 *   package: read from disk in Node, fetched from next to the package's files in browsers);
 * - a URL (`string` or `URL`) of a `.hbm` file: fetched with progress events;
 * - a path (Node only): a `.hbm` file or a Hugging Face model folder;
 * - the bytes of a `.hbm` file (`Uint8Array`, `ArrayBuffer`, any `ArrayBufferView`);
 * - the files of a Hugging Face model folder ({@link ModelFiles}).
 */
export type LoadSource = string | URL | Uint8Array | ArrayBuffer | ArrayBufferView | ModelFiles | undefined;

/**
 * Progress of {@link load}, in order: one `download` (total may be 0 when unknown), any number
 * of `progress` (bytes read so far), one `compile` (parsing the model, instantiating
 * WebAssembly), one `ready`.
 */
export type ProgressEvent =
  | { status: 'download'; file: string; loaded: number; total: number }
  | { status: 'progress'; file: string; loaded: number; total: number; progress?: number }
  | { status: 'compile'; file: string; loaded: number; total: number }
  | { status: 'ready'; file: string; loaded: number; total: number };

export interface LoadOptions {
  /** Called with each {@link ProgressEvent}. */
  onProgress?: (event: ProgressEvent) => void;
  /**
   * Threads for inference (the caller's included). Above 1, the threaded build
   * (`hummingbert-simd-threaded.wasm`) is loaded, where threads work: in Node, and in pages and
   * workers that are cross-origin isolated (served with `Cross-Origin-Opener-Policy: same-origin`
   * and `Cross-Origin-Embedder-Policy: require-corp`). Elsewhere the model runs on 1 thread, with
   * one console warning naming those headers. Threads come from a pool of (hardware threads - 1,
   * at most 7) workers shared by all models and returned by `dispose()`, so a model may get fewer
   * than asked: {@link ModelInfo.numThreads} tells what it uses. Results do not depend on the
   * thread count. Default 1.
   */
  numThreads?: number;
  /**
   * Encoder weights at run time: `'int8'` quantizes fp32/fp16 weights at load; `'fp32'` keeps
   * full precision (rejected for int8 model files). Default: as stored.
   */
  dtype?: 'int8' | 'fp32';
  /**
   * Activation quantization of int8 layers: `'int8'` (symmetric per row, -127..127) or `'u7'`
   * (asymmetric per row, 0..127 with a zero point: the operand of relaxed SIMD's
   * `i32x4.relaxed_dot_i8x16_i7x16_add_s`, ~1.8x the int8 rate in Chromium). Default: `'u7'`
   * where the relaxed-SIMD kernel is in use, else `'int8'`. `'u7'` elsewhere gives the same
   * results on the SIMD128 kernels (to check accuracy); the demo model loses 0.23 points.
   */
  int8Activations?: 'int8' | 'u7';
  /** The model's {@link InputLimits} (unset fields: the defaults). */
  limits?: InputLimits;
}

/**
 * Loads a model from any {@link LoadSource}. The WebAssembly module compiles while the model
 * downloads. No network access except fetching a URL you give.
 *
 * A `.hbm` file (URL, Node path, bytes) streams into WebAssembly memory in 256 KiB chunks as it
 * arrives: the body of a download is never gathered in JS, a Node file is read in chunks, and
 * bytes you pass are fed as views, so the peak is about the loaded model, not file + model.
 * Progress for a `.hbm` URL or path: `download`, `progress` per chunk, `compile` after the last
 * byte, `ready`. A truncated file or one with bytes after its last tensor is `INVALID_MODEL`; a
 * download that breaks off is `NETWORK_ERROR`; either way nothing stays allocated.
 *
 * @throws {HummingbertError} `INVALID_ARGUMENT` (source type, options), `NOT_FOUND`,
 *   `NETWORK_ERROR`, `IO_ERROR`, `INVALID_MODEL`, `UNSUPPORTED`, `RESOURCE_EXHAUSTED`.
 *
 * @example
 * ```js
 * const demo = await load();                              // embedded SST-2 model
 * const remote = await load('https://example.com/m.hbm', {
 *   onProgress: ({ status, loaded, total }) => console.log(status, loaded, total),
 * });
 * const local = await load('./my-hf-folder', { dtype: 'int8' });   // Node
 * const bytes = await load(await (await fetch('/m.hbm')).arrayBuffer());
 * ```
 */
export declare function load(source?: LoadSource, options?: LoadOptions): Promise<Model>;

// ---------------------------------------------------------------- tasks

export interface ClassifyOptions extends AttentionOptions {
  /**
   * Early exit (models with exit heads): `true`/`'default'` the model's rule, `false`/`'off'`
   * full depth, or a rule. Default: the model's rule.
   */
  earlyExit?: boolean | EarlyExitRule;
  /** Threshold of the rule (entropy in nats, or max probability). Default: the model's. */
  exitThreshold?: number;
  /** Patience rule: consecutive agreeing heads. */
  exitPatience?: number;
  /** Truncation length in tokens (special tokens included). Default: the model's. */
  maxLength?: number;
  /** Keep only the K most probable labels in `scores`. Default: all. */
  topK?: number;
  /**
   * Batches are sorted by length and run in buckets of at most this many (estimated) tokens,
   * which bounds memory. Results do not depend on it. Default 8192.
   */
  batchTokens?: number;
}

/** One head's prediction on the way through the encoder. */
export interface LayerConfidence {
  /** 1-based layer. */
  layer: number;
  label: string;
  /** Probability of `label`. */
  score: number;
  /** Probability per label, most probable first. */
  scores: Record<string, number>;
}

export interface ClassifyResult {
  label: string;
  /** Probability of `label`. */
  score: number;
  /** Probability per label, most probable first (`topK` of them). */
  scores: Record<string, number>;
  /** The 1-based layer the text left the encoder at (`numLayers` at full depth). */
  exitLayer: number;
  /** Every head evaluated on the way, in layer order (the last one decided). */
  layers: LayerConfidence[];
  /** Tokens run, special tokens included (after truncation). */
  tokens: number;
  /** True when the text was cut to `maxLength` tokens. */
  truncated: boolean;
  /** The attention that ran: `'dense'`, `'truncated(128 of 412)'`, ... */
  attention: string;
  /** Inference time in ms (in a batch: the bucket's time shared out by tokens). */
  timeMs: number;
}

export interface EmbedOptions extends AttentionOptions {
  /** `'mean'` (default): masked mean of the last hidden states; `'cls'`; `'pooler'`. */
  pooling?: 'cls' | 'mean' | 'pooler';
  /** L2-normalize. Default false. */
  normalize?: boolean;
  maxLength?: number;
  batchTokens?: number;
}

export interface TagTokensOptions extends AttentionOptions {
  maxLength?: number;
  /** Labels to leave out, e.g. `['O']`. Default: none. */
  ignoreLabels?: string[];
  batchTokens?: number;
}

/** One token of a token classifier's output. Special tokens are left out. */
export interface TokenTag {
  /** The WordPiece token, e.g. `'##ing'`. */
  token: string;
  label: string;
  score: number;
  /** UTF-16 offsets into the text: `text.slice(start, end)`. */
  start: number;
  end: number;
}

export interface Model {
  /**
   * Classifies one text (one result) or an array (an array of results, in input order).
   * Needs a sequence classifier (`UNSUPPORTED_TASK` otherwise).
   *
   * @example
   * ```js
   * const r = model.classify('I loved it', { earlyExit: true });
   * r.label; r.score; r.exitLayer;          // 'positive', 0.98, 2
   * model.classify(['Great.', 'Awful.']).map((r) => r.label);   // ['positive', 'negative']
   * ```
   * @throws {HummingbertError} `INVALID_ARGUMENT`, `UNSUPPORTED_TASK`, `UNSUPPORTED` (an exit rule
   *   on a model without exit heads), `DISPOSED`.
   */
  classify(text: Text, options?: ClassifyOptions): ClassifyResult;
  classify(texts: ReadonlyArray<Text | readonly [Text, Text]>, options?: ClassifyOptions): ClassifyResult[];

  /**
   * Sentence embeddings (any model): one `Float32Array` of `hiddenSize` per text.
   *
   * @example
   * ```js
   * const [a, b] = model.embed(['cat', 'kitten'], { pooling: 'mean', normalize: true });
   * const cosine = a.reduce((s, x, i) => s + x * b[i], 0);
   * ```
   * @throws {HummingbertError} `INVALID_ARGUMENT`, `UNSUPPORTED` (`'pooler'` without a pooler).
   */
  embed(text: Text, options?: EmbedOptions): Float32Array;
  embed(texts: ReadonlyArray<Text | readonly [Text, Text]>, options?: EmbedOptions): Float32Array[];

  /**
   * Token classification (NER, POS): the label of every token. Needs a token classifier.
   *
   * @example
   * ```js
   * model.tagTokens('John lives in Paris', { ignoreLabels: ['O'] });
   * // [{ token: 'john', label: 'B-PER', score: 0.99, start: 0, end: 4 }, ...]
   * ```
   */
  tagTokens(text: Text, options?: TagTokensOptions): TokenTag[];
  tagTokens(texts: ReadonlyArray<Text | readonly [Text, Text]>, options?: TagTokensOptions): TokenTag[][];
}

// ---------------------------------------------------------------- workers

/** Promise-returning twins of {@link Model}'s methods, run in a worker. */
export declare class WorkerModel {
  private constructor();
  readonly info: ModelInfo;
  readonly disposed: boolean;
  classify(text: Text, options?: ClassifyOptions): Promise<ClassifyResult>;
  classify(texts: ReadonlyArray<Text | readonly [Text, Text]>, options?: ClassifyOptions): Promise<ClassifyResult[]>;
  embed(text: Text, options?: EmbedOptions): Promise<Float32Array>;
  embed(texts: ReadonlyArray<Text | readonly [Text, Text]>, options?: EmbedOptions): Promise<Float32Array[]>;
  tagTokens(text: Text, options?: TagTokensOptions): Promise<TokenTag[]>;
  tagTokens(texts: ReadonlyArray<Text | readonly [Text, Text]>, options?: TagTokensOptions): Promise<TokenTag[][]>;
  tokenize(text: Text, options?: TokenizeOptions): Promise<Encoding>;
  run(texts: RunInput, options?: RunOptions): Promise<RunResult[]>;
  /** Frees the model and terminates the worker. Later calls reject with `DISPOSED`. */
  dispose(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
  [Symbol.dispose](): void;
}

/**
 * Loads a model in a Web Worker (a module worker in browsers, `worker_threads` in Node) and
 * returns the same API with promises. Errors thrown in the worker are rebuilt as the same
 * {@link HummingbertError} subclass and code. Byte sources (`ArrayBuffer`, or typed arrays
 * covering their whole buffer) are transferred, which detaches them in the caller. In Node an
 * idle worker does not keep the process alive.
 *
 * @example
 * ```js
 * const model = await createWorker(undefined, { onProgress: (e) => bar.update(e) });
 * const r = await model.classify(textarea.value);
 * await model.dispose();
 * ```
 */
export declare function createWorker(source?: LoadSource, options?: LoadOptions): Promise<WorkerModel>;

// ---------------------------------------------------------------- pipeline

export type PipelineTask =
  | 'sentiment-analysis'
  | 'text-classification'
  | 'feature-extraction'
  | 'token-classification'
  | 'ner';

/** feature-extraction output, shaped like a transformers.js Tensor. */
export interface EmbeddingTensor {
  type: 'float32';
  /** Row-major `[texts, hiddenSize]`. */
  data: Float32Array;
  dims: [number, number];
  tolist(): number[][];
}

export interface TokenClassificationItem {
  entity: string;
  score: number;
  index: number;
  word: string;
  start: number;
  end: number;
}

export interface Pipeline<In, Out, Opt> {
  (texts: In, options?: Opt): Promise<Out>;
  readonly task: PipelineTask;
  readonly model: Model;
  dispose(): void;
}

/**
 * A transformers.js-shaped front end over {@link load}, for people switching:
 * `'sentiment-analysis'`/`'text-classification'` return `[{label, score}]`,
 * `'feature-extraction'` a `{data, dims}` tensor (pooled: `'mean'` by default, `'none'` is not
 * supported), `'token-classification'`/`'ner'` `[{entity, score, index, word, start, end}]`
 * (ignoring `'O'` by default). A model of the wrong task gives `UNSUPPORTED_TASK`.
 *
 * @example
 * ```js
 * const classifier = await pipeline('sentiment-analysis');   // the embedded demo model
 * await classifier('I love transformers!');   // [{ label: 'positive', score: 0.99 }]
 * const extractor = await pipeline('feature-extraction', './minilm.hbm');
 * const t = await extractor(['a', 'b'], { pooling: 'mean', normalize: true });   // t.dims: [2, 384]
 * ```
 */
export declare function pipeline(
  task: 'sentiment-analysis' | 'text-classification',
  source?: LoadSource,
  options?: LoadOptions,
): Promise<Pipeline<string | string[], Array<{ label: string; score: number } | Array<{ label: string; score: number }>>, { topK?: number; top_k?: number; maxLength?: number }>>;
export declare function pipeline(
  task: 'feature-extraction',
  source?: LoadSource,
  options?: LoadOptions,
): Promise<Pipeline<string | string[], EmbeddingTensor, { pooling?: 'mean' | 'cls' | 'pooler' | 'none'; normalize?: boolean }>>;
export declare function pipeline(
  task: 'token-classification' | 'ner',
  source?: LoadSource,
  options?: LoadOptions,
): Promise<Pipeline<string | string[], TokenClassificationItem[] | TokenClassificationItem[][], { ignoreLabels?: string[]; ignore_labels?: string[] }>>;

// ---------------------------------------------------------------- conversion, environment

/**
 * Converts a Hugging Face model (a folder path in Node, or its files) into `.hbm` bytes: the
 * same bytes as the native `hummingbert convert` (the same C++ code, compiled to WebAssembly).
 * The converter is a WebAssembly module of its own (`hummingbert-convert.wasm`), loaded on the
 * first call, so pages that only run models never download it.
 *
 * @example
 * ```js
 * import { writeFile } from 'node:fs/promises';
 * await writeFile('model.hbm', await convert('./my-hf-folder', { dtype: 'int8' }));
 * ```
 * @throws {HummingbertError} `INVALID_ARGUMENT` (dtype: one of int8, fp16, fp32),
 *   `NOT_FOUND`, `INVALID_MODEL`, `UNSUPPORTED`.
 */
export declare function convert(source: string | ModelFiles, options?: { dtype?: 'int8' | 'fp16' | 'fp32' }): Promise<Uint8Array>;

/**
 * Settings read when the WebAssembly module is first instantiated (set them before the first
 * load): `wasmPaths`, a URL prefix ending in `/` where `hummingbert-simd.wasm` (and, for
 * {@link convert}, `hummingbert-convert.wasm`) is served; or `wasmBinary`, the bytes of
 * `hummingbert-simd.wasm` themselves; `relaxedSimd: false` keeps int8 models on the
 * SIMD128 kernels even where the runtime has relaxed SIMD (default `true`: the relaxed-SIMD int8
 * kernel is used after it passes a self-test, as in Chromium and Firefox; see
 * {@link ModelInfo.relaxedSimd}).
 */
export declare const env: { wasmPaths?: string; wasmBinary?: ArrayBuffer | Uint8Array; relaxedSimd?: boolean };

/**
 * Heap statistics of the shared WebAssembly module: `heapSize` (linear memory in bytes; it
 * only grows), `allocated` (bytes in use; drops back after `dispose()`) and `peakFootprint`
 * (the most memory the allocator has held at once since the module started, free blocks
 * inside it included: the peak of a load, measured in a fresh process; 0 in the pthreads
 * build, whose allocator does not track it).
 */
export declare function memoryStats(): Promise<{ heapSize: number; allocated: number; peakFootprint: number }>;
