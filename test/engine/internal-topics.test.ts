import test from 'ava';
import { brokerTopicStore } from '../../src/broker/broker-topic-store.js';
import { openEmbeddedBroker } from '../../src/broker/index.js';
import type { TopicStore } from '../../src/broker/topic-store.js';
import { ensureInternalTopics } from '../../src/engine/internal-topics.js';
import { withTempDir } from '../helpers/temp-dir.js';

test('an internal topic another server created since this one last looked is taken as made, not an error (servers of one service id start a query at once)', (t) => {
  withTempDir((dir) => {
    const broker = openEmbeddedBroker({ dataDir: dir });
    try {
      broker.createTopic('orders', { partitions: 3 });
      const changelog = '_confluent-ksql-x_query_CTAS_T_0-Aggregate-Materialize-changelog';
      // The other server's creation, which this server's view of the topics has not seen yet.
      broker.createTopic(changelog, { partitions: 3, config: { 'cleanup.policy': 'compact' } });
      const stale: TopicStore = { ...brokerTopicStore(broker), hasTopic: (name) => name !== changelog && broker.hasTopic(name) };
      t.notThrows(() => ensureInternalTopics(stale, [{ name: changelog, kind: 'changelog', partitionsOf: 'orders', config: { 'cleanup.policy': 'compact' } }]));
      t.is(broker.describeTopic(changelog).partitions.length, 3);
    } finally {
      broker.close();
    }
  });
});
