/**
 * A small JSON tree for the JSON functions. Unlike JSON.parse it keeps each
 * number's text as written (so "1.23450" stays "1.23450", and 64-bit integers
 * keep every digit) and objects as ordered Maps. Like Jackson's readTree, it
 * reads the first value of the text and ignores whatever follows it.
 */

export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonNode = null | boolean | string | JsonNumber | JsonNode[] | Map<string, JsonNode>;

class JsonSyntaxError extends Error {}

/** Parses the first JSON value in `text`; undefined when there is none or it is malformed. */
export function readJsonTree(text: string): JsonNode | undefined {
  const reader = new JsonReader(text);
  try {
    reader.skipSpace();
    if (reader.atEnd()) return undefined;
    return reader.readValue();
  } catch (e) {
    if (e instanceof JsonSyntaxError) return undefined;
    throw e;
  }
}

class JsonReader {
  private pos = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else break;
    }
  }

  readValue(): JsonNode {
    this.skipSpace();
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.readObject();
      case '[':
        return this.readArray();
      case '"':
        return this.readString();
      case 't':
        return this.readWord('true', true);
      case 'f':
        return this.readWord('false', false);
      case 'n':
        return this.readWord('null', null);
      default:
        return this.readNumber();
    }
  }

  private fail(): never {
    throw new JsonSyntaxError(`bad JSON at ${this.pos}`);
  }

  private readWord<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail();
    this.pos += word.length;
    return value;
  }

  private readNumber(): JsonNumber {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!match || match[0].length === 0) this.fail();
    this.pos += match[0].length;
    return new JsonNumber(match[0]);
  }

  private readString(): string {
    const t = this.text;
    this.pos++;
    let out = '';
    let start = this.pos;
    for (;;) {
      if (this.pos >= t.length) this.fail();
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        out += t.slice(start, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail();
      if (c === 0x5c) {
        out += t.slice(start, this.pos);
        const e = t[this.pos + 1];
        this.pos += 2;
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = t.slice(this.pos, this.pos + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail();
            out += String.fromCharCode(parseInt(hex, 16));
            this.pos += 4;
            break;
          }
          default:
            this.fail();
        }
        start = this.pos;
      } else {
        this.pos++;
      }
    }
  }

  private readArray(): JsonNode[] {
    this.pos++;
    const out: JsonNode[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.readValue());
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === ']') return out;
      if (c !== ',') this.fail();
    }
  }

  private readObject(): Map<string, JsonNode> {
    this.pos++;
    const out = new Map<string, JsonNode>();
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail();
      const key = this.readString();
      this.skipSpace();
      if (this.text[this.pos++] !== ':') this.fail();
      out.set(key, this.readValue());
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') this.fail();
    }
  }
}

/** Compact JSON text of a tree (no spaces), numbers as they were written. */
export function writeJsonTree(node: JsonNode): string {
  if (node === null) return 'null';
  if (typeof node === 'boolean') return node ? 'true' : 'false';
  if (typeof node === 'string') return JSON.stringify(node);
  if (node instanceof JsonNumber) return node.text;
  if (Array.isArray(node)) return '[' + node.map(writeJsonTree).join(',') + ']';
  let out = '{';
  let first = true;
  for (const [k, v] of node) {
    if (!first) out += ',';
    first = false;
    out += JSON.stringify(k) + ':' + writeJsonTree(v);
  }
  return out + '}';
}

/** A node as a STRING result: text nodes unquoted, everything else as compact JSON, JSON null as SQL NULL. */
export function jsonNodeText(node: JsonNode): string | null {
  if (node === null) return null;
  if (typeof node === 'string') return node;
  return writeJsonTree(node);
}

export function isJsonObject(node: JsonNode | undefined): node is Map<string, JsonNode> {
  return node instanceof Map;
}
