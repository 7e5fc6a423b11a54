/** The 100-byte record values `npm run bench -- wire` sends: the index, then filler; a value names its offset. */
export const WIRE_RECORD_BYTES = 100;

export function wireText(i: number): string {
  return `${String(i).padStart(10, '0')}:`.padEnd(WIRE_RECORD_BYTES, String.fromCharCode(97 + (i % 26)));
}

export function wireValue(i: number): Buffer {
  return Buffer.from(wireText(i), 'latin1');
}
