/** The console's reading of ksqlDB's statistics texts and task offsets (console/query-stats.js), on the texts the server formats. */
import test from 'ava';
import { formatStats } from '../../src/engine/runtime-statistics.js';

interface Figures { state: string | null; rate: number | null; total: number | null; failed: number | null; lag: number | null }
const { queryFigures, formatFigure } = await import(new URL('../../../console/query-stats.js', import.meta.url).href) as {
  queryFigures: (d: unknown) => Figures;
  formatFigure: (v: number | null) => string;
};

const at = Date.UTC(2026, 11, 7, 5, 10, 2, 120);
const offsets = (end: number, committed: number): unknown => ({ topicOffsets: [{ topicPartitionEntity: { topic: 't', partition: 0 }, endOffset: end, committedOffset: committed }] });

test('the figures come from the statistics and errorStats texts as the server formats them, and the lag from the tasks', (t) => {
  const statistics = formatStats([
    { name: 'consumer-messages-per-sec', value: 2.5, timestamp: at },
    { name: 'consumer-total-messages', value: 12, timestamp: at },
    { name: 'messages-per-sec', value: 1, timestamp: at },
    { name: 'total-messages', value: 11, timestamp: at },
  ], false);
  const errorStats = formatStats([
    { name: 'consumer-failed-messages', value: 1, timestamp: at },
    { name: 'consumer-failed-messages-per-sec', value: 0.25, timestamp: at },
  ], true);
  t.deepEqual(queryFigures({ state: 'RUNNING', statistics, errorStats, tasksMetadata: [offsets(20, 12), offsets(5, 5)] }),
    { state: 'RUNNING', rate: 2.5, total: 12, failed: 1, lag: 8 });
});

test('missing or unreadable figures are "-"; an empty errorStats means no record failed', (t) => {
  const none = queryFigures({ statistics: '', errorStats: '', tasksMetadata: [] });
  t.deepEqual(none, { state: null, rate: null, total: null, failed: 0, lag: null });
  const odd = queryFigures({ statistics: 'consumer-total-messages: lots last-message: 2026-12-07T05:10:02Z', errorStats: 'garbage' });
  t.deepEqual(odd, { state: null, rate: null, total: null, failed: null, lag: null });
  t.deepEqual([null, 0, 3, 0.125].map(formatFigure), ['-', '0', '3', '0.13']);
});
