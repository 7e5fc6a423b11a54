import test from 'ava';
import { randomIdNumber } from '../../src/common/random-ids.js';

test('random id numbers are 48-bit integers that do not repeat across several refills of the pool', (t) => {
  const seen = new Set<number>();
  for (let i = 0; i < 5_000; i++) {
    const n = randomIdNumber();
    t.true(Number.isInteger(n) && n >= 0 && n < 2 ** 48);
    seen.add(n);
  }
  t.is(seen.size, 5_000);
});
