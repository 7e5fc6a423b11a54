/** The npm client `ksqlient` (HTTP/1.1 through axios and HTTP/2), unmodified, against a running server. */
import test from 'ava';
import { createRequire } from 'node:module';
import { useServer } from '../helpers.js';
import { eventually } from '../stream-helpers.js';

const require = createRequire(import.meta.url);
// The package's `main` is broken; its client lives here.
const Ksqldb = require('ksqlient/ksqldb/ksqldb') as new (config: { ksqldbURL: string }) => any;

const h = useServer();

test.serial('ksqlient creates a stream, inserts rows, pulls them over HTTP/1.1 and pushes new ones over HTTP/2', async (t) => {
  const client = new Ksqldb({ ksqldbURL: h.url });
  const info = await client.inspectServerInfo();
  t.is(info.data.KsqlServerInfo.version, '0.29.0');
  await client.createStream('S2', ['ID INT KEY', 'NAME STRING'], 's2', 'json', 1);
  const acks = await client.insertStream('S2', [{ ID: 1, NAME: 'a' }, { ID: 2, NAME: 'b' }]);
  t.deepEqual(acks, [{ status: 'ok', seq: 0 }, { status: 'ok', seq: 1 }]);

  const pulled = await client.pull('SELECT * FROM S2;');
  t.deepEqual(pulled[0].columnNames, ['ID', 'NAME']);
  t.deepEqual(pulled.slice(1), [[1, 'a'], [2, 'b']]);

  const chunks: string[] = [];
  const queryId = await client.push('SELECT NAME FROM S2 EMIT CHANGES;', (chunk: string) => chunks.push(chunk));
  t.regex(queryId, /^transient_S2_\d+$/);
  await client.insertStream('S2', [{ ID: 3, NAME: 'c' }]);
  t.true(await eventually(() => chunks.length === 2));
  t.deepEqual(JSON.parse(chunks[1]!), ['c']);
  const terminated = await client.terminate(queryId);
  t.truthy(terminated);
  t.true(await eventually(() => h.server.engine.listTransientQueries().length === 0));
});
