import test from 'ava';
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openEmbeddedBroker } from '../../src/broker/index.js';
import { freePort, SERVER_MAIN, startServerProcess } from '../helpers/server-process.js';
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

/** Runs ksqlite-server with `args` to its exit (none of these cases starts a server for long). */
async function runServer(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [SERVER_MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KSQLITE_LOG_LEVEL: 'silent' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  return { code, stdout, stderr };
}

test('--help and --version print and exit 0', async (t) => {
  const help = await runServer(['--help']);
  t.is(help.code, 0);
  t.regex(help.stdout, /^Usage: ksqlite-server \[options\]/);
  t.regex(help.stdout, /Exit codes: 0 /);
  const version = await runServer(['--version']);
  t.is(version.code, 0);
  t.regex(version.stdout, /^ksqlite-server \d+\.\d+\.\d+\n$/);
});

test('a bad flag, a bad --port, a missing --config and a garbage line in it exit 2 with one human line', async (t) => {
  const dir = makeDataDir();
  try {
    const cases: [readonly string[], RegExp][] = [
      [['--bogus'], /^ksqlite-server: cannot start: Unknown option '--bogus'\n/],
      [['--port', 'x'], /^ksqlite-server: cannot start: Invalid port 'x': expected an integer from 0 to 65535\n/],
      [['--config', join(dir, 'missing.properties')], /^ksqlite-server: cannot start: Cannot read the config file .*missing\.properties: no such file\n/],
    ];
    const garbage = join(dir, 'garbage.properties');
    writeFileSync(garbage, 'ksql.service.id=ok_\n# a comment\nthis is not a setting\n');
    cases.push([['--config', garbage], /^ksqlite-server: cannot start: .*garbage\.properties line 3: 'this is not a setting' is not a setting: expected name=value\n/]);
    for (const [args, message] of cases) {
      const run = await runServer(args);
      t.is(run.code, 2, args.join(' '));
      t.regex(run.stderr, message);
      t.notRegex(run.stderr, /\bat .*\.js:\d+/, 'no stack trace');
    }
  } finally {
    removeDir(dir);
  }
});

test('a port in use and an unusable --data-dir exit 1 at once, saying so', async (t) => {
  const dataDir = makeDataDir();
  const server = await startServerProcess(dataDir);
  try {
    const port = new URL(server.url).port;
    const other = makeDataDir();
    const inUse = await runServer(['--port', port, '--host', '127.0.0.1', '--data-dir', other, '--schema-registry-port', '0', '--kafka-port', '0']);
    removeDir(other);
    t.is(inUse.code, 1);
    t.regex(inUse.stderr, new RegExp(`^ksqlite-server: cannot start: Port ${port} is already in use on 127\\.0\\.0\\.1`));
    const file = join(dataDir, 'a-file');
    writeFileSync(file, '');
    const unusable = await runServer(['--port', '0', '--data-dir', join(file, 'data'), '--schema-registry-port', '0', '--kafka-port', '0']);
    t.is(unusable.code, 1);
    t.regex(unusable.stderr, /^ksqlite-server: cannot start: Cannot use the data directory .*a-file\/data: a part of the path is a file \(ENOTDIR\)\n/);
    if (process.platform === 'linux') {
      // node's recursive mkdir never returns on such a path
      const proc = await runServer(['--port', '0', '--data-dir', '/proc/ksqlite/data', '--schema-registry-port', '0', '--kafka-port', '0']);
      t.is(proc.code, 1);
      t.regex(proc.stderr, /Cannot use the data directory \/proc\/ksqlite\/data: it cannot be created there \(ENOENT\)/);
    }
  } finally {
    await server.stop('SIGKILL');
    removeDir(dataDir);
  }
});

test('the start line names the address the server listens on', async (t) => {
  const dataDir = makeDataDir();
  try {
    const server = await startServerProcess(dataDir, ['--host', '0.0.0.0']);
    t.deepEqual(await server.stop('SIGTERM'), { code: 0, signal: null });
    t.regex(server.log(), /"msg":"ksqlite server listening on http:\/\/0\.0\.0\.0:\d+"/);
  } finally {
    removeDir(dataDir);
  }
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

test('--log-level debug adds the debug lines, which name the query they are about', async (t) => {
  const dataDir = makeDataDir();
  const server = await startServerProcess(dataDir, ['--log-level', 'debug']);
  try {
    const harness = { url: server.url } as Parameters<typeof runSql>[0];
    await runSql(harness, "CREATE STREAM S (V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');");
    const created = await runSql(harness, 'CREATE STREAM T AS SELECT * FROM S;');
    const queryId: string = created.body[0].commandStatus.queryId;
    const logged = (): boolean => server.log().split('\n').filter((line) => line.includes('"level":20'))
      .map((line) => JSON.parse(line) as Record<string, unknown>).some((line) => line.msg === 'query tasks started' && line.queryId === queryId);
    // The line reaches this process through a pipe, maybe after the answer.
    for (let i = 0; i < 100 && !logged(); i++) await new Promise((r) => setTimeout(r, 50));
    t.true(logged());
    t.deepEqual(await server.stop('SIGTERM'), { code: 0, signal: null });
  } finally {
    await server.stop('SIGKILL');
    removeDir(dataDir);
  }
});

test('--log-level warn leaves out the info lines, even when KSQLITE_LOG_LEVEL says info', async (t) => {
  const dataDir = makeDataDir();
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER_MAIN, '--port', String(port), '--host', '127.0.0.1', '--data-dir', dataDir,
    '--schema-registry-port', '0', '--kafka-port', '0', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, KSQLITE_LOG_LEVEL: 'info' } });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  try {
    let up = false;
    for (let i = 0; i < 300 && !up; i++) {
      up = await fetch(`http://127.0.0.1:${port}/info`).then((r) => r.ok, () => false);
      if (!up) await new Promise((r) => setTimeout(r, 100));
    }
    t.true(up);
    child.kill('SIGTERM');
    t.is(await exited, 0);
    t.notRegex(out, /"level":30/);
  } finally {
    child.kill('SIGKILL');
    removeDir(dataDir);
  }
});
