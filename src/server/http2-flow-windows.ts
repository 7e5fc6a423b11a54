/**
 * The HTTP/2 send windows of one connection, read off the frames that pass
 * through it: the client's SETTINGS (initial window size, largest frame) and
 * WINDOW_UPDATEs coming in, the server's DATA frames going out. Node tells
 * neither a stream's send window nor when it grows; a write that meets a
 * nearly spent window goes out as two DATA frames, and clients that parse
 * each frame as one document (ksqlDB's delimited rows) then fail. Writers
 * that need one chunk per frame wait here until their chunk fits whole.
 */
const PREFACE_LENGTH = 24;
const FRAME_HEADER_LENGTH = 9;
const DEFAULT_WINDOW = 65_535;
const DEFAULT_MAX_FRAME = 16_384;

const DATA = 0x0;
const HEADERS = 0x1;
const RST_STREAM = 0x3;
const SETTINGS = 0x4;
const WINDOW_UPDATE = 0x8;
const FLAG_END_STREAM = 0x1;
const FLAG_ACK = 0x1;
const SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
const SETTINGS_MAX_FRAME_SIZE = 0x5;

/** Reads frame headers off one direction of a connection, keeping the payloads it needs. */
class FrameReader {
  private header = Buffer.alloc(FRAME_HEADER_LENGTH);
  private headerFill = 0;
  private skip: number;
  private payload: Buffer | undefined;
  private payloadFill = 0;
  private type = 0;
  private flags = 0;
  private stream = 0;

  constructor(
    skipFirst: number,
    private readonly wantsPayload: (type: number) => boolean,
    private readonly onFrame: (type: number, flags: number, stream: number, length: number, payload: Buffer | undefined) => void,
  ) {
    this.skip = skipFirst;
  }

  read(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - at);
        this.skip -= n;
        at += n;
        continue;
      }
      if (this.payload !== undefined) {
        const n = Math.min(this.payload.length - this.payloadFill, chunk.length - at);
        chunk.copy(this.payload, this.payloadFill, at, at + n);
        this.payloadFill += n;
        at += n;
        if (this.payloadFill === this.payload.length) {
          const payload = this.payload;
          this.payload = undefined;
          this.onFrame(this.type, this.flags, this.stream, payload.length, payload);
        }
        continue;
      }
      const n = Math.min(FRAME_HEADER_LENGTH - this.headerFill, chunk.length - at);
      chunk.copy(this.header, this.headerFill, at, at + n);
      this.headerFill += n;
      at += n;
      if (this.headerFill < FRAME_HEADER_LENGTH) continue;
      this.headerFill = 0;
      const length = this.header.readUIntBE(0, 3);
      this.type = this.header[3]!;
      this.flags = this.header[4]!;
      this.stream = this.header.readUInt32BE(5) & 0x7fffffff;
      if (length > 0 && this.wantsPayload(this.type)) {
        this.payload = Buffer.alloc(length);
        this.payloadFill = 0;
        continue;
      }
      this.skip = length;
      this.onFrame(this.type, this.flags, this.stream, length, undefined);
    }
  }
}

interface Waiter {
  readonly stream: number;
  readonly bytes: number;
  readonly ready: () => void;
}

export class FlowWindows {
  private initialWindow = DEFAULT_WINDOW;
  private maxFrame = DEFAULT_MAX_FRAME;
  private connection = DEFAULT_WINDOW;
  /** Each open stream's send window, as its frames have spent and refilled it. */
  private readonly streams = new Map<number, number>();
  /** Bytes handed to a stream whose DATA frames have not gone out yet. */
  private readonly unsent = new Map<number, number>();
  private waiters: Waiter[] = [];
  private readonly incoming = new FrameReader(PREFACE_LENGTH, (type) => type === SETTINGS || type === WINDOW_UPDATE,
    (type, flags, stream, _length, payload) => this.onClientFrame(type, flags, stream, payload));
  private readonly outgoing = new FrameReader(0, () => false,
    (type, flags, stream, length) => this.onServerFrame(type, flags, stream, length));

  private wakeScheduled = false;

