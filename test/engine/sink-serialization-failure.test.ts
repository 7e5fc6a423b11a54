import test from 'ava';
import type { QueryListEntity } from '../../src/engine/entities.js';
import type { QueryDescriptionEntity } from '../../src/engine/explain-query.js';
import { withTempEngine } from '../helpers/temp-engine.js';

const OPTIONS = { properties: { 'auto.offset.reset': 'earliest' }, schemaRegistry: true } as const;

test('a row the sink cannot serialize stops the query in ERROR, as ksqlDB\'s serializers fail the task, and is not skipped', (t) => {
  withTempEngine(({ broker, engine, scheduler }) => {
    // The sink's schema wants a C2 no row has: Avro cannot write such a row.
    const id = engine.schemaRegistry!.register('anything', 'AVRO', JSON.stringify({
      type: 'record', name: 'blah', fields: [{ name: 'C1', type: 'int' }, { name: 'C2', type: 'double' }],
    }));
    engine.execute("CREATE STREAM S (C1 INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
    engine.execute(`CREATE STREAM OUT WITH (KAFKA_TOPIC='out', VALUE_FORMAT='AVRO', VALUE_SCHEMA_ID=${id}) AS SELECT * FROM S;`);
    broker.append('s', [{ key: null, value: Buffer.from('{"C1":4}'), timestamp: 1 }]);
    scheduler.runUntilIdle();
    const [query] = (engine.execute('SHOW QUERIES;')[0] as QueryListEntity).queries;
    t.is(query!.state, 'ERROR');
    const description = (engine.execute(`EXPLAIN ${query!.id};`)[0] as QueryDescriptionEntity).queryDescription;
    t.regex(description.queryErrors[0]!.errorMessage, /Exception caught in process\. .*Unable to serialize record\. ProducerRecord\(topic=\[out\], timestamp=\[1\]\)/);
    t.is(broker.read('out', 0, 0, { maxRecords: 10 }).length, 0);
  }, OPTIONS);
});
