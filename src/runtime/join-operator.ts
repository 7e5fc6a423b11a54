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
import type { Join, JoinSideStep } from '../planner/steps.js';
import { withValues, type Row } from '../expr/row.js';
import type { RowSink } from './row-sink.js';
import { SIDE_PSEUDO_COLUMNS, SIDE_WINDOW_COLUMNS } from '../analyzer/join-analyzer.js';
import type { OperatorChangelog } from './changelog.js';
import type { TaskState } from './task-state.js';
import { decodeValue, encodeBytesArray, encodeValue } from './value-codec.js';
import { cacheableKey, TableRowCache } from './table-row-cache.js';

/** Where each side's rows enter: the join key and the side's row (its source's columns). */
export interface JoinEntries {
  readonly left: (key: unknown, row: Row, old: Row | null) => void;
  readonly right: (key: unknown, row: Row, old: Row | null) => void;
}

/** One side's row as the join sees it: its source's columns and its record's metadata. */
export interface SideRow {
  readonly values: readonly unknown[];
  readonly timestamp: number;
  readonly partition: number;
  readonly offset: number;
}

/** Builds the joined row's values from the key and each side's row (null: no row on that side). */
type Assemble = (key: unknown, left: SideRow | null, right: SideRow | null) => unknown[];

/** The changelogs of the stores that keep each side's rows, where ksqlDB has one (a table side's materialization). */
export interface JoinChangelogs {
  readonly left?: OperatorChangelog | undefined;
  readonly right?: OperatorChangelog | undefined;
}

/**
 * `read`: the indexes of the joined row read after the join, when known
 * (a stream-table join's rows then carry only those; a table-table join's
 * are kept whole).
 */
export function buildJoinOperator(step: Join, state: TaskState, next: RowSink, changelogs: JoinChangelogs = {}, read?: ReadonlySet<number>): JoinEntries {
  switch (step.kind) {
    case 'StreamTableJoin':
      return buildStreamTableJoin(step, buildAssemble(step, read), state, next, changelogs);
    case 'TableTableJoin':
      return buildTableTableJoin(step, buildAssemble(step), state, next, changelogs);
    case 'StreamStreamJoin':
    case 'ForeignKeyTableTableJoin':
      throw new Error(`${step.kind} is built by its own operator`);
  }
}

/**
 * Whether a source side's rows enter the join with their window's bounds
 * after their columns (SIDE_WINDOW_COLUMNS): a windowed side, in plans whose
 * join schema has them (earlier plans do not).
 */
export function carriesWindowBounds(step: Join, side: JoinSideStep): boolean {
  const source = side.source;
  if (source.kind !== 'StreamSource' && source.kind !== 'TableSource') return false;
  const name = `${source.alias}_${SIDE_WINDOW_COLUMNS[0]!.name}`;
  return source.window !== undefined && [...step.schema.key, ...step.schema.value].some((c) => c.name === name);
}

/**
 * Per source side: its columns, its window bounds (see carriesWindowBounds),
 * then ROWTIME, ROWPARTITION and ROWOFFSET of its record (see
 * SIDE_PSEUDO_COLUMNS); an earlier join's side (n-way joins) brings its
 * result columns as they are. `read`: the indexes of the joined row that
 * anything after the join reads (column-reads.ts), when known; the others
 * are NULL, with no copy and no BIGINT made for them.
 */
export function buildAssemble(step: Join, read?: ReadonlySet<number>): Assemble {
  // Only a foreign-key join has several key columns (the left table's): its `key` is then their values.
  const keyNames = new Set(step.schema.key.map((c) => c.name));
  const keyCount = keyNames.size;
  const layout = (side: Join['left']): { names: string[]; pseudo: boolean; alias: string } => {
    const source = side.source;
    const names = sideColumnNames(step, side);
    return source.kind !== 'StreamSource' && source.kind !== 'TableSource' ? { names, pseudo: false, alias: '' } : { names, pseudo: true, alias: source.alias };
  };
  const sides = [layout(step.left), layout(step.right)].map((l) => ({
    ...l,
    kept: l.names.map((n) => !keyNames.has(n)),
    // A record's metadata column the join is keyed on (`A.ROWPARTITION = ...`) is the key, not repeated.
    keptPseudo: l.pseudo ? SIDE_PSEUDO_COLUMNS.map((c) => !keyNames.has(`${l.alias}_${c.name}`)) : [],
  }));
  // Per side, where each of its values that go out lands and where its metadata columns do: one plain loop per row.
  let o = keyCount;
  const unread: number[] = [];
  const place = (): number => {
    const at = o++;
    if (read === undefined || read.has(at)) return at;
    unread.push(at);
    return -1;
  };
  const [leftPlan, rightPlan] = sides.map((l): SidePlan => {
    const from: number[] = [];
    const to: number[] = [];
    l.kept.forEach((kept, i) => {
      if (!kept) return;
      const at = place();
      if (at < 0) return;
      from.push(i);
      to.push(at);
    });
    const pseudo = (i: number): number => (l.keptPseudo[i] === true ? place() : -1);
    return { from, to, timestamp: pseudo(0), partition: pseudo(1), offset: pseudo(2) };
  }) as [SidePlan, SidePlan];
  const width = o;
  return (key, left, right) => {
    const out: unknown[] = new Array(width);
    if (keyCount === 1) out[0] = key;
    else (key as unknown[]).forEach((v, i) => { out[i] = v; });
    fillSide(out, left, leftPlan);
    fillSide(out, right, rightPlan);
    for (let i = 0; i < unread.length; i++) out[unread[i]!] = null;
    return out;
  };
}

