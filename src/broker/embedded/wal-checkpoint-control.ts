/** The shared words between the log and its checkpoint thread (wal-checkpointer.ts, wal-checkpoint-worker.ts). */

/** Set to 1 by the log: the thread closes its connection and ends. */
export const CONTROL_STOP = 0;
/** Set to 1 by the thread once its connection is closed. */
export const CONTROL_DONE = 1;
export const CONTROL_SLOTS = 2;

export interface CheckpointWorkerData {
  /** The database file. */
  readonly path: string;
  readonly control: Int32Array;
  readonly intervalMs: number;
}
