import test from 'ava';
import { compileJsonReader } from '../../src/formats/index.js';
import { javaHashMapOrder, javaStringHash } from '../../src/schema/java-hash-map-order.js';
import { DOUBLE, mapType, STRING } from '../../src/schema/sql-type.js';

test('javaStringHash is Java\'s String.hashCode, wrapping at 32 bits', (t) => {
  t.is(javaStringHash(''), 0);
  t.is(javaStringHash('a'), 97);
  t.is(javaStringHash('hello'), 99162322);
  t.is(javaStringHash('hello world'), 1794106052);
});

test('a JSON map is read in the order ksqlDB\'s HashMap iterates it: by bucket, then insertion', (t) => {
  const entries = [['yes, thanks', 3.5], ['nope', 7.3], ['sure, yeah', 2.1]] as const;
  t.deepEqual(javaHashMapOrder(entries).map(([k]) => k), ['yes, thanks', 'sure, yeah', 'nope']);
  const read = compileJsonReader(mapType(STRING, DOUBLE));
  const map = read({ 'yes, thanks': 3.5, nope: 7.3, 'sure, yeah': 2.1 }) as Map<string, number>;
  t.deepEqual([...map.keys()], ['yes, thanks', 'sure, yeah', 'nope']);
});

test('a default-sized HashMap (the Connect formats\') has 16 buckets from the start, so few keys can come in another order', (t) => {
  const entries = [['c', 2], ['d', 4]] as const;
  // Sized for 2 keys, the table has 4 buckets: 'd' (100) lands in 0, 'c' (99) in 3.
  t.deepEqual(javaHashMapOrder(entries).map(([k]) => k), ['d', 'c']);
  t.deepEqual(javaHashMapOrder(entries, 'default').map(([k]) => k), ['c', 'd']);
  const read = compileJsonReader(mapType(STRING, DOUBLE), 'default');
  t.deepEqual([...(read({ c: 2, d: 4 }) as Map<string, number>).keys()], ['c', 'd']);
  // Past 12 keys the default table grows as a sized one does.
  const many = Array.from({ length: 40 }, (_, i) => [`key${i}`, i] as const);
  t.deepEqual(javaHashMapOrder(many, 'default'), javaHashMapOrder(many));
});
