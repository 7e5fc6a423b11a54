/**
 * The kill loops of the reliability checks (docs/reliability.md). `npm test`
 * runs each with a few stops; `npm run test:reliability` runs the same file
 * with `-- --kills 25`.
 */
import test from 'ava';
import { parseArgs } from 'node:util';
import { withTempDir } from '../helpers/temp-dir.js';
import { checkKillLoop, formatFigures } from './check-kill-loop.js';
import { runKillLoop, type KillLoopOptions } from './server-kill-loop.js';

const { values } = parseArgs({ args: process.argv.slice(2), options: { kills: { type: 'string', default: '3' } }, strict: false });
const kills = Number(values.kills);
const runMs = { min: 100, max: 1000 };

function loop(name: string, signal: KillLoopOptions['signal']): void {
  test(`${name}: every acknowledged insert is stored once and every query's result is exact after ${kills} stops`, async (t) => {
    t.timeout(kills * 20_000 + 60_000);
    await withTempDir(async (dir) => {
      const figures = checkKillLoop(dir, await runKillLoop(dir, { signal, kills, runMs }));
      t.log(formatFigures(name, figures));
      t.true(figures.acked > 0 && figures.windows > 0, 'the load went in');
      t.is(figures.lost, 0, 'no acknowledged row is missing from the source');
      t.is(figures.duplicated, 0, 'no row is stored twice');
      t.is(figures.rejectedStored, 0, 'no refused row is stored');
      t.is(figures.corrupted, 0, 'every stored row holds what was sent');
      t.is(figures.sinkMismatches, 0, 'the CSAS sink holds exactly the transformed source rows, once each');
      t.is(figures.aggregateMismatches, 0, 'every window of the CTAS equals the recomputation from the source');
      t.is(figures.queriesNotRunning, 0, 'every query is RUNNING');
      if (signal === 'SIGTERM') t.is(figures.storedUnacked, 0, 'a graceful stop acknowledges every row it stored');
    }, 'ksqlite-reliability-');
  });
}

loop('kill -9 loop', 'SIGKILL');
loop('SIGTERM loop', 'SIGTERM');
