// HummingbertError: the one error class the package throws. `code` is the core's status code
// name (src/base/status.h StatusCodeName) or one of the JS-side codes below.

/** Every value `HummingbertError#code` can take. */
export const ErrorCode = Object.freeze({
  INVALID_ARGUMENT: 'INVALID_ARGUMENT', // wrong argument type/value (JS checks or the core)
  INVALID_MODEL: 'INVALID_MODEL', // malformed, truncated or inconsistent model files
  UNSUPPORTED: 'UNSUPPORTED', // well-formed but unsupported (architecture, dtype, activation)
  NOT_FOUND: 'NOT_FOUND', // a missing file or tensor
  IO_ERROR: 'IO_ERROR', // reading a file failed
  RESOURCE_EXHAUSTED: 'RESOURCE_EXHAUSTED', // over a limit or out of (wasm) memory
  INTERNAL: 'INTERNAL', // a bug in hummingbert
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

/** Throws a HummingbertError(INVALID_ARGUMENT) with `message`. */
export function invalidArgument(message) {
  throw new HummingbertError(message, { code: ErrorCode.INVALID_ARGUMENT });
}

/**
 * Unwraps a binding result: {ok: true, value} gives value, {ok: false, code, message} throws.
 * Errors thrown by Embind itself (BindingError: a bug, since JS validates first) become
 * HummingbertError(INTERNAL) with the original as `cause`.
 */
export function unwrap(call) {
  let result;
  try {
    result = call();
  } catch (e) {
    if (e instanceof HummingbertError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    throw new HummingbertError(`unexpected error in the WebAssembly module: ${message}`, {
      code: ErrorCode.INTERNAL,
      cause: e,
    });
  }
  if (!result.ok) throw new HummingbertError(result.message, { code: result.code });
  return result.value;
}
