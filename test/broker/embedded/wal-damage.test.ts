import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { isBrokerError } from '../../../src/broker/broker-error.js';
import { openEmbeddedBroker } from '../../../src/broker/embedded/embedded-broker.js';
import { withTempDir } from '../../helpers/temp-dir.js';

const script = fileURLToPath(new URL('fixtures/append-then-wait.js', import.meta.url));
const RECORDS = 200;

/** Appends RECORDS records in a child process, one commit each, and kills it with SIGKILL: the WAL stays as a crash leaves it. */
async function appendAndKill(dir: string, mode?: 'checkpoint'): Promise<void> {
  const child = spawn(process.execPath, [script, dir, String(RECORDS), ...(mode === undefined ? [] : [mode])], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('done\n')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the child exited (${code}) before it was done`)));
  });
  child.kill('SIGKILL');
  await exited;
}

/** Flips one bit in the page of WAL frame `frame` (from 1). */
function damageFrame(wal: string, frame: number): void {
  const bytes = readFileSync(wal);
  const pageSize = bytes.readUInt32BE(8);
  bytes[32 + (frame - 1) * (24 + pageSize) + 24 + 100]! ^= 0x01;
  writeFileSync(wal, bytes);
}

function values(dir: string, options: { acceptDataLoss?: boolean } = {}): string[] {
  const broker = openEmbeddedBroker({ dataDir: dir, ...options });
  try {
    return broker.read('w', 0, 0, { maxRecords: 10 * RECORDS }).map((r) => r.value!.toString());
  } finally {
    broker.close();
  }
}

test('a damaged WAL frame followed by commits is refused with a report and a copy, and opens with the loss reported only when accepted', async (t) => {
  await withTempDir(async (dir) => {
    await appendAndKill(dir);
    const wal = join(dir, 'ksqlite.db-wal');
    damageFrame(wal, 40);
    const damaged = readFileSync(wal);

    const error = t.throws(() => openEmbeddedBroker({ dataDir: dir }));
    t.true(isBrokerError(error, 'CORRUPT_DATA'), String(error));
    t.regex(error!.message, /ksqlite\.db-wal is damaged at frame 40 of \d+ \(checksum mismatch\)/);
    t.regex(error!.message, /\d+ frames holding \d+ committed transactions that are not in the database yet are lost/);
    t.regex(error!.message, /--accept-data-loss/);
    t.true(readFileSync(wal).equals(damaged), 'the refused open left the WAL as it was');
    const copies = () => readdirSync(dir).filter((name) => name.startsWith('ksqlite.db-wal.damaged-'));
    t.is(copies().length, 1);
    t.true(readFileSync(join(dir, copies()[0]!)).equals(damaged), 'the copy is the damaged WAL');
    t.throws(() => openEmbeddedBroker({ dataDir: dir }));
    t.is(copies().length, 1, 'a second refused start keeps the same copy');

    const broker = openEmbeddedBroker({ dataDir: dir, acceptDataLoss: true });
    try {
      const report = broker.recoveryReport.wal!;
      t.like(report, { walFile: wal, copy: join(dir, copies()[0]!), badFrame: 40, problem: 'checksum mismatch' });
      t.true(report.commitsLost > 0 && report.framesLost >= report.commitsLost);
      // What SQLite does with such a WAL without a word: everything from the bad frame on is gone.
      const kept = broker.read('w', 0, 0, { maxRecords: 10 * RECORDS }).map((r) => r.value!.toString());
      t.true(kept.length > 0 && kept.length < RECORDS, `${kept.length} of ${RECORDS} records kept`);
      t.deepEqual(kept, kept.map((_, i) => `record-${i}`), 'what is kept is the start of what was written');
      t.is(broker.database.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      broker.close();
    }
    t.is(openEmbeddedBroker({ dataDir: dir }).close(), undefined, 'once opened, the directory is sound again');
  });
});

test('an intact WAL opens with every record', async (t) => {
  await withTempDir(async (dir) => {
    await appendAndKill(dir);
    t.is(values(dir).length, RECORDS);
  });
});

test('a damaged WAL a checkpoint had already copied into the database is set aside unread, and nothing is lost', async (t) => {
  await withTempDir(async (dir) => {
    await appendAndKill(dir, 'checkpoint');
    // Frame 3 is older than the pages the checkpoint wrote: SQLite reading frames 1-2 over them would mix old and new pages.
    damageFrame(join(dir, 'ksqlite.db-wal'), 3);
    const broker = openEmbeddedBroker({ dataDir: dir });
    try {
      t.is(broker.recoveryReport.wal, null);
      t.is(broker.read('w', 0, 0, { maxRecords: 10 * RECORDS }).length, RECORDS);
      t.is(broker.database.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      broker.close();
    }
    t.is(readdirSync(dir).filter((name) => name.startsWith('ksqlite.db-wal.damaged-')).length, 1, 'a copy is kept all the same');
  });
});

test('a data directory without a WAL opens', (t) => {
  withTempDir((dir) => {
    const first = openEmbeddedBroker({ dataDir: dir });
    first.createTopic('w', { partitions: 1 });
    first.close();
    t.false(existsSync(join(dir, 'ksqlite.db-wal')));
    t.deepEqual(values(dir), []);
  });
});
