import test from 'ava';
import type { ConsumedRecord } from '../../src/broker/broker.js';
import { appendWindow } from '../../src/formats/windowed-key.js';
import { confluentFrame, lookupFormat, registerFormat } from '../../src/formats/index.js';
import { memoryRegistry } from '../formats/avro/registry-stub.js';
import { describeBytes, formatRowTime, NO_DATA_PROCESSED, RecordFormatter, startsWithJsonValue } from '../../src/engine/record-formatter.js';

const record = (key: Buffer | null, value: Buffer | null, timestamp = 1588344313111, partition = 1): ConsumedRecord =>
  ({ topic: 't', partition, offset: 0, timestamp, key, value, headers: [] });
const text = (s: string): Buffer => Buffer.from(s, 'utf8');
const int = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const long = (n: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(n);
  return b;
};
const double = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(n);
  return b;
};

test('a record prints as its rowtime in UTC, key, value and partition', (t) => {
  const f = new RecordFormatter();
  t.deepEqual(f.formatBatch([record(text('18'), text('{"a":1}'))]),
    ['rowtime: 2020/05/01 14:45:13.111 Z, key: 18, value: {"a":1}, partition: 1']);
});

test('a record without a timestamp prints N/A, and null keys and values print <null>', (t) => {
  const f = new RecordFormatter();
  t.deepEqual(f.formatBatch([record(null, null, -1, 0)]), ['rowtime: N/A, key: <null>, value: <null>, partition: 0']);
  t.is(formatRowTime(0), '1970/01/01 00:00:00.000 Z');
});

test('before any non-null data the formats are unknown, and nulls keep them so', (t) => {
  const f = new RecordFormatter();
  t.deepEqual(f.possibleKeyFormats(), [NO_DATA_PROCESSED]);
  f.formatBatch([record(null, text('x'))]);
  t.deepEqual(f.possibleKeyFormats(), [NO_DATA_PROCESSED]);
  t.deepEqual(f.possibleValueFormats(), ['KAFKA_STRING']);
});

test('JSON text is both JSON and KAFKA_STRING, and numbers of the wrong size are not KAFKA numbers', (t) => {
  const f = new RecordFormatter();
  f.formatBatch([record(text('18'), text('{"ordertime":1497014222380,"address":{"city":"Mountain View"}}'))]);
  t.deepEqual(f.possibleKeyFormats(), ['JSON', 'KAFKA_STRING']);
  t.deepEqual(f.possibleValueFormats(), ['JSON', 'KAFKA_STRING']);
});

test('KAFKA_INT, KAFKA_BIGINT and KAFKA_DOUBLE decode by size, the first remaining format showing the value', (t) => {
  const f = new RecordFormatter();
  t.deepEqual(f.formatBatch([record(int(24), long(199n))]), ['rowtime: 2020/05/01 14:45:13.111 Z, key: 24, value: 199, partition: 1']);
  // Small numbers are also valid (if unprintable) UTF-8.
  t.deepEqual(f.possibleKeyFormats(), ['KAFKA_INT', 'KAFKA_STRING']);
  t.deepEqual(f.possibleValueFormats(), ['KAFKA_BIGINT', 'KAFKA_DOUBLE']);
  const g = new RecordFormatter();
  g.formatBatch([record(null, double(24.199))]);
  t.true(g.possibleValueFormats().includes('KAFKA_DOUBLE'));
});

test('a batch that rules out the format its first records were shown in is shown again in the one left', (t) => {
  const f = new RecordFormatter();
  // 8 bytes of text: a BIGINT until the second value, which is not 8 bytes long, shows it is a string.
  const lines = f.formatBatch([record(null, text('abcdefgh')), record(null, text('not eight'))]);
  t.deepEqual(f.possibleValueFormats(), ['KAFKA_STRING']);
  t.regex(lines[0]!, /value: abcdefgh,/);
});

test('bytes no format decodes print byte by byte and leave no format', (t) => {
  const f = new RecordFormatter();
  const lines = f.formatBatch([record(null, Buffer.from([0xff, 0x41, 0x5c]))]);
  t.regex(lines[0]!, /value: \\xFFA\\x5C,/);
  t.deepEqual(f.possibleValueFormats(), []);
  t.is(describeBytes(Buffer.from('a b~')), 'a b~');
});

test('keys may be windowed: time windows print [key@start/-], session windows [key@start/end]', (t) => {
  const f = new RecordFormatter();
  const timeKey = appendWindow(int(24), { start: 1234567890123, end: 1234567899999 }, 'TUMBLING');
  t.regex(f.formatBatch([record(timeKey, null)])[0]!, /key: \[24@1234567890123\/-\],/);
  t.deepEqual(f.possibleKeyFormats().slice(0, 2), ['HOPPING(KAFKA_INT)', 'TUMBLING(KAFKA_INT)']);
  const g = new RecordFormatter();
  const sessionKey = appendWindow(text('"k"'), { start: 1534567890123, end: 1534567899999 }, 'SESSION');
  t.regex(g.formatBatch([record(sessionKey, null)])[0]!, /key: \[\"k\"@1534567890123\/1534567899999\],/);
  t.is(g.possibleKeyFormats()[0], 'SESSION(JSON)');
});

test('a session window whose end precedes its start is not a session window', (t) => {
  const f = new RecordFormatter();
  const bytes = Buffer.concat([int(1), long(99n), long(100n)]);
  f.formatBatch([record(bytes, null)]);
  t.false(f.possibleKeyFormats().includes('SESSION(KAFKA_INT)'));
});

test('JSON detection reads one value as Jackson does', (t) => {
  for (const json of ['{"a":1}', '[10,22,44]', '"text"', '24.987', 'true', 'null', ' {"a": [1, {"b": null}]} trailing', '1 2', '']) {
    t.true(startsWithJsonValue(json), json);
  }
  for (const bad of ['{BAD DATA"name": "x"}', 'abc', '01', '1,2', '123abc', 'trueish', '{"a":1', '"unterminated', '[1,]', "{'a':1}"]) {
    t.false(startsWithJsonValue(bad), bad);
  }
  t.false(startsWithJsonValue('['.repeat(5000)));
});

test('with a registry, formats with a record printer join the candidates at their place in ksqlDB\'s order', (t) => {
  const registry = memoryRegistry();
  const id = registry.register('t-value', 'AVRO', JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'A', type: 'int' }] }));
  registerFormat({
    ...lookupFormat('JSON'),
    name: 'PRINT_TEST_SR',
    recordPrinter: { printOrder: 3, create: () => (bytes) => (bytes[0] === 0 ? `sr:${bytes.length}` : undefined) },
  });
  const f = new RecordFormatter(registry);
  const framed = confluentFrame(id, Buffer.from([0x54]));
  t.deepEqual(f.formatBatch([record(framed, framed)]),
    ['rowtime: 2020/05/01 14:45:13.111 Z, key: {"A": 42}, value: {"A": 42}, partition: 1']);
  t.deepEqual(f.possibleValueFormats(), ['AVRO', 'PRINT_TEST_SR', 'KAFKA_STRING']);
  t.deepEqual(f.possibleKeyFormats(), ['AVRO', 'PRINT_TEST_SR', 'KAFKA_STRING']);
  const without = new RecordFormatter();
  without.formatBatch([record(null, framed)]);
  t.deepEqual(without.possibleValueFormats(), ['KAFKA_STRING'], 'without a registry no schema-based format decodes');
});
