/** The action and fields of the first form in `html`, attribute values unescaped (a test's stand-in for DOMParser). */
export function readForm(html: string): { id?: string; action: string; method: string; fields: Record<string, string> } {
  const unescape = (text: string): string =>
    text.replace(/&(amp|lt|gt|quot|#39|#(\d+));/g, (_m, name: string, code?: string) =>
      code !== undefined ? String.fromCharCode(Number(code)) : ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" } as Record<string, string>)[name]!,
    );
  const attr = (tag: string, name: string): string | undefined => {
    const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
    return match === null ? undefined : unescape(match[1]!);
  };
  const form = /<form\b[^>]*>/.exec(html);
  if (form === null) throw new Error('no form in the page');
  const fields: Record<string, string> = {};
  for (const input of html.matchAll(/<input\b[^>]*>/g)) {
    const name = attr(input[0], 'name');
    if (name !== undefined) fields[name] = attr(input[0], 'value') ?? '';
  }
  return { id: attr(form[0], 'id'), action: attr(form[0], 'action') ?? '', method: attr(form[0], 'method') ?? 'get', fields };
}
