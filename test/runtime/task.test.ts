import test from 'ava';
import type { Broker, ConsumedRecord, ProducerRecord } from '../../src/broker/broker.js';
import { brokerTaskLog, openEmbeddedBroker, type EmbeddedBroker } from '../../src/broker/index.js';
import { StreamTask } from '../../src/runtime/task.js';
import { makeTempDir, removeDir, withTempDir } from '../helpers/temp-dir.js';
import { fillManyAndFew } from './many-and-few.js';

function withBroker(run: (broker: EmbeddedBroker) => void): void {
  withTempDir((dir) => {
    const broker = openEmbeddedBroker({ dataDir: dir });
    try {
      broker.createTopic('in', { partitions: 1 });
      broker.createTopic('out', { partitions: 1 });
      broker.createTopic('log', { partitions: 1 });
      const records: ProducerRecord[] = [];
      for (let i = 0; i < 25; i++) records.push({ key: null, value: Buffer.from(String(i)), timestamp: i });
      broker.append('in', records);
      run(broker);
    } finally {
      broker.close();
    }
  });
}

/** A task that copies each input value to topic `out`, over `broker`. */
function copyTask(broker: Broker, commitRecords = Infinity, cadence: { commitIntervalMs: number; commitWhenCaughtUp?: boolean } = { commitIntervalMs: Infinity }): StreamTask {
  return new StreamTask({
    log: brokerTaskLog(broker), group: 'g', taskId: '0_0', topics: ['in'], partition: 0, startOffset: () => 0,
    processingLogTopic: 'log', logger: 'test', commitRecords, ...cadence, onFailure: () => {},
    buildProcessor: (output) => ({
      process(record: ConsumedRecord) {
        output.emit('out', { key: null, value: record.value, timestamp: record.timestamp });
      },
    }),
  });
}

function outValues(broker: EmbeddedBroker): string[] {
  return broker.read('out', 0, 0, { maxRecords: 1000 }).map((r) => r.value!.toString());
}

test('a task works through a stored batch larger than its turn and commits once it has caught up', (t) => {
  withBroker((broker) => {
    const task = copyTask(broker);
    t.is(task.poll(10), 10);
    t.is(broker.committedOffset('g', 'in', 0), 0);
    t.deepEqual(outValues(broker), [], 'outputs wait for the commit');
    t.is(task.poll(10), 10);
    t.is(task.poll(10), 5);
    t.is(broker.committedOffset('g', 'in', 0), 25);
    t.is(task.poll(10), 0);
    broker.append('in', [{ key: null, value: Buffer.from('late'), timestamp: 99 }]);
    t.is(task.poll(10), 1);
    t.deepEqual(outValues(broker), [...Array.from({ length: 25 }, (_, i) => String(i)), 'late']);
    t.is(task.processed, 26);
  });
});

test('committing on its interval, a task that caught up does not commit at each poll, and commits before reading again once the interval passed', async (t) => {
  await withTempDir(async (dir) => {
    const broker = openEmbeddedBroker({ dataDir: dir });
    try {
      for (const topic of ['in', 'out', 'log']) broker.createTopic(topic, { partitions: 1 });
      broker.append('in', [{ key: null, value: Buffer.from('a'), timestamp: 1 }]);
      const task = copyTask(broker, Infinity, { commitIntervalMs: 200, commitWhenCaughtUp: false });
      t.is(task.poll(10), 1);
      broker.append('in', [{ key: null, value: Buffer.from('b'), timestamp: 2 }]);
      t.is(task.poll(10), 1);
      t.is(task.poll(10), 0);
      t.is(broker.committedOffset('g', 'in', 0), 0, 'caught up, it waits for its interval');
      t.deepEqual(outValues(broker), []);
      await new Promise((resolve) => setTimeout(resolve, 250));
      t.is(task.poll(10), 0);
      t.is(broker.committedOffset('g', 'in', 0), 2, 'the interval passed: it committed');
      t.deepEqual(outValues(broker), ['a', 'b']);
    } finally {
      broker.close();
    }
  });
});

test('under a backlog a task commits every commitRecords records', (t) => {
  withBroker((broker) => {
    const task = copyTask(broker, 20);
    t.is(task.poll(10), 10);
    t.is(broker.committedOffset('g', 'in', 0), 0);
    t.is(task.poll(10), 10);
    t.is(broker.committedOffset('g', 'in', 0), 20);
    t.is(outValues(broker).length, 20);
  });
});

