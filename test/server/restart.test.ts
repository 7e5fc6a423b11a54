import test from 'ava';
import { withTempDir } from '../helpers/temp-dir.js';
import { CREATE_CLICKS, runSql, startServer, stopServer } from './helpers.js';

test('streams and queries created over REST come back after a restart on the same data directory', async (t) => {
  await withTempDir(async (dataDir) => {
    let h = await startServer(dataDir);
    t.is((await runSql(h, CREATE_CLICKS)).status, 200);
    const created = await runSql(h, 'CREATE STREAM SLOW AS SELECT ID, URL FROM CLICKS WHERE MS > 100;');
    const queryId = created.body[0].commandStatus.queryId;
    await stopServer(h, false);

    h = await startServer(dataDir);
    const streams = await runSql(h, 'SHOW STREAMS;');
    t.deepEqual(streams.body[0].streams.map((s: any) => s.name).sort(), ['CLICKS', 'SLOW']);
    const queries = await runSql(h, 'SHOW QUERIES;');
    t.deepEqual(queries.body[0].queries.map((q: any) => q.id), [queryId]);
    t.is(queries.body[0].queries[0].queryString, 'CREATE STREAM SLOW AS SELECT ID, URL FROM CLICKS WHERE MS > 100;');
    await stopServer(h, false);
  });
});

test('stopping twice is harmless', async (t) => {
  const h = await startServer();
  await Promise.all([h.server.stop(), h.server.stop()]);
  await stopServer(h);
  t.pass();
});
