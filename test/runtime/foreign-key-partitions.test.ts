import test from 'ava';
import type { EmbeddedBroker } from '../../src/broker/index.js';
import { withTempEngine } from '../helpers/temp-engine.js';

/** Every record of every partition of `topic`, as `key value`, partitions in order. */
function records(broker: EmbeddedBroker, topic: string): string[] {
  return broker.describeTopic(topic).partitions.flatMap((p) =>
    broker.read(topic, p.partition, 0, { maxRecords: 1000 }).map((r) => `${r.key?.toString() ?? 'null'} ${r.value?.toString() ?? 'null'}`));
}

test('a foreign-key join of tables with different partition counts finds each right row, follows right updates and retracts old matches', (t) => {
  withTempEngine(({ engine, broker, scheduler }) => {
    const run = (sql: string): void => {
      engine.execute(sql);
      scheduler.runUntilIdle();
    };
    run(`CREATE TABLE L (L_ID INT PRIMARY KEY, FK STRING, NAME STRING) WITH (KAFKA_TOPIC='l', PARTITIONS=3, FORMAT='JSON');
      CREATE TABLE R (R_ID STRING PRIMARY KEY, CITY STRING) WITH (KAFKA_TOPIC='r', PARTITIONS=4, FORMAT='JSON');
      CREATE TABLE OUT AS SELECT L_ID, NAME, CITY FROM L JOIN R ON FK = R_ID;`);
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    for (const k of keys) run(`INSERT INTO R (R_ID, CITY) VALUES ('${k}', 'city-${k}');`);
    t.true(new Set(broker.describeTopic('r').partitions.filter((p) => broker.latestOffset('r', p.partition) > 0).map((p) => p.partition)).size > 1,
      'the right keys are spread over several partitions');
    keys.forEach((k, i) => run(`INSERT INTO L (L_ID, FK, NAME) VALUES (${i}, '${k}', 'n${i}');`));
    const joined = (): string[] => records(broker, 'OUT').sort();
    t.deepEqual(joined(), keys.map((k, i) => `${i} {"NAME":"n${i}","CITY":"city-${k}"}`).sort());
    // A right update reaches every left row that points to it, whatever their partitions.
    run("INSERT INTO L (L_ID, FK, NAME) VALUES (20, 'a', 'twenty');");
    run("INSERT INTO R (R_ID, CITY) VALUES ('a', 'moved');");
    const latest = (): Map<string, string> => {
      const byKey = new Map<string, string>();
      for (const p of broker.describeTopic('OUT').partitions) {
        for (const r of broker.read('OUT', p.partition, 0, { maxRecords: 1000 })) byKey.set(r.key!.toString(), r.value?.toString() ?? 'null');
      }
      return byKey;
    };
    t.is(latest().get('0'), '{"NAME":"n0","CITY":"moved"}');
    t.is(latest().get('20'), '{"NAME":"twenty","CITY":"moved"}');
    // A left row that changes its foreign key leaves its old match: the old right row's updates no longer reach it.
    run("INSERT INTO L (L_ID, FK, NAME) VALUES (0, 'b', 'n0');");
    t.is(latest().get('0'), '{"NAME":"n0","CITY":"city-b"}');
    run("INSERT INTO R (R_ID, CITY) VALUES ('a', 'again');");
    t.is(latest().get('0'), '{"NAME":"n0","CITY":"city-b"}');
    t.is(latest().get('20'), '{"NAME":"twenty","CITY":"again"}');
    // Pointing nowhere (INNER): the result is retracted with a tombstone.
    run("INSERT INTO L (L_ID, FK, NAME) VALUES (1, 'zzz', 'n1');");
    t.is(latest().get('1'), 'null');
    const internal = broker.listTopics().filter((topic) => topic.includes('KTABLE-FK-JOIN-SUBSCRIPTION'));
    t.deepEqual(internal.map((topic) => topic.replace(/^.*query_CTAS_OUT_\d+-/, '')).sort(),
      ['KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000000-topic', 'KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000000-topic']);
  }, { properties: { 'auto.offset.reset': 'earliest' } });
});
