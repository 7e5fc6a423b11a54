import test from 'ava';
import { TestDriver } from '../../src/testing/test-driver.js';

test('a source given a column named like a pseudo column (by ALTER) cannot be queried, as in ksqlDB', (t) => {
  const driver = new TestDriver({});
  try {
    driver.execute("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);");
    driver.execute('ALTER STREAM S ADD COLUMN ROWTIME BIGINT, ADD COLUMN ROWOFFSET BIGINT;');
    const message = 'Your stream/table has columns with the same name as newly introduced pseudocolumns in ksqlDB, '
      + 'and cannot be queried as a result. The conflicting names are: `ROWTIME`, `ROWOFFSET`.\n';
    t.throws(() => driver.execute('CREATE STREAM OUT AS SELECT * FROM S;'), { message });
    t.throws(() => driver.execute('CREATE STREAM OUT AS SELECT K, V FROM S;'), { message });
  } finally {
    driver.close();
  }
});
