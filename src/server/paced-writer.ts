/**
 * Writes the lines of a streamed response without letting one client hold
 * the event loop or the memory. How lines become writes depends on the
 * transport (`mode`):
 *  - `coalesced` (HTTP/1.1, JSON arrays): queued lines join into writes of
 *    up to 64 KiB, several in flight at once.
 *  - `frame-per-chunk` (HTTP/2 delimited responses): each line is its own
 *    write, and the next waits for the last to complete, since an HTTP/2
 *    stream merges pending writes into one DATA frame and clients parse each
 *    frame as one document. The next line goes out from the completion
 *    itself, not a turn later.
 *  - `messages` (WebSocket): the transport frames every write on its own, so
 *    lines go out one write each as they come, several per turn.
 * In every mode a turn of the event loop writes at most TURN_BYTES for one
 * client before yielding (the rest goes out on the next turns), and at most
 * IN_FLIGHT_BYTES may wait in the transport's buffer: past that the lines
 * queue here until the socket takes what it has.
 *
 * Backpressure: past `highWater` queued lines the producer is told to pause,
 * and to resume once the queue has drained to half of that. If the transport
 * completes no write for `stallMs` while writes wait, the client is too slow:
 * `onStall` runs (the caller writes its message and ends). Memory stays
 * bounded by the high-water mark, one producer batch and the bytes in flight.
 */
export type WriteMode = 'coalesced' | 'frame-per-chunk' | 'messages';

export interface PacedWriterOptions {
  /** Writes one chunk; `done` runs when the transport has taken it. */
  readonly write: (chunk: string, done: (error?: Error | null) => void) => void;
  readonly highWater: number;
  readonly stallMs: number;
  readonly mode: WriteMode;
  /** Runs the writes of one pump as one flush of the transport (a WebSocket corks its socket: one system call for the batch). */
  readonly batch?: (writes: () => void) => void;
  readonly onPressure: (paused: boolean) => void;
  readonly onStall: () => void;
  /** The transport failed a write (the client is gone); nothing more is written. */
  readonly onFailed?: () => void;
}

const COALESCE_BYTES = 64 * 1024;
/** What one client may write in one turn of the event loop. */
const TURN_BYTES = 64 * 1024;
/** What may wait in the transport's buffer, written but not yet taken by the socket. */
const IN_FLIGHT_BYTES = 256 * 1024;

/** Counts turns of the event loop in which something was written: one immediate per such turn, shared by every writer. */
let currentTurn = 0;
let turnTickScheduled = false;

function thisTurn(): number {
  if (!turnTickScheduled) {
    turnTickScheduled = true;
    setImmediate(() => {
      turnTickScheduled = false;
      currentTurn++;
    });
  }
  return currentTurn;
}

export class PacedWriter {
  private readonly options: PacedWriterOptions;
  private readonly queue: string[] = [];
  private head = 0;
  private inFlight = 0;
  private inFlightBytes = 0;
  /** Bytes written in the turn `turn`. */
  private turnBytes = 0;
  private turn = -1;
  private scheduled = false;
  private pumping = false;
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
    // Nothing queued and room to write: a line that may go out now does, without a trip through the queue (push latency).
    if (this.options.mode !== 'coalesced' && this.queued === 0 && !this.scheduled && !this.pumping && this.mayWrite()) {
      this.send(chunk);
      return;
    }
    this.queue.push(chunk);
    if (!this.paused && this.queued > this.options.highWater) {
      this.paused = true;
      this.options.onPressure(true);
    }
    // A line that may go out now does (push latency); coalesced lines wait for the turn's others.
    if (this.options.mode !== 'coalesced' && !this.scheduled) this.pump();
    else this.schedule();
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
    // Called at every completion: no copy of the (nearly always empty) waiters unless someone waits.
    if (this.drainWaiters.length > 0 && this.isDrained()) for (const w of this.drainWaiters.splice(0)) w();
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  /** Whether another write may start now; false when the transport or this turn has enough. */
  private mayWrite(): boolean {
    const turn = thisTurn();
    if (turn !== this.turn) {
      this.turn = turn;
      this.turnBytes = 0;
    }
    if (this.inFlightBytes >= IN_FLIGHT_BYTES || this.turnBytes >= TURN_BYTES) return false;
    return this.options.mode !== 'frame-per-chunk' || this.inFlight === 0;
  }

  /** Writes queued lines while this turn and the transport take them; the rest waits for a completion or the next turn. */
  private pump(): void {
    // A transport that completes a write synchronously must not recurse into here.
    if (this.pumping) return;
    this.pumping = true;
    try {
      // A single line needs no batch (a push query's usual row).
      if (this.options.batch === undefined || this.queued === 1) this.writeQueued();
      else this.options.batch(this.writeQueued);
    } finally {
      this.pumping = false;
    }
    if (this.closed || this.queued === 0) return;
    // Lines wait: for a completion (which pumps again), or for the next turn when this one wrote its share.
    if (this.turnBytes >= TURN_BYTES || this.inFlight === 0) this.schedule();
  }

  private readonly writeQueued = (): void => {
    while (!this.closed && this.queued > 0 && this.mayWrite()) this.writeNext();
  };

  private writeNext(): void {
    let chunk = this.queue[this.head]!;
    this.queue[this.head++] = '';
    if (this.options.mode === 'coalesced') {
      while (this.head < this.queue.length && chunk.length < COALESCE_BYTES) {
        chunk += this.queue[this.head]!;
        this.queue[this.head++] = '';
      }
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    this.send(chunk);
  }

  private send(chunk: string): void {
    if (this.inFlight === 0) this.lastProgress = Date.now();
    // String length stands in for bytes: what matters is a bound, not its exact size.
    const bytes = chunk.length;
    this.inFlight++;
    this.inFlightBytes += bytes;
    this.turnBytes += bytes;
    this.armStall();
    this.options.write(chunk, (error) => {
      if (this.closed) return;
      this.inFlight--;
      this.inFlightBytes -= bytes;
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
      if (this.queued > 0) this.pump();
    });
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
