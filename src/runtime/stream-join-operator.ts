/**
 * The stream-stream join (Kafka Streams' KStream-KStream join, 3.x): each
 * side keeps its records of the last window in a window store (start = end =
 * the record's timestamp, the value the list of rows seen at that key and
 * time). A left record at t joins the right records of its key in
 * [t - before, t + after], a right record at t the left ones in
 * [t - after, t + before]; a joined row takes the later timestamp.
 *
 * Outer sides (LEFT: left, RIGHT: right, FULL: both): without a GRACE PERIOD
 * an unmatched record is emitted at once with NULLs for the other side; with
 * one, it waits in an "outer" store and is emitted when its window closes
 * (t + after-or-before + grace passes stream time) unless a match arrived.
 * Each side's store expires records older than the windows plus grace
 * behind the latest record of that side; a record whose window closed
 * (by the shared stream time) is, on an outer side, emitted at once.
 */
import { withValues, type Row } from '../expr/row.js';
import { DEFAULT_JOIN_GRACE_MS } from '../planner/internal-topics.js';
import type { Join } from '../planner/steps.js';
import type { RowSink } from './row-sink.js';
import { kafkaStreamsWindowChangelogKey, type OperatorChangelog } from './changelog.js';
import { buildAssemble, joinStoreName, storeKey, decodeSideRow, encodeSideRows, type JoinEntries, type SideRow } from './join-operator.js';
import { keyId, type WindowedValue } from '../state/index.js';
import type { TaskState } from './task-state.js';
import { decodeValue, encodeValue } from './value-codec.js';
import { WindowKeyFilter } from './window-key-filter.js';
import { numericKey, RecentJoinWindows } from './recent-join-windows.js';

const NO_ENTRIES: readonly WindowedValue[] = [];
const NO_ROWS: readonly Buffer[] = [];

/**
 * What each side's recent windows (recent-join-windows.ts) may take: the two sides together as much as Kafka Streams'
 * default block cache of one RocksDB store (50 MiB), as a stream-table join's table rows do. A read answered from
 * storage costs about as much as the rest of a record's processing.
 */
const RECENT_BYTES = 25 * 1024 * 1024;

interface SideState {
  readonly isLeft: boolean;
  /** How far before / after one of this side's records the other side's records join it. */
  readonly before: number;
  readonly after: number;
  readonly outer: boolean;
}

/**
 * The changelogs of the join's window stores (each side's, and the outer one's with a GRACE PERIOD), when the plan
 * names them: each store's only changelog, also where the task's state logs every store.
 */
export interface StreamJoinChangelogs {
  readonly left?: OperatorChangelog | undefined;
  readonly right?: OperatorChangelog | undefined;
  readonly outer?: OperatorChangelog | undefined;
}

