/**
 * State stores: the memory of aggregations, tables and windows, kept in the
 * SAME SQLite database as the log and changed in the SAME transaction as a
 * task's commit, which is what makes results exactly-once across kill -9.
 *
 * Opening stores (once per task, outside a transaction):
 *
 *   const registry = openStoreRegistry(broker.database);   // one per database
 *   const counts = registry.openKeyValueStore({ query: 'CTAS_T_1', name: 'Aggregate-Materialize', partition: 0 });
 *   const windows = registry.openWindowStore({ query: 'CTAS_W_2', name: 'Aggregate-Materialize', partition: 0 });
 *   const timed = registry.openTimeWindowStore(...);         // rows in window start order (time-first-key.ts)
 *
 * A store is identified by (query, name, partition); opening an open store
 * again fails (close it first), and opening a store of another kind under an
 * existing name fails. Tables are created when the first store of a kind
 * opens: `state_stores` (the catalogue), `state_kv`, `state_windows`, `state_time_windows` - one per
 * kind, rows keyed by the store's catalogue id. `registry.dropQueryStores(q)`
 * deletes all of a query's stores (closed first); `listStores(q?)` lists them.
 *
 * Key-value store (KeyValueStore): keys and values are Buffers (the runtime
 * serializes); the store keeps the Buffers it is given, so do not mutate them.
 *   get(key) -> Buffer | null        put(key, value | null)   delete(key)
 *   range(from | null, to | null)    both bounds inclusive, null is open
 *   prefixScan(prefix)               all()
 * Scans iterate in unsigned byte order of keys (Kafka Streams' order), read
 * storage a page at a time (no cursor is held, so writes between steps are
 * allowed) and see the writes staged when the scan began.
 *
 * Window store (WindowStore): (key, start, end) -> value, times in epoch ms.
 *   get(key, start, end)             put(key, start, end, value | null) -> stored?
 *   fetch(key, from, to)             the key's windows with start in [from, to], by start, end
 *   fetchAll(from, to)               all windows with start in [from, to], by start, key, end
 *   findSessions(key, earliestEnd, latestStart)
 *                                    windows with end >= earliestEnd and start <= latestStart
 *   purgeExpired(bound)              windows with end < bound disappear from reads at once,
 *                                    puts of them are ignored, storage follows at the next flush
 * Time windows store end = start + size; session windows their real bounds.
 *
 * The commit contract (both kinds): writes go to an in-memory cache and are
 * visible to the task's own reads at once; reads that miss are cached too, so
 * a get/put per record does no SQL when the key was seen before. Then, per
 * batch, exactly one of:
 *   - store.flush() when the log runs the task's commit participants (the
 *     runtime's TaskState): on the embedded log a few multi-row statements in
 *     the commit's transaction, so offsets, outputs and state commit or vanish
 *     together;
 *   - store.abort() after a commit that threw or a batch that failed (TaskState.abort):
 *     the store forgets everything written since the last successful commit
 *     and again reads what storage holds.
 * flush() outside any transaction opens its own. After a flush the cache keeps
 * up to `cacheEntries` (default 10 000) clean entries, or for a key-value
 * store opened with `cacheBytes` that many bytes of them, oldest evicted first.
 *
 * Integrity: every stored row carries a CRC-32C of its key and value
 * (row-checksum.ts), checked on every read from storage; a row that fails it
 * throws a StateCorruptionError naming the store, query, partition and key,
 * and its value is never returned. Readers of the tables outside the stores
 * (pull queries) check rows with checkKeyValueRow / checkWindowRow. A
 * key-value store whose committed content can be had again elsewhere is
 * replaced by it with restore(entries).
 *
 * Changelogs (a log that restores state): `staged()` lists the writes the
 * next flush makes, for the runtime to log them; `wipe()` empties a store
 * whose copy cannot be trusted; `registry.checkpoints` records, in the
 * flush's transaction, the changelog offset a store reflects.
 */
export { openStoreRegistry, StoreRegistry, type OpenStoreOptions, type StoreDescription } from './store-registry.js';
export { openScratchStoreRegistry } from './scratch-registry.js';
export { StoreCheckpoints } from './store-checkpoints.js';
export { KeyValueStore } from './key-value-store.js';
export { WindowStore } from './window-store.js';
export type { KeyValue, StateStore, StoreIdentity, WindowedValue } from './state-store.js';
export type { StoreKind } from './store-schema.js';
export { keyId, prefixUpperBound } from './byte-order.js';
export { keyOfTimeFirst, timeFirstKey } from './time-first-key.js';
export { checkKeyValueRow, checkWindowRow } from './row-checksum.js';
export { StateCorruptionError } from './state-error.js';
