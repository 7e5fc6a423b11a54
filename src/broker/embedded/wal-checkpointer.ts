/**
 * Checkpoints of the log's write-ahead log off the task thread. SQLite copies
 * committed WAL frames back into the database file in a checkpoint, which the
 * committing connection runs itself once the WAL passes 1,000 pages
 * (16 MiB here): the commit that crosses the mark writes those pages to the
 * database file and syncs both files before it returns, which is up to a fifth
 * of a busy drain's wall time. Once the WAL of a busy log first reaches
 * `startBytes`, a worker thread (wal-checkpoint-worker.ts) with a connection
 * of its own runs PASSIVE checkpoints every few milliseconds, beside the
 * writer, and the writer's own automatic checkpoint moves up to a backstop
 * that only a worker falling far behind reaches. What a commit makes durable
 * does not change: a checkpoint only copies frames already committed, and
 * SQLite coordinates the two connections through the WAL index. A log that
 * never writes that much (most tests, a quiet server) never starts the thread.
 */
import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { createLogger } from '../../common/logger.js';
import { CONTROL_DONE, CONTROL_SLOTS, CONTROL_STOP, type CheckpointWorkerData } from './wal-checkpoint-control.js';

const log = createLogger('broker');
const WORKER_URL = new URL('./wal-checkpoint-worker.js', import.meta.url);

export interface WalCheckpointerOptions {
  /** The WAL size at which the thread starts. */
  readonly startBytes: number;
  /** The writer's own automatic checkpoint, in pages, once the thread runs. */
  readonly backstopPages: number;
  /** How long the thread sleeps between checkpoints. */
  readonly intervalMs: number;
}

export const DEFAULT_WAL_CHECKPOINTER: WalCheckpointerOptions = { startBytes: 4 << 20, backstopPages: 4096, intervalMs: 10 };

/** The WAL size is looked at once in this many commits until the thread runs. */
const COMMITS_PER_LOOK = 16;
/** How long close waits for a checkpoint in progress to end. */
const STOP_WAIT_MS = 30_000;

export class WalCheckpointer {
  private readonly database: Database.Database;
  private readonly walPath: string;
  private readonly options: WalCheckpointerOptions;
  private commits = 0;
  private worker: Worker | undefined;
  private control: Int32Array | undefined;

  constructor(database: Database.Database, options: WalCheckpointerOptions = DEFAULT_WAL_CHECKPOINTER) {
    this.database = database;
    this.walPath = `${database.name}-wal`;
    this.options = options;
  }

  /** Called after each commit of the writer: starts the thread once the WAL is large enough. */
  noteCommit(): void {
    if (this.worker !== undefined || ++this.commits % COMMITS_PER_LOOK !== 0) return;
    const size = statSync(this.walPath, { throwIfNoEntry: false })?.size ?? 0;
    if (size >= this.options.startBytes) this.start();
  }

  private start(): void {
    const control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * Int32Array.BYTES_PER_ELEMENT));
    const workerData: CheckpointWorkerData = { path: this.database.name, control, intervalMs: this.options.intervalMs };
    const worker = new Worker(WORKER_URL, { workerData });
    worker.unref();
    worker.on('message', (message: { error?: string; recovered?: boolean }) => {
      if (message.error !== undefined) log.warn({ error: message.error }, 'a checkpoint of the write-ahead log failed; it is tried again every second');
      else log.info('checkpoints of the write-ahead log succeed again');
    });
    worker.on('error', (error) => log.warn({ err: error }, 'the write-ahead log checkpoint thread stopped; the writer checkpoints itself'));
    this.worker = worker;
    this.control = control;
    this.database.pragma(`wal_autocheckpoint = ${this.options.backstopPages}`);
  }

  /** Stops the thread and closes its connection before the writer closes its own (so the writer's close is the last). */
  stop(): void {
    const { worker, control } = this;
    if (worker === undefined || control === undefined) return;
    this.worker = undefined;
    Atomics.store(control, CONTROL_STOP, 1);
    Atomics.notify(control, CONTROL_STOP);
    Atomics.wait(control, CONTROL_DONE, 0, STOP_WAIT_MS);
    void worker.terminate();
  }
}
