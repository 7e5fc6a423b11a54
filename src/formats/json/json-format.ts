/**
 * The JSON format: keys and values, all SQL types (MAP keys must be STRING),
 * multi-column keys, wrapping and unwrapping of single columns.
 * Wrapped rows are objects keyed by column name; a bare (unwrapped) column is
 * the column's JSON value. Reading is lossless for BIGINT and DECIMAL: the
 * native JSON.parse runs unless the text holds a number literal long enough to
 * lose digits in a double (see lossless-json.ts).
 */
import type { Column } from '../../schema/logical-schema.js';
import { formatSqlType, structType } from '../../schema/sql-type.js';
import { typeContains } from '../columns-text.js';
import { CoercionError, DeserializationError } from '../serde-errors.js';
import type { FormatDefinition, Serde, SerdeFeature, SerdeSpec, SerdeTarget } from '../serde.js';
import { mayLoseDigits, parseJsonLossless } from './lossless-json.js';
import { compileFieldsReader, compileJsonReader, describeJsonFailure } from './json-reader.js';
import { compileFieldsBytesWriter, compileJsonBytesWriter } from './json-bytes-writer.js';
import { compileFieldsBytesReader, type FieldsBytesReader } from './json-fields-bytes-reader.js';

export const JSON_FORMAT: FormatDefinition = {
  name: 'JSON',
  supportedFeatures: new Set<SerdeFeature>(['WRAP_SINGLES', 'UNWRAP_SINGLES']),
  supportedProperties: new Set<string>(),
  checkColumns(columns) {
    const badMap = columns.some((c) => typeContains(c.type, (t) => t.kind === 'MAP' && t.key.kind !== 'STRING'));
    return badMap ? 'JSON only supports MAP types with STRING keys' : undefined;
  },
  createSerde(spec) {
    return createJsonSerde(spec);
  },
};

/** Whether a single column is written bare: keys unless WRAP_SINGLES, values only with UNWRAP_SINGLES. */
export function isUnwrapped(target: SerdeTarget, columns: readonly Column[], features: readonly SerdeFeature[]): boolean {
  if (columns.length !== 1) return false;
  return target === 'key' ? !features.includes('WRAP_SINGLES') : features.includes('UNWRAP_SINGLES');
}

/** Builds a JSON serde; JSON_SR reads and writes through it, naming itself in errors (`format`). */
export function createJsonSerde(spec: SerdeSpec, format = 'JSON'): Serde {
  const { columns, target, topic } = spec;
  const rowType = structType(columns.map((c) => ({ name: c.name, type: c.type })));
  const unwrapped = isUnwrapped(target, columns, spec.features);
  const guardDigits = columns.some((c) =>
    typeContains(c.type, (t) => t.kind === 'BIGINT' || t.kind === 'DECIMAL' || t.kind === 'STRING'),
  );

  // JSON_SR is read through Kafka Connect in ksqlDB, which builds default-sized maps.
  const maps = format === 'JSON' ? 'sized' : 'default';
  let readRow: (node: unknown) => unknown[] | null;
  let writeRow: (values: readonly unknown[]) => Buffer | null;
  // A row of scalar columns is mostly read straight from its bytes (json-fields-bytes-reader.ts).
  let bytesReader: FieldsBytesReader | undefined;
  if (unwrapped) {
    const read = compileJsonReader(columns[0]!.type, maps);
    const write = compileJsonBytesWriter(columns[0]!.type);
    readRow = (node) => [read(node)];
    writeRow = (values) => (values[0] == null ? null : write(values[0]));
  } else {
    const fields = columns.map((c) => ({ name: c.name, type: c.type }));
    readRow = compileFieldsReader(fields, formatSqlType(rowType), maps);
    writeRow = compileFieldsBytesWriter(fields);
    if (!columns.some((c) => c.type.kind === 'ARRAY' || c.type.kind === 'MAP' || c.type.kind === 'STRUCT')) {
      bytesReader = compileFieldsBytesReader(fields, maps);
    }
  }
  const failureType = unwrapped ? columns[0]!.type : rowType;

  return {
    serialize(values) {
      return values === null ? null : writeRow(values);
    },
    deserialize(bytes) {
      if (bytes === null) return null;
      const row = bytesReader?.read(bytes);
      if (row !== undefined) return row;
      const text = bytes.toString();
      let node: unknown;
      try {
        node = guardDigits && mayLoseDigits(text) ? parseJsonLossless(text) : JSON.parse(text);
        const values = readRow(node);
        bytesReader?.learn(node);
        return values;
      } catch (error) {
        let detail = error instanceof Error ? error.message : String(error);
        if (error instanceof CoercionError) detail = describeJsonFailure(node, failureType, '$') ?? detail;
        throw new DeserializationError(format, target, detail, topic, error);
      }
    },
  };
}
