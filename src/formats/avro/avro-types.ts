/**
 * avsc types as the AVRO format uses them: `long` as bigint (no digit is
 * lost past 2^53) and the `decimal` logical type as a Decimal (big-endian
 * two's complement of the unscaled value, as Avro specifies);
 * `time-micros` and `timestamp-micros` read as milliseconds, the precision
 * of ksqlDB's TIME and TIMESTAMP (micros truncate toward negative infinity,
 * as Connect's conversion does). Unions with
 * null are unwrapped (a value or null); other unions stay wrapped.
 */
import avro from 'avsc';
import { Decimal } from '../../schema/decimal.js';

const LONG_AS_BIGINT = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(n);
    return buf;
  },
  fromJSON: (n: unknown) => BigInt(n as number),
  toJSON: (n: bigint) => Number(n),
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
}) as unknown as avro.Type;

class DecimalType extends avro.types.LogicalType {
  private readonly scale: number;

  constructor(schema: avro.Schema, opts?: unknown) {
    super(schema, opts);
    this.scale = Number((schema as { scale?: number }).scale ?? 0);
  }

  protected override _fromValue(buf: Buffer): Decimal {
    if (buf.length === 0) return new Decimal(0);
    let unscaled = BigInt(`0x${buf.toString('hex')}`);
    if ((buf[0]! & 0x80) !== 0) unscaled -= 1n << BigInt(buf.length * 8);
    return new Decimal(unscaled.toString()).div(new Decimal(10).pow(this.scale));
  }

  protected override _toValue(value: unknown): Buffer | undefined {
    if (!(value instanceof Decimal)) return undefined;
    let unscaled = BigInt(value.times(new Decimal(10).pow(this.scale)).toFixed(0));
    const negative = unscaled < 0n;
    let bytes = 1;
    while ((negative ? -(1n << BigInt(bytes * 8 - 1)) > unscaled : (1n << BigInt(bytes * 8 - 1)) <= unscaled)) bytes++;
    if (negative) unscaled += 1n << BigInt(bytes * 8);
    return Buffer.from(unscaled.toString(16).padStart(bytes * 2, '0'), 'hex');
  }

  protected override _resolve(type: avro.Type): ((v: unknown) => unknown) | undefined {
    return type instanceof DecimalType || type.typeName === 'bytes' ? (v) => v : undefined;
  }
}

/** A `long` of microseconds read as a number of milliseconds; written back as microseconds. */
class MicrosAsMillisType extends avro.types.LogicalType {
  protected override _fromValue(value: bigint | number): number {
    // avsc builds the underlying long itself (a number, exact up to 2^53 microseconds: year 2255).
    const micros = BigInt(value);
    const millis = micros / 1000n;
    return Number(micros < 0n && millis * 1000n !== micros ? millis - 1n : millis);
  }

  protected override _toValue(millis: unknown): number | undefined {
    return typeof millis === 'number' ? millis * 1000 : undefined;
  }

  protected override _resolve(type: avro.Type): ((v: unknown) => unknown) | undefined {
    return type instanceof MicrosAsMillisType ? (v) => v : undefined;
  }
}

/** Parses Avro schema JSON (text or object) into an avsc type with the format's conventions. */
export function avroType(schema: unknown): avro.Type {
  const parsed = typeof schema === 'string' ? parseSchemaText(schema) : schema;
  return avro.Type.forSchema(parsed as avro.Schema, {
    registry: { long: LONG_AS_BIGINT },
    // `{"type": "long"}` does not go through the registry: catch it here.
    typeHook: (s: avro.Schema) => (isPlainLong(s) ? LONG_AS_BIGINT : undefined),
    logicalTypes: { decimal: DecimalType, 'time-micros': MicrosAsMillisType, 'timestamp-micros': MicrosAsMillisType },
    wrapUnions: 'auto',
  });
}

/**
 * The type of a writer schema as Avro's generic reader sees it without
 * logical type conversions (what Confluent's deserializer gives PRINT):
 * logical types read as their underlying types, every `long` as a bigint,
 * and every union wrapped, so a value names its branch.
 */
export function rawAvroType(schema: string): avro.Type {
  return avro.Type.forSchema(parseSchemaText(schema) as avro.Schema, {
    registry: { long: LONG_AS_BIGINT },
    typeHook: (s: avro.Schema) => (typeof s === 'object' && (s as { type?: unknown }).type === 'long' ? LONG_AS_BIGINT : undefined),
    wrapUnions: true,
  });
}

function parseSchemaText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `{"type": "long"}` without a micros logical type (those are read through MicrosAsMillisType). */
function isPlainLong(schema: avro.Schema): boolean {
  if (typeof schema !== 'object' || (schema as { type?: unknown }).type !== 'long') return false;
  const logical = (schema as { logicalType?: unknown }).logicalType;
  return logical !== 'time-micros' && logical !== 'timestamp-micros';
}
