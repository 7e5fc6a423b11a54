/**
 * Inserting JSON rows into a stream (the /inserts-stream endpoint): the
 * target is looked up once, each row is a JSON object whose fields name
 * columns (case-insensitively), converted to the columns' types as the JSON
 * format reads them, serialized with the stream's formats and appended
 * (the rows that arrive together in one write).
 */
import type { ProducerRecord } from '../broker/broker.js';
import { statementError } from '../common/errors.js';
import { createSerde } from '../formats/index.js';
import { jsonToValue } from '../formats/json/json-reader.js';
import type { Column } from '../schema/logical-schema.js';
import type { DataSource } from './data-source.js';
import type { KsqlEngine } from './engine.js';
import { formattedValueColumns } from './source-ddl.js';

export interface RowInserter {
  readonly target: DataSource;
  /** Converts one row (a parsed JSON object) to the record to append; throws a statement error for a bad row. */
  toRecord(row: unknown): ProducerRecord;
  /** Appends records made by `toRecord`, in order, in one write. */
  append(records: readonly ProducerRecord[]): void;
}

export function createRowInserter(engine: KsqlEngine, targetName: string): RowInserter {
  const target = engine.metastore.getSource(targetName) ?? engine.metastore.getSource(targetName.toUpperCase());
  if (target === undefined) throw statementError(`Cannot insert values into an unknown stream: ${targetName}`);
  if (target.kind !== 'STREAM') throw statementError(`Cannot insert values into a table: ${target.name}. Inserts are only supported into streams.`);
  if (target.isSource) throw statementError(`Cannot insert values into read-only stream: ${target.name}`);
  const { schema } = target;
  const valueColumns = formattedValueColumns(schema);
  const keySerde = createSerde({ format: target.keyFormat.format, target: 'key', columns: schema.key, properties: target.keyFormat.properties, features: target.keyFormat.features, topic: target.topic });
  const valueSerde = createSerde({ format: target.valueFormat.format, target: 'value', columns: valueColumns, properties: target.valueFormat.properties, features: target.valueFormat.features, topic: target.topic });
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
          throw statementError(`Invalid value for column ${column.name}: ${(error as Error).message}`);
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
      if (records.length > 0) engine.broker.append(target.topic, records);
    },
  };
}
