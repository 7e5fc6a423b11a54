import type { ProducerRecord } from '../src/broker/broker.js';

/**
 * The machine's limit for a JSON-to-JSON query over `events`: events/s of a
 * bare loop that parses each value and stringifies it again.
 */
export function measureJsonLimit(events: readonly ProducerRecord[]): number {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (const e of events) {
    const parsed = JSON.parse(e.value!.toString('utf8')) as Record<string, unknown>;
    sink += Buffer.from(JSON.stringify(parsed)).length;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (sink === 0) throw new Error('nothing was serialized');
  return events.length / seconds;
}
