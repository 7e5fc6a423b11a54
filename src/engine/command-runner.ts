/**
 * Applies the commands other servers of the service id write to the command
 * topic as they appear, as ksqlDB's command runner does: their sources and
 * types reach this server's catalog, and their queries run here too (each
 * server runs every persistent query; spreading a query's partitions over the
 * servers is its consumer group's business). A log that answers later long-polls
 * in its read, so the runner reads again at once; the embedded log answers at
 * once, so the runner waits `pollIntervalMs` between reads.
 */
import { createLogger } from '../common/logger.js';
import { isPromise, type MaybeAsync } from '../common/maybe-async.js';

export interface CommandSource {
  /** Applies the commands not applied yet; answers how many. */
  applyNewCommands(): MaybeAsync<number>;
}

export class CommandRunner {
  private readonly logger = createLogger('command-runner');
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<unknown> | undefined;
  private stopped = false;

  constructor(private readonly source: CommandSource, private readonly pollIntervalMs: number) {}

  start(): void {
    this.stopped = false;
    this.runOnce();
  }

  /** Stops reading; resolves once a read in flight has settled. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.reading;
  }

  private runOnce(): void {
    if (this.stopped) return;
    let result: MaybeAsync<number>;
    try {
      result = this.source.applyNewCommands();
    } catch (error) {
      this.failed(error);
      return;
    }
    if (!isPromise(result)) {
      this.wait();
      return;
    }
    const reading: Promise<void> = result.then(() => {
      if (this.reading === reading) this.reading = undefined;
      this.runOnce();
    }, (error: unknown) => {
      if (this.reading === reading) this.reading = undefined;
      this.failed(error);
    });
    this.reading = reading;
  }

  /** A read that failed (the log unreachable) is tried again after the interval. */
  private failed(error: unknown): void {
    this.logger.error({ err: error }, 'could not read the command topic');
    this.wait();
  }

  private wait(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.runOnce(), this.pollIntervalMs);
    this.timer.unref();
  }
}
