import test from 'ava';
import { TestDriver } from '../../src/testing/test-driver.js';

test('a table-stream join names as its left side the joined source its criteria reference', (t) => {
  const driver = new TestDriver({});
  try {
    driver.execute(`CREATE STREAM S (ID INT KEY, V BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
      CREATE TABLE A (ID INT PRIMARY KEY, V BIGINT) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON', PARTITIONS=1);
      CREATE TABLE B (ID INT PRIMARY KEY, V BIGINT) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON', PARTITIONS=1);`);
    t.throws(() => driver.execute('CREATE STREAM O AS SELECT * FROM A JOIN B ON A.ID = B.ID JOIN S ON A.ID = S.ID;'), {
      message: 'Invalid join order: table-stream joins are not supported; only stream-table joins. Got A [INNER] JOIN S.',
    });
    t.throws(() => driver.execute('CREATE STREAM O AS SELECT * FROM A JOIN B ON A.ID = B.ID JOIN S ON B.ID = S.ID;'), {
      message: 'Invalid join order: table-stream joins are not supported; only stream-table joins. Got B [INNER] JOIN S.',
    });
  } finally {
    driver.close();
  }
});

test('the criteria of every join are checked before any join is planned', (t) => {
  const driver = new TestDriver({});
  try {
    driver.execute(`CREATE STREAM S (ID INT KEY, V BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
      CREATE TABLE A (ID INT PRIMARY KEY, V BIGINT) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON', PARTITIONS=1);
      CREATE TABLE B (ID INT PRIMARY KEY, V BIGINT) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON', PARTITIONS=1);`);
    t.throws(() => driver.execute('CREATE STREAM O AS SELECT * FROM S JOIN A ON S.V = A.V JOIN B ON S.V = S.V;'), {
      message: 'Each side of the join must reference exactly one source and not the same source. Left side references `S` and right references `S`',
    });
  } finally {
    driver.close();
  }
});
