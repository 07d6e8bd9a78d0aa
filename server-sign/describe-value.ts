const MAX_SHOWN_CHARS = 40;

function quote(text: string): string {
  return text.length > MAX_SHOWN_CHARS ? `${JSON.stringify(text.slice(0, MAX_SHOWN_CHARS))}…` : JSON.stringify(text);
}

function describeKind(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Describes a value for an error message: strings quoted (long ones cut), numbers as written, objects by kind. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > MAX_SHOWN_CHARS ? `${quote(value)}, ${value.length} chars` : quote(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  return describeKind(value);
}

/** Describes a value that should be a hex digest: quoted with its length, since the length is usually what is wrong. */
export function describeDigest(value: unknown): string {
  return typeof value === 'string' ? `${quote(value)}, ${value.length} chars` : describeValue(value);
}

/** Describes a secret by its kind only, so that a wrong secret never lands in a log. */
export function describeSecret(value: unknown): string {
  return value === '' ? '""' : describeKind(value);
}
