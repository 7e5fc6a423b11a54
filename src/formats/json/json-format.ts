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
import { compileFieldsReader, compileJsonReader, describeJsonFailure, type JsonFailure } from './json-reader.js';
import { jacksonRead } from './jackson-read.js';
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
  const parse = (text: string): unknown => (guardDigits && mayLoseDigits(text) ? parseJsonLossless(text) : JSON.parse(text));
  /** Blank text is Jackson's missing node: a bare STRING reads it as empty text, anything else cannot take it. */
  const readMissing = (): unknown[] => {
    if (unwrapped && failureType.kind === 'STRING') return [''];
    const reason = new CoercionError(`Can't convert type. sourceType: MissingNode, requiredType: ${formatSqlType(failureType)}`);
    const cause = pathChain({ message: reason.message, path: ['$'] }, reason);
    throw new DeserializationError(format, target, cause.message, topic, cause);
  };

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
        node = parse(text);
      } catch (error) {
        const read = jacksonRead(text);
        if (read.kind === 'error') throw new DeserializationError(format, target, read.message, topic, new Error(read.message));
        if (read.kind === 'missing') return readMissing();
        node = parse(text.slice(0, read.end));
      }
      try {
        const values = readRow(node);
        bytesReader?.learn(node);
        return values;
      } catch (error) {
        const failure = error instanceof CoercionError ? describeJsonFailure(node, failureType, ['$']) : undefined;
        const cause = failure === undefined ? error : pathChain(failure, error);
        throw new DeserializationError(format, target, cause instanceof Error ? cause.message : String(cause), topic, cause);
      }
    },
  };
}

/**
 * ksqlDB's chain for a value that fails its type: one error per level of the
 * path, the outermost naming the whole path ("..., path: $.A.B"), each
 * inner one the rest from its level (".A.B", ".B"), over the converter's error.
 */
function pathChain(failure: JsonFailure, reason: unknown): Error {
  let chain: unknown = reason;
  for (let level = failure.path.length - 1; level >= 0; level--) {
    chain = new Error(`${failure.message}, path: ${failure.path.slice(level).join('')}`, { cause: chain });
  }
  return chain as Error;
}
