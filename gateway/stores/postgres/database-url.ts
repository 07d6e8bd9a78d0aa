/** Where a PostgreSQL store connects, described without its password, and the password to keep out of messages. */
export interface DatabaseTarget {
  /** host:port/database, for logs and errors. */
  where: string;
  password: string | undefined;
}

/**
 * Reads a `postgres://` or `postgresql://` URL. Throws a sentence naming SPAY_DATABASE_URL and the rule, never
 * repeating the URL (it may hold the password).
 */
export function parseDatabaseUrl(text: string): DatabaseTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('SPAY_DATABASE_URL must be a URL such as postgres://user:password@host:5432/database (it does not parse as a URL)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`SPAY_DATABASE_URL must start with postgres:// or postgresql:// (got ${JSON.stringify(url.protocol)})`);
  }
  const host = url.hostname === '' ? 'localhost' : url.hostname;
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || decodeURIComponent(url.username) || 'postgres';
  return { where: `${host}:${url.port || '5432'}/${database}`, password: url.password === '' ? undefined : decodeURIComponent(url.password) };
}

/** `message` with every occurrence of the password (plain and URL-encoded) replaced by ***. */
export function redact(message: string, password: string | undefined): string {
  if (password === undefined || password === '') return message;
  return message.split(password).join('***').split(encodeURIComponent(password)).join('***');
}
