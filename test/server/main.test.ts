import test from 'ava';
import { spawn } from 'node:child_process';
import { SERVER_MAIN, startServerProcess } from '../helpers/server-process.js';
import { removeDir } from '../helpers/temp-dir.js';
import { makeDataDir, request, runSql } from './helpers.js';

test('ksqlite-server serves on the port given and exits cleanly on SIGTERM', async (t) => {
  const dataDir = makeDataDir();
  const server = await startServerProcess(dataDir);
  try {
    const info = await request(`${server.url}/info`);
    t.is(info.body.KsqlServerInfo.serverStatus, 'RUNNING');
    const harness = { url: server.url } as Parameters<typeof runSql>[0];
    t.is((await runSql(harness, 'SHOW STREAMS;')).status, 200);
    t.deepEqual(await server.stop('SIGTERM'), { code: 0, signal: null });
  } finally {
    await server.stop('SIGKILL');
    removeDir(dataDir);
  }
});

test('ksqlite-server exits with an error on a bad flag', async (t) => {
  const child = spawn(process.execPath, [SERVER_MAIN, '--port', 'x'], { stdio: 'ignore', env: { ...process.env, KSQLITE_LOG_LEVEL: 'silent' } });
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  t.is(code, 1);
});
