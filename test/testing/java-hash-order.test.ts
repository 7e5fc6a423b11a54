import test from 'ava';
import { javaHashMapOrder, javaStringHash } from '../../src/testing/java-hash-order.js';

// Expected values printed by Java 17 (String.hashCode, HashMap.keySet after puts in this order).
test('javaStringHash is Java\'s String.hashCode, overflow and non-ASCII included', (t) => {
  t.is(javaStringHash('OUTPUT'), -1952183039);
  t.is(javaStringHash('input'), 100358090);
  t.is(javaStringHash('héllo'), 103094734);
});

test('javaHashMapOrder iterates as a HashMap of those keys does, across a resize too', (t) => {
  t.deepEqual(javaHashMapOrder(['OUTPUT', 'input']), ['input', 'OUTPUT']);
  const keys = 't1 t2 t3 t4 t5 t6 t7 t8 t9 t10 t11 t12 t13 t14 S1 right_topic left_topic OUTPUT input'.split(' ');
  t.deepEqual(javaHashMapOrder(keys).join(','), 't4,t5,t6,t7,t8,t9,OUTPUT,left_topic,input,t10,right_topic,t12,t11,t14,t13,t1,t2,S1,t3');
});
