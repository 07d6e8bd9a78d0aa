const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;

/** Escapes text for HTML content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  // Most text has nothing to escape; a test is much cheaper than a replace that finds nothing.
  return SPECIAL.test(text) ? text.replace(SPECIALS, (char) => ENTITIES[char] as string) : text;
}
