/**
 * A table's current rows read straight from its topic: every record from the
 * start of each partition up to its end when the scan was asked for, the
 * latest row per key kept, tombstones deleting. This is how pull queries
 * answer on a source table (CREATE SOURCE TABLE), which no persistent query
 * materializes here. It reads through the task log, a fetch at a time: at
 * once on the embedded log, asynchronously on Kafka. Each partition's rows
 * come in the order of their serialized keys, as a scan of ksqlDB's
 * materialized store (RocksDB) and of our own state stores returns them.
 */
import type { TaskLog } from '../broker/task-log.js';
import { andThen, isPromise, type MaybeAsync } from '../common/maybe-async.js';
import type { Row } from '../expr/row.js';
import type { StreamSource } from '../planner/steps.js';
import type { TopologyContext } from './guarded-expression.js';
import { buildSourceReader, type RecordReader } from './source-reader.js';
import type { TaskOutput } from './task.js';

const FETCH_RECORDS = 1000;

/** `ends`: per partition, where the scan stops (its read_committed end when the query was prepared). */
export function scanTopicTable(log: Pick<TaskLog, 'fetch'>, ends: ReadonlyMap<number, MaybeAsync<number>>, source: StreamSource,
  ctx: TopologyContext, output: TaskOutput): MaybeAsync<Row[]> {
  const read = buildSourceReader(source, ctx, output);
  const rows: Row[] = [];
  let scanned: MaybeAsync<void> = undefined;
  // Partition after partition, so rows keep the order of a synchronous scan.
  for (const [partition, end] of ends) {
    scanned = andThen(scanned, () => andThen(end, (last) => {
      const latest = new Map<string, KeyedRow>();
      return andThen(scanPartition(log, source, partition, last, read, latest), () => {
        for (const entry of [...latest.values()].sort((a, b) => Buffer.compare(a.key, b.key))) rows.push(entry.row);
      });
    }));
  }
  return andThen(scanned, () => rows);
}

interface KeyedRow {
  readonly key: Buffer;
  readonly row: Row;
}

const NO_KEY = Buffer.alloc(0);

function scanPartition(log: Pick<TaskLog, 'fetch'>, source: StreamSource, partition: number, end: number, read: RecordReader,
  latest: Map<string, KeyedRow>): MaybeAsync<void> {
  const keyed = source.schema.key.length > 0;
  /** Takes a fetched batch; answers where to read next, or null when the partition is done. */
  const take = (position: number, records: readonly Parameters<RecordReader>[0][], nextOffset: number): number | null => {
    if (records.length === 0 && nextOffset <= position) return null;
    for (const record of records) {
      if (record.offset >= end) return null;
      // Records without a key are not part of a table, as in ksqlDB.
      if (keyed && record.key === null) continue;
      const row = read(record);
      if (row === null) continue;
      const key = record.key ?? NO_KEY;
      const id = key.toString('base64');
      if (row.nullValue) latest.delete(id);
      else latest.set(id, { key, row });
    }
    return nextOffset;
  };
  // From offset 0: the log answers from its start when retention or compaction removed the records before.
  const from = (offset: number): MaybeAsync<void> => {
    for (let position: number | null = offset; position !== null && position < end;) {
      const at: number = position;
      const fetched = log.fetch(source.topic, partition, at, { maxRecords: Math.min(FETCH_RECORDS, end - at) });
      if (isPromise(fetched)) {
        return fetched.then(({ records, nextOffset }) => {
          const next = take(at, records, nextOffset);
          return next === null ? undefined : from(next);
        });
      }
      position = take(at, fetched.records, fetched.nextOffset);
    }
    return undefined;
  };
  return from(0);
}

