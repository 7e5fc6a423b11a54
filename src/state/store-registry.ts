/**
 * The state stores of one database: opens key-value and window stores by
 * (query, name, partition), creating the tables of a kind when its first
 * store is opened, and drops a query's stores. There is one registry per
 * better-sqlite3 connection (`openStoreRegistry` returns the same one), which
 * is what lets it refuse to hand out one store twice: two caches over the
 * same rows would disagree. Opening it migrates the database's state tables
 * to the current schema version.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { KeyValueStatements, KeyValueStore } from './key-value-store.js';
import { storageFailure, storeMisuse } from './state-error.js';
import { dropQueryCheckpoints, StoreCheckpoints } from './store-checkpoints.js';
import type { StateStore, StoreIdentity } from './state-store.js';
import { createStoreTables, hasTable, migrateStoreTables, TABLE_OF_KIND, type StoreKind } from './store-schema.js';
import { WindowStatements, WindowStore } from './window-store.js';

type Database = BetterSqlite3.Database;

export interface OpenStoreOptions extends StoreIdentity {
  /** How many entries the store's cache keeps between commits (default 10 000) ... */
  readonly cacheEntries?: number;
  /** ... or, for a key-value store, how many bytes of entries instead. */
  readonly cacheBytes?: number;
  /** For a window store: its owner caches what it writes (see WindowStoreOptions.ownerCaches). */
  readonly ownerCaches?: boolean;
}

/** A store as the catalogue lists it. */
export interface StoreDescription extends StoreIdentity {
  readonly kind: StoreKind;
}

const registries = new WeakMap<Database, StoreRegistry>();

/** The registry of `database` (for the embedded broker: `broker.database`). */
export function openStoreRegistry(database: Database): StoreRegistry {
  let registry = registries.get(database);
  if (registry === undefined) {
    registry = new StoreRegistry(database);
    registries.set(database, registry);
  }
  return registry;
}

export class StoreRegistry {
  readonly database: Database;
  private readonly open = new Map<string, StateStore>();
  private keyValueStatements: KeyValueStatements | undefined;
  private windowStatements: WindowStatements | undefined;
  private storeCheckpoints: StoreCheckpoints | undefined;
  private timeWindowStatements: WindowStatements | undefined;
  private readonly runInTransaction: (fn: () => void) => void;

  constructor(database: Database) {
    this.database = database;
    migrateStoreTables(database);
    const transaction = database.transaction((fn: () => void) => fn());
    this.runInTransaction = (fn) => {
      // Inside the caller's transaction (a task's commit) the work is part of it: no savepoint needed.
      if (database.inTransaction) {
        fn();
        return;
      }
      try {
        transaction(fn);
      } catch (error) {
        if (error instanceof Error && error.name === 'SqliteError') throw storageFailure(`A state store could not be written: ${error.message}`, error);
        throw error;
      }
    };
  }

  /** Runs `fn` in one transaction of this database (or in the caller's, when one is open). */
  transaction(fn: () => void): void {
    this.runInTransaction(fn);
  }

  /** Where stores kept as a checkpoint of their changelogs stand (store-checkpoints.ts); its table is made on first use. */
  get checkpoints(): StoreCheckpoints {
    this.storeCheckpoints ??= new StoreCheckpoints(this.database);
    return this.storeCheckpoints;
  }

  openKeyValueStore(options: OpenStoreOptions): KeyValueStore {
    const { id } = this.register(options, 'key-value');
    this.keyValueStatements ??= new KeyValueStatements(this.database);
    const store = new KeyValueStore({
      ...options,
      id,
      database: this.database,
      statements: this.keyValueStatements,
      transact: this.runInTransaction,
      onClose: () => this.open.delete(openKey(options)),
    });
    this.open.set(openKey(options), store);
    return store;
  }

  openWindowStore(options: OpenStoreOptions): WindowStore {
    return this.openWindows(options, 'window');
  }

  /**
   * A window store for time windows (TUMBLING, HOPPING), its rows in window
   * start order (a `time-window` store, see time-first-key.ts); a store kept
   * as a `window` store before that kind existed stays one.
   */
  openTimeWindowStore(options: OpenStoreOptions): WindowStore {
    return this.openWindows(options, 'time-window');
  }

  private openWindows(options: OpenStoreOptions, preferred: 'window' | 'time-window'): WindowStore {
    const { id, kind } = this.register(options, preferred, preferred === 'time-window' ? 'window' : undefined);
    const timeFirst = kind === 'time-window';
    const statements = timeFirst
      ? (this.timeWindowStatements ??= new WindowStatements(this.database, true))
      : (this.windowStatements ??= new WindowStatements(this.database, false));
    const store = new WindowStore({
      ...options,
      id,
      statements,
      timeFirst,
      transact: this.runInTransaction,
      onClose: () => this.open.delete(openKey(options)),
    });
    this.open.set(openKey(options), store);
    return store;
  }

