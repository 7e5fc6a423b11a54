import test from 'ava';
import { openEmbeddedBroker } from '../../src/broker/embedded/embedded-broker.js';
import { openStoreRegistry } from '../../src/state/index.js';
import { lastNumber, runUntilKilled } from '../helpers/kill-loop.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { KEYS, RETENTION, WINDOW } from './fixtures/count-loop.js';
import { s } from './temp-stores.js';

const script = new URL('fixtures/count-loop.js', import.meta.url);

/** Runs the loop until it acknowledged `minCommits` commits, kills it with SIGKILL, returns the last acknowledged offset. */
async function runAndKill(dataDir: string, minCommits: number): Promise<number> {
  const lines = await runUntilKilled(script, { args: [dataDir], ready: (commits) => commits.length >= minCommits, delayMs: { min: 5, max: 25 } });
  return lastNumber(lines);
}

test('after kill -9 during sustained commits the stores agree exactly with the committed offset', async (t) => {
  await withTempDir(async (dir) => {
    const acknowledged = [await runAndKill(dir, 300), await runAndKill(dir, 300)];
    t.true(acknowledged[1]! > acknowledged[0]!, 'the second run resumed and went further');
    const broker = openEmbeddedBroker({ dataDir: dir });
    try {
      const committed = broker.committedOffset('Q', 'input', 0)!;
      t.true(committed >= acknowledged[1]!, 'no acknowledged commit is lost');
      const registry = openStoreRegistry(broker.database);
      const counts = registry.openKeyValueStore({ query: 'Q', name: 'counts', partition: 0 });
      t.is(Number(s(counts.get(Buffer.from('total')))), committed, 'every committed record counted once');
      for (let k = 0; k < KEYS; k++) {
        const expected = Math.floor((committed - 1 - k) / KEYS) + 1;
        t.is(Number(s(counts.get(Buffer.from(`k${k}`)))), expected, `count of k${k}`);
      }
      const windows = registry.openWindowStore({ query: 'Q', name: 'windows', partition: 0 });
      const stored = windows.fetchAll(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      const expected = new Map<string, number>();
      const bound = committed - 1 - RETENTION;
      for (let r = Math.max(0, bound - WINDOW); r < committed; r++) {
        const start = r - (r % WINDOW);
        if (start + WINDOW < bound) continue;
        const id = `k${r % KEYS}@${start}`;
        expected.set(id, (expected.get(id) ?? 0) + 1);
      }
      const actual = stored.map((w) => [`${s(w.key)}@${w.start}`, Number(s(w.value))]).sort();
      t.true(actual.length > 0);
      t.deepEqual(actual, [...expected].sort(), 'exactly the retained windows, each with the count of its committed records');
    } finally {
      broker.close();
    }
  });
});
