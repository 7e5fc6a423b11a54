import test from 'ava';
import { formatJavaDateTime } from '../../src/schema/java-date-text.js';

test('a TIMESTAMP prints as SimpleDateFormat prints a java.util.Date in UTC, milliseconds always shown', (t) => {
  t.is(formatJavaDateTime(0), '1970-01-01T00:00:00.000');
  t.is(formatJavaDateTime(1577836800123), '2020-01-01T00:00:00.123');
  t.is(formatJavaDateTime(-1), '1969-12-31T23:59:59.999');
  t.is(formatJavaDateTime(253402300800000), '10000-01-01T00:00:00.000');
});

test('before 1582-10-15 the calendar is the Julian one, and years count in eras (1 BC is 0001)', (t) => {
  t.is(formatJavaDateTime(-12219292800000), '1582-10-15T00:00:00.000');
  t.is(formatJavaDateTime(-12219292800001), '1582-10-04T23:59:59.999');
  // Proleptic Gregorian 0001-01-01 is Julian 0001-01-03; Gregorian 0000-12-31 (1 BC) is Julian 1 BC's 01-02.
  t.is(formatJavaDateTime(-62135596800000), '0001-01-03T00:00:00.000');
  t.is(formatJavaDateTime(-62135596800000 - 86_400_000 * 2), '0001-01-01T00:00:00.000');
  t.is(formatJavaDateTime(-62135596800000 - 86_400_000 * 3), '0001-12-31T00:00:00.000');
});
