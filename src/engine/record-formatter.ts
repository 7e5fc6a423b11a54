/**
 * How PRINT shows a topic's records, as ksqlDB's PRINT shows them:
 *
 *   rowtime: 2020/05/01 14:45:13.111 Z, key: <key>, value: <value>, partition: 1
 *
 * PRINT knows nothing of the topic's formats, so it guesses them from the
 * bytes: the key and the value each keep a list of the formats that have
 * decoded every record seen so far, and a failure removes that format for
 * good. A record is shown through the first format left that decodes it,
 * else byte by byte (printable ASCII as is, other bytes as \xHH). The list
 * is ksqlDB's: JSON, KAFKA_INT, KAFKA_BIGINT, KAFKA_DOUBLE, KAFKA_STRING and,
 * with a Schema Registry, every format that has a record printer (AVRO,
 * PROTOBUF, JSON_SR: src/formats/record-printer.ts), each at its place in
 * ksqlDB's order. A key may also be a windowed key (Kafka Streams' layouts, see
 * src/formats/windowed-key.ts), so each key format is preceded by its
 * SESSION(..), HOPPING(..) and TUMBLING(..) variants. Null keys and values
 * print as <null> and tell nothing about the format.
 */
import type { ConsumedRecord } from '../broker/broker.js';
import { listFormats, lookupFormat, PRINT_ORDER, type PrintDecode, type SchemaRegistryClient } from '../formats/index.js';
import { formatJavaDouble } from '../schema/java-text.js';

interface Candidate {
  readonly name: string;
  readonly decode: PrintDecode;
}

/** What ksqlDB lists before any non-null key (or value) has been seen. */
export const NO_DATA_PROCESSED = '¯\\_(ツ)_/¯ - no data processed';

const LONG_BYTES = 8;
const LONG_MAX = 2n ** 63n - 1n;

type RankedCandidate = Candidate & { readonly order: number };

const BUILT_IN: readonly RankedCandidate[] = [
  { name: 'JSON', order: PRINT_ORDER.JSON, decode: decodeJson },
  { name: 'KAFKA_INT', order: PRINT_ORDER.KAFKA_INT, decode: (b) => (b.length === 4 ? String(b.readInt32BE(0)) : undefined) },
  { name: 'KAFKA_BIGINT', order: PRINT_ORDER.KAFKA_BIGINT, decode: (b) => (b.length === LONG_BYTES ? b.readBigInt64BE(0).toString() : undefined) },
  { name: 'KAFKA_DOUBLE', order: PRINT_ORDER.KAFKA_DOUBLE, decode: (b) => (b.length === LONG_BYTES ? formatJavaDouble(b.readDoubleBE(0)) : undefined) },
  { name: 'KAFKA_STRING', order: PRINT_ORDER.KAFKA_STRING, decode: decodeUtf8 },
];

/** The value candidates in ksqlDB's order: the built-in ones, and the registered formats' printers over `registry`. */
function valueCandidates(registry: SchemaRegistryClient | undefined): Candidate[] {
  const printed: RankedCandidate[] = [];
  if (registry !== undefined) {
    for (const name of listFormats()) {
      const printer = lookupFormat(name).recordPrinter;
      if (printer !== undefined) printed.push({ name, order: printer.printOrder, decode: printer.create(registry) });
    }
  }
  return [...BUILT_IN, ...printed].sort((a, b) => a.order - b.order).map(({ name, decode }) => ({ name, decode }));
}

/** The key candidates: every format preceded by its windowed variants. */
function keyCandidates(formats: readonly Candidate[]): Candidate[] {
  return formats.flatMap((f) => [sessionWindowed(f), timeWindowed('HOPPING', f), timeWindowed('TUMBLING', f), f]);
}

/**
 * Formats records and narrows the possible key and value formats as it goes.
 * `registry`: where schema ids are looked up (without one, no schema-based
 * format can decode, as in ksqlDB without a Schema Registry).
 */
export class RecordFormatter {
  private readonly keys: FormatGuess;
  private readonly values: FormatGuess;

  constructor(registry?: SchemaRegistryClient) {
    // Each side gets its own decoders: a printer keeps what it fetched for its own records.
    this.keys = new FormatGuess(keyCandidates(valueCandidates(registry)));
    this.values = new FormatGuess(valueCandidates(registry));
  }

  /**
   * One line per record of a batch. When the batch rules out the format the
   * first lines were shown in, the whole batch is shown again with what is
   * left, so a batch reads consistently.
   */
  formatBatch(records: readonly ConsumedRecord[]): string[] {
    const key = this.keys.possibleFormats()[0];
    const value = this.values.possibleFormats()[0];
    const lines = records.map((r) => this.formatRecord(r));
    const keyKept = key === undefined || this.keys.possibleFormats().includes(key);
    const valueKept = value === undefined || this.values.possibleFormats().includes(value);
    return keyKept && valueKept ? lines : records.map((r) => this.formatRecord(r));
  }

  /** The key formats that decoded every non-null key so far, most likely first. */
  possibleKeyFormats(): string[] {
    return this.keys.possibleFormats();
  }

  possibleValueFormats(): string[] {
    return this.values.possibleFormats();
  }

  private formatRecord(record: ConsumedRecord): string {
    return `rowtime: ${formatRowTime(record.timestamp)}, key: ${this.keys.format(record.key)}, `
      + `value: ${this.values.format(record.value)}, partition: ${record.partition}`;
  }
}

class FormatGuess {
  private candidates: readonly Candidate[];
  private seenData = false;

  constructor(candidates: readonly Candidate[]) {
    this.candidates = candidates;
  }

  possibleFormats(): string[] {
    return this.seenData ? this.candidates.map((c) => c.name) : [NO_DATA_PROCESSED];
  }

