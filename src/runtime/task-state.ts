/**
 * The state of one task: the stores its operators opened and the operators'
 * own write-behind caches, written together by the task's commit (the task
 * hands the log this state as its commit participant) and discarded
 * together when a commit fails. Operators flush first (they write
 * into stores), then the stores write to storage.
 *
 * On a log that restores state (TaskLog.restoresState) every store is
 * logged: before the log commits, the state writes each store's staged
 * entries to the store's changelog topic (stores whose operator writes the
 * changelog itself, a join's table sides, only name it; a table source's
 * store names the table's topic), and once the log committed, it writes the
 * stores with the changelog offsets they then reflect
 * (store-checkpoints.ts), in one local transaction. A starting task
 * restores them from there (state-restore.ts).
 */
import type { CommitPositions } from '../broker/broker.js';
import type { TopicPartitionOffset } from '../broker/topic-partition-offset.js';
import type { TaskLog } from '../broker/task-log.js';
import { andThen, type MaybeAsync } from '../common/maybe-async.js';
import type { KeyValueStore, StoreRegistry, WindowStore } from '../state/index.js';
import { windowBoundsChangelogKey } from './changelog.js';
import type { StateParticipant } from './state-participant.js';
import { restoreStores, type InputChangelog, type InputPosition, type LoggedStore, type StoreRestore } from './state-restore.js';
import { StreamTime } from './stream-time.js';
import type { TaskOutput } from './task.js';

/** ksqlDB's default `cache.max.bytes.buffering`: what a task's operator caches may keep between commits. */
export const DEFAULT_CACHE_MAX_BYTES = 10 * 1024 * 1024;

/** Where a task's stores log their changes, on a log that restores state. */
export interface StoreChangelogs {
  /** The changelog topic of the task's store `name` (made when missing). */
  topicOf(storeName: string): string;
  readonly output: TaskOutput;
  /** Hears what each store's restore read (a task starting here). */
  readonly onRestored?: (restore: StoreRestore) => void;
}

export class TaskState {
  private readonly stores: (KeyValueStore | WindowStore)[] = [];
  private readonly participants: StateParticipant[] = [];
  private clocks: KeyValueStore | undefined;
  /** The stores logged to a changelog (none unless `changelogs` was given). */
  private readonly logged: LoggedStore[] = [];
  /** The input offsets the commit being made records (the checkpoints of stores whose changelog is an input). */
  private inputOffsets: readonly TopicPartitionOffset[] = [];

  /**
   * `clockStore` names the store of the operators' stream times: one per
   * sub-topology, since the tasks of one partition in several sub-topologies
   * of a query each keep their own.
   */
  constructor(
    private readonly registry: StoreRegistry,
    private readonly queryId: string,
    readonly partition: number,
    private readonly clockStore = 'StreamTime',
    /** The bytes each operator cache of the task keeps at most after a commit. */
    readonly cacheMaxBytes = DEFAULT_CACHE_MAX_BYTES,
    /** Given on a log that restores state: every store is then logged. */
    private readonly changelogs?: StoreChangelogs,
  ) {}

  /**
   * `changelog`: the topic the operator writes the store's changes to
   * itself, when it does, or the input topic that is the store's changelog.
   * `boundedByBytes` for one read per record over many keys (a table-table
   * join's sides): its cache then keeps up to `cacheMaxBytes` between commits rather
   * than a fixed number of entries.
   */
  keyValueStore(name: string, changelog?: string | InputChangelog, boundedByBytes = false): KeyValueStore {
    const store = this.registry.openKeyValueStore({
      query: this.queryId, name, partition: this.partition, ...(boundedByBytes ? { cacheBytes: this.cacheMaxBytes } : {}),
    });
    this.stores.push(store);
    this.log({ kind: 'key-value', store }, changelog);
    return store;
  }

  /**
   * Stores behind an operator's own cache of decoded entries (aggregates, a
   * stream-table join's table side): they keep none of their entries between
   * commits, which would only duplicate the operator's. `changelog` as for
   * keyValueStore.
   */
  keyValueStoreBehindCache(name: string, changelog?: string): KeyValueStore {
    const store = this.registry.openKeyValueStore({ query: this.queryId, name, partition: this.partition, cacheEntries: 0 });
    this.stores.push(store);
    this.log({ kind: 'key-value', store }, changelog);
    return store;
  }

  /** The window store's owner must keep every window it writes cached until the commit (WindowStoreOptions.ownerCaches). */
  timeWindowStoreBehindCache(name: string): WindowStore {
    const store = this.registry.openTimeWindowStore({ query: this.queryId, name, partition: this.partition, cacheEntries: 0, ownerCaches: true });
    this.stores.push(store);
    this.log({ kind: 'window', store });
    return store;
  }

