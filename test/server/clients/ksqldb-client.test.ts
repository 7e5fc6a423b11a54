/** The npm client `ksqldb-client` (HTTP/2 only), unmodified, against a running server. */
import test from 'ava';
import { createRequire } from 'node:module';
import { declareClientStream, useServer } from '../helpers.js';
import { eventually } from '../stream-helpers.js';

const require = createRequire(import.meta.url);
const KsqldbClient = require('ksqldb-client') as new (options: { host: string; port: number }) => any;

let client: any;
const h = useServer({
  afterStart: async (started) => {
    client = new KsqldbClient({ host: '127.0.0.1', port: started.server.port });
    await client.connect();
  },
  beforeStop: async () => client?.disconnect(),
});

test.serial('ksqldb-client creates a stream, inserts rows, scans them and follows a push query until it terminates it', async (t) => {
  const created = await client.executeStatement(`${declareClientStream('S1')};`);
  t.is(created.status, 200);
  t.is(created.error, undefined);
  const streams = await client.listStreams();
  t.true(streams.some((s: any) => s.name === 'S1'));

  const inserted = await client.insertInto('S1', { ID: 1, NAME: 'a' });
  t.is(inserted.status, 200);
  t.is(inserted.data.rows[0].status, 'ok');

  const pulled = await client.query('SELECT * FROM S1;');
  t.is(pulled.status, 200);
  t.deepEqual(pulled.data.metadata.columnNames, ['ID', 'NAME']);
  t.deepEqual(pulled.data.rows, [{ ID: 1, NAME: 'a' }]);

  const rows: unknown[] = [];
  let queryId: string | undefined;
  const done = client.streamQuery('SELECT * FROM S1 EMIT CHANGES;', (data: any) => {
    queryId ??= data.metadata?.queryId;
    if (data.rows) rows.push(...data.rows);
  });
  t.true(await eventually(() => queryId !== undefined));
  await client.insertInto('S1', { ID: 2, NAME: 'b' });
  t.true(await eventually(() => rows.length === 1));
  t.deepEqual(rows, [{ ID: 2, NAME: 'b' }]);
  const terminated = await client.terminatePushQuery(queryId);
  t.is(terminated.status, 200);
  const ended = await done;
  t.is(ended.status, 200);
  t.true(await eventually(() => h.server.engine.listTransientQueries().length === 0));
});
