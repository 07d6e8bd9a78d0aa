import { readLimited } from '../http/read-limited';

/** What one delivery attempt gave: delivered or not, and a short description for the log. */
export interface AttemptOutcome {
  delivered: boolean;
  result: string;
}

const SHOWN_BODY_CHARS = 40;
// `success` needs seven bytes; a merchant answering a page or an endless stream must not fill the gateway's memory.
const MAX_BODY_BYTES = 1024;

/**
 * POSTs a webhook body as JSON; delivered only when the merchant answers 2xx with the body `success`
 * (trimmed). Redirects are not followed; at most 1 KiB of the answer is read. Never throws.
 */
export async function postWebhook(url: string, body: unknown, timeoutMs: number, signal: AbortSignal): Promise<AttemptOutcome> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.any([signal, timeout]),
    });
    const answer = await readStart(response, MAX_BODY_BYTES);
    if (answer === undefined) return { delivered: false, result: `HTTP ${response.status}, body longer than ${MAX_BODY_BYTES} bytes is not "success"` };
    const text = answer.trim();
    if (response.ok && text === 'success') return { delivered: true, result: `HTTP ${response.status} success` };
    const shown = JSON.stringify(text.length > SHOWN_BODY_CHARS ? `${text.slice(0, SHOWN_BODY_CHARS)}…` : text);
    // A 500 whose body says success is still a failure; the log must not read as if the body were the reason.
    if (!response.ok) return { delivered: false, result: `HTTP ${response.status} is not a 2xx answer (body ${shown})` };
    return { delivered: false, result: `HTTP ${response.status}, body ${shown} is not "success"` };
  } catch (error) {
    if (timeout.aborted) return { delivered: false, result: `no answer within ${timeoutMs} ms` };
    if (signal.aborted) return { delivered: false, result: 'cancelled' };
    return { delivered: false, result: describeFetchError(error) };
  }
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code !== undefined) return `request failed (${cause.code})`;
  return `request failed (${cause?.message ?? (error as Error).message})`;
}

/** The response body as text when it fits in `limit` bytes, else undefined (and the rest is not read). */
async function readStart(response: Response, limit: number): Promise<string | undefined> {
  if (response.body === null) return '';
  const bytes = await readLimited(response.body, limit);
  return bytes === null ? undefined : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}
