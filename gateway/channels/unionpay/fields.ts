import type { UnionpayFields } from './sign';

/**
 * Fields of a synchronous answer from backTransReq.do or queryTrans.do. UnionPay writes `k=v&…` without URL encoding
 * (a certificate's base64 keeps its `+` and `/`), and a value in braces may hold `&` and `=`: the ACP SDK's parseQString
 * splits only outside braces, on the first `=`, and decodes nothing.
 */
export function parseAnswerFields(text: string): UnionpayFields {
  let body = text.trim();
  if (body.startsWith('{') && body.endsWith('}')) body = body.slice(1, -1);
  const fields: UnionpayFields = {};
  let depth = 0;
  let start = 0;
  const take = (end: number): void => {
    const pair = body.slice(start, end);
    const eq = pair.indexOf('=');
    if (eq > 0) fields[pair.slice(0, eq)] = pair.slice(eq + 1);
  };
  for (let i = 0; i < body.length; i += 1) {
    const char = body[i];
    if (char === '{' || char === '[') depth += 1;
    else if ((char === '}' || char === ']') && depth > 0) depth -= 1;
    else if (char === '&' && depth === 0) {
      take(i);
      start = i + 1;
    }
  }
  take(body.length);
  return fields;
}

/** Fields of an HTML form POST (`application/x-www-form-urlencoded`, UTF-8): the back notify, the front return. */
export function parseFormFields(body: Uint8Array | string): UnionpayFields {
  const text = typeof body === 'string' ? body : new TextDecoder('utf-8').decode(body);
  const fields: UnionpayFields = {};
  for (const [name, value] of new URLSearchParams(text)) fields[name] = value;
  return fields;
}

/** The form body for `fields`, URL-encoded as a browser or the ACP SDK's HttpClient posts it. */
export function encodeFormFields(fields: UnionpayFields): string {
  return new URLSearchParams(fields).toString();
}

/** `YYYYMMDDhhmmss` of `date` in China Standard Time (UTC+8, no daylight saving), whatever the server's zone. */
export function formatChinaTime(date: Date): string {
  const china = new Date(date.getTime() + 8 * 3600_000);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return (
    pad(china.getUTCFullYear(), 4) +
    pad(china.getUTCMonth() + 1) +
    pad(china.getUTCDate()) +
    pad(china.getUTCHours()) +
    pad(china.getUTCMinutes()) +
    pad(china.getUTCSeconds())
  );
}

/** The instant of a `YYYYMMDDhhmmss` China Standard Time stamp, or undefined when it is not one. */
export function parseChinaTime(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const date = new Date(Date.UTC(y!, mo! - 1, d!, h! - 8, mi!, s!));
  return formatChinaTime(date) === text ? date : undefined;
}
