import test from 'ava';
import fc from 'fast-check';
import { openEmbeddedBroker } from '../../src/broker/embedded/embedded-broker.js';
import { openStoreRegistry } from '../../src/state/index.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { b, commit, entries, s, withStores } from './temp-stores.js';

const store = { query: 'Q1', name: 'agg', partition: 0 };

test('a put is read back before and after it is flushed', (t) =>
  withStores((registry, broker) => {
    const kv = registry.openKeyValueStore(store);
    t.is(kv.get(b('a')), null);
    kv.put(b('a'), b('1'));
    t.is(s(kv.get(b('a'))), '1');
    commit(broker, () => kv.flush());
    t.is(s(kv.get(b('a'))), '1');
    kv.close();
    const again = registry.openKeyValueStore(store);
    t.is(s(again.get(b('a'))), '1');
  }));

test('reads of cached keys do no SQL, and the cache still answers after a flush', (t) =>
  withStores((registry, broker) => {
    const kv = registry.openKeyValueStore(store);
    kv.put(b('k'), b('v'));
    commit(broker, () => kv.flush());
    // Change the row behind the store's back: a cached read must not see it.
    broker.database.prepare('UPDATE state_kv SET value = ?').run(b('changed'));
    t.is(s(kv.get(b('k'))), 'v');
  }));

test('a delete hides the key at once and removes it from storage at the flush', (t) =>
  withStores((registry, broker) => {
    const kv = registry.openKeyValueStore(store);
    kv.put(b('a'), b('1'));
    kv.put(b('b'), b('2'));
    commit(broker, () => kv.flush());
    kv.delete(b('a'));
    t.is(kv.get(b('a')), null);
    t.deepEqual(entries(kv.all()), [['b', '2']]);
    commit(broker, () => kv.flush());
    t.is(broker.database.prepare('SELECT COUNT(*) FROM state_kv').pluck().get(), 1);
    kv.put(b('c'), null);
    t.is(kv.get(b('c')), null, 'put of null is a delete');
  }));

test('abort forgets every write since the last successful commit, also writes flushed by a failed commit', (t) =>
  withStores((registry, broker) => {
    const kv = registry.openKeyValueStore(store);
    kv.put(b('a'), b('committed'));
    commit(broker, () => kv.flush());
    kv.put(b('a'), b('staged'));
    kv.put(b('b'), b('staged'));
    t.throws(() =>
      commit(broker, () => {
        kv.flush();
        throw new Error('the commit fails after the flush');
      }),
    );
    kv.abort();
    t.is(s(kv.get(b('a'))), 'committed');
    t.is(kv.get(b('b')), null);
    t.deepEqual(entries(kv.all()), [['a', 'committed']]);
  }));

test('scans return keys in unsigned byte order, merging staged writes with storage', (t) =>
  withStores((registry, broker) => {
    const kv = registry.openKeyValueStore(store);
    const keys = [Buffer.from([0x00]), Buffer.from([0x7f]), Buffer.from([0x80]), Buffer.from([0xff]), Buffer.from([0x80, 0x00]), Buffer.alloc(0)];
    keys.forEach((k, i) => kv.put(k, b(String(i))));
    commit(broker, () => kv.flush());
    kv.put(Buffer.from([0x7f, 0x01]), b('staged'));
    kv.delete(Buffer.from([0x80]));
    const hex = [...kv.all()].map((e) => e.key.toString('hex'));
    t.deepEqual(hex, ['', '00', '7f', '7f01', '8000', 'ff']);
  }));

