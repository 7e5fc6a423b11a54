/** The npm client `ksqldb-client-node` (HTTP/2, /query-stream only), unmodified, against a running server. */
import test from 'ava';
import { createRequire } from 'node:module';
import { declareClientStream, useServer } from '../helpers.js';

const require = createRequire(import.meta.url);
const { KsqlDbClient } = require('ksqldb-client-node') as { KsqlDbClient: new (config: { url: string }) => any };

const h = useServer({ statements: [`${declareClientStream('S4')};`, "INSERT INTO S4 (ID, NAME) VALUES (1, 'a');"] });

test.serial('ksqldb-client-node iterates over the rows of a pull query and of a push query with LIMIT', async (t) => {
  const session = new KsqlDbClient({ url: h.url }).session();
  try {
    const pulled: unknown[] = [];
    for await (const rows of session.queryStream({ sql: 'SELECT * FROM S4;' })) pulled.push(...rows);
    t.deepEqual(pulled, [{ ID: 1, NAME: 'a' }]);

    const stream = session.queryStream({ sql: 'SELECT NAME FROM S4 EMIT CHANGES LIMIT 1;', properties: { 'auto.offset.reset': 'earliest' } });
    const pushed: unknown[] = [];
    for await (const rows of stream) pushed.push(...rows);
    t.deepEqual(pushed, [{ NAME: 'a' }]);
    t.regex(stream.queryId, /^transient_S4_\d+$/);
  } finally {
    session.close();
  }
});
