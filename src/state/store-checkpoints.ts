/**
 * Where each store's local copy stands in its changelog topic, when the
 * stores are a local checkpoint of changelogs kept elsewhere (a remote log):
 * the changelog offset the copy reflects, written in the same SQLite
 * transaction as the store's rows, so the two never disagree. A task that
 * starts reads its changelog from there rather than from the start.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { StoreIdentity } from './state-store.js';

type Database = BetterSqlite3.Database;

const CHECKPOINT_DDL = `
CREATE TABLE IF NOT EXISTS state_checkpoints (
  query TEXT NOT NULL,
  name TEXT NOT NULL,
  partition INTEGER NOT NULL,
  topic TEXT NOT NULL,
  next_offset INTEGER NOT NULL,
  PRIMARY KEY (query, name, partition)
) WITHOUT ROWID;
`;

export class StoreCheckpoints {
  private readonly select: BetterSqlite3.Statement<[string, string, number], { topic: string; next_offset: number }>;
  private readonly upsert: BetterSqlite3.Statement<[string, string, number, string, number]>;
  private readonly remove: BetterSqlite3.Statement<[string, string, number]>;

  constructor(database: Database) {
    database.exec(CHECKPOINT_DDL);
    this.select = database.prepare('SELECT topic, next_offset FROM state_checkpoints WHERE query = ? AND name = ? AND partition = ?');
    this.upsert = database.prepare('INSERT OR REPLACE INTO state_checkpoints (query, name, partition, topic, next_offset) VALUES (?, ?, ?, ?, ?)');
    this.remove = database.prepare('DELETE FROM state_checkpoints WHERE query = ? AND name = ? AND partition = ?');
  }

  /** The offset after the last changelog record of `topic` the store reflects; undefined when it recorded none there. */
  read(store: StoreIdentity, topic: string): number | undefined {
    const row = this.select.get(store.query, store.name, store.partition);
    return row === undefined || row.topic !== topic ? undefined : row.next_offset;
  }

  /** Records where the store stands (run it in the transaction that writes the store's rows). */
  write(store: StoreIdentity, topic: string, nextOffset: number): void {
    this.upsert.run(store.query, store.name, store.partition, topic, nextOffset);
  }

  /** Forgets where the store stood (its copy is wiped). */
  clear(store: StoreIdentity): void {
    this.remove.run(store.query, store.name, store.partition);
  }
}

/** Deletes the checkpoints of `query`'s stores, when any were ever kept. */
export function dropQueryCheckpoints(database: Database, query: string): void {
  const exists = database.prepare<[], number>("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'state_checkpoints'").pluck().get();
  if (exists !== undefined) database.prepare('DELETE FROM state_checkpoints WHERE query = ?').run(query);
}
