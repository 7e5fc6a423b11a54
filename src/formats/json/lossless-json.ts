/**
 * Lossless JSON reading. JSON.parse turns every number into a double, which
 * drops digits beyond about 15-17 significant digits: fatal for BIGINT and
 * DECIMAL. We keep the native JSON.parse for the common case and switch to
 * this parser only when the text may hold such a number (`mayLoseDigits`).
 *
 * Decision: a small parser of our own rather than the `lossless-json` package:
 * it yields plain JS values (so the schema-directed converters see the same
 * shapes as from JSON.parse) with only long number literals wrapped, it has
 * no dependency, and it is only the slow path.
 */

/** A JSON number literal kept as its source text because a double would lose digits. */
export class LosslessNumber {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }

  /** Whether the literal is an integer (no fraction, no exponent). */
  get isInteger(): boolean {
    return /^-?\d+$/.test(this.text);
  }
}

/** Digits at which a number literal may not survive a trip through a double. */
const LONG_DIGITS = 16;

/**
 * Whether `text` may contain a number literal with 16 or more digits: a run of
 * 16+ characters from [0-9.]. Cheap and conservative (digit runs inside strings
 * also answer true, only costing the slow path). It probes every 16th character
 * and only looks around digits it lands on, since any run of 16 covers a probe
 * (after a run, the next probe is 16 past its end, and a run starting at the
 * earliest after the character ending it covers that probe);
 * a regular expression for the same test is several times slower.
 */
export function mayLoseDigits(text: string): boolean {
  const n = text.length;
  for (let i = LONG_DIGITS - 1; i < n; i += LONG_DIGITS) {
    if (!isDigitOrDot(text.charCodeAt(i))) continue;
    let start = i;
    while (start > 0 && isDigitOrDot(text.charCodeAt(start - 1))) start--;
    let end = i;
    while (end + 1 < n && isDigitOrDot(text.charCodeAt(end + 1))) end++;
    if (end - start + 1 >= LONG_DIGITS) return true;
    i = end;
  }
  return false;
}

function isDigitOrDot(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 46;
}

/**
 * Parses JSON text like JSON.parse, but number literals with 16+ digits become
 * LosslessNumber; with `everyNumber`, all of them do, so a reader that prints
 * numbers as they were written (`1.0`, `2.50`) can.
 */
export function parseJsonLossless(text: string, everyNumber = false): unknown {
  const parser = new Parser(text, everyNumber ? 0 : LONG_DIGITS);
  parser.skipSpace();
  const value = parser.parseValue();
  parser.skipSpace();
  if (parser.pos < text.length) parser.fail();
  return value;
}

/** JSON.parse when no digits can be lost, the lossless parser otherwise. */
export function parseJsonText(text: string): unknown {
  return mayLoseDigits(text) ? parseJsonLossless(text) : JSON.parse(text);
}

/** An object or array still being read. */
type Container = { readonly object: Record<string, unknown>; key: string; readonly array?: undefined } | { readonly array: unknown[]; readonly object?: undefined; key?: undefined };

