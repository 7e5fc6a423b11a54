/**
 * A standby task, as Kafka Streams runs one: for a task that the query's
 * group gives this server as a standby, it keeps the task's logged stores
 * (and their checkpoints) caught up with their changelogs, in the
 * background on the scheduler: each poll fetches a batch for every store
 * with more to read and applies it with its checkpoint in one local
 * transaction (`ChangelogReader`, as a restore does). It never processes
 * input, writes output or commits offsets. A store whose changelog is the
 * task's input (a table source's) follows it only up to the offset the
 * active task committed there, as far as a restore would read it.
 *
 * When the task becomes active here, its restore starts at these
 * checkpoints and reads only the tail. A standby that is revoked just
 * stops: its copy and checkpoints stay for a later assignment.
 */
import type { FetchResult } from '../broker/broker.js';
import type { TaskLog } from '../broker/task-log.js';
import { allOf, andThen, isPromise, type MaybeAsync } from '../common/maybe-async.js';
import type { StoreRegistry } from '../state/index.js';
import type { PollResult, SchedulableTask } from './scheduler.js';
import { ChangelogReader, RESTORE_RECORDS, type LoggedStore } from './state-restore.js';

export interface StandbyTaskOptions {
  readonly log: TaskLog;
  readonly registry: StoreRegistry;
  /** The query's consumer group: where the active task commits its input offsets. */
  readonly group: string;
  readonly queryId: string;
  /** Kafka Streams' task id, `<sub-topology>_<partition>`. */
  readonly taskId: string;
  readonly partition: number;
  /** The task's logged stores, opened as its operators open them. */
  readonly stores: readonly LoggedStore[];
  /** Closes the stores. */
  readonly closeStores: () => void;
  /** How often a store whose changelog is an input asks where the active task committed (default 500 ms). */
  readonly committedRefreshMs?: number;
  /** Called with what a poll threw or rejected with: the query stops. */
  readonly onFailure: (error: unknown) => void;
}

/** Where one standby store stands in its changelog. */
export interface StandbyStoreLag {
  readonly queryId: string;
  readonly taskId: string;
  readonly store: string;
  readonly partition: number;
  readonly topic: string;
  /** The changelog offset the local copy reads next (its checkpoint). */
  readonly position: number;
  /** The changelog's end as last seen (for a table source's store, where the active task committed in its input). */
  readonly end: number;
  /** `end - position`. */
  readonly lag: number;
}

const DEFAULT_COMMITTED_REFRESH_MS = 500;

interface Follower {
  readonly reader: ChangelogReader;
  /** The changelog's end as last seen; for an input, where the active task last committed there. */
  end: number;
}

export class StandbyTask implements SchedulableTask {
  readonly topic: string;
  readonly partition: number;
  readonly taskId: string;
  readonly queryId: string;
  private readonly options: StandbyTaskOptions;
  private readonly followers: Follower[];
  /** When the input positions were last asked for. */
  private committedAskedAt = Number.NEGATIVE_INFINITY;
  /** A poll waiting on the log: `close` waits for it before closing the stores. */
  private waiting: Promise<unknown> | undefined;
  private closed = false;
  /** Changelog records applied since the standby started. */
  applied = 0;

  constructor(options: StandbyTaskOptions) {
    this.options = options;
    this.taskId = options.taskId;
    this.queryId = options.queryId;
    this.partition = options.partition;
    this.topic = options.stores[0]?.topic ?? '';
    try {
      this.followers = options.stores.map((logged) => {
        // An input's end is unknown until asked: no checkpoint is past it (the active task's commits wrote them).
        const end = typeof logged.writer === 'object' ? Number.POSITIVE_INFINITY : options.log.latestOffset(logged.topic, options.partition);
        const reader = new ChangelogReader(options.registry, logged, end);
        return { reader, end: reader.position };
      });
    } catch (error) {
      options.closeStores();
      throw error;
    }
  }

  /** Where each store stands in its changelog. */
  lags(): StandbyStoreLag[] {
    return this.followers.map(({ reader, end }) => {
      const { position, logged } = reader;
      const known = Math.max(end, position);
      return {
        queryId: this.queryId, taskId: this.taskId, store: logged.store.name, partition: this.partition, topic: logged.topic,
        position, end: known, lag: known - position,
      };
    });
  }

  /** Reads and applies a batch for every store with more to read; answers how many changelog records it applied. */
  poll(_maxRecords: number): PollResult {
    if (this.closed) return 0;
    const polled = andThen(this.refreshCommitted(), () => this.readAll());
    if (!isPromise(polled)) return polled;
    const waiting = polled.finally(() => {
      if (this.waiting === waiting) this.waiting = undefined;
    });
    this.waiting = waiting;
    return waiting;
  }

  fail(error: unknown): void {
    this.options.onFailure(error);
  }

  /** Stops following the changelogs and closes the stores, after a poll waiting on the log has settled. Take it off the scheduler first. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.waiting?.catch(() => undefined);
    this.options.closeStores();
  }

  /** For the stores whose changelog is an input: where the active task committed there, asked at most every `committedRefreshMs`. */
  private refreshCommitted(): MaybeAsync<void> {
    const { log, group, partition, committedRefreshMs = DEFAULT_COMMITTED_REFRESH_MS } = this.options;
    const inputs = this.followers.filter((f) => f.reader.isInput);
    const now = Date.now();
    if (inputs.length === 0 || now - this.committedAskedAt < committedRefreshMs) return undefined;
    this.committedAskedAt = now;
    return andThen(allOf(inputs.map((f) => log.committedOffset(group, f.reader.logged.topic, partition))), (offsets) => {
      // Nothing committed yet: the active task has processed nothing there.
      inputs.forEach((f, i) => (f.end = offsets[i] ?? 0));
    });
  }

  private readAll(): MaybeAsync<number> {
    const { log, partition } = this.options;
    const reads: MaybeAsync<number>[] = [];
    for (const follower of this.followers) {
      const { reader } = follower;
      const { topic } = reader.logged;
      const input = reader.isInput;
      // A changelog's end as the log knows it without asking (past any read when it does not know): read only when it may hold more.
      const end = input ? follower.end : log.latestOffset(topic, partition);
      if (reader.position >= end) {
        if (!input) follower.end = Math.max(follower.end, end);
        continue;
      }
      const fetched = log.fetch(topic, partition, reader.position, { maxRecords: RESTORE_RECORDS });
      reads.push(andThen(fetched, (result) => (this.closed ? 0 : this.apply(follower, result))));
    }
    return andThen(allOf(reads), (counts) => counts.reduce((a, b) => a + b, 0));
  }

  private apply(follower: Follower, fetched: FetchResult): number {
    const { reader } = follower;
    const before = reader.records;
    const input = reader.isInput;
    reader.apply(fetched, input ? follower.end : Number.POSITIVE_INFINITY);
    if (!input) follower.end = Math.max(reader.position, fetched.endOffset ?? this.options.log.latestOffset(reader.logged.topic, this.partition));
    const count = reader.records - before;
    this.applied += count;
    return count;
  }
}