/**
 * The join's names of a side's row values, in order: a source side's
 * columns (and window bounds) prefixed by its alias, an earlier join's
 * result columns as they are.
 */
export function sideColumnNames(step: Join, side: JoinSideStep): string[] {
  const source = side.source;
  if (source.kind !== 'StreamSource' && source.kind !== 'TableSource') return [...source.schema.key, ...source.schema.value].map((c) => c.name);
  const columns = [...source.schema.key, ...source.schema.value, ...(carriesWindowBounds(step, side) ? SIDE_WINDOW_COLUMNS : [])];
  return columns.map((c) => `${source.alias}_${c.name}`);
}

/** Which of a side's values a joined row takes (at `from`) and where they go (`to`), and where its metadata columns go (-1: nowhere). */
interface SidePlan {
  readonly from: readonly number[];
  readonly to: readonly number[];
  readonly timestamp: number;
  readonly partition: number;
  readonly offset: number;
}

/** Writes one side's columns (NULLs without a row) into `out`. */
function fillSide(out: unknown[], side: SideRow | null, plan: SidePlan): void {
  const { from, to } = plan;
  if (side === null) {
    for (let i = 0; i < to.length; i++) out[to[i]!] = null;
  } else {
    const { values } = side;
    for (let i = 0; i < to.length; i++) out[to[i]!] = values[from[i]!] ?? null;
  }
  if (plan.timestamp >= 0) out[plan.timestamp] = side === null ? null : BigInt(side.timestamp);
  if (plan.partition >= 0) out[plan.partition] = side === null ? null : side.partition;
  if (plan.offset >= 0) out[plan.offset] = side === null ? null : BigInt(side.offset);
}

/** A name for a join's stores, unique within the query: its right source's alias (n-way joins have one join per right source). */
export function joinStoreName(step: Join): string {
  return (step.right.source as { alias?: string }).alias ?? 'Join';
}

/** A side row in a store: values and metadata. */
export function encodeSideRow(row: SideRow): Buffer {
  return encodeValue(sideRowFields(row));
}

/** The list of a stream-stream join's side rows at one key and time: the rows there before (`earlier`, encoded) and `row`. */
export function encodeSideRows(earlier: readonly Buffer[], row: SideRow): Buffer {
  return encodeBytesArray(earlier, sideRowFields(row));
}

function sideRowFields(row: SideRow): unknown[] {
  return [row.values, row.timestamp, row.partition, row.offset];
}

export function decodeSideRow(bytes: Buffer): SideRow {
  return decodeSideRowAt(bytes, 0, bytes.length);
}

/** The side row `encodeSideRow` wrote, in `bytes` from `start` to `end`. */
function decodeSideRowAt(bytes: Buffer, start: number, end: number): SideRow {
  const [values, timestamp, partition, offset] = decodeValue(bytes, start, end) as [unknown[], number, number, number];
  return { values, timestamp, partition, offset };
}

/** The store key of a join key: with its window, for windowed sources (rows join only within one window). */
export function storeKey(key: unknown, row: Row): Buffer {
  return encodeValue(row.window === null ? [key] : [key, row.window.start, row.window.end]);
}

/**
 * What a stream-table join's cached table rows may keep between commits, at
 * least. Every stream row reads the table, and a read that SQLite answers
 * costs about as much as all the rest of the row's processing, so the table
 * side keeps as much as Kafka Streams' default block cache of one RocksDB
 * store (50 MiB), or the task's cache budget when that is larger. Only reads
 * are cached here (the store has every write at each commit), so what it
 * holds changes no output.
 */
const TABLE_READ_CACHE_BYTES = 50 * 1024 * 1024;