test('range bounds are inclusive and null bounds are open', (t) =>
  withStores((registry, broker) => {
    const kv = registry.openKeyValueStore(store);
    for (const k of ['a', 'b', 'c', 'd']) kv.put(b(k), b(k.toUpperCase()));
    commit(broker, () => kv.flush());
    kv.put(b('bb'), b('BB'));
    t.deepEqual(entries(kv.range(b('b'), b('c'))), [
      ['b', 'B'],
      ['bb', 'BB'],
      ['c', 'C'],
    ]);
    t.deepEqual(entries(kv.range(null, b('b'))).map((e) => e[0]), ['a', 'b']);
    t.deepEqual(entries(kv.range(b('c'), null)).map((e) => e[0]), ['c', 'd']);
    t.deepEqual(entries(kv.range(b('x'), b('z'))), []);
  }));

test('a prefix scan returns exactly the keys starting with the prefix, also after 0xff bytes', (t) =>
  withStores((registry, broker) => {
    const kv = registry.openKeyValueStore(store);
    const keys = ['6100', '61ff', '61ffff', '62', '61', '60ff', 'ff', 'ff00', 'fe'];
    for (const k of keys) kv.put(Buffer.from(k, 'hex'), b(k));
    commit(broker, () => kv.flush());
    const scan = (prefix: string) => [...kv.prefixScan(Buffer.from(prefix, 'hex'))].map((e) => e.key.toString('hex'));
    t.deepEqual(scan('61'), ['61', '6100', '61ff', '61ffff']);
    t.deepEqual(scan('61ff'), ['61ff', '61ffff']);
    t.deepEqual(scan('ff'), ['ff', 'ff00']);
    t.deepEqual(scan(''), ['60ff', '61', '6100', '61ff', '61ffff', '62', 'fe', 'ff', 'ff00']);
  }));

test('scans page through more rows than one page holds and the caller may write while iterating', (t) =>
  withStores((registry, broker) => {
    const kv = registry.openKeyValueStore(store);
    const key = (i: number) => b(`k${String(i).padStart(5, '0')}`);
    for (let i = 0; i < 2000; i++) kv.put(key(i), b(String(i)));
    commit(broker, () => kv.flush());
    let count = 0;
    let previous = '';
    for (const entry of kv.all()) {
      t.true(s(entry.key)! > previous);
      previous = s(entry.key)!;
      kv.put(entry.key, b('rewritten'));
      count++;
    }
    t.is(count, 2000);
    commit(broker, () => kv.flush());
    t.is(s(kv.get(key(1999))), 'rewritten');
  }));

test('stores of other names, queries and partitions do not see each other', (t) =>
  withStores((registry, broker) => {
    const stores = [
      registry.openKeyValueStore(store),
      registry.openKeyValueStore({ ...store, partition: 1 }),
      registry.openKeyValueStore({ ...store, name: 'other' }),
      registry.openKeyValueStore({ ...store, query: 'Q2' }),
    ];
    stores.forEach((kv, i) => kv.put(b('k'), b(String(i))));
    commit(broker, () => stores.forEach((kv) => kv.flush()));
    t.deepEqual(stores.map((kv) => s(kv.get(b('k')))), ['0', '1', '2', '3']);
    t.deepEqual(stores.map((kv) => entries(kv.all()).length), [1, 1, 1, 1]);
  }));

test('the cache keeps at most its budget of entries after a flush and evicted keys are read from storage', (t) =>
  withStores((registry, broker) => {
    const kv = registry.openKeyValueStore({ ...store, cacheEntries: 10 });
    for (let i = 0; i < 100; i++) kv.put(b(`k${i}`), b(`v${i}`));
    t.is(kv.stagedCount, 100);
    commit(broker, () => kv.flush());
    t.is(kv.stagedCount, 0);
    for (let i = 0; i < 100; i++) t.is(s(kv.get(b(`k${i}`))), `v${i}`);
  }));

