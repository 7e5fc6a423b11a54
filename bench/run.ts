/**
 * Benchmark dispatcher: `npm run bench -- <name> [<name> ...]` runs bench/<name>.ts.
 * Each benchmark prints lines `RESULT <name> <value> <unit> limit=<value> ratio=<value>`,
 * the limit being the machine's own bound measured in the same run.
 */
const BENCHMARKS: Record<string, () => Promise<() => void | Promise<void>>> = {
  aggregate: async () => (await import('./aggregate.js')).runAggregateBenchmark,
  cluster: async () => (await import('./cluster.js')).runClusterBenchmark,
  formats: async () => (await import('./formats.js')).runFormatsBench,
  join: async () => (await import('./join.js')).runJoinBenchmark,
  log: async () => (await import('./log.js')).runLogBenchmark,
  nexmark: async () => (await import('./nexmark.js')).runNexmarkBenchmark,
  parse: async () => (await import('./parse.js')).runParseBench,
  recovery: async () => (await import('./recovery.js')).runRecoveryBenchmark,
  state: async () => (await import('./state.js')).runStateBenchmark,
  stateless: async () => (await import('./stateless.js')).runStatelessBenchmark,
  serve: async () => (await import('./serve.js')).runServeBenchmark,
  wire: async () => (await import('./wire.js')).runWireBenchmark,
};

const names = process.argv.slice(2);
if (names.length === 0 || names.some((n) => !(n in BENCHMARKS))) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}> ...\n`);
  process.exit(2);
}
for (const name of names) await (await BENCHMARKS[name]!())();
