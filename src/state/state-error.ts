/** Errors of the state layer, as KsqlErrors of the shared registry. */
import { KsqlError } from '../common/errors.js';

/** A store used against its contract (closed, opened twice, of another kind): a bug of the caller. */
export function storeMisuse(message: string): KsqlError {
  return new KsqlError('SERVER_ERROR', message);
}

/** Storage refused an operation (disk full, I/O error). */
export function storageFailure(message: string, cause: unknown): KsqlError {
  return new KsqlError('STORAGE_ERROR', message, { cause });
}
