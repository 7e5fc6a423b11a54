import test from 'ava';
import { TestDriver } from '../../src/testing/test-driver.js';

function explode(select: string, value: string): string[] {
  const driver = new TestDriver({});
  try {
    driver.execute(`CREATE STREAM S (K INT KEY, I INT, D DOUBLE, B BOOLEAN, BD DECIMAL(4, 2), ST STRUCT<A STRING>)
      WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
      CREATE STREAM O AS SELECT K, ${select} AS X FROM S;`);
    driver.pipe({ topic: 's', key: '1', value, timestamp: 0, headers: [] });
    return driver.read('O').map((r) => r.value ?? 'null');
  } finally {
    driver.close();
  }
}

const ROW = '{"I":7,"D":1.0,"B":false,"BD":1.50,"ST":{"A":"a"}}';

test('TEST_UDTF emits the Java text of each scalar, array element or map value it is given', (t) => {
  const texts = ['{"X":"7"}', '{"X":"1.0"}', '{"X":"false"}', '{"X":"1.50"}', '{"X":"Struct{A=a}"}'];
  t.deepEqual(explode('TEST_UDTF(I, CAST(I AS BIGINT), D, B, \'s\', BD, ST)', ROW), [texts[0]!, texts[0]!, ...texts.slice(1, 3), '{"X":"s"}', ...texts.slice(3)]);
  t.deepEqual(explode('TEST_UDTF(ARRAY[I], ARRAY[CAST(I AS BIGINT)], ARRAY[D], ARRAY[B], ARRAY[\'s\'], ARRAY[BD], ARRAY[ST])', ROW).length, 7);
  t.deepEqual(explode('TEST_UDTF(MAP(CAST(I AS BIGINT) := I), MAP(\'k\' := CAST(I AS BIGINT)), MAP(\'k\' := D), MAP(\'k\' := B), MAP(\'k\' := \'s\'), MAP(\'k\' := BD), MAP(\'k\' := ST))', ROW)[6], texts[4]);
});

test('TEST_UDTF returns one value of the type it is given, DECIMAL as DECIMAL(30, 10)', (t) => {
  t.deepEqual(explode('TEST_UDTF(I)', ROW), ['{"X":7}']);
  t.deepEqual(explode('TEST_UDTF(BD)', ROW), ['{"X":1.5000000000}']);
  t.deepEqual(explode('TEST_UDTF(ST)', ROW), ['{"X":{"A":"a"}}']);
});

test('THROWING_UDTF emits FALSE and fails on TRUE, which drops the row', (t) => {
  t.deepEqual(explode('THROWING_UDTF(B)', ROW), ['{"X":false}']);
  t.deepEqual(explode('THROWING_UDTF(B)', '{"B":true}'), []);
});