/** As JSON.parse does, `__proto__` is an own key, not the prototype. */
function setKey(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

class Parser {
  pos = 0;

  constructor(private readonly text: string, private readonly losslessDigits: number) {}

  fail(): never {
    if (this.pos >= this.text.length) throw new SyntaxError('Unexpected end of JSON input');
    throw new SyntaxError(`Unexpected character '${this.text[this.pos]}' in JSON at position ${this.pos}`);
  }

  skipSpace(): void {
    const t = this.text;
    let c = t.charCodeAt(this.pos);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = t.charCodeAt(++this.pos);
  }

  /**
   * One value, containers included, without recursion: a text nested
   * thousands of levels deep is read like any other, with the containers
   * still open kept on a stack of our own.
   */
  parseValue(): unknown {
    const open: Container[] = [];
    for (;;) {
      let value: unknown;
      const c = this.text.charCodeAt(this.pos);
      if (c === 123 /* { */ || c === 91 /* [ */) {
        this.pos++;
        this.skipSpace();
        const isObject = c === 123;
        if (this.text.charCodeAt(this.pos) === (isObject ? 125 : 93)) {
          this.pos++;
          value = isObject ? {} : [];
        } else {
          const container: Container = isObject ? { object: {}, key: this.parseKey() } : { array: [] };
          open.push(container);
          continue;
        }
      } else {
        value = this.parseScalar(c);
      }
      // Put the value in the innermost open container; close every container that ends here.
      for (;;) {
        const top = open[open.length - 1];
        if (top === undefined) return value;
        if (top.array !== undefined) top.array.push(value);
        else setKey(top.object, top.key, value);
        this.skipSpace();
        const next = this.text.charCodeAt(this.pos);
        this.pos++;
        if (next === 44 /* , */) {
          this.skipSpace();
          if (top.array === undefined) top.key = this.parseKey();
          break;
        }
        if (next !== (top.array === undefined ? 125 : 93)) {
          this.pos--;
          this.fail();
        }
        open.pop();
        value = top.array ?? top.object;
      }
    }
  }

  /** An object's key and its colon, up to the start of its value. */
  private parseKey(): string {
    if (this.text.charCodeAt(this.pos) !== 34) this.fail();
    const key = this.parseString();
    this.skipSpace();
    if (this.text.charCodeAt(this.pos) !== 58 /* : */) this.fail();
    this.pos++;
    this.skipSpace();
    return key;
  }

  private parseScalar(c: number): unknown {
    if (c === 34 /* " */) return this.parseString();
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) return this.parseNumber();
    if (this.text.startsWith('true', this.pos)) {
      this.pos += 4;
      return true;
    }
    if (this.text.startsWith('false', this.pos)) {
      this.pos += 5;
      return false;
    }
    if (this.text.startsWith('null', this.pos)) {
      this.pos += 4;
      return null;
    }
    return this.fail();
  }

  private parseString(): string {
    const t = this.text;
    const start = this.pos;
    let escaped = false;
    let i = start + 1;
    for (;;) {
      if (i >= t.length) {
        this.pos = i;
        this.fail();
      }
      const c = t.charCodeAt(i);
      if (c === 34) break;
      if (c === 92 /* \ */) {
        escaped = true;
        i += 2;
        continue;
      }
      if (c < 32) {
        this.pos = i;
        this.fail();
      }
      i++;
    }
    this.pos = i + 1;
    return escaped ? (JSON.parse(t.slice(start, i + 1)) as string) : t.slice(start + 1, i);
  }

  private parseNumber(): number | LosslessNumber {
    const t = this.text;
    const start = this.pos;
    let i = start;
    let digits = 0;
    if (t.charCodeAt(i) === 45) i++;
    const intStart = i;
    while (isDigit(t.charCodeAt(i))) i++;
    const intDigits = i - intStart;
    if (intDigits === 0 || (intDigits > 1 && t.charCodeAt(intStart) === 48)) {
      this.pos = i;
      this.fail();
    }
    digits += intDigits;
    if (t.charCodeAt(i) === 46 /* . */) {
      const fracStart = ++i;
      while (isDigit(t.charCodeAt(i))) i++;
      if (i === fracStart) {
        this.pos = i;
        this.fail();
      }
      digits += i - fracStart;
    }
    const e = t.charCodeAt(i);
    if (e === 101 || e === 69) {
      i++;
      const sign = t.charCodeAt(i);
      if (sign === 43 || sign === 45) i++;
      const expStart = i;
      while (isDigit(t.charCodeAt(i))) i++;
      if (i === expStart) {
        this.pos = i;
        this.fail();
      }
    }
    this.pos = i;
    const literal = t.slice(start, i);
    return digits >= this.losslessDigits ? new LosslessNumber(literal) : Number(literal);
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
