/**
 * Benchmark dispatcher: `npm run bench -- <name>` runs bench/<name>.ts.
 * Each benchmark prints lines `RESULT <name> <value> <unit> limit=<value> ratio=<value>`.
 */
const BENCHMARKS: Record<string, () => Promise<{ run: () => void }>> = {
  log: async () => ({ run: (await import('./log.js')).runLogBenchmark }),
};

const names = process.argv.slice(2);
if (names.length === 0 || names.some((n) => !(n in BENCHMARKS))) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}> ...\n`);
  process.exit(2);
}
for (const name of names) (await BENCHMARKS[name]!()).run();
