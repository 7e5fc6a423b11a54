/**
 * The DELIMITED format: keys and values, multi-column keys, every primitive
 * type (no ARRAY, MAP or STRUCT). Fields are separated by the `delimiter`
 * property (default ','); an empty field is NULL; numbers and booleans are
 * parsed from text (Java rules), DECIMAL is written plain with its scale,
 * DOUBLE as Java prints it, BYTES as base64, DATE/TIME/TIMESTAMP as numbers.
 * A single column is always bare, so WRAP_SINGLE_VALUE=true is refused.
 */
import type { Decimal } from '../../schema/decimal.js';
import { KsqlError } from '../../common/errors.js';
import { quoteIdentifier, type SqlType } from '../../schema/sql-type.js';
import {
  compileDecimalText, decodeBase64, formatJavaDouble, numberFormatMessage, parseJavaDecimal, parseJavaDouble,
  parseJavaInt, parseJavaLong,
} from '../../schema/java-text.js';
import { compileDecimalFit } from '../decimal-fit.js';
import { CoercionError, DeserializationError, SerializationError } from '../serde-errors.js';
import { DELIMITER_PROPERTY, type FormatDefinition, type Serde, type SerdeFeature, type SerdeSpec } from '../serde.js';
import { parseCsvRecord, quoteCsvField } from './csv-record.js';
import { DEFAULT_DELIMITER, parseDelimiter } from './delimiter.js';

const FORMAT = 'DELIMITED';

export const DELIMITED_FORMAT: FormatDefinition = {
  name: FORMAT,
  supportedFeatures: new Set<SerdeFeature>(['UNWRAP_SINGLES']),
  supportedProperties: new Set<string>([DELIMITER_PROPERTY]),
  checkColumns(columns) {
    for (const c of columns) {
      if (c.type.kind === 'ARRAY' || c.type.kind === 'MAP' || c.type.kind === 'STRUCT') {
        return `The '${FORMAT}' format does not support type '${c.type.kind}', column: ${quoteIdentifier(c.name)}`;
      }
    }
    return undefined;
  },
  checkProperties(properties, target) {
    const text = properties[DELIMITER_PROPERTY];
    if (text !== undefined) parseDelimiter(text, target === 'key' ? 'KEY_DELIMITER' : 'VALUE_DELIMITER');
  },
  createSerde(spec) {
    return createDelimitedSerde(spec);
  },
};

type FieldReader = (text: string) => unknown;
type FieldWriter = (value: unknown) => string;

function createDelimitedSerde(spec: SerdeSpec): Serde {
  const { columns, target, topic } = spec;
  const reason = DELIMITED_FORMAT.checkColumns(columns, target);
  if (reason !== undefined) throw new KsqlError('BAD_STATEMENT', reason);
  const raw = spec.properties[DELIMITER_PROPERTY];
  const delimiter = raw === undefined ? DEFAULT_DELIMITER : parseDelimiter(raw);
  const n = columns.length;
  const readers = columns.map((c) => compileFieldReader(c.type));
  const writers = columns.map((c) => compileFieldWriter(c.type));
  const topicText = topic === undefined ? '' : ` topic: ${topic},`;

  return {
    serialize(values) {
      if (values === null) return null;
      if (values.length !== n) {
        throw new SerializationError(
          FORMAT, target, `Column count mismatch on serialization.${topicText} expected: ${n}, got: ${values.length}`, topic,
        );
      }
      let out = '';
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (i > 0) out += delimiter;
        if (v != null) out += quoteCsvField(writers[i]!(v), i === 0, delimiter);
      }
      return Buffer.from(out, 'utf8');
    },
    deserialize(bytes) {
      if (bytes === null) return null;
      if (n === 0) return [];
      try {
        const fields = parseCsvRecord(bytes.toString('utf8'), delimiter);
        if (fields.length === 0) throw new CoercionError('No fields in record');
        if (fields.length !== n) {
          throw new CoercionError(
            `Column count mismatch on deserialization.${topicText} expected: ${n}, got: ${fields.length}`,
          );
        }
        const row = new Array<unknown>(n);
        for (let i = 0; i < n; i++) {
          const text = fields[i]!;
          row[i] = text === '' ? null : readers[i]!(text);
        }
        return row;
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        throw new DeserializationError(FORMAT, target, detail, topic, error);
      }
    },
  };
}

function compileFieldReader(type: SqlType): FieldReader {
  switch (type.kind) {
    case 'BOOLEAN':
      return (text) => text.length === 4 && text.toLowerCase() === 'true';
    case 'INTEGER':
    case 'DATE':
    case 'TIME':
      return (text) => parseJavaInt(text) ?? fail(text);
    case 'BIGINT':
      return (text) => parseJavaLong(text) ?? fail(text);
    case 'TIMESTAMP':
      return (text) => {
        const n = parseJavaLong(text);
        return n === undefined ? fail(text) : Number(n);
      };
    case 'DOUBLE':
      return (text) => parseJavaDouble(text) ?? fail(text);
    case 'DECIMAL': {
      const fit = compileDecimalFit(type.precision, type.scale);
      return (text) => {
        const d = parseJavaDecimal(text);
        return d === undefined ? fail(text) : fit(d);
      };
    }
    case 'STRING':
      return (text) => text;
    case 'BYTES':
      return (text) => {
        const bytes = decodeBase64(text);
        if (bytes === undefined) throw new CoercionError(`Value is not a valid Base64 encoded string: ${text}`);
        return bytes;
      };
    default:
      throw new KsqlError('BAD_STATEMENT', `The '${FORMAT}' format does not support type '${type.kind}'`);
  }
}

function compileFieldWriter(type: SqlType): FieldWriter {
  switch (type.kind) {
    case 'BOOLEAN':
      return (v) => (v ? 'true' : 'false');
    case 'INTEGER':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      return (v) => String(v);
    case 'BIGINT':
      return (v) => (v as bigint).toString();
    case 'DOUBLE':
      return (v) => formatJavaDouble(v as number);
    case 'DECIMAL': {
      return compileDecimalText(type.scale) as FieldWriter;
    }
    case 'STRING':
      return (v) => v as string;
    case 'BYTES':
      return (v) => (v as Buffer).toString('base64');
    default:
      throw new KsqlError('BAD_STATEMENT', `The '${FORMAT}' format does not support type '${type.kind}'`);
  }
}

function fail(text: string): never {
  throw new CoercionError(numberFormatMessage(text));
}
