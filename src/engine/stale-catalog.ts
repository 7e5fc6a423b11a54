/**
 * A statement checked against a catalog that other servers of the service id
 * changed before its command could be written. The commit applied their
 * commands before refusing it, so the statement runs again against the
 * catalog as it is now (ksqlDB checks a statement once it has caught up; here
 * the handler's checks come first, and run again). A statement that keeps
 * losing the race gets the error after a few runs.
 */
import { KsqlError } from '../common/errors.js';

export const STALE_CATALOG_RUNS = 5;

export class StaleCatalogError extends KsqlError {
  constructor(applied: number) {
    super('BAD_STATEMENT', `Other servers of this service id changed the catalog while this statement was checked (${applied} command(s), applied now). Run the statement again.`);
  }
}
