// Type definitions for hummingbert 0.1 — the documented public API (hand-written: Emscripten
// 3.1.6 cannot emit .d.ts). Implementation: js/src/.

/**
 * hummingbert runs BERT and DistilBERT checkpoints (Hugging Face format: `config.json`,
 * `model.safetensors`, `vocab.txt`) in WebAssembly SIMD, in browsers, Web Workers and Node.
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
 * - `INTERNAL`: a bug in hummingbert; please report it.
 * - `DISPOSED`: a method was called after `dispose()`.
 */
export type ErrorCodeName =
  | 'INVALID_ARGUMENT'
  | 'INVALID_MODEL'
  | 'UNSUPPORTED'
  | 'NOT_FOUND'
  | 'IO_ERROR'
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
}

export interface RunOptions {
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
 * - `'sequence-classification'`: `logits`, `probs` (`Float32Array` of `info.labels.length`),
 *   `labelId`, `label`, `exitLayer` and `layers` (early exit).
 * - `'token-classification'`: `logits`, `probs` (one `Float32Array` row per token),
 *   `labelIds`, `labels` (argmax per token, special tokens included).
 * - `'encoder'`: `cls`, `mean` and, if the checkpoint has one, `pooler`.
 *
 * Classifiers add `cls`/`mean`/`pooler` with `{embeddings: true}`. Every typed array is a
 * copy owned by JS; nothing aliases WebAssembly memory.
 */
export interface RunResult extends Encoding {
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
