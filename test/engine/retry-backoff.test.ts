import test from 'ava';
import { RetryBackoff } from '../../src/engine/retry-backoff.js';

test('retries of a query in ERROR wait the initial time, then twice the previous wait, up to the maximum', (t) => {
  const defaults = new RetryBackoff(15_000, 900_000);
  t.deepEqual(Array.from({ length: 9 }, () => defaults.next()), [15_000, 30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000]);
  const capped = new RetryBackoff(50, 20);
  t.deepEqual([capped.next(), capped.next()], [20, 20], 'an initial wait above the maximum is the maximum');
});
