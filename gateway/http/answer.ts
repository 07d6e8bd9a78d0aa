import { responseWithBody } from './known-body';

/**
 * What a route answers: a status, headers and a body (null for none). A plain object, so that the node server
 * writes it without building a web Response; toWebResponse gives the same answer as one.
 */
export interface Answer {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string | Uint8Array<ArrayBuffer> | null;
}

/** An Answer of `body` with `status` and `headers`. */
export function answerWith(body: Answer['body'], status: number, headers: Readonly<Record<string, string>>): Answer {
  return { status, headers, body };
}

/** The web Response for an answer; its body is remembered, so that the node bridge writes it as is. */
export function toWebResponse(answer: Answer): Response {
  const init = { status: answer.status, headers: answer.headers };
  return answer.body === null ? new Response(null, init) : responseWithBody(answer.body, init);
}