  /**
   * `changelog`: the topic the operator writes the store's changes to
   * itself, in Kafka Streams' window layout (a stream-stream join's stores,
   * whose entries are points in time). `cacheEntries`: how many windows its cache keeps between commits (default
   * 10 000).
   */
  windowStore(name: string, changelog?: string, cacheEntries?: number): WindowStore {
    const store = this.registry.openWindowStore({ query: this.queryId, name, partition: this.partition, ...(cacheEntries === undefined ? {} : { cacheEntries }) });
    this.stores.push(store);
    this.log({ kind: 'window', store }, changelog);
    return store;
  }

  /** A window store for TUMBLING and HOPPING windows, kept in window start order. */
  timeWindowStore(name: string): WindowStore {
    const store = this.registry.openTimeWindowStore({ query: this.queryId, name, partition: this.partition });
    this.stores.push(store);
    this.log({ kind: 'window', store });
    return store;
  }

  private log(opened: { kind: 'key-value'; store: KeyValueStore } | { kind: 'window'; store: WindowStore }, changelog?: string | InputChangelog): void {
    if (this.changelogs === undefined) return;
    if (changelog === undefined) this.logged.push({ ...opened, topic: this.changelogs.topicOf(opened.store.name), writer: 'state' });
    else if (typeof changelog === 'string') this.logged.push({ ...opened, topic: changelog, writer: 'operator' });
    else this.logged.push({ ...opened, topic: changelog.topic, writer: { input: changelog.entryOf } });
  }

  /** The stream time of the operator `name`, kept in the task's one clock store. */
  streamTime(name: string): StreamTime {
    this.clocks ??= this.keyValueStore(this.clockStore);
    const clock = new StreamTime(this.clocks, name);
    this.register(clock);
    return clock;
  }

  /**
   * After a read found `store`'s local copy corrupt: when the store is
   * logged, its checkpoint goes, so the task's next start restores the copy
   * from its changelog's start (as Kafka Streams wipes a corrupted task's
   * stores). False when it is not logged: the corruption stands.
   */
  discardLocalCopy(store: KeyValueStore | WindowStore): boolean {
    if (!this.logged.some((logged) => logged.store === store)) return false;
    this.registry.checkpoints.clear(store);
    return true;
  }

  register(participant: StateParticipant): void {
    this.participants.push(participant);
  }

  /**
   * Before the log commits: the operators' caches go into the stores, and
   * emit what they held back (an aggregate's latest results), so the commit
   * writes those outputs with the state; on a log that restores state, the
   * stores' staged entries go to their changelogs too. `inputs`: the input
   * offsets the commit records.
   */
  prepareCommit(inputs: readonly TopicPartitionOffset[]): void {
    for (const p of this.participants) p.flush();
    if (this.logged.length === 0) return;
    this.inputOffsets = inputs;
    const { output } = this.changelogs!;
    const { partition } = this;
    const timestamp = Date.now();
    for (const logged of this.logged) {
      if (logged.writer !== 'state') continue;
      const { topic } = logged;
      if (logged.kind === 'key-value') {
        for (const { key, value } of logged.store.staged()) output.emit(topic, { key, value, timestamp, partition });
      } else {
        for (const { key, start, end, value } of logged.store.staged()) output.emit(topic, { key: windowBoundsChangelogKey(key, start, end), value, timestamp, partition });
      }
    }
  }

  /**
   * Writes what the operators and stores staged: the log runs it with the
   * task's commit (task-log.ts); logged stores also record where their
   * changelogs stand, in the same local transaction.
   */
  commit(positions: CommitPositions): void {
    for (const p of this.participants) p.flush();
    if (this.logged.length === 0) {
      for (const s of this.stores) s.flush();
      return;
    }
    const { checkpoints } = this.registry;
    this.registry.transaction(() => {
      for (const s of this.stores) s.flush();
      for (const { store, topic, writer } of this.logged) {
        const end = typeof writer === 'object'
          ? this.inputOffsets.find((input) => input.topic === topic)?.offset
          : positions.endOffset(topic, this.partition);
        if (end !== undefined) checkpoints.write(store, topic, end);
      }
    });
  }

  /**
   * Brings every logged store up to its changelog's end (nothing when none
   * is logged); the operators then read again what the stores hold (they
   * were built, and may have read them, before).
   */
  restore(log: TaskLog, inputPosition: InputPosition): MaybeAsync<void> {
    if (this.logged.length === 0) return undefined;
    return andThen(restoreStores(log, this.registry, this.logged, inputPosition, this.changelogs?.onRestored), () => this.abort());
  }

  /** The stores logged to a changelog, and their topics (what a standby task keeps up to date). */
  get loggedStores(): readonly LoggedStore[] {
    return this.logged;
  }

  abort(): void {
    for (const p of this.participants) p.abort();
    for (const s of this.stores) s.abort();
  }

  close(): void {
    for (const s of this.stores) s.close();
    this.stores.length = 0;
    this.participants.length = 0;
    this.logged.length = 0;
    this.clocks = undefined;
  }
}
