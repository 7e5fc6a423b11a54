/**
 * Record -> row for a source step: deserialize key and value, fill headers
 * columns, take the event time from the TIMESTAMP column when one is set.
 * Windowed sources strip the window from the key bytes into `row.window`.
 * A record that cannot be read goes to the processing log; so does one
 * without a usable event time (a NULL or unparsable TIMESTAMP column, a
 * negative timestamp), as ksqlDB's timestamp extractors log and skip it.
 */
import type { ConsumedRecord } from '../broker/broker.js';
import { createSerde, createWindowedKeySerde } from '../formats/index.js';
import type { Row, WindowBounds } from '../expr/row.js';
import type { StreamSource } from '../planner/steps.js';
import type { LogicalSchema } from '../schema/logical-schema.js';
import { STRING } from '../schema/sql-type.js';
import { loggerName, rowText, type TopologyContext } from './guarded-expression.js';
import { deserializationError, recordProcessingError } from './processing-log.js';
import type { TaskOutput } from './task.js';

export type RecordReader = (record: ConsumedRecord) => Row | null;

export function buildSourceReader(source: StreamSource, ctx: TopologyContext, output: TaskOutput): RecordReader {
  const { schema } = source;
  const keySerde = createSerde({ format: source.keyFormat.format, target: 'key', columns: schema.key, properties: source.keyFormat.properties, features: source.keyFormat.features, topic: source.topic, registry: ctx.schemaRegistry });
  const windowedKeySerde = source.window === undefined ? undefined : createWindowedKeySerde({
    format: source.keyFormat.format, columns: schema.key, properties: source.keyFormat.properties, features: source.keyFormat.features, topic: source.topic, window: source.window, registry: ctx.schemaRegistry,
  });
  const valueColumns = schema.value.filter((c) => c.namespace !== 'HEADERS');
  const valueSerde = createSerde({ format: source.valueFormat.format, target: 'value', columns: valueColumns, properties: source.valueFormat.properties, features: source.valueFormat.features, topic: source.topic, registry: ctx.schemaRegistry });
  const logger = loggerName(ctx, 'KsqlTopic.Source.deserializer');
  const timestampLogger = loggerName(ctx, 'KsqlTopic.Source');
  const skipForTimestamp = (reason: unknown, values: readonly unknown[]): null => {
    const error = new Error('Failed to extract timestamp from row', { cause: reason });
    output.logError(recordProcessingError(timestampLogger, error, ctx.includeRows ? rowText({ values: [...values] }, schema) : null));
    return null;
  };
  // ksql.timestamp.throw.on.invalid: the task fails as Kafka Streams fails on an extractor's exception
  // (its uncommitted work, processing-log entries included, is discarded); a negative time is skipped either way.
  const failForTimestamp = (reason: unknown, _values: readonly unknown[], record: ConsumedRecord): never => {
    throw new Error(`Fatal user code error in TimestampExtractor callback for record of ${record.topic}-${record.partition} at offset ${record.offset}: ${reason instanceof Error ? reason.message : String(reason)}`, { cause: reason });
  };
  const invalidTimestamp = ctx.throwOnInvalidTimestamp === true ? failForTimestamp : skipForTimestamp;
  // Where each value-side column comes from: the deserialized value, or the record headers.
  const fillers = schema.value.map((c) => {
    if (c.namespace !== 'HEADERS') {
      const i = valueColumns.indexOf(c);
      return (value: unknown[], _record: ConsumedRecord) => value[i] ?? null;
    }
    if (c.headerKey !== undefined) {
      const key = c.headerKey;
      return (_value: unknown[], record: ConsumedRecord) => {
        for (let i = record.headers.length - 1; i >= 0; i--) if (record.headers[i]!.key === key) return record.headers[i]!.value;
        return null;
      };
    }
    return (_value: unknown[], record: ConsumedRecord) => record.headers.map((h) => ({ KEY: h.key, VALUE: h.value }));
  });
  const timestampOf = buildTimestampExtractor(source, ctx);
  const keyCount = schema.key.length;
  const width = keyCount + fillers.length;
  // Without headers columns the value columns are the deserialized values, in order: copy them.
  const plainValues = fillers.length === valueColumns.length;
  // The key's columns, then the value-side ones.
  const rowValues = (key: unknown[] | null, value: unknown[] | null, record: ConsumedRecord): unknown[] => {
    const values: unknown[] = new Array(width);
    for (let i = 0; i < keyCount; i++) values[i] = key === null ? null : key[i] ?? null;
    if (value === null) {
      for (let i = keyCount; i < width; i++) values[i] = null;
    } else if (plainValues) {
      for (let i = keyCount; i < width; i++) values[i] = value[i - keyCount] ?? null;
    } else {
      for (let i = keyCount; i < width; i++) values[i] = fillers[i - keyCount]!(value, record);
    }
    return values;
  };
  return (record) => {
    let key: unknown[] | null;
    let keyWindow: WindowBounds | null = null;
    try {
      if (keyCount === 0) {
        key = null;
      } else if (windowedKeySerde !== undefined) {
        const windowed = windowedKeySerde.deserialize(record.key);
        key = windowed?.values ?? null;
        keyWindow = windowed?.window ?? null;
      } else {
        key = keySerde.deserialize(record.key);
      }
    } catch (error) {
      output.logError(deserializationError(logger, 'key', record.topic, record.key, error, ctx.includeRows));
      return null;
    }
    let value: unknown[] | null;
    try {
      value = valueSerde.deserialize(record.value);
    } catch (error) {
      output.logError(deserializationError(logger, 'value', record.topic, record.value, error, ctx.includeRows));
      return null;
    }
    const nullValue = value === null;
    const values = keyCount === 0 && plainValues && !nullValue && value!.length === width
      ? ownValues(value!)
      : rowValues(key, value, record);
    let timestamp = record.timestamp;
    if (timestampOf !== undefined) {
      try {
        timestamp = timestampOf(values);
      } catch (reason) {
        return invalidTimestamp(reason, values, record);
      }
    }
    if (timestamp < 0) return skipForTimestamp(negativeTimestamp(timestamp), values);
    return { values, timestamp, partition: record.partition, offset: record.offset, headers: record.headers, window: keyWindow, nullValue, nullKey: keyCount > 0 && key === null };
  };
}

