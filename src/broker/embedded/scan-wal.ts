/**
 * A check of SQLite's write-ahead log before the database is opened.
 *
 * SQLite reads a WAL (sqlite.org/fileformat2.html#walformat) frame by frame
 * and stops at the first frame whose salts or cumulative checksum do not
 * match: that frame and every frame after it are ignored without a word, and
 * the next write overwrites them. One flipped byte in an early frame thus
 * loses every transaction committed after it. This scan finds such a frame
 * and counts the commit frames of the current WAL generation (same salts as
 * the header) that follow it. Frames a checkpoint already copied into the
 * database are not lost: the wal-index (`-shm`, which a crash leaves behind)
 * records how many frames of this generation were copied (nBackfill, set only
 * after the copy); without it, the newest committed version of every page the
 * ignored frames hold is compared with that page in the database file. When
 * the bad frame itself was copied, the WAL must not be read at all.
 *
 * Layout: a 32-byte header (magic 0x377f0682 or 0x377f0683: checksum words
 * little- or big-endian; page size; salts; checksum of its first 24 bytes),
 * then frames of a 24-byte header (page number, database size after commit
 * or 0, salts, cumulative checksum over the first 8 header bytes and the page)
 * and the page. Header fields are big-endian. The file is read in chunks.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface WalLoss {
  /** Frames of the current generation, from 1. */
  readonly frames: number;
  /** The first frame SQLite rejects (from 1), and why. */
  readonly badFrame: number;
  readonly problem: string;
  /** Frames of the current generation from badFrame on that are not in the database file, and the commits among them. */
  readonly framesLost: number;
  readonly commitsLost: number;
  /**
   * A checkpoint copied the bad frame into the database file: the file alone is the newest
   * consistent state, and the WAL must be set aside unread (SQLite would lay the older frames
   * before the bad one over newer pages). Otherwise SQLite reads the frames before it.
   */
  readonly discardWal: boolean;
}

const HEADER_SIZE = 32;
const FRAME_HEADER_SIZE = 24;
const MAGIC_LITTLE_ENDIAN = 0x377f0682;
const MAGIC_BIG_ENDIAN = 0x377f0683;
const CHUNK_BYTES = 4 * 1024 * 1024;
const MACHINE_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function isPageSize(n: number): boolean {
  return n >= 512 && n <= 65536 && (n & (n - 1)) === 0;
}

