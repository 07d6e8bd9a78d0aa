/** The error a request body stream fails with once it passes the server's size limit. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  /** The limit that was passed, in bytes. */
  readonly limit: number;

  /** Builds the error for `limit` bytes. */
  constructor(limit: number) {
    super(`request body is larger than ${limit} bytes`);
    this.limit = limit;
  }
}

/** True when `error` is a BodyTooLargeError. */
export function isBodyTooLargeError(error: unknown): error is BodyTooLargeError {
  return error instanceof BodyTooLargeError || (error instanceof Error && error.name === 'BodyTooLargeError');
}
