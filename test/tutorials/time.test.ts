/**
 * reference/sql/time.md: TIMESTAMP_FORMAT with quotes escaped by doubling
 * them. The first two formats set ROWTIME from the column; the third,
 * `hh ''o''clock'' a, zzzz`, is refused as ksqlDB refuses it: doubled once
 * for SQL, it reaches Java's DateTimeFormatter as `hh 'o'clock' a, zzzz`,
 * where `l` is no pattern letter (the formatter's own example doubles the
 * quote inside the literal again: `'o''clock'`).
 */
import test from 'ava';
import { useServer } from '../server/helpers.js';
import { Tutorial } from './tutorial.js';

const h = useServer();

test('timestamp formats with escaped quotes', async (t) => {
  const tut = new Tutorial(h);
  await tut.run(`SET 'auto.offset.reset' = 'earliest';
-- Example timestamp format: yyyy-MM-dd'T'HH:mm:ssX
CREATE STREAM TEST (id BIGINT KEY, event_timestamp VARCHAR)
  WITH (
    kafka_topic='test_topic',
    partitions=1,
    value_format='JSON',
    timestamp='event_timestamp',
    timestamp_format='yyyy-MM-dd''T''HH:mm:ssX'
  );
INSERT INTO TEST (id, event_timestamp) VALUES (1, '2021-03-04T05:06:07Z');`);
  t.deepEqual((await tut.push('SELECT ROWTIME, id FROM TEST EMIT CHANGES;', 1)).rows, [[1614834367000, 1]]);
  await tut.run(`DROP STREAM TEST;
-- Example timestamp format: yyyy.MM.dd G 'at' HH:mm:ss z
CREATE STREAM TEST (id BIGINT KEY, event_timestamp VARCHAR)
  WITH (
    kafka_topic='test_topic',
    value_format='JSON',
    timestamp='event_timestamp',
    timestamp_format='yyyy.MM.dd G ''at'' HH:mm:ss z'
  );
INSERT INTO TEST (id, event_timestamp) VALUES (2, '2001.07.04 AD at 12:08:56 PDT');`);
  // The first row's text does not fit this format: it goes to the processing log.
  t.deepEqual((await tut.push('SELECT ROWTIME, id FROM TEST EMIT CHANGES;', 1)).rows, [[994273736000, 2]]);
  await tut.run('DROP STREAM TEST;');
  t.regex(await tut.fail(`CREATE STREAM TEST (id BIGINT KEY, event_timestamp VARCHAR)
  WITH (
    kafka_topic='test_topic',
    value_format='JSON',
    timestamp='event_timestamp',
    timestamp_format='hh ''o''clock'' a, zzzz'
  );`), /Invalid datatime format for config:TIMESTAMP_FORMAT, reason:Unknown pattern letter: l/);
});
