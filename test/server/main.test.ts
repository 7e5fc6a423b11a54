import test from 'ava';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openEmbeddedBroker } from '../../src/broker/index.js';
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

test('ksqlite-server refuses a used data directory whose database is gone, says why, and starts empty with --start-fresh', async (t) => {
  const dataDir = makeDataDir();
  try {
    const broker = openEmbeddedBroker({ dataDir });
    broker.createTopic('t', { partitions: 1 });
    broker.close();
    rmSync(join(dataDir, 'ksqlite.db'));
    await t.throwsAsync(startServerProcess(dataDir), { message: /cannot start: The data directory .* was used before .* missing or empty.*--start-fresh/ });
    const fresh = await startServerProcess(dataDir, ['--start-fresh']);
    t.deepEqual(await fresh.stop('SIGTERM'), { code: 0, signal: null });
  } finally {
    removeDir(dataDir);
  }
});

test('ksqlite-server prints what it dropped and reset in a damaged data directory when it starts', async (t) => {
  const dataDir = makeDataDir();
  try {
    const broker = openEmbeddedBroker({ dataDir });
    broker.createTopic('t', { partitions: 1 });
    broker.append('t', [{ key: null, value: Buffer.from('a') }]);
    broker.append('t', [{ key: null, value: Buffer.from('b') }]);
    broker.commitOffsets('g', [{ topic: 't', partition: 0, offset: 2 }]);
    broker.close();
    const db = new Database(join(dataDir, 'ksqlite.db'));
    db.prepare('UPDATE broker_batches SET payload = zeroblob(length(payload)) WHERE base_offset = 1').run();
    db.close();
    const server = await startServerProcess(dataDir);
    t.deepEqual(await server.stop('SIGTERM'), { code: 0, signal: null });
    t.regex(server.log(), /was damaged.*\n- dropped a corrupt batch at the end of topic 't' partition 0: offset 1 \(1 records/);
    t.regex(server.log(), /consumer group 'g': committed offset of topic 't' partition 0 reset from 2 to the log end 1/);
  } finally {
    removeDir(dataDir);
  }
});
