/** The npm driver `@cubejs-backend/ksql-driver` (HTTP/1.1, /ksql only), unmodified, against a running server. */
import test from 'ava';
import { createRequire } from 'node:module';
import { declareClientStream, useServer } from '../helpers.js';
import { postStreamHttp1 } from '../stream-helpers.js';

const require = createRequire(import.meta.url);
const { KsqlDriver } = require('@cubejs-backend/ksql-driver') as { KsqlDriver: new (config: Record<string, string>) => any };

const h = useServer();

test.serial('the cube.js driver connects, creates a stream, inserts rows and reads the schema; a push query sees the rows', async (t) => {
  const driver = new KsqlDriver({ url: h.url, username: '', password: '' });
  try {
    await driver.testConnection();
    await driver.query(declareClientStream('S5'));
    await driver.query("INSERT INTO S5 (ID, NAME) VALUES (1, 'a')");
    const schema = await driver.tablesSchema();
    const columns = JSON.stringify(schema);
    t.true(columns.includes('S5'));
    t.true(columns.includes('NAME'));
  } finally {
    await driver.release?.();
  }
  // The driver has no query streaming of its own: check the row went in with a push query from earliest.
  const res = postStreamHttp1(h.url, '/query-stream', JSON.stringify({ sql: 'SELECT * FROM S5 EMIT CHANGES LIMIT 1;', properties: { 'auto.offset.reset': 'earliest' } }));
  await res.ended;
  t.deepEqual(JSON.parse(res.text().split('\n')[1]!), [1, 'a']);
});
