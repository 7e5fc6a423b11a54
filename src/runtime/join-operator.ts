/**
 * The join operators: each side's rows come in through its own entry, keyed
 * by the join key, and joined rows go out as `(row, old)`.
 *
 * - Stream-table (Kafka Streams' KStream-KTable join): table changes only
 *   update the table side's store; each stream row looks the table up and
 *   emits at the stream row's timestamp (INNER: only when found).
 * - Table-table (KTable-KTable joins, as ksqlDB builds them; RIGHT is a LEFT
 *   join with the sides swapped): both sides are kept in stores; a change on
 *   one side joins the other side's current row and emits the new result with
 *   the result it replaces, at the later of the two rows' timestamps. A
 *   result that disappears is a tombstone.
 */
import type { Join } from '../planner/steps.js';
import { withValues, type Row } from '../expr/row.js';
import type { RowSink } from './aggregate-operator.js';
import type { TaskState } from './task-state.js';
import { decodeValue, encodeValue } from './value-codec.js';

/** Where each side's rows enter: the join key and the side's row (its source's columns). */
export interface JoinEntries {
  readonly left: (key: unknown, row: Row, old: Row | null) => void;
  readonly right: (key: unknown, row: Row, old: Row | null) => void;
}

/** Builds the joined row's values from the key and each side's values (null: no row on that side). */
type Assemble = (key: unknown, left: readonly unknown[] | null, right: readonly unknown[] | null) => unknown[];

export function buildJoinOperator(step: Join, state: TaskState, next: RowSink): JoinEntries {
  const assemble = buildAssemble(step);
  switch (step.kind) {
    case 'StreamTableJoin':
      return buildStreamTableJoin(step, assemble, state, next);
    case 'TableTableJoin':
      return buildTableTableJoin(step, assemble, state, next);
    case 'StreamStreamJoin':
      throw new Error('stream-stream joins are built by the window join operator');
  }
}

export function buildAssemble(step: Join): Assemble {
  const keyName = step.schema.key[0]!.name;
  const names = (side: Join['left']): string[] =>
    [...side.source.schema.key, ...side.source.schema.value].map((c) => `${side.source.alias}_${c.name}`);
  const leftNames = names(step.left);
  const rightNames = names(step.right);
  const leftSkip = leftNames.indexOf(keyName);
  const rightSkip = rightNames.indexOf(keyName);
  const width = 1 + leftNames.length + rightNames.length - (leftSkip >= 0 ? 1 : 0) - (rightSkip >= 0 ? 1 : 0);
  return (key, left, right) => {
    const out: unknown[] = new Array(width);
    out[0] = key;
    let o = 1;
    for (let i = 0; i < leftNames.length; i++) if (i !== leftSkip) out[o++] = left === null ? null : left[i] ?? null;
    for (let i = 0; i < rightNames.length; i++) if (i !== rightSkip) out[o++] = right === null ? null : right[i] ?? null;
    return out;
  };
}

function storeKey(key: unknown): Buffer {
  return encodeValue([key]);
}

function buildStreamTableJoin(step: Join, assemble: Assemble, state: TaskState, next: RowSink): JoinEntries {
  const table = state.keyValueStore(`${step.right.source.alias}-Join-Table`);
  const inner = step.joinType === 'INNER';
  return {
    left: (key, row) => {
      if (row.nullValue || key === null || key === undefined) return;
      const found = table.get(storeKey(key));
      if (found === null && inner) return;
      const right = found === null ? null : (decodeValue(found) as unknown[]);
      next(withValues(row, assemble(key, row.values, right)), null);
    },
    right: (key, row) => {
      if (key === null || key === undefined) return;
      table.put(storeKey(key), row.nullValue ? null : encodeValue(row.values));
    },
  };
}

/** A table side's current row as stored: its values and timestamp. */
interface Stored {
  readonly values: readonly unknown[];
  readonly timestamp: number;
}

function buildTableTableJoin(step: Join, assemble: Assemble, state: TaskState, next: RowSink): JoinEntries {
  const leftStore = state.keyValueStore(`${step.left.source.alias}-Join-Left`);
  const rightStore = state.keyValueStore(`${step.right.source.alias}-Join-Right`);
  const read = (store: typeof leftStore, id: Buffer): Stored | null => {
    const bytes = store.get(id);
    if (bytes === null) return null;
    const [values, timestamp] = decodeValue(bytes) as [unknown[], number];
    return { values, timestamp };
  };
  const write = (store: typeof leftStore, id: Buffer, row: Row): void => {
    store.put(id, row.nullValue ? null : encodeValue([row.values, row.timestamp]));
  };
  // Which results exist, given whether each side has a row (RIGHT: the mirror of LEFT).
  const exists = (hasLeft: boolean, hasRight: boolean): boolean => {
    switch (step.joinType) {
      case 'INNER': return hasLeft && hasRight;
      case 'LEFT': return hasLeft;
      case 'RIGHT': return hasRight;
      case 'FULL': return hasLeft || hasRight;
    }
  };
  /**
   * A change on one side: `mine` and `before` are that side's new and
   * previous rows, `other` the other side's current row.
   */
  const change = (key: unknown, row: Row, before: Stored | null, other: Stored | null, fromLeft: boolean): void => {
    const mine = row.nullValue ? null : row.values;
    const joinOf = (values: readonly unknown[] | null): unknown[] | null => {
      const hasMine = values !== null;
      const hasOther = other !== null;
      if (!exists(fromLeft ? hasMine : hasOther, fromLeft ? hasOther : hasMine)) return null;
      return fromLeft ? assemble(key, values, other?.values ?? null) : assemble(key, other?.values ?? null, values);
    };
    // As Kafka Streams: a change on the side that must be present for any result only matters when the other side's row is there too.
    const otherRequired = step.joinType === 'INNER' || (step.joinType === 'LEFT' && !fromLeft) || (step.joinType === 'RIGHT' && fromLeft);
    if (otherRequired && other === null) return;
    const now = joinOf(mine);
    const previous = before === null ? null : joinOf(before.values);
    if (now === null && previous === null && step.joinType === 'FULL') return;
    const timestamp = other === null ? row.timestamp : Math.max(row.timestamp, other.timestamp);
    const old = previous === null ? null : { ...row, timestamp, values: previous, nullValue: false };
    if (now !== null) next({ ...row, timestamp, values: now, nullValue: false }, old);
    else next({ ...row, timestamp, values: assemble(key, null, null), nullValue: true }, old);
  };
  return {
    left: (key, row) => {
      if (key === null || key === undefined) return;
      const id = storeKey(key);
      const before = read(leftStore, id);
      write(leftStore, id, row);
      change(key, row, before, read(rightStore, id), true);
    },
    right: (key, row) => {
      if (key === null || key === undefined) return;
      const id = storeKey(key);
      const before = read(rightStore, id);
      write(rightStore, id, row);
      change(key, row, before, read(leftStore, id), false);
    },
  };
}
