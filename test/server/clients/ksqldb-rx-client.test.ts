/** The npm client `ksqldb-rx-client` (HTTP/1.1 for /ksql, HTTP/2 for queries), unmodified, against a running server. */
import test from 'ava';
import { createRequire } from 'node:module';
import { declareClientStream, runSql, useServer } from '../helpers.js';

const require = createRequire(import.meta.url);
const { KsqlDBClient } = require('ksqldb-rx-client') as { KsqlDBClient: new (url: string) => any };

const h = useServer();

test.serial('ksqldb-rx-client creates a stream and receives rows of a push query until its LIMIT completes it', async (t) => {
  const client = new KsqlDBClient(h.url);
  try {
    const info = await client.getInfo();
    t.is(info.KsqlServerInfo.serverStatus, 'RUNNING');
    const health = await client.getHealthcheck();
    t.true(health.isHealthy);
    await client.statement(`${declareClientStream('S3')};`);
    const streams = await client.listStreams();
    t.true(JSON.stringify(streams).includes('S3'));
    // This client cannot insert: rows come through /ksql.
    await runSql(h, "INSERT INTO S3 (ID, NAME) VALUES (1, 'a');");

    const pulled: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      client.queryStream({ sql: 'SELECT * FROM S3;' }).subscribe({ next: (v: unknown) => pulled.push(v), error: reject, complete: resolve });
    });
    t.true(JSON.stringify(pulled).includes('"a"'));

    const pushed: unknown[] = [];
    const completed = new Promise<void>((resolve, reject) => {
      client.queryStream({ sql: 'SELECT NAME FROM S3 EMIT CHANGES LIMIT 2;' }).subscribe({ next: (v: unknown) => pushed.push(v), error: reject, complete: resolve });
    });
    await new Promise((r) => setTimeout(r, 200));
    await runSql(h, "INSERT INTO S3 (ID, NAME) VALUES (2, 'b'); INSERT INTO S3 (ID, NAME) VALUES (3, 'c');");
    await completed;
    t.true(JSON.stringify(pushed).includes('"b"'));
    t.true(JSON.stringify(pushed).includes('"c"'));
  } finally {
    client.close();
  }
});
