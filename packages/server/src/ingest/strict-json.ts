/**
 * Strict JSON for imports. `JSON.parse` silently keeps the last of two equal keys, accepts lone
 * surrogates and NUL, rounds integers past 2^53 and recurses as deep as the input goes. Imports
 * must reject each of those with a position, so a fast validating scan runs first and only a text
 * that passes it is handed to `JSON.parse`.
 */

export const MAX_DEPTH = 64;

export class StrictJsonError extends Error {
  /** 1-based character column in the text. */
  readonly column: number;
  /** JSON path of the value at fault, e.g. `$.messages[3].content`. */
  readonly path: string;
  constructor(message: string, column: number, path: string) {
    super(message);
    this.column = column;
    this.path = path;
  }
}

const PLAIN_RUN = /[^"\\\u0000-\u001f]+/y;
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

const FORBIDDEN_KEYS = new Set(['__proto__']);

/** Parses one JSON text strictly; throws StrictJsonError with column and path on any fault. */
export function parseStrictJson(text: string): unknown {
  new Scanner(text).run();
  return JSON.parse(text);
}

class Scanner {
  private i = 0;
  private readonly path: (string | number)[] = [];
  constructor(private readonly s: string) {}

  run(): void {
    this.ws();
    if (this.i >= this.s.length) this.fail('empty value: expected a JSON object');
    this.value(0);
    this.ws();
    if (this.i < this.s.length) {
      this.fail('unexpected text after the JSON value (one value per line: is an object split or joined?)');
    }
  }

  private fail(message: string, at = this.i): never {
    throw new StrictJsonError(message, at + 1, formatPath(this.path));
  }

  /** The text ends before the value does: a cut-off line, or one line of a pretty-printed object. */
  private truncated(where: string): never {
    this.fail(
      `truncated: the text ends ${where}; a record must be whole on one line (is the line cut off, or the JSON pretty-printed?)`,
      this.s.length,
    );
  }

  private ws(): void {
    const s = this.s;
    let c = s.charCodeAt(this.i);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = s.charCodeAt(++this.i);
  }

  private value(depth: number): void {
    if (depth > MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} levels`);
    const c = this.s.charCodeAt(this.i);
    if (c === 123) {
      this.object(depth + 1);
      return;
    }
    if (c === 91) {
      this.array(depth + 1);
      return;
    }
    if (c === 34) {
      this.string();
      return;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      this.number();
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return;
      }
    }
    if (Number.isNaN(c)) this.truncated('before a value');
    this.fail(`unexpected character ${JSON.stringify(this.s[this.i])}`);
  }

  private object(depth: number): void {
    this.i++;
    this.ws();
    if (this.s.charCodeAt(this.i) === 125) {
      this.i++;
      return;
    }
    const seen = new Set<string>();
    for (;;) {
      if (this.i >= this.s.length) this.truncated('inside an object');
      if (this.s.charCodeAt(this.i) !== 34) this.fail('expected a quoted key');
      const keyAt = this.i;
      const key = this.string(true);
      if (seen.has(key)) this.fail(`duplicate key ${JSON.stringify(key)}`, keyAt);
      if (FORBIDDEN_KEYS.has(key)) this.fail(`key ${JSON.stringify(key)} is not allowed`, keyAt);
      seen.add(key);
      this.ws();
      if (this.s.charCodeAt(this.i) !== 58) this.fail('expected ":" after the key');
      this.i++;
      this.ws();
      this.path.push(key);
      this.value(depth);
      this.path.pop();
      this.ws();
      const c = this.s.charCodeAt(this.i);
      this.i++;
      if (c === 125) return;
      if (Number.isNaN(c)) this.truncated('inside an object');
      if (c !== 44) this.fail('expected "," or "}"', this.i - 1);
      this.ws();
    }
  }

  private array(depth: number): void {
    this.i++;
    this.ws();
    if (this.s.charCodeAt(this.i) === 93) {
      this.i++;
      return;
    }
    for (let index = 0; ; index++) {
      this.path.push(index);
      this.value(depth);
      this.path.pop();
      this.ws();
      const c = this.s.charCodeAt(this.i);
      this.i++;
      if (c === 93) return;
      if (Number.isNaN(c)) this.truncated('inside an array');
      if (c !== 44) this.fail('expected "," or "]"', this.i - 1);
      this.ws();
    }
  }

  /** Scans a string token and returns its decoded value (decoded only when it has escapes). */
  private string(wantValue = false): string {
    const s = this.s;
    const start = ++this.i;
    let escaped = false;
    for (;;) {
      // Skip a run of ordinary characters natively: most of a text is such runs.
      PLAIN_RUN.lastIndex = this.i;
      if (PLAIN_RUN.test(s)) this.i = PLAIN_RUN.lastIndex;
      const c = s.charCodeAt(this.i);
      if (c === 34) break;
      if (Number.isNaN(c)) this.truncated(`inside a string (opened at column ${start})`);
      if (c < 32) this.fail('control character inside a string (escape it)');
      if (c === 92) {
        escaped = true;
        const e = s.charCodeAt(this.i + 1);
        if (e === 117) {
          const code = this.hex4(this.i + 2);
          if (code === 0) this.fail('NUL character (\\u0000) is not allowed');
          if (code >= 0xd800 && code <= 0xdbff) {
            const low = s.startsWith('\\u', this.i + 6) ? this.hex4(this.i + 8) : -1;
            if (low < 0xdc00 || low > 0xdfff) this.fail('lone surrogate escape (not valid Unicode text)');
            this.i += 12;
            continue;
          }
          if (code >= 0xdc00 && code <= 0xdfff) this.fail('lone surrogate escape (not valid Unicode text)');
          this.i += 6;
          continue;
        }
        if ('"\\/bfnrt'.indexOf(s[this.i + 1] ?? '') < 0) this.fail('invalid escape in string');
        this.i += 2;
        continue;
      }
      this.i++;
    }
    const end = this.i++;
    // Only keys are needed (for duplicates); values are left to JSON.parse, not sliced twice.
    if (!wantValue) return '';
    const raw = s.slice(start, end);
    return escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
  }

  private hex4(at: number): number {
    const h = this.s.slice(at, at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(h)) this.fail('invalid \\u escape', at);
    return Number.parseInt(h, 16);
  }

  private number(): void {
    NUMBER.lastIndex = this.i;
    const found = NUMBER.exec(this.s);
    if (!found) this.fail('invalid number');
    const text = found[0];
    const n = Number(text);
    if (found[2] === undefined && found[3] === undefined && !Number.isSafeInteger(n)) {
      this.fail(`integer ${text} is beyond 2^53 and would lose precision (send it as a string)`);
    }
    if (!Number.isFinite(n)) this.fail(`number ${text} is out of range`);
    this.i += text.length;
  }
}

export function formatPath(path: readonly (string | number)[]): string {
  let out = '$';
  for (const p of path) {
    out +=
      typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`;
  }
  return out;
}
