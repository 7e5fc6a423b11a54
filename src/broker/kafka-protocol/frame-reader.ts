/**
 * Splits a connection's byte stream into Kafka frames (an int32 size, then
 * that many bytes). A size below the smallest request header or above the cap
 * is refused before anything is buffered for it, so a bad or hostile prefix
 * (a 1 GiB size) costs nothing; only one frame's bytes are ever held.
 */
import { ProtocolError } from './protocol-error.js';

/** api key, api version and correlation id: the least any request carries. */
export const MIN_FRAME_SIZE = 8;

export class FrameReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private minFrameBytes = MIN_FRAME_SIZE;

  constructor(private maxFrameBytes: number) {}

  /** Changes the sizes accepted from the next frame on (a SASL token has no request header; before authentication frames are smaller). */
  setBounds(minFrameBytes: number, maxFrameBytes: number): void {
    this.minFrameBytes = minFrameBytes;
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Bytes received that do not yet make a whole frame. */
  get buffered(): number {
    return this.pendingBytes;
  }

  /** Adds received bytes; returns the frames (without their size prefix) they complete. */
  push(chunk: Buffer): Buffer[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const frames: Buffer[] = [];
    while (this.pendingBytes >= 4) {
      const head = this.pending[0]!.length >= 4 ? this.pending[0]! : this.gather();
      const size = head.readInt32BE(0);
      if (size < this.minFrameBytes || size > this.maxFrameBytes) {
        throw new ProtocolError(`frame size ${size} is outside ${this.minFrameBytes} to ${this.maxFrameBytes} bytes`);
      }
      if (this.pendingBytes < 4 + size) break;
      const all = this.gather();
      frames.push(all.subarray(4, 4 + size));
      const rest = all.subarray(4 + size);
      this.pending = rest.length > 0 ? [rest] : [];
      this.pendingBytes = rest.length;
    }
    return frames;
  }

  private gather(): Buffer {
    if (this.pending.length > 1) this.pending = [Buffer.concat(this.pending, this.pendingBytes)];
    return this.pending[0]!;
  }
}
