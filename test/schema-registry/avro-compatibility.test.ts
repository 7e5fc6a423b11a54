import test from 'ava';
import { avroReadProblems } from '../../src/schema-registry/avro-compatibility.js';
import { AvroSchemaError, parseAvroSchema } from '../../src/schema-registry/avro-schema.js';

const avro = (schema: unknown) => parseAvroSchema(JSON.stringify(schema));
const reads = (reader: unknown, writer: unknown) => avroReadProblems(avro(reader), avro(writer));
const record = (fields: object[], name = 'R') => ({ type: 'record', name, fields });

test('promotions: int to long, float, double; long to float, double; float to double; string and bytes', (t) => {
  for (const [reader, writer] of [
    ['long', 'int'],
    ['float', 'int'],
    ['double', 'int'],
    ['float', 'long'],
    ['double', 'long'],
    ['double', 'float'],
    ['bytes', 'string'],
    ['string', 'bytes'],
  ]) {
    t.deepEqual(reads(reader, writer), [], `${reader} reads ${writer}`);
  }
  for (const [reader, writer] of [
    ['int', 'long'],
    ['long', 'float'],
    ['float', 'double'],
    ['int', 'string'],
    ['boolean', 'int'],
  ]) {
    t.regex(reads(reader, writer).join(), /TYPE_MISMATCH/, `${reader} does not read ${writer}`);
  }
});

test('records: a reader field the writer lacks needs a default; a field the reader drops is fine', (t) => {
  const writer = record([{ name: 'a', type: 'int' }]);
  t.deepEqual(reads(record([{ name: 'a', type: 'int' }, { name: 'b', type: 'string', default: '' }]), writer), []);
  t.regex(reads(record([{ name: 'a', type: 'int' }, { name: 'b', type: 'string' }]), writer).join(), /READER_FIELD_MISSING_DEFAULT_VALUE at '\/fields\/1'/);
  t.deepEqual(reads(record([]), writer), []);
  t.deepEqual(reads(record([{ name: 'a', type: 'long' }]), writer), [], 'field types are promoted');
  t.deepEqual(reads(record([{ name: 'z', type: 'int', aliases: ['a'] }]), writer), [], 'a reader alias finds the writer field');
  t.regex(reads(record([{ name: 'a', type: 'int' }], 'Other'), writer).join(), /NAME_MISMATCH/);
});

test('enums: every writer symbol must be known unless the reader has a default', (t) => {
  const e = (symbols: string[], extra = {}) => ({ type: 'enum', name: 'E', symbols, ...extra });
  t.deepEqual(reads(e(['A', 'B', 'C']), e(['A', 'B'])), []);
  t.regex(reads(e(['A']), e(['A', 'B'])).join(), /MISSING_ENUM_SYMBOLS.*\[B\]/);
  t.deepEqual(reads(e(['A', 'U'], { default: 'U' }), e(['A', 'B'])), []);
});

test('unions: each writer branch must be readable; a reader union needs one branch that reads the writer', (t) => {
  t.deepEqual(reads(['null', 'string'], 'string'), []);
  t.deepEqual(reads(['null', 'long'], 'int'), []);
  t.regex(reads('string', ['null', 'string']).join(), /MISSING_UNION_BRANCH.*branch 0 \(null\)/);
  t.deepEqual(reads(['null', 'string', 'int'], ['null', 'string']), []);
  t.regex(reads(['null', 'int'], 'string').join(), /TYPE_MISMATCH/);
});

test('arrays, maps and fixed compare their parts', (t) => {
  t.deepEqual(reads({ type: 'array', items: 'long' }, { type: 'array', items: 'int' }), []);
  t.regex(reads({ type: 'map', values: 'int' }, { type: 'map', values: 'long' }).join(), /TYPE_MISMATCH at '\/values'/);
  t.deepEqual(reads({ type: 'fixed', name: 'F', size: 4 }, { type: 'fixed', name: 'F', size: 4 }), []);
  t.regex(reads({ type: 'fixed', name: 'F', size: 4 }, { type: 'fixed', name: 'F', size: 8 }).join(), /FIXED_SIZE_MISMATCH/);
});

test('a recursive record is checked without looping', (t) => {
  const list = (extra: object[] = []) => record([{ name: 'value', type: 'int' }, { name: 'next', type: ['null', 'R'] }, ...extra]);
  t.deepEqual(reads(list(), list()), []);
  t.regex(reads(list([{ name: 'x', type: 'int' }]), list()).join(), /READER_FIELD_MISSING_DEFAULT_VALUE/);
});

test('the parser refuses what Avro refuses', (t) => {
  const bad = [
    '{"type":"record","name":"R"}',
    '{"type":"record","name":"1R","fields":[]}',
    '{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"a","type":"int"}]}',
    '{"type":"enum","name":"E","symbols":["A","A"]}',
    '{"type":"enum","name":"E","symbols":["A"],"default":"B"}',
    '{"type":"fixed","name":"F","size":-1}',
    '["int","int"]',
    '["null",["int"]]',
    '{"type":"array"}',
    '"Nothing"',
    '[{"type":"record","name":"R","fields":[]},{"type":"record","name":"R","fields":[]}]',
    '{"type":"record","name":"R","fields":[{"name":"a","type":["null","int"],"default":1}]}',
  ];
  for (const text of bad) t.throws(() => parseAvroSchema(text), { instanceOf: AvroSchemaError }, text);
  const good = {
    type: 'record',
    name: 'R',
    namespace: 'n',
    fields: [
      { name: 'a', type: ['null', 'int'], default: null },
      { name: 'b', type: { type: 'int', logicalType: 'date' } },
      { name: 'c', type: { type: 'enum', name: 'E', symbols: ['X'] } },
      { name: 'd', type: 'E' },
      { name: 'e', type: 'n.E' },
    ],
  };
  t.notThrows(() => avro(good), 'defaults of the first branch, logical types, names resolved in the namespace');
});
