/**
 * The foreign-key table-table join (Kafka Streams' KTable FK join, INNER and
 * LEFT): a left row joins the right row whose key is the left row's foreign
 * key, and the result keeps the left key. Both tables are kept in stores,
 * with an index from foreign key to the left keys that hold it, so a right
 * change reaches every left row referring to it (in left-key order).
 *
 * A left deletion always emits a tombstone; an INNER result that disappears
 * (its right row deleted, or the left row now pointing nowhere) is a
 * tombstone; an INNER left row without a match that had no result emits
 * nothing. A result's timestamp is the later of its two rows'.
 */
import type { Row } from '../expr/row.js';
import type { Join } from '../planner/steps.js';
import type { RowSink } from './row-sink.js';
import { buildAssemble, decodeSideRow, encodeSideRow, joinStoreName, type JoinEntries, type SideRow } from './join-operator.js';
import type { TaskState } from './task-state.js';
import { decodeValue, encodeValue } from './value-codec.js';

/** The index key prefix of a foreign key: its encoded length, then its encoding. */
function indexPrefix(foreignKey: unknown): Buffer {
  const encoded = encodeValue(foreignKey);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(encoded.length);
  return Buffer.concat([length, encoded]);
}

export function buildForeignKeyJoin(step: Join, state: TaskState, foreignKeyOf: (row: Row) => unknown, next: RowSink): JoinEntries {
  const assemble = buildAssemble(step);
  const name = joinStoreName(step);
  const leftStore = state.keyValueStore(`${name}-FkJoin-Left`);
  const rightStore = state.keyValueStore(`${name}-FkJoin-Right`);
  const index = state.keyValueStore(`${name}-FkJoin-Index`);
  const inner = step.joinType === 'INNER';
  const read = (store: typeof leftStore, id: Buffer): SideRow | null => {
    const bytes = store.get(id);
    return bytes === null ? null : decodeSideRow(bytes);
  };
  const rightOf = (foreignKey: unknown): SideRow | null =>
    (foreignKey === null || foreignKey === undefined ? null : read(rightStore, encodeValue([foreignKey])));
  const resultOf = (key: unknown, left: SideRow, right: SideRow | null): unknown[] | null =>
    (right === null && inner ? null : assemble(key, left, right));
  const emit = (template: Row, timestamp: number, key: unknown, now: unknown[] | null, previous: unknown[] | null, always: boolean): void => {
    const old = previous === null ? null : { ...template, timestamp, values: previous, nullValue: false };
    if (now !== null) next({ ...template, timestamp, values: now, nullValue: false }, old);
    else if (previous !== null || always) next({ ...template, timestamp, values: assemble(key, null, null), nullValue: true }, old);
  };
  return {
    left: (key, row) => {
      if (key === null || key === undefined) return;
      const id = encodeValue([key]);
      const before = read(leftStore, id);
      const oldForeignKey = before === null ? null : foreignKeyOf({ ...row, values: before.values as unknown[], nullValue: false });
      const foreignKey = row.nullValue ? null : foreignKeyOf(row);
      if (oldForeignKey !== null && oldForeignKey !== undefined) index.delete(Buffer.concat([indexPrefix(oldForeignKey), id]));
      if (foreignKey !== null && foreignKey !== undefined) index.put(Buffer.concat([indexPrefix(foreignKey), id]), Buffer.alloc(0));
      leftStore.put(id, row.nullValue ? null : encodeSideRow(row));
      const right = rightOf(foreignKey);
      const now = row.nullValue ? null : resultOf(key, row, right);
      const previous = before === null ? null : resultOf(key, before, rightOf(oldForeignKey));
      const timestamp = right === null ? row.timestamp : Math.max(row.timestamp, right.timestamp);
      emit(row, timestamp, key, now, previous, row.nullValue);
    },
    right: (key, row) => {
      if (key === null || key === undefined) return;
      const id = encodeValue([key]);
      const before = read(rightStore, id);
      rightStore.put(id, row.nullValue ? null : encodeSideRow(row));
      const prefix = indexPrefix(key);
      const leftIds = [...index.prefixScan(prefix)].map((entry) => entry.key.subarray(prefix.length));
      for (const leftId of leftIds) {
        const left = read(leftStore, leftId);
        if (left === null) continue;
        const [leftKey] = decodeValue(leftId) as unknown[];
        const now = resultOf(leftKey, left, row.nullValue ? null : row);
        const previous = resultOf(leftKey, left, before);
        emit(row, Math.max(left.timestamp, row.timestamp), leftKey, now, previous, false);
      }
    },
  };
}
