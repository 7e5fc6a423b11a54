/**
 * Writes the lines of a streamed response one at a time, the next only once
 * the transport has taken the previous one: over HTTP/2 each line then
 * travels in its own DATA frame (clients parse every chunk as one JSON
 * document), and a client that reads slowly shows up as a growing queue.
 *
 * Backpressure: past `highWater` queued lines the producer is told to pause,
 * and to resume once the queue has drained to half of that. If the transport
 * takes nothing for `stallMs` while lines wait, the client is too slow:
 * `onStall` runs (the caller writes its message and ends). Memory stays
 * bounded by the high-water mark plus one producer batch.
 */
export interface PacedWriterOptions {
  /** Writes one chunk; `done` runs when the transport has taken it. */
  readonly write: (chunk: string, done: (error?: Error | null) => void) => void;
  readonly highWater: number;
  readonly stallMs: number;
  readonly onPressure: (paused: boolean) => void;
  readonly onStall: () => void;
  /** The transport failed a write (the client is gone); nothing more is written. */
  readonly onFailed?: () => void;
}

export class PacedWriter {
  private readonly options: PacedWriterOptions;
  private readonly queue: string[] = [];
  private head = 0;
  private writing = false;
  private paused = false;
  private closed = false;
  private stallTimer: NodeJS.Timeout | undefined;
  private drainWaiters: (() => void)[] = [];

  constructor(options: PacedWriterOptions) {
    this.options = options;
  }

  get queued(): number {
    return this.queue.length - this.head;
  }

  push(chunk: string): void {
    if (this.closed) return;
    this.queue.push(chunk);
    if (!this.paused && this.queued > this.options.highWater) {
      this.paused = true;
      this.options.onPressure(true);
    }
    this.pump();
  }

  /** Resolves once every queued line has been taken by the transport. */
  drained(): Promise<void> {
    if (this.closed || (this.queued === 0 && !this.writing)) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Drops whatever is queued and stops writing. */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.head = 0;
    this.clearStall();
    for (const w of this.drainWaiters.splice(0)) w();
  }

  private pump(): void {
    if (this.writing || this.closed) return;
    if (this.queued === 0) {
      for (const w of this.drainWaiters.splice(0)) w();
      return;
    }
    const chunk = this.queue[this.head]!;
    this.queue[this.head++] = '';
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    this.writing = true;
    this.armStall();
    this.options.write(chunk, (error) => {
      this.writing = false;
      this.clearStall();
      if (error) {
        this.close();
        this.options.onFailed?.();
        return;
      }
      if (this.paused && this.queued <= this.options.highWater / 2) {
        this.paused = false;
        this.options.onPressure(false);
      }
      // setImmediate keeps one line per frame even when the transport calls back synchronously.
      setImmediate(() => this.pump());
    });
  }

  private armStall(): void {
    this.clearStall();
    this.stallTimer = setTimeout(() => {
      if (this.closed) return;
      this.close();
      this.options.onStall();
    }, this.options.stallMs);
    this.stallTimer.unref?.();
  }

  private clearStall(): void {
    if (this.stallTimer !== undefined) clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
  }
}
