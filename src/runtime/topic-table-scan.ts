/**
 * A table's current rows read straight from its topic: every record from the
 * earliest offsets up to the ends when the scan starts, the latest row per
 * key kept, tombstones deleting. This is how pull queries answer on a source
 * table (CREATE SOURCE TABLE), which no persistent query materializes here.
 */
import type { Broker } from '../broker/broker.js';
import type { Row } from '../expr/row.js';
import type { StreamSource } from '../planner/steps.js';
import type { TopologyContext } from './guarded-expression.js';
import { buildSourceReader } from './source-reader.js';
import type { TaskOutput } from './task.js';

const FETCH_RECORDS = 1000;

export function scanTopicTable(broker: Broker, source: StreamSource, ctx: TopologyContext, output: TaskOutput): Row[] {
  const read = buildSourceReader(source, ctx, output);
  const keyed = source.schema.key.length > 0;
  const latest = new Map<string, Row>();
  for (const { partition } of broker.describeTopic(source.topic).partitions) {
    const end = broker.latestOffset(source.topic, partition);
    let position = broker.earliestOffset(source.topic, partition);
    while (position < end) {
      const { records, nextOffset } = broker.fetch(source.topic, partition, position, { maxRecords: Math.min(FETCH_RECORDS, end - position) });
      if (records.length === 0 && nextOffset <= position) break;
      position = nextOffset;
      for (const record of records) {
        if (record.offset >= end) break;
        // Records without a key are not part of a table, as in ksqlDB.
        if (keyed && record.key === null) continue;
        const row = read(record);
        if (row === null) continue;
        const id = `${partition}/${record.key === null ? '' : record.key.toString('base64')}`;
        if (row.nullValue) latest.delete(id);
        else {
          latest.delete(id);
          latest.set(id, row);
        }
      }
    }
  }
  return [...latest.values()];
}