test('after a failed commit a task processes the same records again, and each output is written once', (t) => {
  withBroker((broker) => {
    let failNext = false;
    const flaky = new Proxy(broker, {
      get(target, property, receiver) {
        if (property === 'commitTransaction' && failNext) {
          return () => {
            failNext = false;
            throw new Error('disk full');
          };
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const task = copyTask(flaky, 10);
    t.is(task.poll(10), 10);
    failNext = true;
    t.throws(() => task.poll(10), { message: 'disk full' });
    t.is(broker.committedOffset('g', 'in', 0), 10);
    t.is(task.poll(10), 10);
    t.is(task.poll(10), 5);
    t.deepEqual(outValues(broker), Array.from({ length: 25 }, (_, i) => String(i)));
  });
});

test('when an operator throws, the task discards the uncommitted outputs and state, goes back to the committed offset and rethrows', (t) => {
  withBroker((broker) => {
    const calls: string[] = [];
    let poison = '12';
    const task = new StreamTask({
      log: brokerTaskLog(broker), group: 'g', taskId: '0_0', topics: ['in'], partition: 0, startOffset: () => 0,
      processingLogTopic: 'log', logger: 'test', commitRecords: 10, commitIntervalMs: Infinity, onFailure: () => {},
      buildProcessor: (output) => ({
        process(record: ConsumedRecord) {
          if (record.value!.toString() === poison) throw new Error('a bug');
          output.emit('out', { key: null, value: record.value, timestamp: record.timestamp });
        },
        state: { commit: () => calls.push('flush'), abort: () => calls.push('abort') },
      }),
    });
    t.is(task.poll(10), 10);
    const error = t.throws(() => task.poll(10));
    t.is(error.message, 'Exception caught in process. taskId=0_0, topic=in, partition=0, offset=12: a bug', 'framed as Kafka Streams frames it, naming the record');
    t.is((error.cause as Error).message, 'a bug');
    t.deepEqual(calls, ['flush', 'abort']);
    t.is(broker.committedOffset('g', 'in', 0), 10);
    t.deepEqual(outValues(broker), Array.from({ length: 10 }, (_, i) => String(i)), 'nothing of the failed batch is written');
    t.deepEqual(broker.read('log', 0, 0), [], 'the error is not a processing-log entry');
    t.is(task.processed, 10);
    poison = 'none';
    t.is(task.poll(10), 10, 'the same records are read again from the committed offset');
    t.is(task.poll(10), 5);
    t.deepEqual(outValues(broker), Array.from({ length: 25 }, (_, i) => String(i)));
  });
});

test('a task reading two topics reads on in a topic whose buffer ran out before it takes later records of the other', (t) => {
  withTempDir((dir) => {
    const broker = openEmbeddedBroker({ dataDir: dir });
    try {
      fillManyAndFew(broker);
      const seen: number[] = [];
      const task = new StreamTask({
        log: brokerTaskLog(broker), group: 'g', taskId: '0_0', topics: ['many', 'few'], partition: 0, startOffset: () => 0,
        processingLogTopic: 'log', logger: 'test', commitRecords: Infinity, commitIntervalMs: Infinity, onFailure: () => {},
        buildProcessor: () => ({ process: (record: ConsumedRecord) => { seen.push(record.timestamp); } }),
      });
      let processed = 0;
      for (let n = task.poll(300) as number; n > 0; n = task.poll(300) as number) processed += n;
      t.is(processed, 25_050);
      const outOfOrder = seen.findIndex((time, i) => i > 0 && time < seen[i - 1]!);
      t.is(outOfOrder, -1, `timestamp ${seen[outOfOrder]} came after ${seen[outOfOrder - 1]}`);
    } finally {
      broker.close();
    }
  });
});

test('a task leaving this server commits the work processed since its last commit, then closes', async (t) => {
  const dir = makeTempDir('ksqlite-task-');
  const broker = openEmbeddedBroker({ dataDir: dir });
  try {
    broker.createTopic('in', { partitions: 1 });
    broker.createTopic('out', { partitions: 1 });
    broker.createTopic('log', { partitions: 1 });
    broker.append('in', Array.from({ length: 25 }, (_, i) => ({ key: null, value: Buffer.from(String(i)), timestamp: i })));
    const task = copyTask(broker);
    t.is(task.poll(10), 10);
    t.is(broker.committedOffset('g', 'in', 0), 0);
    await task.commitAndClose();
    t.is(broker.committedOffset('g', 'in', 0), 10);
    t.deepEqual(outValues(broker), Array.from({ length: 10 }, (_, i) => String(i)));
  } finally {
    broker.close();
    removeDir(dir);
  }
});
