/**
 * Writes the lines of a streamed response at most one write per turn of the
 * event loop (or at once, when a line finds the writer idle and lines need
 * frames of their own): over HTTP/2 each write then travels in its own DATA frame
 * (clients parse every chunk as one JSON document; writes made in the same
 * turn, or pending together, would share a frame). When lines may share
 * frames, several coalesced writes may be in flight at once. A client
 * that reads slowly shows up as writes that do not complete and a growing
 * queue.
 *
 * Backpressure: past `highWater` queued lines the producer is told to pause,
 * and to resume once the queue has drained to half of that. If the transport
 * completes no write for `stallMs` while writes wait, the client is too slow:
 * `onStall` runs (the caller writes its message and ends). Memory stays
 * bounded by the high-water mark, one producer batch and the writes in flight.
 */
export interface PacedWriterOptions {
  /** Writes one chunk; `done` runs when the transport has taken it. */
  readonly write: (chunk: string, done: (error?: Error | null) => void) => void;
  readonly highWater: number;
  readonly stallMs: number;
  /**
   * Join queued lines into one write (up to 64 KiB) when the client does not
   * need one document per frame (HTTP/1.1, JSON arrays).
   */
  readonly coalesce?: boolean;
  readonly onPressure: (paused: boolean) => void;
  readonly onStall: () => void;
  /** The transport failed a write (the client is gone); nothing more is written. */
  readonly onFailed?: () => void;
}

const COALESCE_BYTES = 64 * 1024;
/**
 * Writes in flight at once when lines may share frames; one otherwise, since
 * an HTTP/2 stream merges pending writes into one DATA frame.
 */
const MAX_IN_FLIGHT_COALESCED = 8;

export class PacedWriter {
  private readonly options: PacedWriterOptions;
  private readonly queue: string[] = [];
  private head = 0;
  private inFlight = 0;
  private scheduled = false;
  private paused = false;
  private closed = false;
  private lastProgress = 0;
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
    // A line that finds an idle writer goes out at once (push latency); it is
    // alone in its write, since the next one waits for this one to complete.
    if (!this.options.coalesce && this.inFlight === 0 && !this.scheduled && this.queued === 1) {
      this.pump();
      return;
    }
    this.schedule();
  }

  /** Resolves once every queued line has been taken by the transport (or the writer closed). */
  drained(): Promise<void> {
    if (this.isDrained()) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Drops whatever is queued and stops writing. */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.head = 0;
    if (this.stallTimer !== undefined) clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
    this.notifyDrained();
  }

  private isDrained(): boolean {
    return this.closed || (this.queued === 0 && this.inFlight === 0);
  }

  private notifyDrained(): void {
    if (this.isDrained()) for (const w of this.drainWaiters.splice(0)) w();
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  /** One write per turn; the next turn is scheduled while lines remain and few writes are in flight. */
  private pump(): void {
    const maxInFlight = this.options.coalesce ? MAX_IN_FLIGHT_COALESCED : 1;
    if (this.closed || this.queued === 0 || this.inFlight >= maxInFlight) return;
    let chunk = this.queue[this.head]!;
    this.queue[this.head++] = '';
    if (this.options.coalesce) {
      while (this.head < this.queue.length && chunk.length < COALESCE_BYTES) {
        chunk += this.queue[this.head]!;
        this.queue[this.head++] = '';
      }
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (this.inFlight === 0) this.lastProgress = Date.now();
    this.inFlight++;
    this.armStall();
    this.options.write(chunk, (error) => {
      if (this.closed) return;
      this.inFlight--;
      this.lastProgress = Date.now();
      if (error) {
        this.close();
        this.options.onFailed?.();
        return;
      }
      if (this.paused && this.queued <= this.options.highWater / 2) {
        this.paused = false;
        this.options.onPressure(false);
      }
      this.notifyDrained();
      this.schedule();
    });
    if (this.queued > 0) this.schedule();
  }

  /** One timer checks for progress; it re-arms itself while writes are in flight. */
  private armStall(): void {
    if (this.stallTimer !== undefined) return;
    const check = (): void => {
      this.stallTimer = undefined;
      if (this.closed || this.inFlight === 0) return;
      const idle = Date.now() - this.lastProgress;
      if (idle >= this.options.stallMs) {
        this.close();
        this.options.onStall();
        return;
      }
      this.stallTimer = setTimeout(check, this.options.stallMs - idle);
      this.stallTimer.unref?.();
    };
    this.stallTimer = setTimeout(check, this.options.stallMs);
    this.stallTimer.unref?.();
  }
}
