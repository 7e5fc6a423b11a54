import test from 'ava';
import { brokerCommandTopic, isBrokerError, openEmbeddedBroker } from '../../src/broker/index.js';
import { withTempDir } from '../helpers/temp-dir.js';

test('an append to the embedded command topic tells the end it opened at and writes one command', (t) => withTempDir((dataDir) => {
  const broker = openEmbeddedBroker({ dataDir });
  try {
    const topic = brokerCommandTopic(broker, 'commands');
    t.is(broker.describeTopic('commands').config['retention.ms'], -1);
    const first = topic.beginAppend() as { end: number; write(value: Buffer): number };
    t.is(first.end, 0);
    t.is(first.write(Buffer.from('one')), 0);
    const second = topic.beginAppend() as { end: number; write(value: Buffer): number };
    t.is(second.end, 1);
    t.is(second.write(Buffer.from('two')), 1);
    const read = topic.read(0) as { records: { value: Buffer | null }[] };
    t.deepEqual(read.records.map((r) => r.value!.toString()), ['one', 'two']);
  } finally {
    broker.close();
  }
}));

test('opening an append fences the one still open, also through another handle on the same broker', (t) => withTempDir((dataDir) => {
  const broker = openEmbeddedBroker({ dataDir });
  try {
    const older = brokerCommandTopic(broker, 'commands').beginAppend() as { write(value: Buffer): number; abort(): void };
    const newer = brokerCommandTopic(broker, 'commands').beginAppend() as { write(value: Buffer): number };
    const error = t.throws(() => older.write(Buffer.from('late')));
    t.true(isBrokerError(error, 'PRODUCER_FENCED'));
    t.is(newer.write(Buffer.from('now')), 0);
    older.abort();
    t.is(broker.latestOffset('commands', 0), 1);
  } finally {
    broker.close();
  }
}));