/**
 * The event time of a row, from the TIMESTAMP column when one is set. Throws
 * why a row has none: its column is NULL or its text does not parse.
 */
export function buildTimestampExtractor(
  source: { schema: LogicalSchema; timestampColumn: StreamSource['timestampColumn'] }, ctx: TopologyContext,
): ((values: readonly unknown[]) => number) | undefined {
  const tc = source.timestampColumn;
  if (tc === undefined) return undefined;
  const columns = [...source.schema.key, ...source.schema.value];
  const index = columns.findIndex((c) => c.name === tc.column);
  const type = columns[index]!.type;
  const isNull = (): Error => new Error(`The timestamp column ${tc.column} is NULL.`);
  if (type.kind === 'STRING') {
    const parse = ctx.functions.resolve('STRINGTOTIMESTAMP', [STRING, STRING]).implementation;
    const format = tc.format!;
    return (values) => {
      const text = values[index];
      if (text === null || text === undefined) throw isNull();
      const v = parse(text, format);
      if (v === null) throw new Error(`The timestamp column ${tc.column} ('${String(text)}') does not match the format '${format}'.`);
      return Number(v);
    };
  }
  return (values) => {
    const v = values[index];
    if (v === null || v === undefined) throw isNull();
    return Number(v);
  };
}

/** Why a negative event time is refused: Kafka's records carry none below 0. */
export function negativeTimestamp(timestamp: number): Error {
  return new Error(`The timestamp ${timestamp} is negative.`);
}

/** A deserialized value that is the whole row: the serde's array (a new one per record) is kept, its missing values made NULL. */
function ownValues(values: unknown[]): unknown[] {
  for (let i = 0; i < values.length; i++) if (values[i] === undefined) values[i] = null;
  return values;
}
