/**
 * State store throughput: an aggregation's per-record pattern, get(key) then
 * put(key, new value), over 10 000 keys of 10 bytes with 32-byte values,
 * committing (flushing inside a broker transaction) every 500 records, so the
 * figure includes the SQLite writes. Beside it, the limit: the same get+set
 * pattern on a plain in-memory Map with the same keys.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedBroker } from '../src/broker/embedded/embedded-broker.js';
import { openStoreRegistry } from '../src/state/index.js';

const KEYS = 10_000;
const BATCH = 500;
const SECONDS = 1;

function printResult(name: string, value: number, unit: string, limit: number): void {
  const ratio = limit > 0 ? value / limit : 0;
  process.stdout.write(`RESULT ${name} ${Math.round(value)} ${unit} limit=${Math.round(limit)} ratio=${ratio.toFixed(3)}\n`);
}

function makeKeys(): Buffer[] {
  return Array.from({ length: KEYS }, (_, i) => Buffer.from(`key-${String(i).padStart(6, '0')}`));
}

/** A key sequence with some locality, as grouped input has: index i of a batch. */
function keyIndex(op: number): number {
  return (op * 7919) % KEYS;
}

/** get + put pairs per second on a store, committing every BATCH pairs. */
function measureStore(keys: readonly Buffer[], values: readonly Buffer[]): number {
  const dir = mkdtempSync(join(tmpdir(), 'ksqlite-bench-state-'));
  const broker = openEmbeddedBroker({ dataDir: dir });
  try {
    const kv = openStoreRegistry(broker.database).openKeyValueStore({ query: 'BENCH', name: 'kv', partition: 0 });
    const flush = () => kv.flush();
    let ops = 0;
    let sink = 0;
    const start = performance.now();
    while (performance.now() - start < SECONDS * 1000) {
      for (let i = 0; i < BATCH; i++, ops++) {
        const key = keys[keyIndex(ops)]!;
        const previous = kv.get(key);
        sink += previous === null ? 0 : previous.length;
        kv.put(key, values[ops & 15]!);
      }
      broker.commitTransaction({ participants: [{ commit: flush }] });
    }
    const elapsed = (performance.now() - start) / 1000;
    if (sink < 0) process.stdout.write('');
    return ops / elapsed;
  } finally {
    broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** get + set pairs per second on a Map keyed by the same keys as strings. */
function measureMap(keys: readonly Buffer[], values: readonly Buffer[]): number {
  const ids = keys.map((k) => k.toString('latin1'));
  const map = new Map<string, Buffer>();
  let ops = 0;
  let sink = 0;
  const start = performance.now();
  while (performance.now() - start < SECONDS * 1000) {
    for (let i = 0; i < BATCH; i++, ops++) {
      const id = ids[keyIndex(ops)]!;
      const previous = map.get(id);
      sink += previous === undefined ? 0 : previous.length;
      map.set(id, values[ops & 15]!);
    }
  }
  const elapsed = (performance.now() - start) / 1000;
  if (sink < 0) process.stdout.write('');
  return ops / elapsed;
}

export function runStateBenchmark(): void {
  const keys = makeKeys();
  const values = Array.from({ length: 16 }, (_, i) => Buffer.alloc(32, 97 + i));
  measureStore(keys, values); // warm-up
  const store = measureStore(keys, values);
  const limit = measureMap(keys, values);
  printResult('state.kv.put-get', store, 'ops/s', limit);
}
