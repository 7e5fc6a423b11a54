import test from 'ava';
import type { ProducerRecord } from '../../src/broker/broker.js';
import { withTempEngine, type EngineNode } from '../helpers/temp-engine.js';
import { TestDriver } from '../../src/testing/test-driver.js';

interface LogEntry {
  logger: string;
  message: { type: number; recordProcessingError: { errorMessage: string; cause: string[]; record: string | null } };
}

const json = (value: object, timestamp = 1000): ProducerRecord => ({ key: null, value: Buffer.from(JSON.stringify(value)), timestamp });

function run(node: EngineNode, sql: string, records: ProducerRecord[]): { out: string[]; log: LogEntry[] } {
  node.engine.execute(sql);
  node.broker.append('in', records);
  node.scheduler.runUntilIdle();
  const read = (topic: string): string[] => node.broker.read(topic, 0, 0, { maxRecords: 1000 }).map((r) => r.value!.toString());
  return { out: read('OUT'), log: read(node.engine.config.processingLogTopic).map((v) => JSON.parse(v) as LogEntry) };
}

const properties = { 'auto.offset.reset': 'earliest', 'ksql.logging.processing.rows.include': true };

test('a row whose TIMESTAMP column is NULL or negative goes to the processing log with the reason', (t) => {
  withTempEngine((node) => {
    const { out, log } = run(node, `
      CREATE STREAM S (ID INT, TS BIGINT) WITH (KAFKA_TOPIC='in', PARTITIONS=1, VALUE_FORMAT='JSON', TIMESTAMP='TS');
      CREATE STREAM OUT AS SELECT * FROM S;`, [json({ ID: 1, TS: 5 }), json({ ID: 2, TS: null }), json({ ID: 3, TS: -7 }), json({ ID: 4, TS: 9 })]);
    t.deepEqual(out, ['{"ID":1,"TS":5}', '{"ID":4,"TS":9}']);
    t.is(log.length, 2);
    for (const entry of log) {
      t.is(entry.logger, 'processing.CSAS_OUT_0.KsqlTopic.Source');
      t.is(entry.message.type, 1);
      t.is(entry.message.recordProcessingError.errorMessage, 'Failed to extract timestamp from row');
    }
    t.deepEqual(log.map((e) => e.message.recordProcessingError.cause), [['The timestamp column TS is NULL.'], ['The timestamp -7 is negative.']]);
    t.is(log[0]!.message.recordProcessingError.record, '{"ID":2,"TS":null}');
  }, { properties });
});

test('a TIMESTAMP column text that does not match its format goes to the processing log', (t) => {
  withTempEngine((node) => {
    const { out, log } = run(node, `
      CREATE STREAM S (ID INT, TS STRING) WITH (KAFKA_TOPIC='in', PARTITIONS=1, VALUE_FORMAT='JSON', TIMESTAMP='TS', TIMESTAMP_FORMAT='yyyy-MM-dd');
      CREATE STREAM OUT AS SELECT ID FROM S;`, [json({ ID: 1, TS: 'not a date' }), json({ ID: 2, TS: '2024-01-02' })]);
    t.deepEqual(out, ['{"ID":2}']);
    t.is(log.length, 1);
    t.is(log[0]!.message.recordProcessingError.errorMessage, 'Failed to extract timestamp from row');
    t.true(log[0]!.message.recordProcessingError.cause.length > 0);
  }, { properties });
});

test('a sink row whose TIMESTAMP column is NULL or negative goes to the processing log', (t) => {
  withTempEngine((node) => {
    const { out, log } = run(node, `
      CREATE STREAM S (ID INT, T BIGINT) WITH (KAFKA_TOPIC='in', PARTITIONS=1, VALUE_FORMAT='JSON');
      CREATE STREAM OUT WITH (TIMESTAMP='T') AS SELECT * FROM S;`, [json({ ID: 1, T: null }), json({ ID: 2, T: -4 }), json({ ID: 3, T: 8 })]);
    t.deepEqual(out, ['{"ID":3,"T":8}']);
    t.deepEqual(log.map((e) => [e.logger, e.message.recordProcessingError.errorMessage]), [
      ['processing.CSAS_OUT_0.OUT', 'Error writing row with extracted timestamp: The timestamp column T is NULL.'],
      ['processing.CSAS_OUT_0.OUT', 'Error writing row with extracted timestamp: The timestamp -4 is negative.'],
    ]);
  }, { properties });
});

test('with ksql.timestamp.throw.on.invalid a source row without a usable TIMESTAMP column stops the query instead of going to the processing log; a negative one is still skipped', (t) => {
  const statements = `CREATE STREAM S (ID INT KEY, TS BIGINT) WITH (KAFKA_TOPIC='in', PARTITIONS=1, VALUE_FORMAT='JSON', TIMESTAMP='TS');
    CREATE STREAM OUT AS SELECT * FROM S;`;
  const pipe = (driver: TestDriver, id: number, ts: number | null): void =>
    driver.pipe({ topic: 'in', key: String(id), value: JSON.stringify({ TS: ts }), timestamp: 1, headers: [] });
  const throwing = new TestDriver({ 'ksql.timestamp.throw.on.invalid': true });
  try {
    throwing.execute(statements);
    pipe(throwing, 1, 5);
    pipe(throwing, 2, -7);
    t.throws(() => pipe(throwing, 3, null), { message: /Fatal user code error in TimestampExtractor callback for record .*The timestamp column TS is NULL\.$/ });
    t.deepEqual(throwing.read('OUT').map((r) => r.key), ['1']);
    const log = throwing.read('some.ksql.service.idksql_processing_log').map((r) => JSON.parse(r.value!) as LogEntry);
    t.deepEqual(log.map((e) => e.message.recordProcessingError.cause), [['The timestamp -7 is negative.']]);
  } finally {
    throwing.close();
  }
  const skipping = new TestDriver({});
  try {
    skipping.execute(statements);
    pipe(skipping, 1, null);
    pipe(skipping, 2, 5);
    t.deepEqual(skipping.read('OUT').map((r) => r.key), ['2']);
  } finally {
    skipping.close();
  }
});

test('a sink with a TIMESTAMP column gives a tombstone the stream time (the latest time that reached it), as ksqlDB\'s sink has no row to extract one from', (t) => {
  const driver = new TestDriver({});
  try {
    driver.execute(`CREATE TABLE T (ID INT PRIMARY KEY, TS BIGINT, V INT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, VALUE_FORMAT='JSON');
      CREATE TABLE O WITH (TIMESTAMP='TS') AS SELECT * FROM T WHERE V > 0;
      CREATE TABLE P AS SELECT * FROM T WHERE V > 0;`);
    const pipe = (id: number, value: object | null, timestamp: number): void =>
      driver.pipe({ topic: 't', key: String(id), value: value === null ? null : JSON.stringify(value), timestamp, headers: [] });
    pipe(1, { TS: 50, V: 1 }, 1000);
    pipe(2, { TS: 60, V: 1 }, 5000);
    pipe(1, null, 2000);
    pipe(2, { TS: 70, V: -1 }, 3000);
    t.deepEqual(driver.read('O').map((r) => [r.key, r.timestamp]), [['1', 50], ['2', 60], ['1', 5000], ['2', 5000]]);
    // Without a TIMESTAMP column every record keeps its own time.
    t.deepEqual(driver.read('P').map((r) => [r.key, r.timestamp]), [['1', 1000], ['2', 5000], ['1', 2000], ['2', 3000]]);
  } finally {
    driver.close();
  }
});
