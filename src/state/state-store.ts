/**
 * What every store has in common: an identity, and the commit contract with
 * the task that owns it. A store stages its writes in memory; `flush` writes
 * them inside the task's commit transaction; `abort` forgets them after a
 * failed commit, so the store again shows exactly what storage holds.
 */
export interface StoreIdentity {
  /** The owner, usually the query id (ksqlDB's application id); `dropQueryStores` removes them together. */
  readonly query: string;
  /** The store's name within the query, e.g. `Aggregate-Aggregate-Materialize`. */
  readonly name: string;
  /** The task partition the store belongs to. */
  readonly partition: number;
}

export interface StateStore extends StoreIdentity {
  /**
   * Writes every staged change. Called by a commit participant of
   * `Broker.commitTransaction` (it then commits or rolls back with the offsets
   * and outputs); out of a transaction it opens its own.
   */
  flush(): void;
  /** Forgets the changes staged or flushed since the last successful commit. */
  abort(): void;
  /** Releases the store (staged changes are dropped); it can then be opened again. */
  close(): void;
}

/** The stored bytes are kept by reference: callers must not mutate a Buffer after handing it over. */
export interface KeyValue {
  readonly key: Buffer;
  readonly value: Buffer;
}

/** One stored window of a key. */
export interface WindowedValue {
  readonly key: Buffer;
  /** Epoch ms, inclusive. */
  readonly start: number;
  /** Epoch ms, exclusive for time windows; the last record's time for sessions. */
  readonly end: number;
  readonly value: Buffer;
}
