/**
 * Runs tasks. The server runs them in a loop, a bounded batch per task per
 * turn, idling briefly when no task has input; the test driver calls
 * `runUntilIdle` after each input record. The operators are the same.
 *
 * A task whose poll throws is dropped at once and told so through `fail`
 * (its owner stops the query and says why, once): it is never retried turn
 * after turn.
 */
/** What the scheduler runs: a persistent query's task, or a transient query's reader of one partition. */
export interface SchedulableTask {
  readonly topic: string;
  readonly partition: number;
  /** Processes at most `maxRecords` records; returns how many were read. */
  poll(maxRecords: number): number;
  /** Called with what `poll` threw, after the scheduler dropped the task. */
  fail(error: unknown): void;
}

export interface SchedulerOptions {
  /** Records a task processes per turn (bounds latency for everyone else). */
  readonly batchSize?: number;
  /** How long the loop sleeps when no task had input, unless woken. */
  readonly idleMs?: number;
  /**
   * Called with what a task's poll threw, after the task's own `fail`. The
   * test driver rethrows it, so a failure shows as a failing case.
   */
  readonly onError?: (task: SchedulableTask, error: unknown) => void;
}

export class Scheduler {
  private readonly tasks = new Set<SchedulableTask>();
  private readonly batchSize: number;
  private readonly idleMs: number;
  private readonly onError: (task: SchedulableTask, error: unknown) => void;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private wakeUp: (() => void) | undefined;
  private loopDone: Promise<void> | undefined;

  constructor(options: SchedulerOptions = {}) {
    this.batchSize = options.batchSize ?? 1000;
    this.idleMs = options.idleMs ?? 20;
    this.onError = options.onError ?? (() => {});
  }

  add(task: SchedulableTask): void {
    this.tasks.add(task);
    this.wake();
  }

  remove(task: SchedulableTask): void {
    this.tasks.delete(task);
  }

  /** One turn over every task; returns how many records were processed. */
  runOnce(): number {
    let total = 0;
    for (const task of [...this.tasks]) {
      if (!this.tasks.has(task)) continue;
      try {
        total += task.poll(this.batchSize);
      } catch (error) {
        this.tasks.delete(task);
        task.fail(error);
        this.onError(task, error);
      }
    }
    return total;
  }

  /** Turns until no task has anything left to read (deterministic; for the test driver and shutdown). */
  runUntilIdle(maxTurns = 100_000): void {
    for (let turn = 0; turn < maxTurns; turn++) {
      if (this.runOnce() === 0) return;
    }
    throw new Error(`tasks still busy after ${maxTurns} turns`);
  }

  /** Starts the background loop (server mode). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Wakes an idle loop at once (after an append that tasks may want). */
  wake(): void {
    const w = this.wakeUp;
    if (w) {
      this.wakeUp = undefined;
      if (this.timer) clearTimeout(this.timer);
      w();
    }
  }

  /** Stops the loop after the current turn; commits already made stay made. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loopDone;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const processed = this.runOnce();
      if (!this.running) break;
      if (processed > 0) {
        await new Promise<void>((r) => setImmediate(r));
      } else {
        await new Promise<void>((r) => {
          this.wakeUp = r;
          this.timer = setTimeout(() => {
            this.wakeUp = undefined;
            r();
          }, this.idleMs);
        });
      }
    }
  }
}
