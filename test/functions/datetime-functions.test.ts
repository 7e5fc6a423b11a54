import test from 'ava';
import { BIGINT, DATE, INTEGER, STRING, TIME, TIMESTAMP } from '../../src/schema/sql-type.js';
import { KsqlError } from '../../src/common/errors.js';
import { call } from './call-helper.js';

const S = STRING;

test('PARSE_DATE and STRINGTODATE read patterns case-insensitively, defaulting missing fields', (t) => {
  t.is(call('PARSE_DATE', [S, S], '2018-05-11Lit', "yyyy-MM-dd'Lit'"), 17662);
  t.is(call('PARSE_DATE', [S, S], '11/05/2019', 'dd/MM/yyyy'), 18027);
  t.is(call('PARSE_DATE', [S, S], '01-Jan-2022', 'dd-MMM-yyyy'), 18993);
  t.is(call('PARSE_DATE', [S, S], '01-JAN-2022', 'dd-MMM-yyyy'), 18993);
  t.is(call('PARSE_DATE', [S, S], 'JAN-2022', 'MMM-yyyy'), 18993);
  t.is(call('STRINGTODATE', [S, S], '01-01-1970', 'dd-MM-yyyy'), 0);
  t.is(call('PARSE_DATE', [S, S], '20220614', 'yyyyMMdd'), 19157);
  t.is(call('PARSE_DATE', [S, S], null, 'yyyy'), null);
});

test('a date that does not fit its pattern is an error for the processing log', (t) => {
  const error = t.throws(() => call('PARSE_DATE', [S, S], 'nope', 'yyyy-MM-dd'));
  t.true(error instanceof KsqlError);
  t.regex(error!.message, /Failed to parse date 'nope'/);
  t.throws(() => call('STRINGTODATE', [S, S], '2020-01-01x', 'yyyy-MM-dd'));
  t.throws(() => call('PARSE_DATE', [S, S], '2020-13-01', 'yyyy-MM-dd'));
  t.throws(() => call('FORMAT_DATE', [DATE, S], 1, 'yyyy-bb'));
});

test('PARSE_DATE ignores text after what its pattern covers, as ksqlDB does', (t) => {
  t.is(call('PARSE_DATE', [S, S], '2003-12-24-01-01', 'yyyy-MM-dd'), 12410);
  t.is(call('PARSE_DATE', [S, S], '2020-01-01x', 'yyyy-MM-dd'), 18262);
  t.throws(() => call('PARSE_DATE', [S, S], '2004', 'yyyy-MM-dd'));
});

test('FORMAT_DATE and DATETOSTRING print days since the epoch', (t) => {
  t.is(call('FORMAT_DATE', [DATE, S], 17662, 'yyyy-MM-dd'), '2018-05-11');
  t.is(call('FORMAT_DATE', [DATE, S], 18993, 'dd-MMM-yyyy'), '01-Jan-2022');
  t.is(call('DATETOSTRING', [INTEGER, S], -1, "dd-MM-yyyy'Sophia'"), '31-12-1969Sophia');
  t.is(call('FORMAT_DATE', [DATE, S], 0, "EEEE, MMMM d ''yy"), "Thursday, January 1 '70");
  t.is(call('FORMAT_DATE', [DATE, S], null, 'yyyy'), null);
});

test('FORMAT_TIME and PARSE_TIME work on milliseconds of the day', (t) => {
  t.is(call('FORMAT_TIME', [TIME, S], 65000, 'HH_mm_ss_SSS'), '00_01_05_000');
  t.is(call('FORMAT_TIME', [TIME, S], 1234567, "HHmmss'AAAAA'"), '002034AAAAA');
  t.is(call('FORMAT_TIME', [TIME, S], 13 * 3600000 + 5 * 60000, 'h:mm a'), '1:05 PM');
  t.is(call('PARSE_TIME', [S, S], '00:01:05.010', 'HH:mm:ss.SSS'), 65010);
  t.is(call('PARSE_TIME', [S, S], '1:05 pm', 'h:mm a'), 13 * 3600000 + 5 * 60000);
});

