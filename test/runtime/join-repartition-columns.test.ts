import test from 'ava';
import type { PropertyValue } from '../../src/engine/config.js';
import { decodeValue } from '../../src/runtime/value-codec.js';
import { withTempEngine } from '../helpers/temp-engine.js';

const SOURCES =
  "CREATE STREAM S (ID INT KEY, REF INT, NAME STRING, NOTE STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');" +
  "CREATE TABLE T (ID INT PRIMARY KEY, LABEL STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=1, VALUE_FORMAT='JSON');";

/** Runs `query` over one table row and one stream row; answers the output values and the stream side's repartitioned cells (ID, REF, NAME, NOTE). */
function run(query: string, properties: Record<string, PropertyValue> = {}): { output: string[]; cells: unknown[] } {
  return withTempEngine(({ broker, engine, scheduler }) => {
    engine.execute(SOURCES + query);
    engine.execute("INSERT INTO T (ID, LABEL) VALUES (7, 'seven');");
    scheduler.runUntilIdle();
    engine.execute("INSERT INTO S (ID, REF, NAME, NOTE) VALUES (1, 7, 'a', 'long note');");
    scheduler.runUntilIdle();
    const repartition = engine.listQueries()[0]!.internalTopics.find((topic) => topic.endsWith('-repartition'))!;
    const [record] = broker.read(repartition, 0, 0, { maxRecords: 10 });
    const output = broker.read('OUT', 0, 0, { maxRecords: 10 }).map((r) => r.value!.toString());
    return { output, cells: (decodeValue(record!.value!) as unknown[]).slice(0, 4) };
  }, { properties: { 'auto.offset.reset': 'earliest', ...properties } });
}

test('a stream side re-keyed for a join carries NULL for the columns nothing after the join reads', (t) => {
  const { output, cells } = run('CREATE STREAM OUT AS SELECT S.REF, NAME, LABEL FROM S JOIN T ON S.REF = T.ID WHERE S.ID > 0;');
  t.deepEqual(output, ['{"NAME":"a","LABEL":"seven"}']);
  // ID is read by the WHERE clause, REF is the key, NAME is selected: NOTE is read by nothing.
  t.deepEqual(cells, [1, 7, 'a', null]);
});

test('a stream side re-keyed for a join carries every column a SELECT * reads', (t) => {
  const { output, cells } = run('CREATE STREAM OUT AS SELECT * FROM S JOIN T ON S.REF = T.ID;');
  t.deepEqual(output.map((v) => (JSON.parse(v) as Record<string, unknown>)['S_NOTE']), ['long note']);
  t.deepEqual(cells, [1, 7, 'a', 'long note']);
});

test('a stream side re-keyed for a join carries every column when the processing log shows rows', (t) => {
  const { output, cells } = run('CREATE STREAM OUT AS SELECT S.REF, NAME, LABEL FROM S JOIN T ON S.REF = T.ID;',
    { 'ksql.logging.processing.rows.include': true });
  t.deepEqual(output, ['{"NAME":"a","LABEL":"seven"}']);
  t.deepEqual(cells, [1, 7, 'a', 'long note']);
});

test('a failing WHERE after a stream-table join logs the joined row whole when the processing log shows rows', (t) => {
  withTempEngine(({ broker, engine, scheduler }) => {
    engine.execute(`${SOURCES} CREATE STREAM OUT AS SELECT S.REF, NAME, LABEL FROM S JOIN T ON S.REF = T.ID WHERE 1 / (S.ID - 1) > 0;`);
    engine.execute("INSERT INTO T (ID, LABEL) VALUES (7, 'seven');");
    scheduler.runUntilIdle();
    engine.execute("INSERT INTO S (ID, REF, NAME, NOTE) VALUES (1, 7, 'a', 'long note');");
    scheduler.runUntilIdle();
    const log = broker.read(engine.config.processingLogTopic, 0, 0, { maxRecords: 10 }).map((r) => r.value!.toString());
    t.is(log.length, 1);
    // The stream's unread NOTE and both sides' ROWOFFSET are in the row the entry shows.
    t.regex(log[0]!, /long note/);
    t.regex(log[0]!, /S_ROWOFFSET/);
  }, { properties: { 'auto.offset.reset': 'earliest', 'ksql.logging.processing.rows.include': true } });
});
