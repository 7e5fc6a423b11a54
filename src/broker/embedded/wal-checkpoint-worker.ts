/**
 * The body of the log's checkpoint thread (wal-checkpointer.ts): a connection
 * of its own that runs PASSIVE checkpoints, which never wait for the writer
 * or readers and copy only frames already committed, until the log stops it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { CONTROL_DONE, CONTROL_STOP, type CheckpointWorkerData } from './wal-checkpoint-control.js';

const { path, control, intervalMs } = workerData as CheckpointWorkerData;
/** After a failed checkpoint (a full disk, say) the thread waits this much longer before the next. */
const FAILURE_BACKOFF = 100;

let database: Database.Database | undefined;
try {
  if (Atomics.load(control, CONTROL_STOP) === 0) {
    database = new Database(path, { fileMustExist: true, timeout: 5_000 });
    const checkpoint = database.prepare('PRAGMA wal_checkpoint(PASSIVE)');
    // A failure is said once (a full disk fails every try) and its end once.
    let failing: string | undefined;
    while (Atomics.load(control, CONTROL_STOP) === 0) {
      let wait = intervalMs;
      try {
        checkpoint.run();
        if (failing !== undefined) parentPort?.postMessage({ recovered: true });
        failing = undefined;
      } catch (error) {
        const message = (error as Error).message;
        if (message !== failing) parentPort?.postMessage({ error: message });
        failing = message;
        wait = intervalMs * FAILURE_BACKOFF;
      }
      Atomics.wait(control, CONTROL_STOP, 0, wait);
    }
  }
} finally {
  database?.close();
  Atomics.store(control, CONTROL_DONE, 1);
  Atomics.notify(control, CONTROL_DONE);
}