  /** The stores in the catalogue (of one query, or all), by query, name and partition. */
  listStores(query?: string): StoreDescription[] {
    if (!hasTable(this.database, 'state_stores')) return [];
    const rows = this.database
      .prepare<unknown[], StoreDescription>(
        `SELECT query, name, partition, kind FROM state_stores ${query === undefined ? '' : 'WHERE query = ?'} ORDER BY query, name, partition`,
      )
      .all(query === undefined ? [] : [query]);
    return rows.map((r) => ({ query: r.query, name: r.name, partition: r.partition, kind: r.kind }));
  }

  /**
   * The committed rows of every store in the catalogue (what the stores'
   * caches hold until the next commit is not counted). Counting reads every
   * row's key, so it is for an occasional reader such as a metrics scrape.
   */
  storeRowCounts(): (StoreDescription & { readonly rows: number })[] {
    const rowsById = new Map<number, number>();
    for (const table of new Set(Object.values(TABLE_OF_KIND))) {
      if (!hasTable(this.database, table)) continue;
      const counts = this.database.prepare<[], { store: number; n: number }>(`SELECT store, COUNT(*) AS n FROM ${table} GROUP BY store`).all();
      for (const { store, n } of counts) rowsById.set(store, n);
    }
    if (!hasTable(this.database, 'state_stores')) return [];
    return this.database
      .prepare<[], StoreDescription & { id: number }>('SELECT id, query, name, partition, kind FROM state_stores ORDER BY query, name, partition')
      .all()
      .map((r) => ({ query: r.query, name: r.name, partition: r.partition, kind: r.kind, rows: rowsById.get(r.id) ?? 0 }));
  }

  /**
   * Deletes every store of `query`, rows and catalogue entries, in one
   * transaction (or in the caller's). Its stores must be closed. Returns how
   * many stores were dropped.
   */
  dropQueryStores(query: string): number {
    for (const store of this.open.values()) {
      if (store.query === query) throw storeMisuse(`Cannot drop the stores of ${query}: '${store.name}' (partition ${store.partition}) is open.`);
    }
    if (!hasTable(this.database, 'state_stores')) return 0;
    const stores = this.database
      .prepare<[string], { id: number; kind: StoreKind }>('SELECT id, kind FROM state_stores WHERE query = ?')
      .all(query);
    this.runInTransaction(() => {
      for (const { id, kind } of stores) {
        this.database.prepare(`DELETE FROM ${TABLE_OF_KIND[kind]} WHERE store = ?`).run(id);
        this.database.prepare('DELETE FROM state_stores WHERE id = ?').run(id);
      }
      dropQueryCheckpoints(this.database, query);
    });
    return stores.length;
  }

  /**
   * The catalogue id and kind of a store, creating the tables and the entry
   * (of `kind`) when missing; an existing store of the `alsoAccepted` kind
   * keeps its kind.
   */
  private register(options: OpenStoreOptions, kind: StoreKind, alsoAccepted?: StoreKind): { id: number; kind: StoreKind } {
    const { query, name, partition } = options;
    if (query.length === 0 || name.length === 0) throw storeMisuse('A state store needs a query and a name.');
    if (!Number.isSafeInteger(partition) || partition < 0) throw storeMisuse(`A state store's partition must be a whole number >= 0, not ${partition}.`);
    if (this.open.has(openKey(options))) throw storeMisuse(`The state store '${name}' (partition ${partition}) of ${query} is already open.`);
    const existing = hasTable(this.database, 'state_stores')
      ? this.database
          .prepare<[string, string, number], { id: number; kind: StoreKind }>('SELECT id, kind FROM state_stores WHERE query = ? AND name = ? AND partition = ?')
          .get(query, name, partition)
      : undefined;
    if (existing !== undefined) {
      if (existing.kind !== kind && existing.kind !== alsoAccepted) {
        throw storeMisuse(`The state store '${name}' of ${query} is a ${existing.kind} store, not a ${kind} store.`);
      }
      if (!hasTable(this.database, TABLE_OF_KIND[existing.kind])) createStoreTables(this.database, existing.kind);
      return existing;
    }
    // A catalogue row written inside a transaction that then rolls back would leave this store without an id.
    if (this.database.inTransaction) throw storeMisuse(`Open the new state store '${name}' of ${query} outside a transaction.`);
    let id = 0;
    this.runInTransaction(() => {
      createStoreTables(this.database, kind);
      const result = this.database
        .prepare('INSERT INTO state_stores (query, name, partition, kind, created_ms) VALUES (?, ?, ?, ?, ?)')
        .run(query, name, partition, kind, Date.now());
      id = Number(result.lastInsertRowid);
    });
    return { id, kind };
  }
}

function openKey(identity: StoreIdentity): string {
  return JSON.stringify([identity.query, identity.name, identity.partition]);
}
