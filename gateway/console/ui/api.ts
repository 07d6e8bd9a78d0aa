/** The console pages' only fetch code: JSON in and out, the CSRF token on every change, 401 reported once. */

/** A refused console request: its HTTP status and the gateway's sentence. */
export class ApiError extends Error {
  readonly status: number;
  readonly field: string | undefined;
  constructor(status: number, message: string, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.field = field;
  }
}

let csrf = '';
let onSignedOut: () => void = () => undefined;

/** Keeps the CSRF token of the session for later changes. */
export function setCsrf(token: string): void {
  csrf = token;
}

/** What to do when the gateway says the session is over. */
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

/** GETs (no body) or POSTs (`body`) a console API path; the parsed JSON, or an ApiError. */
export async function api<T>(path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    init.method = 'POST';
    init.headers = { Accept: 'application/json', 'Content-Type': 'application/json', 'X-CSRF-Token': csrf };
    init.body = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(`./api/${path}`, init);
  } catch {
    throw new ApiError(0, '网络错误：无法连接网关，请稍后重试。');
  }
  const data = (await response.json().catch(() => ({}))) as { error?: string; field?: string };
  if (!response.ok) {
    if (response.status === 401 && !path.startsWith('sign-in')) onSignedOut();
    throw new ApiError(response.status, data.error ?? `HTTP ${response.status}`, data.field);
  }
  return data as T;
}

/** Yuan with two decimals from fen, by integer arithmetic. */
export function yuan(fen: number): string {
  return `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** Fen from a yuan text such as "1", "1.5" or "1.50"; undefined when it is not one. */
export function toFen(text: string): number | undefined {
  const match = /^\s*(\d{1,10})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (match === null) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** A time as the merchant reads it: China Standard Time, to the second. */
export function when(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  const at = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  return `${at.slice(0, 10)} ${at.slice(11, 19)}`;
}

/** Bill statuses in Chinese. */
export const STATUS_LABELS: Record<string, string> = { UNPAID: '未支付', PAID: '已支付', CANCELLED: '已取消', FAILED: '失败' };
