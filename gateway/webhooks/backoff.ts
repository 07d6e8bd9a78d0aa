/** How many retries follow a failed first attempt: BeeCloud retries at 2, 4, 8, … 2^17 seconds. */
export const WEBHOOK_MAX_RETRIES = 17;

/** The default base delay, in ms: the first retry comes 2 s after the first attempt fails. */
export const WEBHOOK_BACKOFF_MS = 2000;

/** The delay before retry `retry` (1-based): base × 2^(retry-1), so 2 s, 4 s, 8 s, … with the default base. */
export function retryDelay(retry: number, baseMs: number): number {
  return baseMs * 2 ** (retry - 1);
}
