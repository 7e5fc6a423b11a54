import test from 'ava';
import { createWindowedKeySerde, DeserializationError } from './imports.js';
import { INTEGER, STRING } from '../../src/schema/sql-type.js';
import { keyColumn } from './columns.js';

test('a time-windowed key is the key bytes then the window start; the end comes from the size', (t) => {
  const serde = createWindowedKeySerde({ format: 'KAFKA', columns: [keyColumn('K', STRING)], window: { type: 'TUMBLING', sizeMs: 1000 } });
  const bytes = serde.serialize(['k'], { start: 3000, end: 4000 });
  t.deepEqual(bytes, Buffer.concat([Buffer.from('k'), Buffer.from([0, 0, 0, 0, 0, 0, 0x0b, 0xb8])]));
  t.deepEqual(serde.deserialize(bytes), { values: ['k'], window: { start: 3000, end: 4000 } });
});

test('a session-windowed key is the key bytes, then the window end, then the start', (t) => {
  const serde = createWindowedKeySerde({ format: 'JSON', columns: [keyColumn('K', INTEGER)], window: { type: 'SESSION' } });
  const bytes = serde.serialize([7], { start: 12, end: 465 });
  t.is(bytes.subarray(0, 1).toString(), '7');
  t.is(bytes.readBigInt64BE(1), 465n);
  t.is(bytes.readBigInt64BE(9), 12n);
  t.deepEqual(serde.deserialize(bytes), { values: [7], window: { start: 12, end: 465 } });
});

test('windowed keys keep the key format properties', (t) => {
  const columns = [keyColumn('A', STRING), keyColumn('B', INTEGER)];
  const serde = createWindowedKeySerde({ format: 'DELIMITED', columns, properties: { delimiter: '|' }, window: { type: 'HOPPING', sizeMs: 10 } });
  const bytes = serde.serialize(['x', 2], { start: 0, end: 10 });
  t.is(bytes.subarray(0, bytes.length - 8).toString(), 'x|2');
  t.deepEqual(serde.deserialize(bytes), { values: ['x', 2], window: { start: 0, end: 10 } });
});

test('null bytes are no key; bytes too short for the window are a deserialization error', (t) => {
  const serde = createWindowedKeySerde({ format: 'KAFKA', columns: [keyColumn('K', STRING)], window: { type: 'SESSION' } });
  t.is(serde.deserialize(null), null);
  const error = t.throws(() => serde.deserialize(Buffer.alloc(15)));
  t.true(error instanceof DeserializationError);
});

test('time windows need a size', (t) => {
  t.throws(() => createWindowedKeySerde({ format: 'KAFKA', columns: [keyColumn('K', STRING)], window: { type: 'TUMBLING' } }));
});
