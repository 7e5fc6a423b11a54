/**
 * How ksqlDB's JSON deserializer (Jackson's readTree over the record's bytes)
 * reads a text that JSON.parse refused: only the first value counts (text
 * after it is not read, as FAIL_ON_TRAILING_TOKENS is off, except that a
 * number at the top must be followed by white space), blank text is a
 * missing value, and anything else fails with Jackson's message for the
 * first thing wrong. ksqlDB clears the parser's location from the message,
 * but a close marker's start location is part of the text, as Jackson 2.16+
 * writes it without the source.
 */

export type JacksonRead =
  | { readonly kind: 'value'; readonly end: number }
  | { readonly kind: 'missing' }
  | { readonly kind: 'error'; readonly message: string };

const VALID_TOKENS = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
/** Jackson's default StreamReadConstraints.maxNestingDepth. */
const MAX_DEPTH = 1000;
const MAX_ERROR_TOKEN = 256;

class JacksonError extends Error {}

export function jacksonRead(text: string): JacksonRead {
  const reader = new Reader(text);
  try {
    if (!reader.skipSpaceOrEnd()) return { kind: 'missing' };
    reader.value(true);
    return { kind: 'value', end: reader.pos };
  } catch (error) {
    if (error instanceof JacksonError) return { kind: 'error', message: error.message };
    throw error;
  }
}

/** Jackson's description of a character in a message. */
function charDesc(code: number): string {
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `(CTRL-CHAR, code ${code})`;
  const c = String.fromCodePoint(code);
  return code > 255 ? `'${c}' (code ${code} / 0x${code.toString(16)})` : `'${c}' (code ${code})`;
}

function isIdentifierStart(c: string): boolean {
  return /[\p{L}\p{Nl}$_\p{Sc}\p{Pc}]/u.test(c);
}

function isIdentifierPart(c: string): boolean {
  return /[\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}$_\p{Sc}\p{Pc}]/u.test(c);
}

interface Scope {
  readonly object: boolean;
  readonly line: number;
  readonly column: number;
}

class Reader {
  pos = 0;
  private readonly scopes: Scope[] = [];

  constructor(private readonly text: string) {}

  private fail(message: string): never {
    throw new JacksonError(message);
  }

  private unexpected(code: number, why: string): never {
    this.fail(`Unexpected character (${charDesc(code)}): ${why}`);
  }

  private codeAt(pos: number): number {
    return this.text.codePointAt(pos)!;
  }

