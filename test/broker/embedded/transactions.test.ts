/**
 * The log's transaction coordinator without the wire: a transaction open when
 * the log stops is aborted at the next start (nothing of it visible, its
 * producer fenced); a transaction past its timeout is aborted; offsets
 * committed in a transaction become group offsets only when it commits; a
 * storage failure inside a transactional append leaves the last stable
 * offset as it was; compaction leaves transactions whole.
 */
import test from 'ava';
import { isBrokerError, openEmbeddedBroker } from '../../../src/broker/index.js';
import { isControlBatch } from '../../../src/broker/record-batch/control-batch.js';
import { producerBatch } from '../../helpers/producer-batch.js';
import { withTempDir } from '../../helpers/temp-dir.js';
import { withBroker } from './temp-broker.js';

function values(broker: { read(topic: string, partition: number, from: number): { value: Buffer | null }[] }, topic: string): string[] {
  return broker.read(topic, 0, 0).map((r) => String(r.value));
}

test('a transaction open when the log stops is aborted at the next start: read_committed readers never see it, and its producer is fenced', (t) => {
  withTempDir((dir) => {
    let producer = { producerId: -1, epoch: -1 };
    const first = openEmbeddedBroker({ dataDir: dir });
    try {
      first.createTopic('open', { partitions: 1 });
      producer = first.transactions.initProducerId('tx-open', 60_000, null);
      first.transactions.addPartitions('tx-open', producer, [{ topic: 'open', partition: 0 }]);
      first.appendBatches('open', 0, [producerBatch(['hidden-1', 'hidden-2'], { ...producer, sequence: 0, transactional: true })]);
      first.append('open', [{ key: null, value: Buffer.from('after'), partition: 0 }]);
      t.is(first.latestOffset('open', 0), 0, 'the open transaction holds the last stable offset back');
      t.deepEqual(values(first, 'open'), []);
    } finally {
      first.close();
    }
    const second = openEmbeddedBroker({ dataDir: dir });
    try {
      t.is(second.logEndOffset('open', 0), 4, 'an ABORT marker after the records');
      t.is(second.latestOffset('open', 0), 4);
      t.deepEqual(values(second, 'open'), ['after']);
      t.deepEqual(second.abortedTransactions('open', 0, 0, 4), [{ producerId: producer.producerId, firstOffset: 0 }]);
      const error = t.throws(() => second.transactions.endTransaction('tx-open', producer, true));
      t.true(isBrokerError(error, 'PRODUCER_FENCED'));
      const stale = t.throws(() => second.appendBatches('open', 0, [producerBatch(['late'], { ...producer, sequence: 2, transactional: true })]));
      t.true(isBrokerError(stale, 'INVALID_PRODUCER_EPOCH'));
      const next = second.transactions.initProducerId('tx-open', 60_000, null);
      t.deepEqual(next, { producerId: producer.producerId, epoch: producer.epoch + 2 });
    } finally {
      second.close();
    }
  });
});

test('a transaction past its timeout is aborted and its producer fenced; one within it is left alone', (t) => {
  let now = 1_000_000;
  withBroker(
    (broker) => {
      broker.createTopic('slow', { partitions: 1 });
      const slow = broker.transactions.initProducerId('tx-slow', 5_000, null);
      const quick = broker.transactions.initProducerId('tx-quick', 60_000, null);
      for (const [id, producer] of [['tx-slow', slow], ['tx-quick', quick]] as const) {
        broker.transactions.addPartitions(id, producer, [{ topic: 'slow', partition: 0 }]);
        broker.appendBatches('slow', 0, [producerBatch([id], { ...producer, sequence: 0, transactional: true })]);
      }
      now += 4_000;
      t.deepEqual(broker.transactions.abortTimedOut(), []);
      now += 2_000;
      t.deepEqual(broker.transactions.abortTimedOut(), ['tx-slow']);
      t.true(isBrokerError(t.throws(() => broker.transactions.endTransaction('tx-slow', slow, true)), 'PRODUCER_FENCED'));
      broker.transactions.endTransaction('tx-quick', quick, true);
      t.deepEqual(values(broker, 'slow'), ['tx-quick']);
    },
    { clock: () => now },
  );
});

