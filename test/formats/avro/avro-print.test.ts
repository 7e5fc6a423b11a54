import test from 'ava';
import avro from 'avsc';
import { confluentFrame } from '../../../src/formats/index.js';
import { AVRO_RECORD_PRINTER } from '../../../src/formats/avro/avro-print.js';
import { memoryRegistry } from './registry-stub.js';

function printed(schema: object | string, value: unknown): string | undefined {
  const registry = memoryRegistry();
  const id = registry.register('t-value', 'AVRO', JSON.stringify(schema));
  return AVRO_RECORD_PRINTER.create(registry)(confluentFrame(id, avro.Type.forSchema(schema as avro.Schema, { wrapUnions: true }).toBuffer(value)));
}

test('a record prints as Avro\'s GenericData.toString: quoted escaped names and strings, ", " between items', (t) => {
  const schema = {
    type: 'record', name: 'R', fields: [
      { name: 'S', type: 'string' },
      { name: 'L', type: 'long' },
      { name: 'F', type: 'float' },
      { name: 'D', type: 'double' },
      { name: 'B', type: 'bytes' },
      { name: 'X', type: { type: 'fixed', name: 'Two', size: 2 } },
      { name: 'E', type: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN'] } },
      { name: 'M', type: { type: 'map', values: 'int' } },
      { name: 'A', type: { type: 'array', items: ['null', 'string'] } },
      { name: 'N', type: ['null', { type: 'record', name: 'In', fields: [{ name: 'Q', type: 'boolean' }] }] },
      { name: 'T', type: { type: 'long', logicalType: 'timestamp-millis' } },
    ],
  };
  const value = {
    S: 'a"b\\c\n\u0001\u2028é', L: 9007199254740993n, F: 1.1, D: Number.NaN, B: Buffer.from([0x41, 0xe9]), X: Buffer.from([1, 0xff]),
    E: 'GREEN', M: { k: 1 }, A: [null, { string: 'x' }], N: { In: { Q: true } }, T: 1588344313111n,
  };
  const longType = avro.types.LongType.__with({
    fromBuffer: (b: Buffer) => b.readBigInt64LE(), toBuffer: (n: bigint) => { const b = Buffer.alloc(8); b.writeBigInt64LE(n); return b; },
    fromJSON: BigInt, toJSON: Number, isValid: (n: unknown) => typeof n === 'bigint', compare: () => 0,
  });
  const registry = memoryRegistry();
  const id = registry.register('t-value', 'AVRO', JSON.stringify(schema));
  const type = avro.Type.forSchema(schema as avro.Schema, {
    wrapUnions: true,
    typeHook: (s: avro.Schema) => (s === 'long' || (typeof s === 'object' && (s as { type?: unknown }).type === 'long') ? longType as unknown as avro.Type : undefined),
  });
  t.is(AVRO_RECORD_PRINTER.create(registry)(confluentFrame(id, type.toBuffer(value))),
    '{"S": "a\\"b\\\\c\\n\\u0001\\u2028é", "L": 9007199254740993, "F": 1.1, "D": "NaN", "B": "Aé", "X": [1, -1], "E": "GREEN", '
    + '"M": {"k": 1}, "A": [null, "x"], "N": {"Q": true}, "T": 1588344313111}');
});

test('a top-level string, enum or number prints bare, as Java\'s toString of the deserialized value', (t) => {
  t.is(printed('string', 'hello'), 'hello');
  t.is(printed('int', 42), '42');
  t.is(printed('double', 1e21), '1.0E21');
  t.is(printed(['null', 'string'], { string: 'x' }), 'x');
});

test('bytes that are not framed, name an unknown id or a schema of another type, or end too soon are not Avro', (t) => {
  const registry = memoryRegistry();
  const id = registry.register('t-value', 'AVRO', '"string"');
  const json = registry.register('j-value', 'JSON', '{"type":"string"}');
  const decode = AVRO_RECORD_PRINTER.create(registry);
  t.is(decode(Buffer.from('{"a":1}')), undefined);
  t.is(decode(confluentFrame(99, Buffer.from([2, 0x41]))), undefined);
  t.is(decode(confluentFrame(json, Buffer.from([2, 0x41]))), undefined);
  t.is(decode(confluentFrame(id, Buffer.from([8, 0x41]))), undefined);
  // Bytes after the datum are not read, as Confluent's deserializer leaves them.
  t.is(decode(confluentFrame(id, Buffer.from([2, 0x41, 0x42]))), 'A');
});
