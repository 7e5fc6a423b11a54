/**
 * A query group's settings under Kafka Streams' names, with the Java
 * clients' defaults; bad values are refused, never ignored.
 */
import test from 'ava';
import { isBrokerError } from '../../../src/broker/index.js';
import { DEFAULT_QUERY_GROUP_SETTINGS, resolveQueryGroupSettings } from '../../../src/broker/kafka/query-group-settings.js';

test('the defaults are the Java clients\' and Kafka Streams\'', (t) => {
  t.deepEqual(resolveQueryGroupSettings({}), { sessionTimeoutMs: 45_000, heartbeatIntervalMs: 3000, rebalanceTimeoutMs: 300_000, standbyReplicas: 0 });
  t.deepEqual(resolveQueryGroupSettings({}), DEFAULT_QUERY_GROUP_SETTINGS);
});

test('each setting is read under its Kafka Streams name', (t) => {
  t.deepEqual(resolveQueryGroupSettings({
    'session.timeout.ms': '10000', 'heartbeat.interval.ms': '1000', 'max.poll.interval.ms': '60000', 'num.standby.replicas': '2',
  }), { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1000, rebalanceTimeoutMs: 60_000, standbyReplicas: 2 });
});

test('a value that is not a whole number in range, or a heartbeat not below the session timeout, is refused', (t) => {
  const cases: Record<string, string>[] = [{ 'session.timeout.ms': 'soon' }, { 'num.standby.replicas': '-1' }, { 'max.poll.interval.ms': '' }, { 'session.timeout.ms': '1.5' }, { 'heartbeat.interval.ms': '45000' }];
  for (const properties of cases) {
    const error = t.throws(() => resolveQueryGroupSettings(properties));
    t.true(isBrokerError(error, 'INVALID_CONFIG'), String(error));
  }
});
