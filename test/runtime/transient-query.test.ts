import test from 'ava';
import type { ConsumedRecord } from '../../src/broker/broker.js';
import { brokerTaskLog, openEmbeddedBroker } from '../../src/broker/index.js';
import { Scheduler } from '../../src/runtime/scheduler.js';
import { TransientQuery, type TransientEnd } from '../../src/runtime/transient-query.js';
import { withTempDir } from '../helpers/temp-dir.js';

test('a push query whose operator throws ends as failed with that error instead of skipping the record', (t) => {
  withTempDir((dir) => {
    const broker = openEmbeddedBroker({ dataDir: dir });
    try {
      broker.createTopic('in', { partitions: 1 });
      broker.createTopic('log', { partitions: 1 });
      broker.append('in', ['1', '2', 'bad', '3'].map((v) => ({ key: null, value: Buffer.from(v), timestamp: 0 })));
      const rows: string[] = [];
      const ends: TransientEnd[] = [];
      const query = new TransientQuery({
        id: 'transient_IN_1',
        statementText: 'SELECT * FROM IN EMIT CHANGES;',
        log: brokerTaskLog(broker),
        topic: 'in',
        partitions: 1,
        startOffset: () => 0,
        processingLogTopic: 'log',
        buildProcessor: (_output, onRow) => ({
          process(record: ConsumedRecord) {
            const text = record.value!.toString();
            if (text === 'bad') throw new Error('a bug');
            onRow({ values: [text], timestamp: record.timestamp, partition: 0, offset: record.offset, headers: [], window: null, nullValue: false });
          },
        }),
        onRow: (row) => rows.push(String(row.values[0])),
        onEnd: (end) => ends.push(end),
      });
      const scheduler = new Scheduler();
      query.start(scheduler);
      scheduler.runUntilIdle();
      t.deepEqual(rows, ['1', '2']);
      t.is(ends.length, 1);
      t.is(ends[0]!.kind, 'failed');
      t.is(((ends[0] as { error: Error }).error).message, 'a bug');
      t.true(query.isEnded);
      t.deepEqual(broker.read('log', 0, 0), [], 'the error is not a processing-log entry');
    } finally {
      broker.close();
    }
  });
});
