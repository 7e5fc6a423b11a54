import test from 'ava';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeDataDir, request, runSql } from './helpers.js';

const MAIN = fileURLToPath(new URL('../../src/server/main.js', import.meta.url));

test('ksqlite-server serves on the port given and exits cleanly on SIGTERM', async (t) => {
  const dataDir = makeDataDir();
  const child = spawn(process.execPath, [MAIN, '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir], {
    env: { ...process.env, KSQLITE_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /"url":"(http:\/\/[^"]+)"/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
    });
    const info = await request(`${url}/info`);
    t.is(info.body.KsqlServerInfo.serverStatus, 'RUNNING');
    const harness = { url } as Parameters<typeof runSql>[0];
    t.is((await runSql(harness, 'SHOW STREAMS;')).status, 200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    t.is(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('ksqlite-server exits with an error on a bad flag', async (t) => {
  const child = spawn(process.execPath, [MAIN, '--port', 'x'], { stdio: 'ignore', env: { ...process.env, KSQLITE_LOG_LEVEL: 'silent' } });
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  t.is(code, 1);
});
