/**
 * One Nexmark query in a process of its own (so its peak RSS is its own):
 * `node dist/bench/nexmark-query.js <qN>`, started by nexmark.ts. Fills the
 * query's input topics with the first NEXMARK_EVENTS events (times its eventScale), measures the
 * drains the query, measures the bare JSON limit over the same input records
 * (the better of two measures), checks the output and prints the RESULT line
 * and peak RSS.
 */
import type { ProducerRecord } from '../src/broker/broker.js';
import { measureJsonLimit } from './json-limit.js';
import type { NexmarkConfig } from './nexmark-generator.js';
import { QUERIES } from './nexmark-queries.js';
import { fillTopics, generateEvents, SOURCES, TOPICS } from './nexmark-sources.js';
import { runQueries } from './query-run.js';
import { printResult } from './report.js';

const EVENTS = Number(process.env['NEXMARK_EVENTS'] ?? 100_000);
const CONFIG: NexmarkConfig = {
  seed: Number(process.env['NEXMARK_SEED'] ?? 1),
  rate: Number(process.env['NEXMARK_RATE'] ?? 10_000),
  // Just before 08:00 UTC, so q14's day and other times both occur.
  baseTime: Date.UTC(2026, 0, 5, 7, 59, 50),
};

const query = QUERIES.find((q) => q.name === process.argv[2]);
if (query === undefined) throw new Error(`unknown Nexmark query ${process.argv[2]}`);
const kinds = new Set(query.inputs);
const events = EVENTS * (query.eventScale ?? 1);

/** The bare loop over the query's input records; generated anew each time, so none are held while the query runs. */
function measureLimit(): number {
  const inputs: ProducerRecord[] = [];
  fillTopics(CONFIG, events, kinds, (_topic, records) => { for (const r of records) inputs.push(r); });
  measureJsonLimit(inputs.slice(0, 20_000)); // warm up the bare loop's code paths
  return measureJsonLimit(inputs);
}


const run = runQueries({
  sources: SOURCES,
  fill: (append) => fillTopics(CONFIG, events, kinds, append),
  queries: query.statements,
  inputTopics: query.inputs.map((k) => TOPICS[k as keyof typeof TOPICS]),
  outputTopics: [query.output],
});
const rss = process.resourceUsage().maxRSS / 1024;
// After the query, so its records do not count in the query's peak RSS; the better of two measures, since the machine is
// shared and a measure that lost the CPU says nothing.
const limit = Math.max(measureLimit(), measureLimit());
const problem = query.check(run.outputs.get(query.output)!, generateEvents(CONFIG, events, kinds));
if (problem !== null) {
  process.stdout.write(`FAILED nexmark.${query.name}: ${problem}\n`);
  process.exitCode = 1;
} else {
  printResult(`nexmark.${query.name}`, run.events / run.seconds, 'events/s', limit);
  process.stdout.write(`  nexmark.${query.name}: ${run.events} events in ${run.seconds.toFixed(2)} s, ${run.outputs.get(query.output)!.length} output records, peak RSS ${rss.toFixed(0)} MiB\n`);
  if (query.note !== undefined) process.stdout.write(`  nexmark.${query.name} runs ${query.note}\n`);
}
