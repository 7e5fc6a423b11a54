import test from 'ava';
import { withTempEngine } from '../helpers/temp-engine.js';

test('a JSON record with an INTEGER or BIGINT beyond its range goes to the processing log and the query goes on', (t) => {
  withTempEngine(({ broker, engine, scheduler }) => {
    engine.execute("CREATE STREAM S (K BIGINT KEY, I INT, B BIGINT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON', KEY_FORMAT='JSON');");
    engine.execute('CREATE STREAM OUT AS SELECT * FROM S;');
    const record = (key: string, value: string) => ({ key: Buffer.from(key), value: Buffer.from(value), timestamp: 1 });
    broker.append('s', [
      record('1', '{"I":3000000000,"B":1}'),
      record('2', '{"I":1,"B":99999999999999999999999}'),
      record('99999999999999999999999', '{"I":1,"B":1}'),
      record('3', '{"I":-2147483648,"B":-9223372036854775808}'),
      record('9223372036854775807', '{"I":2147483647,"B":9223372036854775807}'),
    ]);
    scheduler.runUntilIdle();
    const out = broker.read('OUT', 0, 0, { maxRecords: 10 }).map((r) => `${r.key!.toString()} ${r.value!.toString()}`);
    t.deepEqual(out, [
      '3 {"I":-2147483648,"B":-9223372036854775808}',
      '9223372036854775807 {"I":2147483647,"B":9223372036854775807}',
    ]);
    const log = broker.read(engine.config.processingLogTopic, 0, 0, { maxRecords: 10 })
      .map((r) => JSON.parse(r.value!.toString()).message.deserializationError);
    t.deepEqual(log.map((e) => [e.target, e.errorMessage]), [
      ['value', 'Failed to deserialize value from topic: s. Numeric value (3000000000) out of range of INTEGER (-2147483648 - 2147483647), path: $.I'],
      ['value', 'Failed to deserialize value from topic: s. Numeric value (99999999999999999999999) out of range of BIGINT (-9223372036854775808 - 9223372036854775807), path: $.B'],
      ['key', 'Failed to deserialize key from topic: s. Numeric value (99999999999999999999999) out of range of BIGINT (-9223372036854775808 - 9223372036854775807), path: $'],
    ]);
  }, { properties: { 'auto.offset.reset': 'earliest' } });
});
