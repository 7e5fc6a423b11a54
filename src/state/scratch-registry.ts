/**
 * A store registry over a private in-memory database: operators built
 * against it open real stores that touch no real state, which is how a
 * query is built as a trial before it is allowed to start.
 */
import Database from 'better-sqlite3';
import { StoreRegistry } from './store-registry.js';

export function openScratchStoreRegistry(): StoreRegistry {
  return new StoreRegistry(new Database(':memory:'));
}
