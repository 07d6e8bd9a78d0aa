const BODIES = new WeakMap<Response, string | Uint8Array<ArrayBuffer>>();

/** A Response with `body` and `init`, remembered so that the node bridge writes `body` as is rather than reading it back. */
export function responseWithBody(body: string | Uint8Array<ArrayBuffer>, init: ResponseInit): Response {
  const response = new Response(body, init);
  BODIES.set(response, body);
  return response;
}

/** The body `response` was made with by responseWithBody while nobody has read it; undefined for any other Response. */
export function knownBody(response: Response): string | Uint8Array<ArrayBuffer> | undefined {
  return response.bodyUsed ? undefined : BODIES.get(response);
}
