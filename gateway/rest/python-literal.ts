/**
 * Parses the text of a Python literal: a dict, list or tuple of str, int, float, True, False and None, as
 * `str(dict)` writes it. BeeCloud's Python SDK sends `para` so (`{'app_id': 'x', 'timestamp': 1435890533866L,
 * 'spay_result': True}`, quoted with quote_plus); under Python 2 its strings are UTF-8 bytes written as `\xe7\x99\xbd`.
 * Returns undefined when `text` is not such a literal; never throws.
 */
export function parsePythonLiteral(text: string): unknown {
  const parser = new LiteralParser(text);
  try {
    const value = parser.value(0);
    parser.space();
    return parser.done() ? value : undefined;
  } catch {
    return undefined;
  }
}

// Deeper nesting than any para needs is refused, so that a hostile para cannot exhaust the stack.
const MAX_DEPTH = 20;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

class LiteralParser {
  private at = 0;
  constructor(private readonly text: string) {}

  done(): boolean {
    return this.at === this.text.length;
  }

  space(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at] as string)) this.at += 1;
  }

  value(depth: number): unknown {
    if (depth > MAX_DEPTH) throw new Error('too deep');
    this.space();
    const char = this.text[this.at];
    if (char === '{') return this.dict(depth);
    if (char === '[' || char === '(') return this.list(depth, char === '[' ? ']' : ')');
    if (char === "'" || char === '"') return this.string();
    if ((char === 'u' || char === 'b' || char === 'U' || char === 'B') && /['"]/.test(this.text[this.at + 1] ?? '')) {
      this.at += 1;
      return this.string();
    }
    for (const [word, value] of [['True', true], ['False', false], ['None', null]] as const) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return value;
      }
    }
    const number = /^-?(?:\d+\.?\d*(?:[eE][+-]?\d+)?)[lL]?/.exec(this.text.slice(this.at, this.at + 40));
    if (number === null) throw new Error('not a literal');
    this.at += number[0].length;
    return Number(number[0].replace(/[lL]$/, ''));
  }

  private dict(depth: number): Record<string, unknown> {
    this.at += 1;
    const entries: Array<[string, unknown]> = [];
    for (;;) {
      this.space();
      if (this.text[this.at] === '}') break;
      const key = this.value(depth + 1);
      if (typeof key !== 'string') throw new Error('a key must be a string');
      this.space();
      if (this.text[this.at] !== ':') throw new Error('expected :');
      this.at += 1;
      entries.push([key, this.value(depth + 1)]);
      this.space();
      if (this.text[this.at] === ',') this.at += 1;
      else if (this.text[this.at] !== '}') throw new Error('expected , or }');
    }
    this.at += 1;
    // fromEntries defines own properties, so a key named "__proto__" stays a key.
    return Object.fromEntries(entries);
  }

  private list(depth: number, close: string): unknown[] {
    this.at += 1;
    const items: unknown[] = [];
    for (;;) {
      this.space();
      if (this.text[this.at] === close) break;
      items.push(this.value(depth + 1));
      this.space();
      if (this.text[this.at] === ',') this.at += 1;
      else if (this.text[this.at] !== close) throw new Error('expected , or the closing bracket');
    }
    this.at += 1;
    return items;
  }

  private string(): string {
    const quote = this.text[this.at];
    this.at += 1;
    let out = '';
    let bytes: number[] = [];
    const flush = () => {
      if (bytes.length === 0) return;
      const raw = Uint8Array.from(bytes);
      try {
        out += UTF8.decode(raw);
      } catch {
        out += String.fromCharCode(...bytes);
      }
      bytes = [];
    };
    for (;;) {
      const char = this.text[this.at];
      if (char === undefined) throw new Error('unterminated string');
      this.at += 1;
      if (char === quote) break;
      if (char !== '\\') {
        flush();
        out += char;
        continue;
      }
      const escape = this.text[this.at] ?? '';
      this.at += 1;
      if (escape === 'x') {
        bytes.push(this.hex(2));
        continue;
      }
      flush();
      if (escape === 'u') out += String.fromCodePoint(this.hex(4));
      else if (escape === 'U') out += String.fromCodePoint(this.hex(8));
      else out += { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', "'": "'", '"': '"' }[escape] ?? `\\${escape}`;
    }
    flush();
    return out;
  }

  private hex(length: number): number {
    const digits = this.text.slice(this.at, this.at + length);
    if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(digits)) throw new Error('bad escape');
    this.at += length;
    return Number.parseInt(digits, 16);
  }
}
