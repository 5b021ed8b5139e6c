// HummingbertError and its subclasses: the only errors the package throws. `code` is the core's
// status code name (src/base/status.h StatusCodeName) or one of the JS-side codes below; the
// subclass follows from the code (errorForCode), so `instanceof` and `.code` always agree.

/** Every value `HummingbertError#code` can take. */
export const ErrorCode = Object.freeze({
  INVALID_ARGUMENT: 'INVALID_ARGUMENT', // wrong argument type/value (JS checks or the core)
  INVALID_MODEL: 'INVALID_MODEL', // malformed, truncated or inconsistent model files
  UNSUPPORTED: 'UNSUPPORTED', // well-formed but unsupported (architecture, dtype, activation)
  UNSUPPORTED_TASK: 'UNSUPPORTED_TASK', // e.g. classify() on an encoder without a classifier head
  NOT_FOUND: 'NOT_FOUND', // a missing file or tensor
  IO_ERROR: 'IO_ERROR', // reading a file failed
  NETWORK_ERROR: 'NETWORK_ERROR', // fetching a model URL failed (status, CORS, offline)
  RESOURCE_EXHAUSTED: 'RESOURCE_EXHAUSTED', // over a limit or out of (wasm) memory
  INTERNAL: 'INTERNAL', // a bug in hummingbert, or a crashed worker
  DISPOSED: 'DISPOSED', // a method was called after dispose()
});

export class HummingbertError extends Error {
  /**
   * @param {string} message
   * @param {{code?: string, cause?: unknown}} [options]
   */
  constructor(message, options = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HummingbertError';
    this.code = options.code ?? ErrorCode.INTERNAL;
  }
}

function subclass(name, defaultCode) {
  // A named class per family; the code stays overridable within the family.
  const C = {
    [name]: class extends HummingbertError {
      constructor(message, options = {}) {
        super(message, { ...options, code: options.code ?? defaultCode });
        this.name = name;
      }
    },
  }[name];
  return C;
}

/** INVALID_ARGUMENT: a wrong argument type or value. */
export const InvalidArgumentError = subclass('InvalidArgumentError', ErrorCode.INVALID_ARGUMENT);
/** INVALID_MODEL, NOT_FOUND, IO_ERROR, NETWORK_ERROR: the model could not be read. */
export const ModelLoadError = subclass('ModelLoadError', ErrorCode.INVALID_MODEL);
/** UNSUPPORTED, UNSUPPORTED_TASK: valid input this model or build cannot do. */
export const UnsupportedError = subclass('UnsupportedError', ErrorCode.UNSUPPORTED);
/** RESOURCE_EXHAUSTED: out of WebAssembly memory or over a limit. */
export const ResourceExhaustedError = subclass('ResourceExhaustedError', ErrorCode.RESOURCE_EXHAUSTED);
/** DISPOSED: the model (or worker) was disposed. */
export const DisposedError = subclass('DisposedError', ErrorCode.DISPOSED);
/** INTERNAL: a bug or a crashed worker. */
export const InternalError = subclass('InternalError', ErrorCode.INTERNAL);

const CLASS_FOR_CODE = {
  INVALID_ARGUMENT: InvalidArgumentError,
  INVALID_MODEL: ModelLoadError,
  NOT_FOUND: ModelLoadError,
  IO_ERROR: ModelLoadError,
  NETWORK_ERROR: ModelLoadError,
  UNSUPPORTED: UnsupportedError,
  UNSUPPORTED_TASK: UnsupportedError,
  RESOURCE_EXHAUSTED: ResourceExhaustedError,
  DISPOSED: DisposedError,
  INTERNAL: InternalError,
};

/** A HummingbertError of the subclass that matches `code` (unknown codes: the base class). */
export function errorForCode(code, message, cause) {
  const C = CLASS_FOR_CODE[code] ?? HummingbertError;
  return new C(message, { code, cause });
}

function safeString(v) {
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/** Throws an InvalidArgumentError with `message`. */
export function invalidArgument(message) {
  throw new InvalidArgumentError(message);
}

/** A plain, structured-clonable copy of an error (for postMessage across workers). */
export function cloneError(e) {
  if (e instanceof HummingbertError) return { name: e.name, code: e.code, message: e.message, stack: e.stack };
  const message = e instanceof Error ? e.message : safeString(e);
  return { name: 'InternalError', code: ErrorCode.INTERNAL, message: `unexpected error in the worker: ${message}`, stack: e?.stack };
}

/** Rebuilds a cloneError() object as a HummingbertError, with the caller's stack appended. */
export function rebuildError(plain, callerStack) {
  const e = errorForCode(plain.code, plain.message);
  e.stack = `${e.name}: ${plain.message}\n    (in worker)${plain.stack ? `\n${plain.stack.split('\n').slice(1).join('\n')}` : ''}` +
    (callerStack ? `\n    (caller)\n${callerStack.split('\n').slice(1).join('\n')}` : '');
  return e;
}

/**
 * Unwraps a binding result: {ok: true, value} gives value, {ok: false, code, message} throws.
 * Errors thrown by Embind itself (BindingError: a bug, since JS validates first) become
 * InternalError with the original as `cause`.
 */
export function unwrap(call) {
  let result;
  try {
    result = call();
  } catch (e) {
    if (e instanceof HummingbertError) throw e;
    const message = e instanceof Error ? e.message : safeString(e);
    throw new InternalError(`unexpected error in the WebAssembly module: ${message}`, { cause: e });
  }
  if (!result.ok) throw errorForCode(result.code, result.message);
  return result.value;
}

/** new-HummingbertError-style construction that picks the subclass from options.code. */
export function makeError(message, options = {}) {
  return errorForCode(options.code ?? ErrorCode.INTERNAL, message, options.cause);
}