function buildStreamTableJoin(step: Join, assemble: Assemble, state: TaskState, next: RowSink, changelogs: JoinChangelogs): JoinEntries {
  // The cached rows are the store's cache: the store keeps none of its own between commits.
  const table = state.keyValueStoreBehindCache(`${joinStoreName(step)}-Join-Table`, changelogs.right?.topic);
  const cached = new TableRowCache<SideRow>(Math.max(state.cacheMaxBytes, TABLE_READ_CACHE_BYTES), decodeSideRowAt);
  state.register(cached);
  const inner = step.joinType === 'INNER';
  const lookup = (key: unknown, row: Row): SideRow | null => {
    // A windowed key is its window's row: those go to the store each time.
    const cacheable = row.window === null && cacheableKey(key);
    if (cacheable) {
      const hit = cached.get(key);
      if (hit !== undefined) return hit;
    }
    const bytes = table.get(storeKey(key, row));
    const found = bytes === null ? null : decodeSideRow(bytes);
    if (cacheable) cached.offer(key, bytes, found);
    return found;
  };
  return {
    left: (key, row) => {
      if (row.nullValue || key === null || key === undefined) return;
      const found = lookup(key, row);
      if (found === null && inner) return;
      next(withValues(row, assemble(key, row, found)), null);
    },
    right: (key, row) => {
      if (key === null || key === undefined) return;
      const id = storeKey(key, row);
      const value = row.nullValue ? null : encodeSideRow(row);
      table.put(id, value);
      changelogs.right?.write(id, value, row.timestamp);
      // The codec is lossless: the row written reads back as these values.
      if (row.window === null && cacheableKey(key)) {
        cached.set(key, value, value === null ? null : { values: row.values, timestamp: row.timestamp, partition: row.partition, offset: row.offset });
      }
    },
  };
}

function buildTableTableJoin(step: Join, assemble: Assemble, state: TaskState, next: RowSink, changelogs: JoinChangelogs): JoinEntries {
  const leftStore = state.keyValueStore(`${joinStoreName(step)}-Join-Left`, changelogs.left?.topic, true);
  const rightStore = state.keyValueStore(`${joinStoreName(step)}-Join-Right`, changelogs.right?.topic, true);
  const read = (store: typeof leftStore, id: Buffer): SideRow | null => {
    const bytes = store.get(id);
    return bytes === null ? null : decodeSideRow(bytes);
  };
  const write = (store: typeof leftStore, id: Buffer, row: Row): void => {
    const value = row.nullValue ? null : encodeSideRow(row);
    store.put(id, value);
    (store === leftStore ? changelogs.left : changelogs.right)?.write(id, value, row.timestamp);
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
   * A change on one side: `row` and `before` are that side's new and
   * previous rows, `other` the other side's current row.
   */
  const change = (key: unknown, row: Row, before: SideRow | null, other: SideRow | null, fromLeft: boolean): void => {
    const joinOf = (mine: SideRow | null): unknown[] | null => {
      if (!exists(fromLeft ? mine !== null : other !== null, fromLeft ? other !== null : mine !== null)) return null;
      return fromLeft ? assemble(key, mine, other) : assemble(key, other, mine);
    };
    // As Kafka Streams: a change on the side that must be present for any result only matters when the other side's row is there too.
    const otherRequired = step.joinType === 'INNER' || (step.joinType === 'LEFT' && !fromLeft) || (step.joinType === 'RIGHT' && fromLeft);
    if (otherRequired && other === null) return;
    const now = joinOf(row.nullValue ? null : row);
    // Without a previous row on this side, an outer join still had a result (this side NULL) that the change replaces.
    const previous = joinOf(before);
    if (now === null && previous === null && step.joinType === 'FULL') return;
    const timestamp = other === null ? row.timestamp : Math.max(row.timestamp, other.timestamp);
    const old = previous === null ? null : { ...row, timestamp, values: previous, nullValue: false };
    if (now !== null) next({ ...row, timestamp, values: now, nullValue: false }, old);
    else next({ ...row, timestamp, values: assemble(key, null, null), nullValue: true }, old);
  };
  return {
    left: (key, row) => {
      if (key === null || key === undefined) return;
      const id = storeKey(key, row);
      const before = read(leftStore, id);
      write(leftStore, id, row);
      change(key, row, before, read(rightStore, id), true);
    },
    right: (key, row) => {
      if (key === null || key === undefined) return;
      const id = storeKey(key, row);
      const before = read(rightStore, id);
      write(rightStore, id, row);
      change(key, row, before, read(leftStore, id), false);
    },
  };
}
