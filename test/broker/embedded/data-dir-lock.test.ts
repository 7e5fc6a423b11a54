import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { isBrokerError } from '../../../src/broker/broker-error.js';
import { openEmbeddedBroker } from '../../../src/broker/embedded/embedded-broker.js';
import { withTempDir } from '../../helpers/temp-dir.js';

const script = fileURLToPath(new URL('fixtures/hold-open.js', import.meta.url));

/** Starts a process that opens the log in `dir` and keeps it open; resolves once it is open. */
async function holdOpen(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('open\n')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the holder exited (${code}) before it opened the log`)));
  });
  return child;
}

test('a second process cannot open a data directory another process holds, until that one dies by kill -9', async (t) => {
  await withTempDir(async (dir) => {
    const holder = await holdOpen(dir);
    try {
      const started = Date.now();
      const error = t.throws(() => openEmbeddedBroker({ dataDir: dir }));
      t.true(isBrokerError(error, 'STORAGE'));
      t.true(error!.message.includes(dir), error!.message);
      t.true(error!.message.includes(`pid ${holder.pid}`), error!.message);
      t.true(Date.now() - started < 2000, 'refused at once, not after a busy timeout');
    } finally {
      const exited = once(holder, 'exit');
      holder.kill('SIGKILL');
      await exited;
    }
    const broker = openEmbeddedBroker({ dataDir: dir });
    broker.createTopic('t', { partitions: 1 });
    broker.close();
  });
});
