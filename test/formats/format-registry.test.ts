import test from 'ava';
import { createSerde, lookupFormat, registerFormat, validateFormat } from './imports.js';
import type { FormatDefinition, SerdeSpec } from './imports.js';
import { INTEGER, STRING } from '../../src/schema/sql-type.js';
import { keyColumn, valueColumn } from './columns.js';

const seen: SerdeSpec[] = [];
const UPPER: FormatDefinition = {
  name: 'UPPER_TEST',
  supportedFeatures: new Set(),
  supportedProperties: new Set(['shout']),
  checkColumns: (columns) => (columns.every((c) => c.type.kind === 'STRING') ? undefined : "The 'UPPER_TEST' format needs strings"),
  createSerde(spec) {
    seen.push(spec);
    return {
      serialize: (values) => (values === null ? null : Buffer.from(values.map((v) => String(v).toUpperCase()).join('/'))),
      deserialize: (bytes) => (bytes === null ? null : bytes.toString().split('/')),
    };
  },
};

test('a registered format is found by name and used for serdes and validation', (t) => {
  registerFormat(UPPER);
  t.is(lookupFormat('upper_test'), UPPER);
  const serde = createSerde({
    format: 'Upper_Test', target: 'value', columns: [valueColumn('A', STRING)], properties: { shout: 'yes' }, topic: 'x',
  });
  t.is(serde.serialize(['ab'])!.toString(), 'AB');
  t.deepEqual(serde.deserialize(Buffer.from('a/b')), ['a', 'b']);
  t.deepEqual(seen.at(-1), {
    target: 'value', columns: [valueColumn('A', STRING)], properties: { shout: 'yes' }, features: [], topic: 'x',
  });
  t.throws(() => validateFormat({ format: 'upper_test', target: 'value', columns: [valueColumn('N', INTEGER)] }), {
    message: /reason: The 'UPPER_TEST' format needs strings$/,
  });
  t.throws(() => validateFormat({ format: 'upper_test', target: 'value', columns: [], properties: { delimiter: ',' } }), {
    message: 'UPPER_TEST does not support the following configs: [delimiter]',
  });
});

test('a definition can be passed directly instead of a name', (t) => {
  const serde = createSerde({ format: UPPER, target: 'value', columns: [valueColumn('A', STRING)] });
  t.is(serde.serialize(['q'])!.toString(), 'Q');
});

test('a key of one null column is a null key in every format; a key of several null columns is written as such', (t) => {
  const columns = [keyColumn('K', STRING), keyColumn('K2', INTEGER)];
  t.is(createSerde({ format: 'JSON', target: 'key', columns }).serialize([null, null])?.toString(), '{"K":null,"K2":null}');
  t.is(createSerde({ format: 'DELIMITED', target: 'key', columns }).serialize([null, null])?.toString(), ',');
  for (const format of ['JSON', 'DELIMITED']) {
    const serde = createSerde({ format, target: 'key', columns });
    t.is(serde.serialize(null), null, format);
    t.deepEqual(serde.deserialize(null), null, format);
    t.is(createSerde({ format, target: 'key', columns: [keyColumn('K', STRING)] }).serialize([null]), null, format);
  }
  t.is(createSerde({ format: 'KAFKA', target: 'key', columns: [keyColumn('K', STRING)] }).serialize([null]), null);
});
