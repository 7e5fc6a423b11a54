import test from 'ava';
import { KsqlConfig, isOverridableProperty } from '../../src/engine/config.js';

test('defaults are ksqlDB defaults', (t) => {
  const c = new KsqlConfig();
  t.is(c.serviceId, 'default_');
  t.is(c.get('ksql.persistence.default.format.key'), 'KAFKA');
  t.is(c.get('ksql.persistence.default.format.value'), null);
  t.is(c.get('auto.offset.reset'), 'latest');
  t.is(c.processingLogTopic, 'default_ksql_processing_log');
  t.is(c.get('repartition.purge.interval.ms'), 30000);
});

test('streams properties are the same with or without the ksql.streams. prefix', (t) => {
  const c = new KsqlConfig({ 'ksql.streams.auto.offset.reset': 'earliest' });
  t.is(c.get('auto.offset.reset'), 'earliest');
  t.is(c.get('ksql.streams.auto.offset.reset'), 'earliest');
});

test('overrides make a new config and parse their values by type', (t) => {
  const base = new KsqlConfig();
  const over = base.withOverrides({ 'ksql.persistence.wrap.single.values': 'false', 'ksql.service.id': 'x_' });
  t.is(over.get('ksql.persistence.wrap.single.values'), false);
  t.is(over.processingLogTopic, 'x_ksql_processing_log');
  t.is(base.serviceId, 'default_');
});

test('a bad value for a known property is a clear error', (t) => {
  const e = t.throws(() => new KsqlConfig({ 'auto.offset.reset': 'middle' }));
  t.regex(e!.message, /Invalid value middle for configuration auto.offset.reset/);
});

test('only per-query properties may be overridden by a request', (t) => {
  t.true(isOverridableProperty('auto.offset.reset'));
  t.false(isOverridableProperty('ksql.service.id'));
});

test('processing.guarantee takes Kafka Streams\' values and refuses any other as Kafka does', (t) => {
  for (const value of ['at_least_once', 'exactly_once', 'exactly_once_beta', 'exactly_once_v2']) {
    t.is(new KsqlConfig({ 'ksql.streams.processing.guarantee': value }).get('processing.guarantee'), value);
  }
  t.is(new KsqlConfig().get('processing.guarantee'), 'exactly_once_v2');
  const e = t.throws(() => new KsqlConfig().withOverrides({ 'ksql.streams.processing.guarantee': 'exactly_twice' }));
  t.is(e!.message, 'Invalid value exactly_twice for configuration processing.guarantee: String must be one of: at_least_once, exactly_once, exactly_once_beta, exactly_once_v2');
  t.throws(() => new KsqlConfig({ 'processing.guarantee': 'AT_LEAST_ONCE' }), { message: /String must be one of/ });
});
