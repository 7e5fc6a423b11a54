/**
 * A whole WebSocket text message as one frame from a server (RFC 6455 5.2:
 * FIN set, opcode 1, no mask, no extension bits), header and payload in one
 * buffer. A push row that many subscribers get is framed once and the same
 * bytes go to every socket, one write each.
 */
export function textFrame(payload: Buffer): Buffer {
  const length = payload.length;
  // The payload length takes 7 bits, or 126 and 16 bits, or 127 and 64 bits.
  const headerLength = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 0x10000) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 0x1_0000_0000), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  payload.copy(frame, headerLength);
  return frame;
}
