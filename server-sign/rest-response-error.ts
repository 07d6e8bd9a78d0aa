/** Thrown by the REST client when the gateway's answer is not a BeeCloud JSON answer (a proxy's error page, a cut body). */
export class RestResponseError extends Error {
  override readonly name = 'RestResponseError';
  /** The HTTP status the answer came with. */
  readonly status: number;
  /** The path that was called, without its query (which carries the sign). */
  readonly path: string;

  /** Builds `<path> answered HTTP <status>: <reason>`. */
  constructor(path: string, status: number, reason: string) {
    super(`${path} answered HTTP ${status}: ${reason}`);
    this.status = status;
    this.path = path;
  }
}

/** True when `error` is a RestResponseError, also one thrown by another copy of this module. */
export function isRestResponseError(error: unknown): error is RestResponseError {
  return error instanceof RestResponseError || (error instanceof Error && error.name === 'RestResponseError');
}
