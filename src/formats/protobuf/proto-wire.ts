/**
 * Confluent's Protobuf wire format: magic byte 0 and the schema id
 * (confluent-wire.ts), then the message indexes of the written message in
 * its file, then the message. The indexes are a count and that many
 * indexes, all zig-zag varints; the common `[0]` (the file's first message)
 * is written as a single 0 byte, a count of zero.
 */
import { frame, unframe } from '../avro/confluent-wire.js';

export function frameMessage(schemaId: number, indexes: readonly number[], payload: Uint8Array): Buffer {
  const header: number[] = [];
  if (indexes.length === 1 && indexes[0] === 0) {
    header.push(0);
  } else {
    writeZigZag(header, indexes.length);
    for (const index of indexes) writeZigZag(header, index);
  }
  return frame(schemaId, Buffer.concat([Buffer.from(header), payload]));
}

/** The schema id, message indexes and message bytes of a framed record; throws with the reason when it is not one. */
export function unframeMessage(bytes: Buffer): { schemaId: number; indexes: number[]; payload: Buffer } {
  const { schemaId, payload } = unframe(bytes);
  const cursor = { at: 0 };
  const count = readZigZag(payload, cursor);
  if (count < 0 || count > payload.length) throw new Error(`Invalid message indexes: count ${count}`);
  const indexes: number[] = [];
  for (let i = 0; i < count; i++) indexes.push(readZigZag(payload, cursor));
  return { schemaId, indexes: count === 0 ? [0] : indexes, payload: payload.subarray(cursor.at) };
}

function writeZigZag(out: number[], value: number): void {
  let n = ((value << 1) ^ (value >> 31)) >>> 0;
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
}

function readZigZag(bytes: Buffer, cursor: { at: number }): number {
  let result = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (cursor.at >= bytes.length) throw new Error('Invalid message indexes: the record ends inside them');
    const byte = bytes[cursor.at++]!;
    result |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return (result >>> 1) ^ -(result & 1);
  }
  throw new Error('Invalid message indexes: a varint is too long');
}
