/**
 * return_url with the result parameters appended, as both the widget (after a QR payment) and the
 * gateway's cashier send the buyer back. The merchant's own query is kept byte for byte:
 * re-serialising it through searchParams would re-encode it.
 */
export function withResultParams(returnUrl: string, params: Record<string, string>): string {
  const url = new URL(returnUrl);
  const result = new URLSearchParams(params);
  url.search = url.search.length > 1 ? `${url.search}&${result}` : `?${result}`;
  return url.href;
}
