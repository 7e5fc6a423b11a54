/**
 * Inserting JSON rows into a stream (the /inserts-stream endpoint): the
 * target is looked up once, each row is a JSON object whose fields name
 * columns (case-insensitively), converted to the columns' types as the JSON
 * format reads them, serialized with the stream's formats and appended
 * (the rows that arrive together in one write). A number beyond its column's
 * integer type is refused with ksqlDB's REST wording, never wrapped.
 */
import type { ProducerRecord } from '../broker/broker.js';
import { KsqlError, statementError } from '../common/errors.js';
import { andThen, type MaybeAsync } from '../common/maybe-async.js';
import { createSerde } from '../formats/index.js';
import { jsonToValue, stringifyJsonNode } from '../formats/json/json-reader.js';
import { LosslessNumber } from '../formats/json/lossless-json.js';
import { NumberRangeError } from '../formats/serde-errors.js';
import { formatJavaDouble } from '../schema/java-text.js';
import type { Column } from '../schema/logical-schema.js';
import { formatSqlType, type SqlType } from '../schema/sql-type.js';
import type { DataSource } from '../catalog/data-source.js';
import type { EnginePorts } from './engine-ports.js';
import { formattedValueColumns } from './source-ddl.js';

export interface RowInserter {
  readonly target: DataSource;
  /** Converts one row (a parsed JSON object) to the record to append; throws a statement error for a bad row. */
  toRecord(row: unknown): ProducerRecord;
  /** Appends records made by `toRecord`, in order, in one write (later on a log that answers later). */
  append(records: readonly ProducerRecord[]): MaybeAsync<void>;
}

export function createRowInserter(ports: Pick<EnginePorts, 'catalog' | 'log'>, targetName: string): RowInserter {
  const target = ports.catalog.metastore.getSource(targetName) ?? ports.catalog.metastore.getSource(targetName.toUpperCase());
  if (target === undefined) throw statementError(`Cannot insert values into an unknown stream: ${targetName}`);
  if (target.window !== undefined) throw statementError('Cannot insert values into windowed stream');
  if (target.kind !== 'STREAM') throw statementError(`Cannot insert values into a table: ${target.name}. Inserts are only supported into streams.`);
  if (target.isSource) throw statementError(`Cannot insert values into read-only stream: ${target.name}`);
  const { schema } = target;
  const valueColumns = formattedValueColumns(schema);
  const keySerde = createSerde({ format: target.keyFormat.format, target: 'key', columns: schema.key, properties: target.keyFormat.properties, features: target.keyFormat.features, topic: target.topic, registry: ports.catalog.schemaRegistry });
  const valueSerde = createSerde({ format: target.valueFormat.format, target: 'value', columns: valueColumns, properties: target.valueFormat.properties, features: target.valueFormat.features, topic: target.topic, registry: ports.catalog.schemaRegistry });
  const known = new Map<string, Column>([...schema.key, ...valueColumns].map((c) => [c.name.toUpperCase(), c]));
  return {
    target,
    toRecord(row) {
      if (row === null || typeof row !== 'object' || Array.isArray(row)) throw statementError('Each row to insert must be a JSON object.');
      const given = new Map<string, unknown>();
      for (const [field, node] of Object.entries(row as Record<string, unknown>)) {
        const column = schema.key.find((c) => c.name === field) ?? valueColumns.find((c) => c.name === field) ?? known.get(field.toUpperCase());
        if (column === undefined) throw statementError(`Column name ${field} does not exist in ${target.name}.`);
        try {
          given.set(column.name, jsonToValue(node, column.type));
        } catch (error) {
          if (error instanceof NumberRangeError) throw new KsqlError('BAD_REQUEST', cannotCoerce(node, column.type));
          // A value nested deeper than the stack can follow (JSON arrays in arrays, read without recursion) is refused by name.
          const reason = error instanceof RangeError ? 'the value is nested too deeply' : (error as Error).message;
          throw statementError(`Invalid value for column ${column.name}: ${reason}`);
        }
      }
      const key = schema.key.map((c) => given.get(c.name) ?? null);
      const value = valueColumns.map((c) => given.get(c.name) ?? null);
      return {
        key: schema.key.length === 0 ? null : keySerde.serialize(key),
        value: valueSerde.serialize(value),
        timestamp: Date.now(),
      };
    },
    append(records) {
      return records.length === 0 ? undefined : andThen(ports.log.topics.append(target.topic, records), () => undefined);
    },
  };
}

/** ksqlDB's refusal of a JSON field, naming the Java class its JSON parser (Vert.x over Jackson) gives the value. */
function cannotCoerce(node: unknown, type: SqlType): string {
  const [javaClass, text] = javaValueOf(node);
  return `Can't coerce a field of type class ${javaClass} (${text}) into type ${formatSqlType(type)}`;
}

/** The Java class and toString of a parsed JSON value: Integer, Long or BigInteger by size, Double for the rest. */
function javaValueOf(node: unknown): [string, string] {
  if (typeof node === 'number') {
    // Integers of 16 digits or more are LosslessNumbers: an integral double this large was written with an exponent.
    if (!Number.isInteger(node) || Math.abs(node) >= 1e16) return ['java.lang.Double', formatJavaDouble(node)];
    return [(node | 0) === node ? 'java.lang.Integer' : 'java.lang.Long', String(node)];
  }
  if (node instanceof LosslessNumber) {
    if (!node.isInteger) return ['java.lang.Double', formatJavaDouble(Number(node.text))];
    return [BigInt.asIntN(64, BigInt(node.text)) === BigInt(node.text) ? 'java.lang.Long' : 'java.math.BigInteger', node.text];
  }
  return [Array.isArray(node) ? 'io.vertx.core.json.JsonArray' : 'io.vertx.core.json.JsonObject', stringifyJsonNode(node)];
}
