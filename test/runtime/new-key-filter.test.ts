import test from 'ava';
import { NewKeyFilter } from '../../src/runtime/new-key-filter.js';

test('every key added is reported as maybe stored, across layers and id kinds', (t) => {
  const filter = new NewKeyFilter();
  // Past the first layers' capacities (16,384, then 32,768 ...).
  for (let i = 0; i < 100_000; i++) filter.add(`key-${i}`);
  for (let i = 0; i < 1_000; i++) filter.add(i * 3);
  for (let i = 0; i < 1_000; i++) filter.add(BigInt(i) * 10n ** 18n);
  let missed = 0;
  for (let i = 0; i < 100_000; i++) if (!filter.mayHave(`key-${i}`)) missed++;
  for (let i = 0; i < 1_000; i++) if (!filter.mayHave(i * 3) || !filter.mayHave(BigInt(i) * 10n ** 18n)) missed++;
  t.is(missed, 0);
});

test('keys never added are mostly reported absent (false positives under 3%), and a number is not its text', (t) => {
  const filter = new NewKeyFilter();
  for (let i = 0; i < 100_000; i++) filter.add(`key-${i}`);
  let maybe = 0;
  for (let i = 100_000; i < 200_000; i++) if (filter.mayHave(`key-${i}`)) maybe++;
  t.true(maybe < 3_000, `${maybe} of 100,000 absent keys reported as maybe stored`);
  const small = new NewKeyFilter();
  small.add('7');
  t.false(small.mayHave(7));
  t.false(small.mayHave(7n));
});
