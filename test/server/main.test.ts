import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openEmbeddedBroker } from '../../src/broker/index.js';
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

interface Run {
  readonly child: ChildProcess;
  /** Resolves with the URL once the server listens, or rejects when it exits first. */
  readonly listening: Promise<string>;
  readonly exited: Promise<number | null>;
  stderr(): string;
}

function runMain(args: readonly string[]): Run {
  const child = spawn(process.execPath, [MAIN, '--port', '0', '--host', '127.0.0.1', ...args], {
    env: { ...process.env, KSQLITE_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
  listening.catch(() => undefined);
  return { child, listening, exited, stderr: () => err };
}

async function stop(run: Run): Promise<number | null> {
  run.child.kill('SIGTERM');
  return run.exited;
}

test('ksqlite-server refuses a used data directory whose database is gone, says why, and starts empty with --start-fresh', async (t) => {
  const dataDir = makeDataDir();
  try {
    const broker = openEmbeddedBroker({ dataDir });
    broker.createTopic('t', { partitions: 1 });
    broker.close();
    rmSync(join(dataDir, 'ksqlite.db'));
    const refused = runMain(['--data-dir', dataDir]);
    t.is(await refused.exited, 1);
    t.regex(refused.stderr(), /cannot start: The data directory .* was used before .* missing or empty.*--start-fresh/);
    const fresh = runMain(['--data-dir', dataDir, '--start-fresh']);
    await fresh.listening;
    t.is(await stop(fresh), 0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
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
    const run = runMain(['--data-dir', dataDir]);
    await run.listening;
    t.is(await stop(run), 0);
    t.regex(run.stderr(), /was damaged.*\n- dropped a corrupt batch at the end of topic 't' partition 0: offset 1 \(1 records/);
    t.regex(run.stderr(), /consumer group 'g': committed offset of topic 't' partition 0 reset from 2 to the log end 1/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
