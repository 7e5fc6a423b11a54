/**
 * One streamed response to one client, fed by a producer that can be paused
 * (a push query, a PRINT). Chunks go through a paced writer: past its high
 * water the producer pauses, below half it resumes; a client that takes
 * nothing for too long gets the stall message as an error and is cut off; a
 * transport that fails (the client left) closes the producer. The response
 * ends once its last chunks are taken, or at once when the client went away.
 */
import { KsqlError } from '../common/errors.js';
import { createLogger } from '../common/logger.js';
import { PacedWriter, type WriteMode } from './paced-writer.js';

export interface QueryTransport {
  write(chunk: string, done: (error?: Error | null) => void): void;
  /** Runs several writes as one flush of the transport, when it can. */
  batch?(writes: () => void): void;
  /**
   * Ends the response once everything written has been taken; `error` when the
   * stream failed. `disconnect`: the client reads nothing, so cut the
   * connection if the end cannot be delivered soon.
   */
  finish(error?: KsqlError, disconnect?: boolean): void;
}

export interface StreamLimits {
  /** Chunks queued for a client before its producer pauses. */
  readonly bufferRows: number;
  /** How long a client may take nothing before it is disconnected. */
  readonly stallMs: number;
}

export interface StreamOptions {
  readonly limits: StreamLimits;
  /** How chunks become writes of the transport (see PacedWriter). */
  readonly mode: WriteMode;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { bufferRows: 1000, stallMs: 30_000 };

export interface RunningStream {
  /** The client went away: stop the producer, write nothing more. */
  abandon(): void;
  /** The server is stopping: close the producer and end the response as its end does (the tail goes out). */
  stop(): void;
}

/** What a client stream paces. */
export interface PacedProducer {
  pause(): void;
  resume(): void;
  close(): void;
}

export interface ClientStreamSpec {
  /** The error message for a client that took nothing for `limits.stallMs`. */
  readonly stallMessage: string;
  /** What the log line about such a client names. */
  readonly logFields: Record<string, unknown>;
  /** The chunks that end the response, after an error or not. */
  readonly tail: (error: KsqlError | undefined) => readonly string[];
}

export interface ClientStream extends RunningStream {
  /** Whether the response is ending or ended: nothing more is pushed. */
  readonly finished: boolean;
  /** Sets the producer the stream paces, once it runs. */
  attach(producer: PacedProducer): void;
  push(chunk: string): void;
  /** Writes the tail and ends the response once everything is taken. */
  finish(error?: KsqlError): void;
}

const log = createLogger('server');

export function openClientStream(transport: QueryTransport, options: StreamOptions, spec: ClientStreamSpec): ClientStream {
  const { limits } = options;
  let producer: PacedProducer | undefined;
  let finished = false;

  const end = (error: KsqlError | undefined, disconnect: boolean): void => {
    if (finished) return;
    finished = true;
    const tail = spec.tail(error);
    if (disconnect) {
      // The writer gave up on this client: the last words go straight to the transport.
      for (const chunk of tail) transport.write(chunk, () => {});
      transport.finish(error, true);
      return;
    }
    for (const chunk of tail) writer.push(chunk);
    void writer.drained().then(() => transport.finish(error));
  };

  const writer = new PacedWriter({
    write: (chunk, done) => transport.write(chunk, done),
    batch: transport.batch === undefined ? undefined : (writes) => transport.batch!(writes),
    highWater: limits.bufferRows,
    stallMs: limits.stallMs,
    mode: options.mode,
    onPressure: (paused) => (paused ? producer?.pause() : producer?.resume()),
    onFailed: () => {
      finished = true;
      producer?.close();
    },
    onStall: () => {
      log.warn(spec.logFields, 'slow client disconnected');
      end(new KsqlError('TOO_MANY_REQUESTS', spec.stallMessage), true);
      producer?.close();
    },
  });

  return {
    get finished() {
      return finished;
    },
    attach(p) {
      producer = p;
    },
    push(chunk) {
      writer.push(chunk);
    },
    finish(error) {
      end(error, false);
    },
    abandon() {
      finished = true;
      writer.close();
      producer?.close();
    },
    stop() {
      // A producer's close ends the stream through its end callback; `end` covers one that has none.
      producer?.close();
      end(undefined, false);
    },
  };
}
