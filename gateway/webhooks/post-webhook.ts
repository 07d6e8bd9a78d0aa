/** What one delivery attempt gave: delivered or not, and a short description for the log. */
export interface AttemptOutcome {
  delivered: boolean;
  result: string;
}

const SHOWN_BODY_CHARS = 40;

/**
 * POSTs a webhook body as JSON; delivered only when the merchant answers 2xx with the body `success`
 * (trimmed). Redirects are not followed. Never throws.
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
    const text = (await response.text()).trim();
    if (response.ok && text === 'success') return { delivered: true, result: `HTTP ${response.status} success` };
    const shown = text.length > SHOWN_BODY_CHARS ? `${text.slice(0, SHOWN_BODY_CHARS)}…` : text;
    return { delivered: false, result: `HTTP ${response.status}, body ${JSON.stringify(shown)} is not "success"` };
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
