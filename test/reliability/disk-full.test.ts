/**
 * The real server on a disk that fills up (docs/reliability.md): its data
 * directory on a tmpfs of 48 MiB in a user namespace (size-limited-dir.ts),
 * filled by a file the test writes beside it. Each cycle: fill the disk to
 * ~3 MiB free, insert rows until the server refuses them; the server must say
 * it is unhealthy and why, log the failure a few times, not per attempt;
 * free the space and the server resumes by itself (the probe, or the next
 * insert); every acknowledged row is counted exactly once by the CTAS. Then
 * a kill -9 on a nearly full disk and a start there. `npm test` runs one
 * cycle; `npm run test:reliability` runs `-- --cycles 4`.
 */
import { mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import test from 'ava';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';
import { mountSizeLimitedDir, UNSHARE_MISSING } from './size-limited-dir.js';

const { values } = parseArgs({ args: process.argv.slice(2), options: { cycles: { type: 'string', default: '1' } }, strict: false });
const cycles = Number(values.cycles);
const ROW_TEXT = 'r'.repeat(2000);

async function ksql(url: string, statement: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${url}/ksql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: statement, streamsProperties: {} }) });
  return { status: res.status, body: await res.text() };
}

async function health(url: string): Promise<{ isHealthy: boolean; details: { kafka: { isHealthy: boolean; reason?: string } } }> {
  return (await (await fetch(`${url}/healthcheck`)).json()) as never;
}

async function countOf(url: string): Promise<number | undefined> {
  const res = await fetch(`${url}/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: 'SELECT N FROM COUNTS WHERE ID = 1;', streamsProperties: {} }) });
  const rows = JSON.parse(await res.text()) as { row?: { columns: [number] } }[];
  return rows.find((r) => r.row !== undefined)?.row?.columns[0];
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Writes a file that leaves about `leaveBytes` free on the file system of `dir`. */
function fill(dir: string, leaveBytes: number): void {
  const { bavail, bsize } = statfsSync(dir);
  const size = Math.max(0, bavail * bsize - leaveBytes);
  writeFileSync(join(dir, 'filler'), Buffer.alloc(size));
}

const diskTest = UNSHARE_MISSING === null ? test : test.skip;
if (UNSHARE_MISSING !== null) console.log(`skipping the disk-full test: ${UNSHARE_MISSING}`);

diskTest(`a full disk: refused inserts, unhealthy with the reason, said a few times, resumed by itself, exact counts, ${cycles} cycle(s) and a start on a nearly full disk`, async (t) => {
  t.timeout(cycles * 60_000 + 90_000);
  const mountPoint = makeTempDir('ksqlite-disk-full-');
  const disk = await mountSizeLimitedDir(mountPoint, 48);
  let server: ServerProcess | undefined;
  const log: string[] = [];
  const start = async (): Promise<ServerProcess> => {
    const started = await startServerProcess(join(disk.inside, 'data'), [], disk.wrapper);
    started.child.stdout!.on('data', (chunk: Buffer) => log.push(...chunk.toString().split('\n').filter((l) => l !== '')));
    return started;
  };
  try {
    mkdirSync(join(disk.outside, 'data'));
    server = await start();
    const url = server.url;
    for (const statement of [
      "CREATE STREAM BIG (ID INT KEY, TEXT STRING) WITH (KAFKA_TOPIC='big', PARTITIONS=1, VALUE_FORMAT='JSON');",
      'CREATE TABLE COUNTS AS SELECT ID, COUNT(*) AS N FROM BIG GROUP BY ID;',
    ]) t.is((await ksql(url, statement)).status, 200);
    let acked = 0;
    for (let cycle = 0; cycle < cycles; cycle++) {
      fill(disk.outside, 3 * 1024 * 1024);
      let refused = 0;
      let firstRefusal = '';
      while (refused < 5) {
        const reply = await ksql(server.url, `INSERT INTO BIG (ID, TEXT) VALUES (1, '${ROW_TEXT}');`);
        if (reply.status === 200) acked++;
        else {
          refused++;
          firstRefusal ||= reply.body;
        }
      }
      t.regex(firstRefusal, /full/, 'the insert is refused with the reason');
      const linesBefore = log.length;
      const unhealthy = await health(server.url);
      t.false(unhealthy.isHealthy);
      t.regex(unhealthy.details.kafka.reason ?? '', /the disk is full/);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const errorLines = log.slice(linesBefore).filter((l) => l.includes('"level":50'));
      t.true(errorLines.length <= 4, `a few error lines while the disk is full, not one per attempt: ${errorLines.length}`);

      rmSync(join(disk.outside, 'filler'));
      // Odd cycles wait for the probe alone; even ones resume at the next insert.
      if (cycle % 2 === 1) await until('the probe finds the disk writable', async () => (await health(server!.url)).isHealthy, 20_000);
      const reply = await ksql(server.url, `INSERT INTO BIG (ID, TEXT) VALUES (1, 'space again');`);
      t.is(reply.status, 200, reply.body);
      acked++;
      await until('the CTAS has counted every acknowledged row', async () => (await countOf(server!.url)) === acked, 30_000);
      t.true((await health(server.url)).isHealthy);
    }

    // kill -9 on a nearly full disk, then a start there: it must come up and resume once space returns.
    fill(disk.outside, 3 * 1024 * 1024);
    while ((await ksql(server.url, `INSERT INTO BIG (ID, TEXT) VALUES (1, '${ROW_TEXT}');`)).status === 200) acked++;
    await server.stop('SIGKILL');
    server = await start();
    t.is(typeof (await health(server.url)).isHealthy, 'boolean', 'the server starts and answers on the full disk');
    rmSync(join(disk.outside, 'filler'));
    t.is((await ksql(server.url, `INSERT INTO BIG (ID, TEXT) VALUES (1, 'after restart');`)).status, 200);
    acked++;
    await until('the CTAS has counted every acknowledged row after the restart', async () => (await countOf(server!.url)) === acked, 30_000);
    t.log(`disk full: cycles=${cycles} acked=${acked} counted=${acked}`);
  } finally {
    if (server !== undefined) await server.stop('SIGTERM');
    await disk.close();
    removeDir(mountPoint);
  }
});
