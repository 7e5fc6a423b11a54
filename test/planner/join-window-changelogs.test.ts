/**
 * The changelog topics of stream-stream joins' window stores, named after
 * Kafka Streams' node counter as ksqlDB's topologies draw it, over several
 * plan shapes.
 */
import test from 'ava';
import { planGraph } from '../../src/planner/plan-graph.js';
import type { Join } from '../../src/planner/steps.js';
import { withTempEngine } from '../helpers/temp-engine.js';

const STREAMS = `
  CREATE STREAM S1 (ID INT KEY, A INT, B INT) WITH (kafka_topic='s1', partitions=2, key_format='KAFKA', value_format='JSON');
  CREATE STREAM S2 (ID INT KEY, A INT, C INT) WITH (kafka_topic='s2', partitions=2, key_format='KAFKA', value_format='JSON');
  CREATE STREAM S3 (ID INT KEY, A INT, D INT) WITH (kafka_topic='s3', partitions=2, key_format='KAFKA', value_format='JSON');
  CREATE TABLE T (ID INT PRIMARY KEY, N STRING) WITH (kafka_topic='t', partitions=2, key_format='KAFKA', value_format='JSON');
  CREATE TABLE TJ (ID INT PRIMARY KEY, N STRING) WITH (kafka_topic='tj', partitions=2, key_format='JSON', value_format='JSON');
`;

interface Planned {
  /** The changelog topics, after the query's prefix, in the graph's order. */
  readonly changelogs: string[];
  readonly repartitions: string[];
  readonly plan: Join;
}

function plan(statement: string, options: { readonly schemaRegistry?: boolean; readonly setup?: string } = {}): Planned {
  return withTempEngine((node) => {
    node.engine.execute(options.setup ?? STREAMS);
    node.engine.execute(`CREATE STREAM OUT AS SELECT ${statement};`);
    const physical = node.engine.getQuery('CSAS_OUT_0')!.command.plan.physicalPlan;
    const graph = planGraph(physical, 'q');
    const names = (kind: string) => graph.internalTopics.filter((t) => t.kind === kind).map((t) => t.name.slice('q-'.length));
    let step = physical;
    while (!('left' in step)) step = (step as { source: typeof step }).source;
    return { changelogs: names('changelog'), repartitions: names('repartition'), plan: step };
  }, options.schemaRegistry === true ? { schemaRegistry: true } : {});
}

test('joined on both keys, the join stores take numbers 8 and 9 after the two sources', (t) => {
  const p = plan('S1.ID AS ID, S2.C FROM S1 JOIN S2 WITHIN 10 SECONDS ON S1.ID = S2.ID');
  t.deepEqual(p.repartitions, []);
  t.deepEqual(p.changelogs, ['KSTREAM-JOINTHIS-0000000008-store-changelog', 'KSTREAM-JOINOTHER-0000000009-store-changelog']);
});

test('a repartitioned side draws four numbers more', (t) => {
  const p = plan('S1.ID AS ID, S2.C FROM S1 LEFT JOIN S2 WITHIN 10 SECONDS ON S1.ID = S2.A');
  t.deepEqual(p.repartitions, ['Join-right-repartition']);
  t.deepEqual(p.changelogs, ['KSTREAM-JOINTHIS-0000000012-store-changelog', 'KSTREAM-OUTEROTHER-0000000013-store-changelog']);
});

test('with both sides repartitioned a FULL join names both stores outer', (t) => {
  const p = plan('ROWKEY, S2.C FROM S1 FULL JOIN S2 WITHIN 10 SECONDS ON S1.A = S2.A');
  t.deepEqual(p.repartitions, ['Join-left-repartition', 'Join-right-repartition']);
  t.deepEqual(p.changelogs, ['KSTREAM-OUTERTHIS-0000000016-store-changelog', 'KSTREAM-OUTEROTHER-0000000017-store-changelog']);
});

test('a RIGHT join is the right stream joining the left one: its store is "this"', (t) => {
  const p = plan('S2.ID AS ID, S1.B FROM S1 RIGHT JOIN S2 WITHIN 10 SECONDS ON S1.ID = S2.ID');
  t.is(p.plan.left.changelogTopic, 'KSTREAM-OUTEROTHER-0000000009-store-changelog');
  t.is(p.plan.right.changelogTopic, 'KSTREAM-JOINTHIS-0000000008-store-changelog');
});

