/**
 * Throughput of the embedded log: appends of 100-byte and 1 KiB records in
 * batches of 1, 100 and 1000 to topics of 1 and 16 partitions, and reads of
 * what was appended. Beside each figure, the machine's own limit measured in
 * the same run: sequential fs.writeSync of the same bytes in the same chunks
 * for appends, an in-memory Buffer copy of the same bytes for reads.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProducerRecord } from '../src/broker/broker.js';
import { openEmbeddedBroker, type EmbeddedBroker } from '../src/broker/embedded/embedded-broker.js';

const KEY_BYTES = 10;
const APPEND_SECONDS = 0.7;
const READ_SECONDS = 0.7;
const MAX_BYTES_PER_CASE = 160 * 1024 * 1024;

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function printResult(name: string, value: number, unit: string, limit: number): void {
  const ratio = limit > 0 ? value / limit : 0;
  process.stdout.write(`RESULT ${name} ${Math.round(value)} ${unit} limit=${Math.round(limit)} ratio=${ratio.toFixed(3)}\n`);
}

/** `count` records of `size` bytes (key plus value), with keys spread over 1000 values. */
function makeRecords(count: number, size: number, salt: number): ProducerRecord[] {
  const records: ProducerRecord[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const key = Buffer.from(`key-${String((i * 7 + salt) % 1000).padStart(6, '0')}`);
    const value = Buffer.alloc(size - KEY_BYTES, 97 + (i % 26));
    records[i] = { key, value, timestamp: 1_700_000_000_000 + i };
  }
  return records;
}

interface AppendOutcome {
  readonly records: number;
  readonly calls: number;
  readonly seconds: number;
}

/** Appends batches of `batch` records until the time or byte budget is spent. */
function appendFor(broker: EmbeddedBroker, topic: string, batch: number, size: number, budgetSeconds: number): AppendOutcome {
  const pool = [makeRecords(batch, size, 0), makeRecords(batch, size, 1), makeRecords(batch, size, 2)];
  const maxRecords = Math.floor(MAX_BYTES_PER_CASE / size);
  let records = 0;
  let calls = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (records < maxRecords) {
    // Check the clock every few calls so that timing does not dominate small batches.
    for (let i = 0; i < 16; i++) {
      broker.append(topic, pool[calls % 3]!);
      calls++;
      records += batch;
    }
    elapsed = seconds(start);
    if (elapsed >= budgetSeconds) break;
  }
  return { records, calls, seconds: elapsed };
}

/** Records/s of plain sequential writeSync calls of the same bytes in the same chunks. */
function measureWriteLimit(dir: string, batch: number, size: number, calls: number): number {
  const chunk = Buffer.alloc(batch * size, 120);
  const path = join(dir, 'limit.bin');
  const fd = openSync(path, 'w');
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) writeSync(fd, chunk);
  const elapsed = seconds(start);
  closeSync(fd);
  rmSync(path);
  return (calls * batch) / elapsed;
}

/** Reads every partition from its start until the time budget is spent; records/s. */
function readFor(broker: EmbeddedBroker, topic: string, partitions: number, budgetSeconds: number): { records: number; seconds: number } {
  let records = 0;
  const start = process.hrtime.bigint();
  for (let p = 0; p < partitions; p++) {
    const end = broker.latestOffset(topic, p);
    let offset = broker.earliestOffset(topic, p);
    while (offset < end) {
      const got = broker.read(topic, p, offset, { maxRecords: 5000 });
      records += got.length;
      offset = got[got.length - 1]!.offset + 1;
      if (seconds(start) >= budgetSeconds) return { records, seconds: seconds(start) };
    }
  }
  return { records, seconds: seconds(start) };
}

/** Records/s of copying the same bytes in memory, a stored batch's worth at a time. */
function measureCopyLimit(records: number, batch: number, size: number): number {
  const chunkBytes = batch * size;
  const source = Buffer.alloc(Math.min(64 * 1024 * 1024, Math.max(chunkBytes, 1024 * 1024)), 1);
  const target = Buffer.alloc(source.length);
  const totalBytes = records * size;
  let copied = 0;
  let at = 0;
  const start = process.hrtime.bigint();
  while (copied < totalBytes) {
    if (at + chunkBytes > source.length) at = 0;
    source.copy(target, at, at, at + chunkBytes);
    at += chunkBytes;
    copied += chunkBytes;
  }
  return records / seconds(start);
}

interface Case {
  readonly size: number;
  readonly label: string;
  readonly batch: number;
  readonly partitions: number;
}

function runCase(root: string, c: Case, readName: string | null): void {
  const dir = mkdtempSync(join(root, 'case-'));
  const broker = openEmbeddedBroker({ dataDir: dir, flush: 'os' });
  try {
    broker.createTopic('bench', { partitions: c.partitions, config: { 'retention.ms': -1 } });
    const budget = c.batch === 1 ? APPEND_SECONDS / 2 : APPEND_SECONDS;
    const appended = appendFor(broker, 'bench', c.batch, c.size, budget);
    const suffix = c.partitions === 1 ? '' : `.p${c.partitions}`;
    const writeLimit = measureWriteLimit(dir, c.batch, c.size, appended.calls);
    printResult(`log.append.${c.label}.batch${c.batch}${suffix}`, appended.records / appended.seconds, 'records/s', writeLimit);
    if (readName !== null) {
      const read = readFor(broker, 'bench', c.partitions, READ_SECONDS);
      const storedBatch = Math.max(1, Math.round(c.batch / c.partitions));
      printResult(readName, read.records / read.seconds, 'records/s', measureCopyLimit(read.records, storedBatch, c.size));
    }
  } finally {
    broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function warmUp(root: string): void {
  const dir = mkdtempSync(join(root, 'warm-'));
  const broker = openEmbeddedBroker({ dataDir: dir });
  try {
    broker.createTopic('warm', { partitions: 1 });
    appendFor(broker, 'warm', 1000, 100, 0.3);
    readFor(broker, 'warm', 1, 0.3);
  } finally {
    broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function runLogBenchmark(): void {
  const root = mkdtempSync(join(tmpdir(), 'ksqlite-bench-log-'));
  try {
    warmUp(root);
    for (const [size, label] of [
      [100, '100b'],
      [1024, '1kib'],
    ] as const) {
      for (const partitions of [1, 16]) {
        for (const batch of [1, 100, 1000]) {
          const suffix = partitions === 1 ? '' : `.p${partitions}`;
          const readName = batch === 1000 ? `log.read.${label}${suffix}` : batch === 1 && partitions === 1 ? `log.read.${label}.batch1` : null;
          runCase(root, { size, label, batch, partitions }, readName);
        }
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
