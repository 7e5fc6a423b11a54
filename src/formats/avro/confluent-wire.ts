/**
 * Confluent's wire format: magic byte 0, the writer schema's id as a 4-byte
 * big-endian integer, then the encoded payload.
 */
const MAGIC_BYTE = 0;
/** The magic byte and the schema id: where the payload starts. */
export const HEADER_SIZE = 5;

export function frame(schemaId: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_SIZE);
  header[0] = MAGIC_BYTE;
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, payload]);
}

/** The schema id of framed bytes, or undefined when they are not framed. */
export function framedSchemaId(bytes: Buffer): number | undefined {
  return bytes.length < HEADER_SIZE || bytes[0] !== MAGIC_BYTE ? undefined : bytes.readInt32BE(1);
}

/** The schema id and payload of framed bytes; throws with Confluent's reason when they are not framed. */
export function unframe(bytes: Buffer): { schemaId: number; payload: Buffer } {
  const schemaId = framedSchemaId(bytes);
  if (schemaId === undefined) throw new Error('Unknown magic byte!');
  return { schemaId, payload: bytes.subarray(HEADER_SIZE) };
}
