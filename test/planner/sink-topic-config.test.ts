import test from 'ava';
import type { WindowExpression } from '../../src/parser/ast/query.js';
import { parseStatements } from '../../src/parser/index.js';
import { sinkTopicConfig } from '../../src/planner/sink-topic-config.js';

const DAY = 86_400_000;

/** The WINDOW clause of a CREATE TABLE AS with `window`. */
function windowOf(window: string): WindowExpression {
  const [statement] = parseStatements(`CREATE TABLE W AS SELECT K, COUNT(*) AS C FROM S WINDOW ${window} GROUP BY K;`);
  if (statement?.kind !== 'CreateTableAsSelect' || statement.query.window === undefined) throw new Error('no window parsed');
  return statement.query.window;
}

test("a stream sink topic deletes by time, with RETENTION_MS or else its source topic's retention", (t) => {
  t.deepEqual(sinkTopicConfig({ kind: 'STREAM', retentionMs: undefined, sourceRetentionMs: 5000, window: undefined }), { 'cleanup.policy': 'delete', 'retention.ms': 5000 });
  t.deepEqual(sinkTopicConfig({ kind: 'STREAM', retentionMs: 9000, sourceRetentionMs: 5000, window: undefined }), { 'cleanup.policy': 'delete', 'retention.ms': 9000 });
});

test('a table sink topic is compacted and takes no RETENTION_MS unless windowed', (t) => {
  t.deepEqual(sinkTopicConfig({ kind: 'TABLE', retentionMs: undefined, sourceRetentionMs: 5000, window: undefined }), { 'cleanup.policy': 'compact' });
  t.throws(() => sinkTopicConfig({ kind: 'TABLE', retentionMs: 5000, sourceRetentionMs: 5000, window: undefined }), {
    message: 'Invalid config variable in the WITH clause: RETENTION_MS. Non-windowed tables do not support retention.',
  });
});

test("a windowed table sink topic compacts and deletes, kept for the longer of its retention and the window's RETENTION", (t) => {
  const request = { kind: 'TABLE' as const, retentionMs: undefined, sourceRetentionMs: 7 * DAY };
  t.deepEqual(sinkTopicConfig({ ...request, window: windowOf('TUMBLING (SIZE 1 HOUR, RETENTION 30 DAYS)') }), { 'cleanup.policy': 'compact,delete', 'retention.ms': 30 * DAY });
  t.deepEqual(sinkTopicConfig({ ...request, window: windowOf('TUMBLING (SIZE 1 HOUR)') }), { 'cleanup.policy': 'compact,delete', 'retention.ms': 7 * DAY });
  t.deepEqual(sinkTopicConfig({ ...request, retentionMs: 10 * DAY, window: windowOf('SESSION (1 HOUR, RETENTION 2 DAYS)') }), { 'cleanup.policy': 'compact,delete', 'retention.ms': 10 * DAY });
  // An unbounded source (-1) yields the window's RETENTION, as ksqlDB takes the larger plainly.
  t.deepEqual(sinkTopicConfig({ ...request, sourceRetentionMs: -1, window: windowOf('HOPPING (SIZE 1 HOUR, ADVANCE BY 10 MINUTES, RETENTION 2 DAYS)') }), { 'cleanup.policy': 'compact,delete', 'retention.ms': 2 * DAY });
});
