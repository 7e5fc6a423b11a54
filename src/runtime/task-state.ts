/**
 * The state of one task: the stores its operators opened and the operators'
 * own write-behind caches, written together by the task's commit (the task
 * hands the log this state as its commit participant) and discarded
 * together when a commit fails. Operators flush first (they write
 * into stores), then the stores write to storage.
 */
import type { KeyValueStore, StoreRegistry, WindowStore } from '../state/index.js';
import type { StateParticipant } from './state-participant.js';
import { StreamTime } from './stream-time.js';

/** ksqlDB's default `cache.max.bytes.buffering`: what a task's operator caches may keep between commits. */
export const DEFAULT_CACHE_MAX_BYTES = 10 * 1024 * 1024;

export class TaskState {
  private readonly stores: (KeyValueStore | WindowStore)[] = [];
  private readonly participants: StateParticipant[] = [];
  private clocks: KeyValueStore | undefined;

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
  ) {}

  /**
   * A key-value store; `boundedByBytes` for one read per record over many keys
   * (a join's table side): its cache then keeps up to `cacheMaxBytes` between
   * commits rather than a fixed number of entries.
   */
  keyValueStore(name: string, boundedByBytes = false): KeyValueStore {
    const store = this.registry.openKeyValueStore({
      query: this.queryId, name, partition: this.partition, ...(boundedByBytes ? { cacheBytes: this.cacheMaxBytes } : {}),
    });
    this.stores.push(store);
    return store;
  }

  windowStore(name: string): WindowStore {
    const store = this.registry.openWindowStore({ query: this.queryId, name, partition: this.partition });
    this.stores.push(store);
    return store;
  }

  /** A window store for TUMBLING and HOPPING windows, kept in window start order. */
  timeWindowStore(name: string): WindowStore {
    const store = this.registry.openTimeWindowStore({ query: this.queryId, name, partition: this.partition });
    this.stores.push(store);
    return store;
  }

  /** The stream time of the operator `name`, kept in the task's one clock store. */
  streamTime(name: string): StreamTime {
    this.clocks ??= this.keyValueStore(this.clockStore);
    const clock = new StreamTime(this.clocks, name);
    this.register(clock);
    return clock;
  }

  register(participant: StateParticipant): void {
    this.participants.push(participant);
  }

  /** Writes what the operators and stores staged: the log runs it with the task's commit (task-log.ts). */
  commit(): void {
    for (const p of this.participants) p.flush();
    for (const s of this.stores) s.flush();
  }

  abort(): void {
    for (const p of this.participants) p.abort();
    for (const s of this.stores) s.abort();
  }

  close(): void {
    for (const s of this.stores) s.close();
    this.stores.length = 0;
    this.participants.length = 0;
    this.clocks = undefined;
  }
}