test('an outer join with a GRACE PERIOD logs its store of waiting records under the "this" number', (t) => {
  const p = plan('S1.ID AS ID, S2.C FROM S1 LEFT JOIN S2 WITHIN 10 SECONDS GRACE PERIOD 1 SECOND ON S1.ID = S2.ID');
  t.deepEqual(p.changelogs, [
    'KSTREAM-JOINTHIS-0000000008-store-changelog', 'KSTREAM-OUTEROTHER-0000000009-store-changelog',
    'KSTREAM-OUTERSHARED-0000000008-store-changelog',
  ]);
});

test('a join after a join counts the first join (its sources, its five nodes) before its own', (t) => {
  const p = plan('S1.ID AS ID, S2.C, S3.D FROM S1 JOIN S2 WITHIN 10 SECONDS ON S1.ID = S2.ID JOIN S3 WITHIN 10 SECONDS ON S1.ID = S3.ID');
  t.deepEqual(p.changelogs, [
    'KSTREAM-JOINTHIS-0000000008-store-changelog', 'KSTREAM-JOINOTHER-0000000009-store-changelog',
    'KSTREAM-JOINTHIS-0000000016-store-changelog', 'KSTREAM-JOINOTHER-0000000017-store-changelog',
  ]);
});

test('a join after a join re-keyed by its result counts that repartition too', (t) => {
  const p = plan('S1.A AS A, S2.C, S3.D FROM S1 JOIN S2 WITHIN 10 SECONDS ON S1.ID = S2.ID JOIN S3 WITHIN 10 SECONDS ON S1.A = S3.A');
  t.deepEqual(p.repartitions, ['Join-left-repartition', 'Join-right-repartition']);
  t.deepEqual(p.changelogs.slice(2), ['KSTREAM-JOINTHIS-0000000024-store-changelog', 'KSTREAM-JOINOTHER-0000000025-store-changelog']);
});

test('a stream-table join after a stream-stream join builds its table first', (t) => {
  const p = plan('S1.ID AS ID, S2.C, T.N FROM S1 JOIN S2 WITHIN 10 SECONDS ON S1.ID = S2.ID JOIN T ON S1.ID = T.ID');
  t.deepEqual(p.changelogs, [
    'KSTREAM-JOINTHIS-0000000014-store-changelog', 'KSTREAM-JOINOTHER-0000000015-store-changelog',
    'KafkaTopic_Right-Reduce-changelog',
  ]);
});

test('a re-keyed table of a stream-table join draws six numbers more', (t) => {
  const p = plan('S1.ID AS ID, S2.C, TJ.N FROM S1 JOIN S2 WITHIN 10 SECONDS ON S1.ID = S2.ID JOIN TJ ON S1.ID = TJ.ID');
  t.deepEqual(p.repartitions, ['RightSourceKeyed-SelectKey-repartition']);
  t.deepEqual(p.changelogs.slice(0, 2), ['KSTREAM-JOINTHIS-0000000020-store-changelog', 'KSTREAM-JOINOTHER-0000000021-store-changelog']);
});

test('a stream-stream join after a stream-table join counts the table join', (t) => {
  const p = plan('S1.ID AS ID, T.N, S2.C FROM S1 JOIN T ON S1.ID = T.ID JOIN S2 WITHIN 10 SECONDS ON S1.ID = S2.ID');
  // The table (6), the stream (3), the stream-table join (1), the other stream (3), two windowed nodes.
  t.deepEqual(p.changelogs.slice(-2), ['KSTREAM-JOINTHIS-0000000015-store-changelog', 'KSTREAM-JOINOTHER-0000000016-store-changelog']);
});

test('with a registry key format an earlier join is not repartitioned again: its sources are', (t) => {
  const setup = ['S1', 'S2', 'S3'].map((s) =>
    `CREATE STREAM ${s} (ID INT KEY, V INT) WITH (kafka_topic='${s.toLowerCase()}', partitions=1, key_format='JSON_SR', value_format='JSON');`).join('\n');
  const p = plan('S1.ID AS ID, S2.V AS V2, S3.V AS V3 FROM S1 JOIN S2 WITHIN 10 SECONDS ON S1.ID = S2.ID JOIN S3 WITHIN 10 SECONDS ON S1.ID = S3.ID', { schemaRegistry: true, setup });
  t.deepEqual(p.repartitions, ['L_Join-left-repartition', 'L_Join-right-repartition', 'Join-right-repartition']);
  t.deepEqual(p.changelogs.slice(2), ['KSTREAM-JOINTHIS-0000000028-store-changelog', 'KSTREAM-JOINOTHER-0000000029-store-changelog']);
});
