import test from 'ava';
import fc from 'fast-check';
import { civilFromDays, daysFromCivil, daysInMonth } from '../../src/schema/civil-calendar.js';

test('civil dates agree with the JS Date calendar over a wide range', (t) => {
  fc.assert(
    fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (days) => {
      const d = new Date(days * 86_400_000);
      const civil = civilFromDays(days);
      return civil.year === d.getUTCFullYear() && civil.month === d.getUTCMonth() + 1 && civil.day === d.getUTCDate() && daysFromCivil(civil.year, civil.month, civil.day) === days;
    }),
  );
  t.deepEqual(civilFromDays(0), { year: 1970, month: 1, day: 1 });
  t.deepEqual(civilFromDays(-1), { year: 1969, month: 12, day: 31 });
  t.is(daysInMonth(2000, 2), 29);
  t.is(daysInMonth(1900, 2), 28);
});
