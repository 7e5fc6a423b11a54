/**
 * The KAFKA format: one column, written with Kafka's standard serializers.
 *   INTEGER  4-byte big-endian two's complement (IntegerSerializer)
 *   BIGINT   8-byte big-endian (LongSerializer)
 *   DOUBLE   8-byte IEEE 754 big-endian (DoubleSerializer)
 *   STRING   UTF-8 (StringSerializer)
 *   BYTES    the raw bytes
 * No coercion: a payload of the wrong size is a deserialization error worded
 * as Kafka's deserializers word it. A null column value is written as null
 * bytes. With no columns the serde writes null and ignores what it reads.
 */
import { KsqlError } from '../../common/errors.js';
import type { SqlType } from '../../schema/sql-type.js';
import { formatColumnList } from '../columns-text.js';
import { DeserializationError } from '../serde-errors.js';
import type { FormatDefinition, Serde, SerdeFeature, SerdeSpec } from '../serde.js';
import { createVoidSerde } from '../none/none-format.js';

const FORMAT = 'KAFKA';
const SUPPORTED = new Set(['INTEGER', 'BIGINT', 'DOUBLE', 'STRING', 'BYTES']);

export const KAFKA_FORMAT: FormatDefinition = {
  name: FORMAT,
  supportedFeatures: new Set<SerdeFeature>(['UNWRAP_SINGLES']),
  supportedProperties: new Set<string>(),
  checkColumns(columns, target) {
    if (columns.length > 1) {
      return `The '${FORMAT}' format only supports a single field. Got: ${formatColumnList(columns, target)}`;
    }
    for (const c of columns) {
      if (!SUPPORTED.has(c.type.kind)) return `The '${FORMAT}' format does not support type '${c.type.kind}'`;
    }
    return undefined;
  },
  createSerde(spec) {
    return createKafkaSerde(spec);
  },
};

interface Codec {
  write(value: unknown): Buffer;
  read(bytes: Buffer): unknown;
}

function createKafkaSerde(spec: SerdeSpec): Serde {
  const { columns, target, topic } = spec;
  const reason = KAFKA_FORMAT.checkColumns(columns, target);
  if (reason !== undefined) throw new KsqlError('BAD_STATEMENT', reason);
  if (columns.length === 0) return createVoidSerde();
  const codec = codecFor(columns[0]!.type, target, topic);
  return {
    serialize(values) {
      if (values === null) return null;
      const v = values[0];
      return v == null ? null : codec.write(v);
    },
    deserialize(bytes) {
      if (bytes === null) return null;
      return [codec.read(bytes)];
    },
  };
}

function codecFor(type: SqlType, target: 'key' | 'value', topic: string | undefined): Codec {
  const sizeError = (deserializer: string, size: number) =>
    new DeserializationError(FORMAT, target, `Size of data received by ${deserializer} is not ${size}`, topic);
  switch (type.kind) {
    case 'INTEGER':
      return {
        write(v) {
          const b = Buffer.allocUnsafe(4);
          b.writeInt32BE(v as number, 0);
          return b;
        },
        read(bytes) {
          if (bytes.length !== 4) throw sizeError('IntegerDeserializer', 4);
          return bytes.readInt32BE(0);
        },
      };
    case 'BIGINT':
      return {
        write(v) {
          const b = Buffer.allocUnsafe(8);
          b.writeBigInt64BE(v as bigint, 0);
          return b;
        },
        read(bytes) {
          if (bytes.length !== 8) throw sizeError('LongDeserializer', 8);
          return bytes.readBigInt64BE(0);
        },
      };
    case 'DOUBLE':
      return {
        write(v) {
          const b = Buffer.allocUnsafe(8);
          b.writeDoubleBE(v as number, 0);
          return b;
        },
        read(bytes) {
          if (bytes.length !== 8) throw sizeError('DoubleDeserializer', 8);
          return bytes.readDoubleBE(0);
        },
      };
    case 'STRING':
      return {
        // UTF-8, on Node's shortest path (no encoding argument).
        write: (v) => Buffer.from(v as string),
        read: (bytes) => bytes.toString(),
      };
    case 'BYTES':
      return {
        write: (v) => Buffer.from(v as Buffer),
        read: (bytes) => Buffer.from(bytes),
      };
    default:
      throw new KsqlError('BAD_STATEMENT', `The '${FORMAT}' format does not support type '${type.kind}'`);
  }
}
