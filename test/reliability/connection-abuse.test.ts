/**
 * Connection abuse against the real server (docs/security.md): a flood of
 * idle sockets beyond the connection limit, slowloris header senders, slow
 * bodies and idle HTTP/2 sessions, while a client checks that /healthcheck
 * keeps answering. `npm test` runs it with a few hundred sockets;
 * `npm run test:reliability` with `-- --sockets 2000`.
 */
import test from 'ava';
import { connect as connectHttp2 } from 'node:http2';
import { connect, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServerProcess } from '../helpers/server-process.js';
import { withTempDir } from '../helpers/temp-dir.js';

const { values } = parseArgs({ args: process.argv.slice(2), options: { sockets: { type: 'string', default: '300' } }, strict: false });
const sockets = Number(values.sockets);

const MAX_CONNECTIONS = Math.floor(sockets / 2);

function open(port: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', () => resolve(undefined));
  });
}

function isOpen(s: Socket | undefined): boolean {
  return s !== undefined && !s.destroyed && s.readyState === 'open';
}

test(`${sockets} idle, slowloris, slow-body and idle HTTP/2 connections are closed by their timeouts while /healthcheck answers`, async (t) => {
  t.timeout(120_000);
  await withTempDir(async (dir) => {
    const config = join(dir, 'server.properties');
    writeFileSync(config, [
      'ksqlite.http.header.timeout.ms=1500',
      'ksqlite.http.request.timeout.ms=1500',
      'ksql.idle.connection.timeout.seconds=2',
      `ksqlite.http.max.connections=${MAX_CONNECTIONS}`,
    ].join('\n'));
    const server = await startServerProcess(join(dir, 'data'), ['--config', config]);
    const port = Number(new URL(server.url).port);
    const latencies: number[] = [];
    let failures = 0;
    let checking = true;
    const checker = (async () => {
      while (checking) {
        const start = Date.now();
        try {
          const res = await fetch(`${server.url}/healthcheck`, { signal: AbortSignal.timeout(5000) });
          if (res.status !== 200) failures++;
          await res.text();
        } catch {
          failures++;
        }
        latencies.push(Date.now() - start);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    try {
      const rssBefore = await rss(server.child.pid!);
      const idle: (Socket | undefined)[] = [];
      for (let i = 0; i < sockets; i++) idle.push(await open(port));
      const slow: (Socket | undefined)[] = [];
      for (let i = 0; i < 20; i++) {
        const s = await open(port);
        s?.write(i % 2 === 0 ? 'GET /info HTTP/1.1\r\nHost: localhost\r\n' : 'POST /ksql HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n{');
        slow.push(s);
      }
      const drip = setInterval(() => slow.forEach((s, i) => isOpen(s) && s!.write(i % 2 === 0 ? 'X-Drip: a\r\n' : ' ')), 200);
      const sessions = Array.from({ length: 10 }, () => {
        const session = connectHttp2(server.url);
        session.on('error', () => {});
        return session;
      });
      await new Promise((r) => setTimeout(r, 4500));
      clearInterval(drip);
      t.is(idle.filter(isOpen).length, 0, 'every idle socket is closed');
      t.is(slow.filter(isOpen).length, 0, 'every slow sender is closed');
      t.true(sessions.every((s) => s.closed || s.destroyed), 'every idle HTTP/2 session is closed');
      const rssAfter = await rss(server.child.pid!);
      t.log(`RSS ${Math.round(rssBefore / 1e6)} MB -> ${Math.round(rssAfter / 1e6)} MB; /healthcheck max ${Math.max(...latencies)} ms over ${latencies.length} checks`);
      t.true(rssAfter - rssBefore < 200e6, 'memory stays bounded');
      for (const s of [...idle, ...slow]) s?.destroy();
      for (const s of sessions) s.destroy();
    } finally {
      checking = false;
      await checker;
      await server.stop('SIGTERM');
    }
    t.is(failures, 0, '/healthcheck answered throughout');
  }, 'ksqlite-abuse-');
});

async function rss(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return kb === undefined ? 0 : Number(kb) * 1024;
}