function swap32(x: number): number {
  return ((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
}

/**
 * SQLite's WAL checksum over 32-bit words [from, to) of `words` (pairs), continuing from `sum`;
 * `swap` when the words must be byte-swapped to the checksum's byte order. Updates `sum` in place.
 */
function checksum(words: Int32Array, from: number, to: number, swap: boolean, sum: Int32Array): void {
  let s0 = sum[0]!;
  let s1 = sum[1]!;
  if (swap) {
    for (let i = from; i < to; i += 2) {
      s0 = (s0 + swap32(words[i]!) + s1) | 0;
      s1 = (s1 + swap32(words[i + 1]!) + s0) | 0;
    }
  } else {
    for (let i = from; i < to; i += 2) {
      s0 = (s0 + words[i]! + s1) | 0;
      s1 = (s1 + words[i + 1]! + s0) | 0;
    }
  }
  sum[0] = s0;
  sum[1] = s1;
}

function readAt(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.alloc(length);
  let at = 0;
  while (at < length) {
    const n = readSync(fd, buffer, at, length - at, position + at);
    if (n === 0) break;
    at += n;
  }
  return at === length ? buffer : buffer.subarray(0, at);
}

/** The page size recorded in the database file's header (bytes 16-17; 1 means 65536), or 0. */
function databasePageSize(dbPath: string): number {
  try {
    const fd = openSync(dbPath, 'r');
    try {
      const header = readAt(fd, 18, 0);
      if (header.length < 18) return 0;
      const size = header.readUInt16BE(16);
      return size === 1 ? 65536 : size;
    } finally {
      closeSync(fd);
    }
  } catch {
    return 0;
  }
}

interface LostFrame {
  readonly index: number;
  readonly page: number;
  readonly commit: boolean;
}

/**
 * Whether the newest committed version of every page in `lost` (frames after the bad one, up
 * to the last commit) is already in the database file: a checkpoint copied it there.
 */
function alreadyCheckpointed(walFd: number, dbPath: string, lost: readonly LostFrame[], pageSize: number): boolean {
  let lastCommit = -1;
  for (let i = 0; i < lost.length; i++) if (lost[i]!.commit) lastCommit = i;
  const newest = new Map<number, number>();
  for (let i = 0; i <= lastCommit; i++) newest.set(lost[i]!.page, lost[i]!.index);
  let dbFd: number;
  try {
    dbFd = openSync(dbPath, 'r');
  } catch {
    return false;
  }
  try {
    for (const [page, index] of newest) {
      if (page < 1) return false;
      const inWal = readAt(walFd, pageSize, HEADER_SIZE + index * (FRAME_HEADER_SIZE + pageSize) + FRAME_HEADER_SIZE);
      const inDatabase = readAt(dbFd, pageSize, (page - 1) * pageSize);
      if (inWal.length !== pageSize || !inWal.equals(inDatabase)) return false;
    }
    return true;
  } finally {
    closeSync(dbFd);
  }
}

/**
 * Frames of the WAL generation with `salts` (the 8 salt bytes of the WAL header) that a checkpoint
 * copied into the database, from the wal-index: header copy 1's salts at 32, nBackfill at 96
 * (native byte order). null when the wal-index is missing or of another generation.
 */
function checkpointedFrames(shmPath: string, salts: Buffer): number | null {
  let fd: number;
  try {
    fd = openSync(shmPath, 'r');
  } catch {
    return null;
  }
  try {
    const index = readAt(fd, 100, 0);
    if (index.length < 100 || index[12] !== 1 || !index.subarray(32, 40).equals(salts)) return null;
    return MACHINE_LITTLE_ENDIAN ? index.readUInt32LE(96) : index.readUInt32BE(96);
  } finally {
    closeSync(fd);
  }
}

/** What SQLite would silently ignore of the WAL at `walPath`, or null when the WAL is sound (or only its uncommitted tail is bad). */
export function scanWal(walPath: string, dbPath: string): WalLoss | null {
  let fd: number;
  try {
    fd = openSync(walPath, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return scanOpenWal(fd, dbPath);
  } finally {
    closeSync(fd);
  }
}

function scanOpenWal(fd: number, dbPath: string): WalLoss | null {
  const size = fstatSync(fd).size;
  if (size < HEADER_SIZE + FRAME_HEADER_SIZE) return null;
  const header = readAt(fd, HEADER_SIZE, 0);
  const magic = header.readUInt32BE(0);
  const statedPageSize = header.readUInt32BE(8);
  const magicOk = magic === MAGIC_LITTLE_ENDIAN || magic === MAGIC_BIG_ENDIAN;
  const pageSize = isPageSize(statedPageSize) ? statedPageSize : databasePageSize(dbPath);
  if (!isPageSize(pageSize)) return null;
  // A damaged magic hides the byte order: SQLite writes its machine's.
  const checksumLittleEndian = magicOk ? magic === MAGIC_LITTLE_ENDIAN : MACHINE_LITTLE_ENDIAN;
  const swap = checksumLittleEndian !== MACHINE_LITTLE_ENDIAN;
  const sum = new Int32Array(2);
  const headerWords = new Int32Array(header.buffer, header.byteOffset, HEADER_SIZE / 4);
  checksum(headerWords, 0, 6, swap, sum);
  const headerOk = magicOk && statedPageSize === pageSize && sum[0] === header.readInt32BE(24) && sum[1] === header.readInt32BE(28);

  const frameSize = FRAME_HEADER_SIZE + pageSize;
  const frameCount = Math.floor((size - HEADER_SIZE) / frameSize);
  const framesPerChunk = Math.max(1, Math.floor(CHUNK_BYTES / frameSize));
  const chunk = Buffer.alloc(framesPerChunk * frameSize);
  const words = new Int32Array(chunk.buffer, chunk.byteOffset, chunk.length / 4);
  // The current generation's salts: the header's, or frame 1's when the header itself is damaged.
  let salt1 = header.readInt32BE(16);
  let salt2 = header.readInt32BE(20);
  let badFrame = headerOk ? -1 : 0;
  let problem = headerOk ? '' : 'the WAL header fails its check';
  let soundFrames = 0;
  let bad: LostFrame | undefined;
  let badIsCurrent = false;
  const after: LostFrame[] = [];
  for (let first = 0; first < frameCount; first += framesPerChunk) {
    const count = Math.min(framesPerChunk, frameCount - first);
    readSync(fd, chunk, 0, count * frameSize, HEADER_SIZE + first * frameSize);
    for (let f = 0; f < count; f++) {
      const index = first + f;
      const at = f * frameSize;
      if (index === 0 && !headerOk) {
        salt1 = chunk.readInt32BE(at + 8);
        salt2 = chunk.readInt32BE(at + 12);
      }
      const current = chunk.readInt32BE(at + 8) === salt1 && chunk.readInt32BE(at + 12) === salt2;
      const frame = { index, page: chunk.readUInt32BE(at), commit: chunk.readUInt32BE(at + 4) !== 0 };
      if (badFrame < 0) {
        const w = at / 4;
        checksum(words, w, w + 2, swap, sum);
        checksum(words, w + FRAME_HEADER_SIZE / 4, w + frameSize / 4, swap, sum);
        if (current && sum[0] === chunk.readInt32BE(at + 16) && sum[1] === chunk.readInt32BE(at + 20)) {
          soundFrames++;
          continue;
        }
        badFrame = index;
        problem = current ? 'checksum mismatch' : 'salts do not match the header';
      }
      if (index === badFrame) {
        bad = frame;
        badIsCurrent = current;
      } else if (current) {
        after.push(frame);
      }
    }
  }
  if (bad === undefined) return null;
  // A bad frame of an older generation with nothing current after it is just where the log ends.
  const lost = badIsCurrent || after.length > 0 ? [bad, ...after] : after;
  if (!lost.some((frame) => frame.commit)) return null;
  // Frames [0, copied) are in the database file. Once the bad frame is among them, SQLite must not
  // read the WAL at all: the frames before it are older than the pages the database file holds.
  const known = checkpointedFrames(`${dbPath}-shm`, header.subarray(16, 24));
  const copied = known ?? (alreadyCheckpointed(fd, dbPath, lost, pageSize) ? Number.POSITIVE_INFINITY : 0);
  const discardWal = copied > badFrame;
  const unread = discardWal ? lost.filter((frame) => frame.index >= copied) : lost;
  return {
    frames: soundFrames + lost.length,
    badFrame: badFrame + 1,
    problem,
    framesLost: unread.length,
    commitsLost: unread.filter((frame) => frame.commit).length,
    discardWal,
  };
}
