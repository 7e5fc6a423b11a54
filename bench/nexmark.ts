/**
 * `npm run bench -- nexmark`: each Nexmark query ksqlDB can express
 * (nexmark-queries.ts) as a persistent query over pre-filled topics, one
 * process per query (nexmark-query.ts), then the reason for each query
 * left out. NEXMARK_QUERIES=q0,q3 picks queries; NEXMARK_EVENTS,
 * NEXMARK_RATE and NEXMARK_SEED shape the events.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { NOT_EXPRESSIBLE, QUERIES } from './nexmark-queries.js';

export function runNexmarkBenchmark(): void {
  const picked = process.env['NEXMARK_QUERIES']?.split(',') ?? QUERIES.map((q) => q.name);
  const script = fileURLToPath(new URL('./nexmark-query.js', import.meta.url));
  let failed = false;
  for (const name of picked) {
    const child = spawnSync(process.execPath, [script, name], { stdio: 'inherit' });
    if (child.status !== 0) failed = true;
  }
  for (const { name, reason } of NOT_EXPRESSIBLE) process.stdout.write(`SKIPPED nexmark.${name}: ${reason}\n`);
  if (failed) process.exitCode = 1;
}