  /** Skips white space; false at the end of the text. Comments and other control characters fail as in Jackson. */
  skipSpaceOrEnd(): boolean {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
        this.pos++;
        continue;
      }
      if (c === 0x2f) this.unexpected(c, "maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)");
      if (c < 0x20) this.fail(`Illegal character (${charDesc(c)}): only regular white space (\\r, \\n, \\t) is allowed between tokens`);
      return true;
    }
    return false;
  }

  /** Skips white space where the end of the text cannot be: between a container's entries. */
  private skipSpace(): void {
    if (!this.skipSpaceOrEnd()) this.fail(`Unexpected end-of-input within/between ${this.scopeName()} entries`);
  }

  private scopeName(): string {
    return this.scopes.at(-1)!.object ? 'Object' : 'Array';
  }

  /** The start marker's location, as Jackson 2.16+ shows it without the source. */
  private scopeStart(scope: Scope): string {
    return `[Source: REDACTED (\`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION\` disabled); line: ${scope.line}, column: ${scope.column}]`;
  }

  /** Skips white space where a container may end: its end of text is a missing close marker. */
  private skipSpaceInScope(): void {
    if (!this.skipSpaceOrEnd()) {
      const scope = this.scopes.at(-1)!;
      this.fail(`Unexpected end-of-input: expected close marker for ${scope.object ? 'Object' : 'Array'} (start marker at ${this.scopeStart(scope)})`);
    }
  }

  value(root: boolean): void {
    const c = this.text[this.pos]!;
    if (c === '{' || c === '[') return this.container(c === '{');
    if (c === '"') return this.string(false);
    if (c === '-' || (c >= '0' && c <= '9')) return this.number(root);
    if (c === 't' || c === 'f' || c === 'n') return this.literal(c === 't' ? 'true' : c === 'f' ? 'false' : 'null');
    if (root && (c === '}' || c === ']')) {
      this.fail(`Unexpected close marker '${c}': expected '${c === '}' ? ']' : '}'}' (for root starting at ${this.scopeStart({ object: false, line: 1, column: 0 })})`);
    }
    const code = this.codeAt(this.pos);
    const inArray = this.scopes.length > 0 && !this.scopes.at(-1)!.object;
    if ((c === ']' && inArray) || c === ',' || c === '}') this.unexpected(code, 'expected a value');
    if (c === 'N' && this.startsWithToken('NaN')) this.fail("Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow");
    if (c === 'I' && this.startsWithToken('Infinity')) this.fail("Non-standard token 'Infinity': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow");
    const first = String.fromCodePoint(code);
    if (isIdentifierStart(first)) {
      this.pos += first.length;
      this.invalidToken(first);
    }
    this.unexpected(code, `expected a valid value ${VALID_TOKENS}`);
  }

  private startsWithToken(word: string): boolean {
    const next = this.text[this.pos + word.length];
    return this.text.startsWith(word, this.pos) && (next === undefined || !isIdentifierPart(next));
  }

  /** "Unrecognized token": what matched so far and the identifier characters after it. */
  private invalidToken(matched: string): never {
    let token = matched;
    while (this.pos < this.text.length) {
      const c = String.fromCodePoint(this.codeAt(this.pos));
      if (!isIdentifierPart(c)) break;
      token += c;
      this.pos += c.length;
      if (token.length >= MAX_ERROR_TOKEN) {
        token += '...';
        break;
      }
    }
    this.fail(`Unrecognized token '${token}': was expecting ${VALID_TOKENS}`);
  }

  private literal(word: string): void {
    const start = this.pos;
    for (let i = 0; i < word.length; i++) {
      if (this.text[this.pos] !== word[i]) this.invalidToken(this.text.slice(start, this.pos));
      this.pos++;
    }
    const next = this.text[this.pos];
    if (next !== undefined && isIdentifierPart(next)) this.invalidToken(word);
  }

  private location(): { line: number; column: number } {
    const before = this.text.slice(0, this.pos);
    const lineStart = before.lastIndexOf('\n') + 1;
    return { line: before.split('\n').length, column: Buffer.byteLength(before.slice(lineStart)) + 1 };
  }

  private container(object: boolean): void {
    if (this.scopes.length >= MAX_DEPTH) {
      this.fail(`Document nesting depth (${MAX_DEPTH + 1}) exceeds the maximum allowed (${MAX_DEPTH}, from \`StreamReadConstraints.getMaxNestingDepth()\`)`);
    }
    const scope: Scope = { object, ...this.location() };
    this.scopes.push(scope);
    this.pos++;
    const close = object ? '}' : ']';
    this.skipSpaceInScope();
    if (this.text[this.pos] !== close) {
      for (;;) {
        if (object) {
          if (this.text[this.pos] !== '"') this.unexpected(this.codeAt(this.pos), 'was expecting double-quote to start field name');
          this.string(true);
          this.skipSpace();
          if (this.text[this.pos] !== ':') this.unexpected(this.codeAt(this.pos), 'was expecting a colon to separate field name and value');
          this.pos++;
          this.skipSpace();
        }
        this.value(false);
        this.skipSpaceInScope();
        const c = this.text[this.pos]!;
        if (c === close) break;
        if (c === '}' || c === ']') {
          this.fail(`Unexpected close marker '${c}': expected '${close}' (for ${object ? 'Object' : 'Array'} starting at ${this.scopeStart(scope)})`);
        }
        if (c !== ',') this.unexpected(this.codeAt(this.pos), `was expecting comma to separate ${object ? 'Object' : 'Array'} entries`);
        this.pos++;
        this.skipSpace();
      }
    }
    this.pos++;
    this.scopes.pop();
  }

  private string(name: boolean): void {
    this.pos++;
    for (;;) {
      if (this.pos >= this.text.length) {
        this.fail(name ? "Unexpected end-of-input: was expecting closing '\"' for name" : 'Unexpected end-of-input: was expecting closing quote for a string value');
      }
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x22) {
        this.pos++;
        return;
      }
      if (c < 0x20) this.fail(`Illegal unquoted character (${charDesc(c)}): has to be escaped using backslash to be included in ${name ? 'name' : 'string value'}`);
      if (c === 0x5c) {
        this.pos++;
        if (this.pos >= this.text.length) this.fail('Unexpected end-of-input in character escape sequence');
        const e = this.text[this.pos]!;
        if (e === 'u') {
          for (let i = 1; i <= 4; i++) {
            const h = this.text[this.pos + i];
            if (h === undefined) this.fail('Unexpected end-of-input in character escape sequence');
            if (!/[0-9a-fA-F]/.test(h)) this.unexpected(this.codeAt(this.pos + i), 'expected a hex-digit for character escape sequence');
          }
          this.pos += 4;
        } else if (!'"\\/bfnrt'.includes(e)) {
          this.fail(`Unrecognized character escape ${charDesc(this.codeAt(this.pos))}`);
        }
      }
      this.pos++;
    }
  }

  private number(root: boolean): void {
    if (this.text[this.pos] === '-') {
      this.pos++;
      const d = this.text[this.pos];
      if (d === undefined) this.fail('Unexpected end-of-input in numeric value');
      if (d < '0' || d > '9') this.unexpectedInNumber('expected digit (0-9) to follow minus sign, for valid numeric value');
    }
    if (this.text[this.pos] === '0' && /[0-9]/.test(this.text[this.pos + 1] ?? '')) this.fail('Invalid numeric value: Leading zeroes not allowed');
    this.digits();
    if (this.text[this.pos] === '.') {
      this.pos++;
      if (this.digits() === 0) this.unexpectedInNumber('Decimal point not followed by a digit');
    }
    const e = this.text[this.pos];
    if (e === 'e' || e === 'E') {
      this.pos++;
      const sign = this.text[this.pos];
      if (sign === '+' || sign === '-') this.pos++;
      if (this.digits() === 0) this.unexpectedInNumber('Exponent indicator not followed by a digit');
    }
    if (root && this.pos < this.text.length) {
      const next = this.text.charCodeAt(this.pos);
      if (next !== 0x20 && next !== 0x09 && next !== 0x0a && next !== 0x0d) this.unexpected(this.codeAt(this.pos), 'Expected space separating root-level values');
    }
  }

  private digits(): number {
    const start = this.pos;
    while (this.pos < this.text.length && this.text[this.pos]! >= '0' && this.text[this.pos]! <= '9') this.pos++;
    return this.pos - start;
  }

  private unexpectedInNumber(why: string): never {
    if (this.pos >= this.text.length) this.fail('Unexpected end-of-input in numeric value');
    this.fail(`Unexpected character (${charDesc(this.codeAt(this.pos))}) in numeric value: ${why}`);
  }
}
