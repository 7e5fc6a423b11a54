import test from 'ava';
import type { ProducerRecord } from '../../src/broker/broker.js';
import { withTempEngine } from '../helpers/temp-engine.js';

const json = (value: object): ProducerRecord => ({ key: null, value: Buffer.from(JSON.stringify(value)), timestamp: 1000 });

test('a row with a NULL grouping value is left out of the table and logged with the index of that GROUP BY expression', (t) => {
  withTempEngine((node) => {
    node.engine.execute(`
      CREATE STREAM S (A INT, B STRING) WITH (KAFKA_TOPIC='in', PARTITIONS=1, VALUE_FORMAT='JSON');
      CREATE TABLE OUT WITH (KEY_FORMAT='JSON') AS SELECT A, B, COUNT(*) AS N FROM S GROUP BY A, B;`);
    node.broker.append('in', [json({ A: null, B: 'x' }), json({ A: 1, B: null }), json({ A: 1, B: 'x' })]);
    node.scheduler.runUntilIdle();
    const read = (topic: string): string[] => node.broker.read(topic, 0, 0, { maxRecords: 1000 }).map((r) => r.value!.toString());
    t.deepEqual(read('OUT'), ['{"N":1}']);
    const errors = read(node.engine.config.processingLogTopic)
      .map((v) => (JSON.parse(v) as { message: { recordProcessingError: { errorMessage: string } } }).message.recordProcessingError.errorMessage);
    t.deepEqual(errors, [
      'Group-by column with index 0 resolved to null. The source row will be excluded from the table.',
      'Group-by column with index 1 resolved to null. The source row will be excluded from the table.',
    ]);
  }, { properties: { 'auto.offset.reset': 'earliest' } });
});
