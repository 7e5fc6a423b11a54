/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum Kafka's
 * RecordBatch v2 carries. Table-driven, slicing-by-16: sixteen 256-entry
 * tables let the inner loop fold sixteen bytes per step, read as four 32-bit
 * little-endian words through an aligned Int32Array view. Big-endian hosts
 * and short inputs take the bytewise loop.
 */

const POLY = 0x82f63b78;
const SLICES = 16;

function buildTables(): Int32Array {
  const tables = new Int32Array(SLICES * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    tables[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[n]!;
    for (let t = 1; t < SLICES; t++) {
      c = tables[c & 0xff]! ^ (c >>> 8);
      tables[t * 256 + n] = c;
    }
  }
  return tables;
}

const T = buildTables();
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Folds whole 16-byte blocks of aligned little-endian words into `c`. */
function foldWords(c: number, words: Int32Array): number {
  const n = words.length;
  for (let j = 0; j < n; j += 4) {
    const a = c ^ words[j]!;
    const b = words[j + 1]!;
    const d = words[j + 2]!;
    const e = words[j + 3]!;
    c =
      T[3840 + (a & 0xff)]! ^
      T[3584 + ((a >>> 8) & 0xff)]! ^
      T[3328 + ((a >>> 16) & 0xff)]! ^
      T[3072 + (a >>> 24)]! ^
      T[2816 + (b & 0xff)]! ^
      T[2560 + ((b >>> 8) & 0xff)]! ^
      T[2304 + ((b >>> 16) & 0xff)]! ^
      T[2048 + (b >>> 24)]! ^
      T[1792 + (d & 0xff)]! ^
      T[1536 + ((d >>> 8) & 0xff)]! ^
      T[1280 + ((d >>> 16) & 0xff)]! ^
      T[1024 + (d >>> 24)]! ^
      T[768 + (e & 0xff)]! ^
      T[512 + ((e >>> 8) & 0xff)]! ^
      T[256 + ((e >>> 16) & 0xff)]! ^
      T[e >>> 24]!;
  }
  return c;
}

/**
 * Continues a CRC-32C over `bytes[start, end)`. Pass the previous result as
 * `crc` to checksum data in pieces; start with 0. Returns an unsigned 32-bit value.
 */
export function updateCrc32c(crc: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = ~crc;
  let i = start;
  if (LITTLE_ENDIAN && end - start >= 64) {
    while (((bytes.byteOffset + i) & 3) !== 0) {
      c = T[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
      i++;
    }
    const wordCount = ((end - i) >>> 4) << 2;
    c = foldWords(c, new Int32Array(bytes.buffer, bytes.byteOffset + i, wordCount));
    i += wordCount * 4;
  }
  while (i < end) {
    c = T[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
    i++;
  }
  return ~c >>> 0;
}

/** The CRC-32C of `bytes[start, end)`, unsigned. */
export function computeCrc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return updateCrc32c(0, bytes, start, end);
}
