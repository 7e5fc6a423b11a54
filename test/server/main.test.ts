import test from 'ava';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { removeDir } from '../helpers/temp-dir.js';
import { makeDataDir, request, runSql } from './helpers.js';
import { spawnServer } from './server-process.js';

test('ksqlite-server serves on the port given and exits cleanly on SIGTERM', async (t) => {
  const dataDir = makeDataDir();
  const server = await spawnServer(dataDir);
  try {
    const info = await request(`${server.url}/info`);
    t.is(info.body.KsqlServerInfo.serverStatus, 'RUNNING');
    const harness = { url: server.url } as Parameters<typeof runSql>[0];
    t.is((await runSql(harness, 'SHOW STREAMS;')).status, 200);
    server.child.kill('SIGTERM');
    t.is(await server.exited, 0);
  } finally {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    removeDir(dataDir);
  }
});

test('ksqlite-server exits with an error on a bad flag', async (t) => {
  const main = fileURLToPath(new URL('../../src/server/main.js', import.meta.url));
  const child = spawn(process.execPath, [main, '--port', 'x'], { stdio: 'ignore', env: { ...process.env, KSQLITE_LOG_LEVEL: 'silent' } });
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  t.is(code, 1);
});