test('a cache bounded by bytes keeps the newest entries that fit the budget after a flush, fewer when they are larger', (t) =>
  withStores((registry, broker) => {
    const kept = (name: string, valueBytes: number): number[] => {
      const kv = registry.openKeyValueStore({ ...store, name, cacheBytes: 20_000 });
      for (let i = 0; i < 100; i++) kv.put(b(`k${String(i).padStart(3, '0')}`), Buffer.alloc(valueBytes, i));
      commit(broker, () => kv.flush());
      // What storage no longer holds, only the cache still answers.
      broker.database.prepare('DELETE FROM state_kv').run();
      const cached: number[] = [];
      for (let i = 0; i < 100; i++) if (kv.get(b(`k${String(i).padStart(3, '0')}`)) !== null) cached.push(i);
      return cached;
    };
    const large = kept('large', 1_000);
    t.true(large.length >= 10 && large.length < 20, `${large.length} large entries kept`);
    t.deepEqual(large, Array.from({ length: large.length }, (_, i) => 100 - large.length + i), 'the oldest went first');
    t.is(kept('small', 10).length, 100);
  }));

test('a closed store refuses to be used', (t) =>
  withStores((registry) => {
    const kv = registry.openKeyValueStore(store);
    kv.close();
    t.throws(() => kv.get(b('a')), { message: /closed/ });
    t.throws(() => kv.put(b('a'), b('1')), { message: /closed/ });
  }));

type Op =
  | { kind: 'put'; key: number; value: number }
  | { kind: 'delete'; key: number }
  | { kind: 'commit' }
  | { kind: 'failedCommit' }
  | { kind: 'reopen' };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('put' as const), key: fc.nat(12), value: fc.nat(1000) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: fc.nat(12) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'commit' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'failedCommit' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
);

test('under any sequence of writes, commits, failed commits and reopens the store agrees with a model', (t) => {
  withTempDir((dir) => {
    let run = 0;
    fc.assert(
      fc.property(fc.array(opArbitrary, { maxLength: 60 }), fc.nat(3), (ops, budget) => {
        let broker = openEmbeddedBroker({ dataDir: dir, fileName: `model-${run++}.db` });
        // Even budgets count entries, odd ones bytes (about one entry per 200 bytes).
        const identity = budget % 2 === 0 ? { ...store, cacheEntries: budget } : { ...store, cacheBytes: budget * 200 };
        let kv = openStoreRegistry(broker.database).openKeyValueStore(identity);
        const committed = new Map<number, number>();
        let staged = new Map<number, number | null>();
        const key = (k: number) => Buffer.from([k * 20]);
        try {
          for (const op of ops) {
            if (op.kind === 'put') {
              kv.put(key(op.key), b(String(op.value)));
              staged.set(op.key, op.value);
            } else if (op.kind === 'delete') {
              kv.delete(key(op.key));
              staged.set(op.key, null);
            } else if (op.kind === 'commit') {
              commit(broker, () => kv.flush());
              for (const [k, v] of staged) v === null ? committed.delete(k) : committed.set(k, v);
              staged = new Map();
            } else if (op.kind === 'failedCommit') {
              try {
                commit(broker, () => {
                  kv.flush();
                  throw new Error('fail');
                });
              } catch {
                kv.abort();
              }
              staged = new Map();
            } else {
              kv.close();
              broker.close();
              broker = openEmbeddedBroker({ dataDir: dir, fileName: `model-${run - 1}.db` });
              kv = openStoreRegistry(broker.database).openKeyValueStore(identity);
              staged = new Map();
            }
            const expected = new Map(committed);
            for (const [k, v] of staged) v === null ? expected.delete(k) : expected.set(k, v);
            for (let k = 0; k <= 12; k++) {
              const got = kv.get(key(k));
              if ((got === null ? null : Number(s(got))) !== (expected.get(k) ?? null)) return false;
            }
            const scanned = [...kv.all()].map((e) => [e.key[0]! / 20, Number(s(e.value))]);
            const wanted = [...expected].sort((x, y) => x[0] - y[0]);
            if (JSON.stringify(scanned) !== JSON.stringify(wanted)) return false;
          }
          return true;
        } finally {
          kv.close();
          broker.close();
        }
      }),
      { numRuns: 150 },
    );
    t.pass();
  });
});