test('timestamps format and parse in UTC or a named zone', (t) => {
  t.is(call('FORMAT_TIMESTAMP', [TIMESTAMP, S, S], 1526075913000, 'yyyy-MM-dd HH:mm:ss zzz', 'America/Los_Angeles'), '2018-05-11 14:58:33 PDT');
  t.is(call('FORMAT_TIMESTAMP', [TIMESTAMP, S], 1526075913000, 'yyyy-MM-dd HH:mm:ss'), '2018-05-11 21:58:33');
  t.is(call('TIMESTAMPTOSTRING', [BIGINT, S, S], 1526075913000n, 'yyyy-MM-dd HH:mm:ss zzz', 'Europe/London'), '2018-05-11 22:58:33 BST');
  t.is(call('FORMAT_TIMESTAMP', [TIMESTAMP, S, S], 0, "yyyy-MM-dd'T'HH:mm:ssXXX", '+05:30'), '1970-01-01T05:30:00+05:30');
  t.is(call('FORMAT_TIMESTAMP', [TIMESTAMP, S], 0, 'yyyy-MM-dd HH:mm:ss.SSS X'), '1970-01-01 00:00:00.000 Z');
  t.is(call('STRINGTOTIMESTAMP', [S, S], '2018-05-11T21:58:33Z', "yyyy-MM-dd'T'HH:mm:ssX"), 1526075913000n);
  t.is(call('STRINGTOTIMESTAMP', [S, S], '2020-05-11T21:58:33z', "yyyy-MM-dd'T'HH:mm:ssX"), 1589234313000n);
  t.is(call('PARSE_TIMESTAMP', [S, S], '2018-05-11T21:58:33', "yyyy-MM-dd'T'HH:mm:ss"), 1526075913000);
  t.is(call('PARSE_TIMESTAMP', [S, S], '2018-05-11T21:58:33 PST', "yyyy-MM-dd'T'HH:mm:ss zzz"), 1526101113000);
  t.is(call('PARSE_TIMESTAMP', [S, S, S], '2018-05-11 14:58:33', 'yyyy-MM-dd HH:mm:ss', 'America/Los_Angeles'), 1526075913000);
  t.is(call('PARSE_TIMESTAMP', [S, S], '2021-06-30 12:18:39.446', 'yyyy-MM-dd HH:mm:ss.SSS'), 1625055519446);
  t.is(call('PARSE_TIMESTAMP', [S, S], '2021-06-30 12:18', 'yyyy-MM-dd HH:mm[:ss]'), 1625055480000);
  t.throws(() => call('FORMAT_TIMESTAMP', [TIMESTAMP, S, S], 0, 'yyyy', 'Not/AZone'));
});

test('CONVERT_TZ shifts by the difference of the two offsets', (t) => {
  t.is(call('CONVERT_TZ', [TIMESTAMP, S, S], 100, '+0200', '+0500'), 10800100);
  t.is(call('CONVERT_TZ', [TIMESTAMP, S, S], 1589234313000, 'America/Los_Angeles', 'America/New_York'), 1589245113000);
  t.is(call('CONVERT_TZ', [TIMESTAMP, S, S], null, 'UTC', 'UTC'), null);
});

test('date, time and timestamp arithmetic uses whole units and wraps TIME', (t) => {
  t.is(call('DATEADD', [S, INTEGER, DATE], 'DAYS', 10, 10), 20);
  t.is(call('DATEADD', [S, INTEGER, DATE], 'HOURS', 49, 10), 12);
  t.is(call('DATESUB', [S, INTEGER, DATE], 'DAYS', 10, 5), -5);
  t.is(call('TIMEADD', [S, INTEGER, TIME], 'MILLISECONDS', 10, 86399995), 5);
  t.is(call('TIMEADD', [S, INTEGER, TIME], 'MILLISECONDS', -5, 2), 86399997);
  t.is(call('TIMESUB', [S, INTEGER, TIME], 'SECONDS', 1, 500), 86399500);
  t.is(call('TIMESTAMPADD', [S, INTEGER, TIMESTAMP], 'MILLISECONDS', -5, 2), -3);
  t.is(call('TIMESTAMPSUB', [S, INTEGER, TIMESTAMP], 'MINUTES', 1, 0), -60000);
  t.is(call('DATEADD', [S, INTEGER, DATE], 'MILLISECONDS', null, 5), null);
});

test('UNIX_DATE, UNIX_TIMESTAMP, FROM_UNIXTIME and FROM_DAYS convert representations', (t) => {
  t.true((call('UNIX_DATE', []) as number) > 19000);
  t.is(call('UNIX_DATE', [DATE], 10), 10);
  t.is(call('UNIX_DATE', [DATE], null), null);
  const now = call('UNIX_TIMESTAMP', []) as bigint;
  t.true(now > 1_600_000_000_000n);
  t.is(call('UNIX_TIMESTAMP', [TIMESTAMP], 5), 5n);
  t.is(call('FROM_UNIXTIME', [BIGINT], 1000n), 1000);
  t.is(call('FROM_DAYS', [INTEGER], 3), 3);
});

