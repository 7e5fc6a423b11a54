/**
 * A table source's latest-row store: per record key, the encoded values of
 * the key's latest row, so each change knows the row it replaces. Its
 * content is a pure function of the table's topic partition up to the
 * task's committed offset, which makes the topic its changelog: when a
 * stored row fails its checksum and the task read the partition from offset
 * 0, the store is rebuilt from the topic (CommittedInput) and the task goes
 * on; otherwise the corruption error stands. On a log that restores state,
 * the topic is the store's changelog too (state-restore.ts): the corruption
 * stops the query, and the store's checkpoint goes with it, so the query's
 * next start restores the store from the topic.
 */
import type { ConsumedRecord } from '../broker/broker.js';
import { createLogger } from '../common/logger.js';
import type { StreamSource } from '../planner/steps.js';
import { StateCorruptionError, type KeyValue, type KeyValueStore } from '../state/index.js';
import type { CommittedInput } from './committed-input.js';
import type { InputEntry } from './state-restore.js';
import type { TopologyContext } from './guarded-expression.js';
import { buildSourceReader, type RecordReader } from './source-reader.js';
import type { TaskScope } from './step-build.js';
import type { TaskOutput } from './task.js';
import { decodeValue, encodeValue } from './value-codec.js';

const log = createLogger('state-rebuild');

/** A rebuild or restore reads records the task already handled: their processing-log entries were written the first time. */
const SILENT: TaskOutput = { emit: () => {}, logError: () => {} };

const NO_KEY = Buffer.alloc(0);

export interface TableSourceStore {
  /** Stores `values` (null: a deletion) as `key`'s latest row; returns the values it replaces, or null. */
  replace(key: Buffer | null, values: unknown[] | null): unknown[] | null;
}

export function openTableSourceStore(source: StreamSource, ctx: TopologyContext, task: TaskScope): TableSourceStore {
  const store = task.state.keyValueStore(`${source.alias}-Source-Materialize`, { topic: source.topic, entryOf: storeEntryOf(source, ctx) });
  const rebuild = task.committedInput;
  const latest = (id: Buffer): Buffer | null => {
    try {
      return store.get(id);
    } catch (error) {
      if (!(error instanceof StateCorruptionError)) throw error;
      if (rebuild !== undefined) {
        rebuildFromTopic(store, source, ctx, rebuild, error);
        return store.get(id);
      }
      if (task.state.discardLocalCopy(store)) {
        throw new StateCorruptionError(store, error.key, undefined, `so the store is restored from topic '${source.topic}' when the query starts again`);
      }
      throw error;
    }
  };
  return {
    replace(key, values) {
      const id = key ?? NO_KEY;
      const previous = latest(id);
      store.put(id, values === null ? null : encodeValue(values));
      return previous === null ? null : (decodeValue(previous) as unknown[]);
    },
  };
}

/** Whether a record enters the table (records without a key do not when the table has key columns, as in ksqlDB). */
export function entersTable(record: ConsumedRecord, source: StreamSource): boolean {
  return record.key !== null || source.schema.key.length === 0;
}

/** The store's entry of a record of the table's topic (null: a record that does not enter the table, or cannot be read). */
function storeEntryOf(source: StreamSource, ctx: TopologyContext): InputEntry {
  // Built on first use: most tasks never replay their input.
  let read: RecordReader | undefined;
  return (record) => {
    if (!entersTable(record, source)) return null;
    read ??= buildSourceReader(source, ctx, SILENT);
    const row = read(record);
    if (row === null) return null;
    return { key: record.key ?? NO_KEY, value: row.nullValue ? null : encodeValue(row.values) };
  };
}

function rebuildFromTopic(store: KeyValueStore, source: StreamSource, ctx: TopologyContext, input: CommittedInput, cause: StateCorruptionError): void {
  const entryOf = storeEntryOf(source, ctx);
  const rows = new Map<string, KeyValue | null>();
  let records = 0;
  try {
    for (const record of input(source.topic)) {
      records++;
      const entry = entryOf(record);
      if (entry === null) continue;
      rows.set(entry.key.toString('latin1'), entry.value === null ? null : { key: entry.key, value: entry.value });
    }
  } catch (error) {
    throw new StateCorruptionError(store, cause.key, undefined, `and the store cannot be rebuilt from its topic: ${(error as Error).message}`);
  }
  const entries = [...rows.values()].filter((e): e is KeyValue => e !== null);
  store.restore(entries);
  log.warn(
    { queryId: store.query, store: store.name, partition: store.partition, topic: source.topic, records, rows: entries.length },
    `${cause.message} Rebuilt the store from topic '${source.topic}' (${records} committed records, ${entries.length} rows).`,
  );
}