  format(bytes: Buffer | null): string {
    if (bytes === null) return '<null>';
    this.seenData = true;
    let first: string | undefined;
    this.candidates = this.candidates.filter((candidate) => {
      const text = candidate.decode(bytes);
      if (text !== undefined && first === undefined) first = text;
      return text !== undefined;
    });
    return first ?? describeBytes(bytes);
  }
}

/** `yyyy/MM/dd HH:mm:ss.SSS Z` in UTC; a record without a timestamp (-1) is N/A. */
export function formatRowTime(timestamp: number): string {
  if (timestamp === -1) return 'N/A';
  const d = new Date(timestamp);
  const year = d.getUTCFullYear();
  const yearText = year > 9999 ? `+${year}` : String(year).padStart(4, '0');
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${yearText}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())} `
    + `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')} Z`;
}

/** Kafka's Bytes.toString: printable ASCII but the backslash as is, every other byte as \xHH. */
export function describeBytes(bytes: Buffer): string {
  let text = '';
  for (const b of bytes) {
    text += b >= 0x20 && b <= 0x7e && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return text;
}

/** UTF-8 text; empty bytes or bytes that are not valid UTF-8 are not a string. */
function decodeUtf8(bytes: Buffer): string | undefined {
  if (bytes.length === 0) return undefined;
  const text = bytes.toString('utf8');
  return text.includes('\uFFFD') ? undefined : text;
}

/** JSON text, shown as it is. Like Jackson's readTree, only the first value is read: text after it is ignored. */
function decodeJson(bytes: Buffer): string | undefined {
  const text = decodeUtf8(bytes);
  return text !== undefined && startsWithJsonValue(text) ? text : undefined;
}

/** Time-windowed keys: the key, then the window start as a long; shown `[key@start/-]` (the end is not stored). */
function timeWindowed(type: 'HOPPING' | 'TUMBLING', inner: Candidate): Candidate {
  return {
    name: `${type}(${inner.name})`,
    decode: (bytes) => {
      const keyLength = bytes.length - LONG_BYTES;
      if (keyLength < 0) return undefined;
      const key = inner.decode(bytes.subarray(0, keyLength));
      const start = bytes.readBigInt64BE(keyLength);
      // Kafka Streams refuses a negative start, and a window of 1 ms must end after it.
      if (key === undefined || start < 0n || start >= LONG_MAX) return undefined;
      return `[${key}@${start}/-]`;
    },
  };
}

/** Session-windowed keys: the key, then the window end and start as longs; shown `[key@start/end]`. */
function sessionWindowed(inner: Candidate): Candidate {
  return {
    name: `SESSION(${inner.name})`,
    decode: (bytes) => {
      const keyLength = bytes.length - 2 * LONG_BYTES;
      if (keyLength < 0) return undefined;
      const key = inner.decode(bytes.subarray(0, keyLength));
      const end = bytes.readBigInt64BE(keyLength);
      const start = bytes.readBigInt64BE(keyLength + LONG_BYTES);
      if (key === undefined || start < 0n || end < start) return undefined;
      return `[${key}@${start}/${end}]`;
    },
  };
}

/**
 * Whether the text holds one JSON value (after optional whitespace; blank text
 * counts, as Jackson reads it as a missing value). What follows the value is
 * not read, except that a number or literal at the top must end where a token
 * ends, as Jackson requires.
 */
export function startsWithJsonValue(text: string): boolean {
  const reader = new JsonScanner(text);
  reader.skipSpace();
  if (reader.atEnd()) return true;
  const kind = reader.value();
  if (kind === undefined) return false;
  if (reader.atEnd()) return true;
  const next = text[reader.pos]!;
  if (kind === 'number') return next === ' ' || next === '\t' || next === '\n' || next === '\r';
  if (kind === 'literal') return !/[\p{L}\p{N}_$]/u.test(next);
  return true;
}

type JsonKind = 'number' | 'literal' | 'string' | 'container';

/** Jackson's default limit on nesting; deeper text is not JSON to it (and would exhaust our stack). */
const MAX_DEPTH = 1000;

class JsonScanner {
  pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  skipSpace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos]!)) this.pos++;
  }

  /** Reads one value; undefined when the text is not JSON there. */
  value(): JsonKind | undefined {
    const c = this.text[this.pos];
    if (c === '{') return this.container('}', true);
    if (c === '[') return this.container(']', false);
    if (c === '"') return this.string() ? 'string' : undefined;
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return 'literal';
      }
    }
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 1100));
    if (number === null) return undefined;
    this.pos += number[0].length;
    // Jackson reads digits greedily: "01" or "1.e" is an error, not a value followed by more text.
    const after = this.text[this.pos];
    if (after !== undefined && /[\d.eE]/.test(after)) return undefined;
    return 'number';
  }

  private container(close: string, object: boolean): JsonKind | undefined {
    if (++this.depth > MAX_DEPTH) return undefined;
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === close) {
      this.pos++;
      this.depth--;
      return 'container';
    }
    for (;;) {
      if (object) {
        if (this.text[this.pos] !== '"' || !this.string()) return undefined;
        this.skipSpace();
        if (this.text[this.pos] !== ':') return undefined;
        this.pos++;
        this.skipSpace();
      }
      if (this.value() === undefined) return undefined;
      this.skipSpace();
      const c = this.text[this.pos];
      this.pos++;
      if (c === close) {
        this.depth--;
        return 'container';
      }
      if (c !== ',') return undefined;
      this.skipSpace();
    }
  }

  private string(): boolean {
    this.pos++;
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x22) {
        this.pos++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = this.text[this.pos + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) return false;
          this.pos += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) return false;
        this.pos += 2;
        continue;
      }
      this.pos++;
    }
    return false;
  }
}
