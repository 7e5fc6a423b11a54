/** Errors of the state layer, as KsqlErrors of the shared registry. */
import { KsqlError } from '../common/errors.js';
import type { StoreIdentity } from './state-store.js';

/** A store used against its contract (closed, opened twice, of another kind): a bug of the caller. */
export function storeMisuse(message: string): KsqlError {
  return new KsqlError('SERVER_ERROR', message);
}

/** Storage refused an operation (disk full, I/O error). */
export function storageFailure(message: string, cause?: unknown): KsqlError {
  return new KsqlError('STORAGE_ERROR', message, { cause });
}

/**
 * A stored row that does not match its checksum: its value must not be used.
 * It names the store, its query and partition, and the row's key (as text
 * when it is printable ASCII, else as hex), so the damage can be located.
 */
export class StateCorruptionError extends KsqlError {
  readonly query: string;
  readonly store: string;
  readonly partition: number;
  readonly key: Buffer;

  /** `sequel` continues the message (what was tried about it). */
  constructor(identity: StoreIdentity, key: Buffer, window?: { readonly start: number; readonly end: number }, sequel?: string) {
    const where = window === undefined ? '' : ` (window ${window.start}-${window.end})`;
    super(
      'CORRUPT_DATA',
      `State store '${identity.name}' of query ${identity.query}, partition ${identity.partition}: the stored row of key ` +
        `${describeKey(key)}${where} does not match its checksum; the corrupt value was not used` +
        (sequel === undefined ? '.' : `, ${sequel}`),
    );
    this.name = 'StateCorruptionError';
    this.query = identity.query;
    this.store = identity.name;
    this.partition = identity.partition;
    this.key = key;
  }
}

const SHOWN_KEY_BYTES = 64;

/** `'text'` for a key of printable ASCII, else `0x...` hex; a long key shows its first bytes and its length. */
function describeKey(key: Buffer): string {
  const shown = key.subarray(0, SHOWN_KEY_BYTES);
  const printable = key.length > 0 && shown.every((byte) => byte >= 0x20 && byte < 0x7f);
  const text = printable ? `'${shown.toString('latin1')}'` : `0x${shown.toString('hex')}`;
  return key.length > SHOWN_KEY_BYTES ? `${text}... (${key.length} bytes)` : text;
}