test('offsets committed in a transaction become the group\'s only when it commits', (t) => {
  withBroker((broker) => {
    broker.createTopic('in', { partitions: 1 });
    const producer = broker.transactions.initProducerId('tx-offsets', 60_000, null);
    broker.transactions.addOffsets('tx-offsets', producer);
    broker.transactions.commitOffsets('tx-offsets', producer, 'g', [{ topic: 'in', partition: 0, offset: 7 }]);
    t.is(broker.committedOffset('g', 'in', 0), null, 'pending while the transaction is open');
    broker.transactions.endTransaction('tx-offsets', producer, false);
    t.is(broker.committedOffset('g', 'in', 0), null, 'an abort drops them');
    broker.transactions.addOffsets('tx-offsets', producer);
    broker.transactions.commitOffsets('tx-offsets', producer, 'g', [{ topic: 'in', partition: 0, offset: 9 }]);
    broker.transactions.endTransaction('tx-offsets', producer, true);
    t.is(broker.committedOffset('g', 'in', 0), 9);
  });
});

test('a transactional append that fails inside a larger commit leaves the transaction index as it was', (t) => {
  withBroker((broker) => {
    broker.createTopic('rolled', { partitions: 1 });
    const producer = broker.transactions.initProducerId('tx-roll', 60_000, null);
    broker.transactions.addPartitions('tx-roll', producer, [{ topic: 'rolled', partition: 0 }]);
    const good = producerBatch(['x'], { ...producer, sequence: 0, transactional: true });
    const gap = producerBatch(['y'], { ...producer, sequence: 5, transactional: true });
    t.true(isBrokerError(t.throws(() => broker.appendBatches('rolled', 0, [good, gap])), 'OUT_OF_ORDER_SEQUENCE'));
    t.is(broker.logEndOffset('rolled', 0), 0);
    t.is(broker.latestOffset('rolled', 0), 0);
    broker.append('rolled', [{ key: null, value: Buffer.from('plain'), partition: 0 }]);
    t.is(broker.latestOffset('rolled', 0), 1, 'no open transaction was left behind by the rollback');
    t.deepEqual(values(broker, 'rolled'), ['plain']);
  });
});

test('compaction keeps transactional batches and their markers whole, so read_committed clients still find every marker', (t) => {
  withBroker((broker) => {
    broker.createTopic('compacted', { partitions: 1, config: { 'cleanup.policy': 'compact' } });
    const producer = broker.transactions.initProducerId('tx-compact', 60_000, null);
    const partitions = [{ topic: 'compacted', partition: 0 }];
    let sequence = 0;
    for (const commit of [false, false, true]) {
      broker.transactions.addPartitions('tx-compact', producer, partitions);
      broker.appendBatches('compacted', 0, [producerBatch(['same', `v${sequence}`], { ...producer, sequence, transactional: true })]);
      sequence += 2;
      broker.transactions.endTransaction('tx-compact', producer, commit);
    }
    broker.append('compacted', [{ key: Buffer.from('k-same'), value: Buffer.from('plain'), partition: 0 }]);
    const before = broker.readBatches('compacted', 0, 0, 1 << 20);
    broker.runMaintenance();
    const after = broker.readBatches('compacted', 0, 0, 1 << 20);
    t.is(after.filter(isControlBatch).length, 3, 'two ABORT markers and a COMMIT marker');
    t.deepEqual(after.slice(0, 6), before.slice(0, 6), 'the transactions\' batches as they were');
    t.deepEqual(values(broker, 'compacted'), ['same', 'v4', 'plain']);
  });
});

test('an idle producer\'s sequence state is forgotten after a week, as Kafka expires producer ids', (t) => {
  let now = 1_000_000;
  withBroker(
    (broker) => {
      broker.createTopic('idle', { partitions: 1 });
      const producer = broker.transactions.initProducerId(null, 60_000, null);
      broker.appendBatches('idle', 0, [producerBatch(['a'], { ...producer, sequence: 0 })]);
      now += 6 * 24 * 3600 * 1000;
      broker.runMaintenance();
      t.is(broker.appendBatches('idle', 0, [producerBatch(['b'], { ...producer, sequence: 1 })]).baseOffset, 1, 'still known after six days');
      now += 8 * 24 * 3600 * 1000;
      broker.runMaintenance();
      t.true(isBrokerError(t.throws(() => broker.appendBatches('idle', 0, [producerBatch(['c'], { ...producer, sequence: 2 })])), 'UNKNOWN_PRODUCER_ID'));
    },
    { clock: () => now },
  );
});
