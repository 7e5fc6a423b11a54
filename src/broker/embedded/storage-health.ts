/**
 * Whether the log's storage takes writes. A write transaction that fails
 * because the disk is full or the file system refuses it (SQLITE_FULL,
 * SQLITE_IOERR*) marks the storage failing, with the reason, and says so in
 * the log once per interval however many writes fail; the next write that
 * commits marks it healthy again and then tells the listeners (the engine retries
 * the queries that stopped on it at once instead of at their backoff). While
 * failing, a probe (a small committed write, which also grows the database
 * file by a page when no free page is left) runs once per interval, so the
 * storage is found healthy again without waiting for other writes.
 */
import Database from 'better-sqlite3';
import { createLogger } from '../../common/logger.js';
import type { StorageStatus } from '../broker.js';

type SqliteError = InstanceType<typeof Database.SqliteError>;

const log = createLogger('broker');

/** The SQLite result codes that say the storage, not the statement, failed. */
export function isStorageFailure(error: unknown): error is SqliteError {
  return error instanceof Database.SqliteError && (error.code === 'SQLITE_FULL' || error.code.startsWith('SQLITE_IOERR'));
}

export class StorageHealth {
  private failure: { readonly reason: string; readonly since: number } | undefined;
  private lastSaidAt = -Infinity;
  private failedSinceSaid = 0;
  private readonly listeners = new Set<() => void>();
  private probeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs: number,
    /** A small write transaction; throws when the storage refuses it. */
    private readonly probe: () => void,
  ) {}

  get status(): StorageStatus {
    return this.failure === undefined ? { healthy: true } : { healthy: false, reason: this.failure.reason, since: this.failure.since };
  }

  onRecovered(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  failed(error: SqliteError): void {
    const now = Date.now();
    const reason = error.code === 'SQLITE_FULL'
      ? `the disk is full: the log cannot write (${error.code}: ${error.message})`
      : `the log's storage refuses writes (${error.code}: ${error.message})`;
    this.failure = { reason, since: this.failure?.since ?? now };
    this.failedSinceSaid++;
    if (now - this.lastSaidAt >= this.intervalMs) {
      log.error({ code: error.code, failedWrites: this.failedSinceSaid, intervalMs: this.intervalMs }, `${reason}; writes are refused until it takes them again`);
      this.lastSaidAt = now;
      this.failedSinceSaid = 0;
    }
    this.probeTimer ??= setInterval(() => this.runProbe(), this.intervalMs).unref();
  }

  succeeded(): void {
    if (this.failure === undefined) return;
    log.warn({ failingForMs: Date.now() - this.failure.since }, 'the log\'s storage takes writes again');
    this.failure = undefined;
    this.lastSaidAt = -Infinity;
    this.failedSinceSaid = 0;
    this.stop();
    // Later, not inside the write that succeeded (a listener may write itself).
    setImmediate(() => {
      for (const listener of this.listeners) {
        try {
          listener();
        } catch (error) {
          log.error({ err: error }, 'a storage recovery listener failed');
        }
      }
    });
  }

  /** Stops the probe (the log closes). */
  stop(): void {
    clearInterval(this.probeTimer);
    this.probeTimer = undefined;
  }

  private runProbe(): void {
    try {
      this.probe();
    } catch {
      // The write path records the failure itself.
    }
  }
}