test('one fraction digit and a numeric offset parse as Java does', (t) => {
  t.is(call('STRINGTOTIMESTAMP', [S, S], '2019-08-27T13:31:09.2+0000', "yyyy-MM-dd'T'HH:mm:ss.SX"), 1566912669200n);
  t.is(call('PARSE_TIMESTAMP', [S, S], '2019-08-27T13:31:09.2+02:00', "yyyy-MM-dd'T'HH:mm:ss.SXXX"), 1566905469200);
});

test('timestamp text helpers for other layers use the same engine', async (t) => {
  const { parseTimestampText, formatTimestampText } = await import('../../src/functions/index.js');
  t.is(parseTimestampText('2018-05-11 21:58:33', 'yyyy-MM-dd HH:mm:ss'), 1526075913000);
  t.is(formatTimestampText(1526075913000, 'yyyy-MM-dd HH:mm:ss zzz', 'America/Los_Angeles'), '2018-05-11 14:58:33 PDT');
});

test('formatting a DATE with time letters, or a TIME with date letters, fails as in Java', (t) => {
  t.throws(() => call('FORMAT_DATE', [DATE, S], 0, 'yyyy HH'), { message: /Unsupported field: HourOfDay/ });
  t.throws(() => call('FORMAT_TIME', [TIME, S], 0, 'yyyy HH'), { message: /Unsupported field: YearOfEra/ });
  t.throws(() => call('FORMAT_DATE', [DATE, S], 0, 'yyyy z'));
});

test('formats know quarters, nano of day and the US week fields Java formats with', (t) => {
  // 2021-02-03T09:47:58.912Z, a Wednesday in the 6th Sunday-started week of 2021.
  const ts = 1612345678912;
  t.is(call('FORMAT_TIMESTAMP', [TIMESTAMP, S], ts, 'QQQ q QQQQ QQ'), 'Q1 1 1st quarter 01');
  t.is(call('FORMAT_TIMESTAMP', [TIMESTAMP, S], ts, 'w W e c ee ccc'), '6 1 4 4 04 Wed');
  t.is(call('FORMAT_TIMESTAMP', [TIMESTAMP, S], ts, 'N'), '35278912000000');
  // The days of December in the week holding January 1st are week 1 of the next week-based year.
  t.is(call('FORMAT_DATE', [DATE, S], 18627, 'YYYY-ww-e'), '2021-01-5');
  t.is(call('FORMAT_DATE', [DATE, S], 18992, "YYYY 'w'ww W yy"), '2022 w01 5 21');
  t.throws(() => call('FORMAT_DATE', [DATE, S], 18992, 'www'), { message: /Too many pattern letters: w/ });
});

test('a time-zone argument is a Java ZoneId: case-sensitive ids, EST a fixed offset, PST unknown', (t) => {
  // 2020-07-06T01:46:40Z, in summer: America/New_York is at -04:00, the zone EST stays at -05:00.
  const summer = 1594000000000;
  t.is(call('FORMAT_TIMESTAMP', [TIMESTAMP, S, S], summer, 'HH:mm xxx', 'EST'), '20:46 -05:00');
  t.is(call('FORMAT_TIMESTAMP', [TIMESTAMP, S, S], summer, 'HH:mm xxx', 'America/New_York'), '21:46 -04:00');
  t.is(call('FORMAT_TIMESTAMP', [TIMESTAMP, S, S], summer, 'HH:mm', 'UTC+01:00'), '02:46');
  t.throws(() => call('FORMAT_TIMESTAMP', [TIMESTAMP, S, S], summer, 'HH:mm', 'PST'), { message: /Unknown time-zone ID: PST/ });
  t.throws(() => call('CONVERT_TZ', [TIMESTAMP, S, S], summer, 'utc', 'UTC'), { message: /Unknown time-zone ID: utc/ });
  // Zone text being parsed still takes the abbreviations Java's parser knows.
  t.is(call('PARSE_TIMESTAMP', [S, S], '2018-05-11T21:58:33 PST', "yyyy-MM-dd'T'HH:mm:ss z"), 1526101113000);
});
