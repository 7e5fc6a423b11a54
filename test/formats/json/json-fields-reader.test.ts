import test from 'ava';
import fc from 'fast-check';
import { compileFieldsReader } from '../../../src/formats/json/json-reader.js';
import { STRING } from '../../../src/schema/sql-type.js';

/** ksqlDB's rule, written plainly: the key of the field's exact name, else the first key (in order) equal to it in upper case. */
function expected(node: Record<string, unknown>, names: readonly string[]): unknown[] {
  return names.map((name) => {
    if (Object.hasOwn(node, name)) return node[name];
    const key = Object.keys(node).find((k) => k.toUpperCase() === name);
    return key === undefined ? null : node[key];
  });
}

test('each field reads its exact key, else the first key matching it case-insensitively, whatever keys the records before had', (t) => {
  const keyName = fc.constantFrom('a', 'A', 'b', 'B', 'ab', 'aB', 'Ab', 'AB', 'c', '1', '__proto__', 'constructor', 'CONSTRUCTOR');
  const record = fc.array(fc.tuple(keyName, fc.string({ maxLength: 3 })), { maxLength: 6 }).map((entries) => JSON.parse(JSON.stringify(Object.fromEntries(entries))) as Record<string, unknown>);
  // Records often repeat the keys of the one before: the reader remembers them.
  const records = fc.array(fc.oneof(record, fc.constant('repeat' as const)), { minLength: 1, maxLength: 12 });
  const names = fc.uniqueArray(fc.constantFrom('a', 'A', 'B', 'AB', 'aB', 'C', 'CONSTRUCTOR', 'constructor', '__proto__', '1'), { minLength: 1, maxLength: 5 });
  fc.assert(
    fc.property(names, records, (fieldNames, sequence) => {
      const read = compileFieldsReader(fieldNames.map((name) => ({ name, type: STRING })), 'STRUCT');
      let last: Record<string, unknown> = {};
      for (const item of sequence) {
        const node = item === 'repeat' ? JSON.parse(JSON.stringify(last)) as Record<string, unknown> : item;
        last = node;
        const got = read(node);
        const want = expected(node, fieldNames);
        if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`${JSON.stringify(node)}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
      }
    }),
    { numRuns: 1000 },
  );
  t.pass();
});