export function buildStreamStreamJoin(step: Join, state: TaskState, next: RowSink, logs: StreamJoinChangelogs = {}): JoinEntries {
  const changelogs = { left: logs.left?.write, right: logs.right?.write, outer: logs.outer?.write };
  const assemble = buildAssemble(step);
  const window = step.window!;
  const spurious = window.graceMs !== undefined;
  const grace = window.graceMs ?? DEFAULT_JOIN_GRACE_MS;
  // The sides' stores keep no windows between commits: each record writes a new window and reads the other side's
  // by range, which goes to storage anyway, so only the writes staged until the commit are worth holding.
  const stores = {
    left: state.windowStore(`${joinStoreName(step)}-Join-This`, logs.left?.topic, 0),
    right: state.windowStore(`${joinStoreName(step)}-Join-Other`, logs.right?.topic, 0),
  };
  const outerStore = spurious ? state.windowStore(`${joinStoreName(step)}-Join-Outer`, logs.outer?.topic) : undefined;
  const time = state.streamTime(`${joinStoreName(step)}-Join`);
  // Each side's store expires its records by the latest time it has seen, as a Kafka Streams window store does.
  const storeTimes = { left: state.streamTime(`${joinStoreName(step)}-Join-left`), right: state.streamTime(`${joinStoreName(step)}-Join-right`) };
  const leftSide: SideState = { isLeft: true, before: window.beforeMs, after: window.afterMs, outer: step.joinType === 'LEFT' || step.joinType === 'FULL' };
  const rightSide: SideState = { isLeft: false, before: window.afterMs, after: window.beforeMs, outer: step.joinType === 'RIGHT' || step.joinType === 'FULL' };
  const retention = window.beforeMs + window.afterMs + grace;
  /**
   * Which keys each side's store may hold when (window-key-filter.ts), made at the first record: what the store held
   * before has times up to its side's stream time then, which is committed with the store's rows.
   */
  let filters: { left: WindowKeyFilter; right: WindowKeyFilter } | undefined;
  /** Each side's recent windows, made at the first record like the filters; a failed commit drops them (they may hold windows it rolled back). */
  let recent: { left: RecentJoinWindows; right: RecentJoinWindows } | undefined;
  state.register({ flush: () => {}, abort: () => { recent = undefined; } });

  const joined = (key: unknown, isLeft: boolean, mine: SideRow | null, other: SideRow | null): unknown[] =>
    (isLeft ? assemble(key, mine, other) : assemble(key, other, mine));
  /** The encoded side rows a store holds for one key and time. */
  const rowsAt = (store: typeof stores.left, id: Buffer, ts: number): Buffer[] => {
    const bytes = store.get(id, ts, ts);
    return bytes === null ? [] : (decodeValue(bytes) as Buffer[]);
  };
  const sideRows = (bytes: Buffer): SideRow[] => (decodeValue(bytes) as Buffer[]).map(decodeSideRow);
  const outerId = (isLeft: boolean, key: unknown): Buffer => encodeValue([isLeft, key]);

  /**
   * The stream time of the last scan of the outer store, forgotten on an abort (which may bring back records the scan
   * emitted). What that scan left there had not closed by then, nor has what arrived since at that time, so the next
   * scan waits for the time to move; and it left nothing that starts before that time minus `closesAfter.latest`, nor
   * can a later record wait there with such a start, so the next scan starts there.
   */
  let scannedAt: number | undefined;
  if (outerStore !== undefined) state.register({ flush: () => {}, abort: () => { scannedAt = undefined; } });
  /** How long after its start a waiting record closes: at the earliest and the latest over the outer sides. */
  const outerAfters = [leftSide, rightSide].filter((side) => side.outer).map((side) => side.after);
  const closesAfter = { earliest: Math.min(...outerAfters) + grace, latest: Math.max(...outerAfters) + grace };

  /** Emits the waiting unmatched records whose window has closed, oldest first. */
  const emitClosed = (template: Row): void => {
    if (outerStore === undefined || outerAfters.length === 0) return;
    const now = time.now;
    if (now === scannedAt) return;
    // Only the waiting records that may have closed since the last scan: reading every waiting record at each record
    // made an outer join's cost grow with its window times its rate.
    const from = scannedAt === undefined ? Number.MIN_SAFE_INTEGER : scannedAt - closesAfter.latest;
    scannedAt = now;
    for (const entry of outerStore.fetchAll(from, now - closesAfter.earliest - 1)) {
      if (entry.value === null) continue;
      const [isLeft, key] = decodeValue(entry.key) as [boolean, unknown];
      const side = isLeft ? leftSide : rightSide;
      if (entry.start + side.after + grace >= now) continue;
      for (const side of sideRows(entry.value)) {
        next({ ...template, timestamp: entry.start, values: joined(key, isLeft, side, null), nullValue: false, window: null }, null);
      }
      outerStore.delete(entry.key, entry.start, entry.end);
      changelogs.outer?.(kafkaStreamsWindowChangelogKey(entry.key, entry.start), null, template.timestamp);
    }
  };

  const process = (side: SideState, key: unknown, row: Row): void => {
    if (row.nullValue || key === null || key === undefined) return;
    const ts = row.timestamp;
    const now = time.observe(ts);
    if (ts === now) emitClosed(row);
    const id = storeKey(key, row);
    const mine = side.isLeft ? stores.left : stores.right;
    const theirs = side.isLeft ? stores.right : stores.left;
    filters ??= { left: new WindowKeyFilter(storeTimes.left.now), right: new WindowKeyFilter(storeTimes.right.now) };
    recent ??= { left: new RecentJoinWindows(storeTimes.left.now, RECENT_BYTES), right: new RecentJoinWindows(storeTimes.right.now, RECENT_BYTES) };
    const mineFilter = side.isLeft ? filters.left : filters.right;
    const theirsFilter = side.isLeft ? filters.right : filters.left;
    const mineRecent = side.isLeft ? recent.left : recent.right;
    const theirsRecent = side.isLeft ? recent.right : recent.left;
    let matched = false;
    const mineTime = (side.isLeft ? storeTimes.left : storeTimes.right).observe(ts);
    mine.purgeExpired(mineTime - retention);
    mineFilter.expire(mineTime - retention);
    mineRecent.expire(mineTime - retention);
    const theirsTime = (side.isLeft ? storeTimes.right : storeTimes.left).now;
    if (theirsTime >= 0) {
      theirs.purgeExpired(theirsTime - retention);
      theirsFilter.expire(theirsTime - retention);
      theirsRecent.expire(theirsTime - retention);
    }
    const from = ts - side.before;
    const to = ts + side.after;
    const rowId = (row.window === null ? numericKey(key) : undefined) ?? keyId(id);
    const windows = theirsRecent.covers(from) ? theirsRecent.fetch(rowId, from, to) : theirsFilter.mayContain(id, from, to) ? theirs.fetch(id, from, to) : NO_ENTRIES;
    for (const entry of windows) {
      for (const other of sideRows(entry.value)) {
        matched = true;
        next({ ...row, timestamp: Math.max(ts, entry.start), values: joined(key, side.isLeft, row, other) }, null);
      }
      if (outerStore !== undefined) {
        const oid = outerId(!side.isLeft, key);
        outerStore.delete(oid, entry.start, entry.start);
        changelogs.outer?.(kafkaStreamsWindowChangelogKey(oid, entry.start), null, ts);
      }
    }
    const earlier = mineRecent.covers(ts) ? mineRecent.get(rowId, ts) : mineFilter.mayContain(id, ts, ts) ? mine.get(id, ts, ts) : null;
    const stored = encodeSideRows(earlier === null ? NO_ROWS : (decodeValue(earlier) as Buffer[]), row);
    if (mine.put(id, ts, ts, stored)) mineRecent.put(rowId, ts, stored, id.length);
    mineFilter.add(id, ts);
    (side.isLeft ? changelogs.left : changelogs.right)?.(kafkaStreamsWindowChangelogKey(id, ts), stored, ts);
    if (matched || !side.outer) return;
    if (outerStore === undefined || ts + side.after + grace < now) {
      next(withValues(row, joined(key, side.isLeft, row, null)), null);
      return;
    }
    const oid = outerId(side.isLeft, key);
    const waiting = encodeSideRows(rowsAt(outerStore, oid, ts), row);
    outerStore.put(oid, ts, ts, waiting);
    changelogs.outer?.(kafkaStreamsWindowChangelogKey(oid, ts), waiting, ts);
  };

  return {
    left: (key, row) => process(leftSide, key, row),
    right: (key, row) => process(rightSide, key, row),
  };
}