  /**
   * Bytes from the client (from the connection preface on). Waiters wake on
   * a later turn, once the session has taken the same bytes: a write before
   * it has seen a WINDOW_UPDATE would meet the old window.
   */
  readIncoming(chunk: Buffer): void {
    this.incoming.read(chunk);
    if (this.waiters.length === 0 || this.wakeScheduled) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      this.wakeWaiters();
    });
  }

  /** Bytes the server sends. */
  readOutgoing(chunk: Buffer): void {
    this.outgoing.read(chunk);
    this.wakeWaiters();
  }

  /**
   * Runs `ready` once `bytes` more can go out on `stream` as one DATA frame
   * (at once if they can now). A chunk too large to wait for (see `fits`)
   * does not wait.
   */
  whenRoom(stream: number, bytes: number, ready: () => void): void {
    if (this.fits(stream, bytes)) {
      this.reserve(stream, bytes);
      ready();
      return;
    }
    this.waiters.push({ stream, bytes, ready });
  }

  /**
   * Waiting is safe only for chunks of at most half the initial window:
   * clients (nghttp2, Netty) return window once half of it is used, so a
   * larger chunk could wait for an update that never comes. Those, and
   * chunks over the largest frame, go out at once and may be split.
   */
  private fits(stream: number, bytes: number): boolean {
    if (bytes > this.maxFrame || bytes * 2 > this.initialWindow) return true;
    const pending = this.unsent.get(stream) ?? 0;
    const window = this.streams.get(stream) ?? this.initialWindow;
    return window - pending >= bytes && this.connection - pending >= bytes;
  }

  private reserve(stream: number, bytes: number): void {
    this.unsent.set(stream, (this.unsent.get(stream) ?? 0) + bytes);
  }

  private wakeWaiters(): void {
    if (this.waiters.length === 0) return;
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) {
      if (this.fits(w.stream, w.bytes)) {
        this.reserve(w.stream, w.bytes);
        w.ready();
      } else {
        this.waiters.push(w);
      }
    }
  }

  private onClientFrame(type: number, flags: number, stream: number, payload: Buffer | undefined): void {
    if (type === SETTINGS && (flags & FLAG_ACK) === 0 && payload !== undefined) {
      for (let at = 0; at + 6 <= payload.length; at += 6) {
        const id = payload.readUInt16BE(at);
        const value = payload.readUInt32BE(at + 2);
        if (id === SETTINGS_INITIAL_WINDOW_SIZE) {
          // A new initial size moves every open stream's window by the difference.
          const delta = value - this.initialWindow;
          this.initialWindow = value;
          for (const [s, w] of this.streams) this.streams.set(s, w + delta);
        } else if (id === SETTINGS_MAX_FRAME_SIZE) {
          this.maxFrame = value;
        }
      }
    } else if (type === WINDOW_UPDATE && payload !== undefined && payload.length >= 4) {
      const increment = payload.readUInt32BE(0) & 0x7fffffff;
      if (stream === 0) this.connection += increment;
      else if (this.streams.has(stream)) this.streams.set(stream, this.streams.get(stream)! + increment);
    } else if (type === HEADERS && !this.streams.has(stream)) {
      this.streams.set(stream, this.initialWindow);
    } else if (type === RST_STREAM) {
      this.forget(stream);
    }
  }

  private onServerFrame(type: number, flags: number, stream: number, length: number): void {
    if (type === DATA) {
      this.connection -= length;
      if (this.streams.has(stream)) this.streams.set(stream, this.streams.get(stream)! - length);
      const pending = this.unsent.get(stream);
      if (pending !== undefined) {
        if (pending <= length) this.unsent.delete(stream);
        else this.unsent.set(stream, pending - length);
      }
    }
    if (((type === DATA || type === HEADERS) && (flags & FLAG_END_STREAM) !== 0) || type === RST_STREAM) this.forget(stream);
  }

  private forget(stream: number): void {
    this.streams.delete(stream);
    this.unsent.delete(stream);
    const waiting = this.waiters.filter((w) => w.stream === stream);
    if (waiting.length === 0) return;
    // The stream is over: whatever waited is written (and dropped by the closed stream).
    this.waiters = this.waiters.filter((w) => w.stream !== stream);
    for (const w of waiting) w.ready();
  }
}
