/**
 * Runs tasks. The server runs them in a loop, a bounded batch per task per
 * turn, idling briefly when no task has input; the test driver calls
 * `runUntilIdle` after each input record. The operators are the same.
 *
 * A poll answers at once, or with a promise when the task waits on the log
 * at a batch boundary (a remote log's fetch or commit). Until that promise
 * settles the task is in flight: turns skip it, so it never processes a
 * batch twice or two batches at once; when it settles the loop wakes. On the
 * embedded log nothing is ever in flight, and a turn is synchronous.
 *
 * A task whose poll throws or rejects is dropped at once and told so through
 * `fail` (its owner stops the query and says why, once): it is never retried
 * turn after turn.
 */
import { isPromise } from '../common/maybe-async.js';

/** What a poll returns: how many records it processed, or a promise of it while the task waits on the log. */
export type PollResult = number | Promise<number>;

/** What the scheduler runs: a persistent query's task, or a transient query's reader of one partition. */
export interface SchedulableTask {
  readonly topic: string;
  readonly partition: number;
  /** Processes at most `maxRecords` records; returns how many were read. */
  poll(maxRecords: number): PollResult;
  /** Called with what `poll` threw or rejected with, after the scheduler dropped the task. */
  fail(error: unknown): void;
}

export interface SchedulerOptions {
  /** Records a task processes per turn (bounds latency for everyone else). */
  readonly batchSize?: number;
  /** How long the loop sleeps when no task had input, unless woken. */
  readonly idleMs?: number;
  /**
   * Called with what a task's poll threw, after the task's own `fail`. The
   * test driver rethrows it, so a failure shows as a failing case; what it
   * throws for a poll that rejected is thrown by the next turn.
   */
  readonly onError?: (task: SchedulableTask, error: unknown) => void;
}

export class Scheduler {
  private readonly tasks = new Set<SchedulableTask>();
  /** Tasks waiting on the log, and the promise that settles when they may poll again. */
  private readonly inFlight = new Map<SchedulableTask, Promise<void>>();
  /** What `onError` threw for a rejected poll, for the next turn to throw. */
  private readonly lateErrors: unknown[] = [];
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

  /** Polls the task no more; a poll in flight still settles (`stop` waits for it). */
  remove(task: SchedulableTask): void {
    this.tasks.delete(task);
  }

  /** How many tasks wait on the log now. */
  get waiting(): number {
    return this.inFlight.size;
  }

  /** One turn over every task that is not waiting on the log; returns how many records were processed at once. */
  runOnce(): number {
    if (this.lateErrors.length > 0) throw this.lateErrors.shift();
    let total = 0;
    for (const task of [...this.tasks]) {
      if (!this.tasks.has(task) || this.inFlight.has(task)) continue;
      let result: PollResult;
      try {
        result = task.poll(this.batchSize);
      } catch (error) {
        this.drop(task, error);
        continue;
      }
      if (isPromise(result)) this.waitFor(task, result);
      else total += result;
    }
    return total;
  }

  /**
   * Turns until no task has anything left to read (deterministic; for the
   * test driver). Every poll must answer at once: a task left waiting on
   * the log is an error here (use `drain`).
   */
  runUntilIdle(maxTurns = 100_000): void {
    for (let turn = 0; turn < maxTurns; turn++) {
      if (this.runOnce() > 0) continue;
      if (this.inFlight.size > 0) throw new Error(`${this.inFlight.size} task(s) wait on an asynchronous log: runUntilIdle needs a synchronous one`);
      return;
    }
    throw new Error(`tasks still busy after ${maxTurns} turns`);
  }

  /** Turns until no task has anything left to read and none waits on the log. */
  async drain(maxTurns = 100_000): Promise<void> {
    for (let turn = 0; turn < maxTurns; turn++) {
      if (this.runOnce() > 0) continue;
      if (this.inFlight.size === 0) {
        if (this.lateErrors.length > 0) throw this.lateErrors.shift();
        return;
      }
      await Promise.race(this.inFlight.values());
    }
    throw new Error(`tasks still busy after ${maxTurns} turns`);
  }

  /** Starts the background loop (server mode). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Wakes an idle loop at once (after an append that tasks may want, or a task's wait on the log ended). */
  wake(): void {
    const w = this.wakeUp;
    if (w) {
      this.wakeUp = undefined;
      if (this.timer) clearTimeout(this.timer);
      w();
    }
  }

  /** Stops the loop after the current turn and waits for the fetches and commits in flight; commits made stay made. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loopDone;
    await Promise.all(this.inFlight.values());
  }

  /** Keeps the task out of turns until its poll settles; a rejection drops it as a throw does. */
  private waitFor(task: SchedulableTask, result: Promise<number>): void {
    const settled = result.then(
      () => {
        this.inFlight.delete(task);
        this.wake();
      },
      (error: unknown) => {
        this.inFlight.delete(task);
        this.wake();
        if (!this.tasks.has(task)) return;
        try {
          this.drop(task, error);
        } catch (thrown) {
          this.lateErrors.push(thrown);
        }
      },
    );
    this.inFlight.set(task, settled);
  }

  private drop(task: SchedulableTask, error: unknown): void {
    this.tasks.delete(task);
    task.fail(error);
    this.onError(task, error);
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
