/**
 * Row -> record for a sink: serialize key and value (a NULL-valued row is a
 * tombstone), wrap windowed keys, take the event time from the sink's
 * TIMESTAMP column when one is set (a tombstone, which has none, takes the
 * stream time, as ksqlDB's sink does). A row without a usable event time (a
 * NULL or unparsable TIMESTAMP column, a negative timestamp) goes to the
 * processing log; a row its formats cannot serialize fails the task, as in
 * ksqlDB (SinkSerializationFailure).
 */
import { appendWindow, createSerde } from '../formats/index.js';
import type { Row } from '../expr/row.js';
import type { StreamSink } from '../planner/steps.js';
import type { LogicalSchema } from '../schema/logical-schema.js';
import { loggerName, rowText, type TopologyContext } from './guarded-expression.js';
import { recordProcessingError } from './processing-log.js';
import { SinkSerializationFailure } from './sink-serialization-failure.js';
import { buildTimestampExtractor, negativeTimestamp } from './source-reader.js';
import type { TaskOutput } from './task.js';
import type { TaskState } from './task-state.js';

export function buildSinkWriter(sink: StreamSink, upstream: LogicalSchema, ctx: TopologyContext, output: TaskOutput, state: TaskState): (row: Row) => void {
  const { schema } = sink;
  const keySerde = createSerde({ format: sink.keyFormat.format, target: 'key', columns: schema.key, properties: sink.keyFormat.properties, features: sink.keyFormat.features, topic: sink.topic, registry: ctx.schemaRegistry });
  const valueSerde = createSerde({ format: sink.valueFormat.format, target: 'value', columns: schema.value, properties: sink.valueFormat.properties, features: sink.valueFormat.features, topic: sink.topic, registry: ctx.schemaRegistry });
  const keyCount = upstream.key.length;
  const timestampLogger = loggerName(ctx, sink.topic);
  const logTimestampError = (reason: unknown, row: Row): void => {
    const error = new Error(`Error writing row with extracted timestamp: ${reason instanceof Error ? reason.message : String(reason)}`, { cause: reason });
    output.logError(recordProcessingError(timestampLogger, error, ctx.includeRows ? rowText(row, upstream) : null));
  };
  const timestampOf = buildTimestampExtractor(sink, ctx);
  // The stream time a tombstone takes when the sink extracts timestamps: the latest time of the rows that reached it.
  const clock = timestampOf === undefined ? undefined : state.streamTime('Sink');
  const topic = sink.topic;
  const windowType = sink.window?.type;
  return (row) => {
    let key: Buffer | null;
    let value: Buffer | null;
    // A windowed key is partitioned by its key part alone.
    let partitionKey: Buffer | undefined;
    try {
      key = keyCount === 0 || row.nullKey === true ? null : keySerde.serialize(row.values.slice(0, keyCount));
      if (windowType !== undefined && row.window !== null && keyCount > 0) {
        partitionKey = key ?? Buffer.alloc(0);
        key = appendWindow(partitionKey, row.window, windowType);
      }
    } catch (error) {
      throw new SinkSerializationFailure(topic, row.timestamp, error);
    }
    try {
      value = row.nullValue ? null : valueSerde.serialize(keyCount === 0 ? row.values : row.values.slice(keyCount));
    } catch (error) {
      throw new SinkSerializationFailure(topic, row.timestamp, error);
    }
    let timestamp = row.timestamp;
    if (timestampOf !== undefined) {
      const now = clock!.observe(row.timestamp);
      if (row.nullValue) {
        timestamp = now;
      } else {
        try {
          timestamp = timestampOf(row.values);
        } catch (reason) {
          logTimestampError(reason, row);
          return;
        }
      }
    }
    if (timestamp < 0) {
      logTimestampError(negativeTimestamp(timestamp), row);
      return;
    }
    output.emit(topic, partitionKey === undefined ? { key, value, timestamp, headers: row.headers } : { key, value, timestamp, headers: row.headers, partitionKey });
  };
}
