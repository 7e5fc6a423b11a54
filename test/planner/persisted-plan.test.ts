/**
 * The command log's form of a plan (src/planner/persisted-plan.ts): format 2
 * nodes with step versions and expressions as SQL, read back to the same
 * steps; refused at creation when an expression would not read back; and a
 * logged plan this server cannot read comes back with a reason naming the query.
 */
import test from 'ava';
import { parseWithBigInt, stringifyWithBigInt } from '../../src/common/json-bigint.js';
import type { Expression } from '../../src/parser/ast/expression.js';
import { encodePlan, readPlan } from '../../src/planner/persisted-plan.js';
import { planGraph } from '../../src/planner/plan-graph.js';
import type { QueryPlan } from '../../src/planner/steps.js';
import { withTempEngine } from '../helpers/temp-engine.js';
import { PLAN_CASES } from './plan-cases.js';

/** A value as JSON without source locations, keys sorted, so planned and read-back steps compare. */
function withoutLocations(value: unknown): string {
  return JSON.stringify(JSON.parse(stringifyWithBigInt(value)), (key, v: unknown) => {
    if (key === 'location') return undefined;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)));
  });
}

function plannedPlan(setup: string, statement: string, queryId: string): QueryPlan {
  return withTempEngine(({ engine }) => {
    engine.execute(setup);
    engine.execute(statement);
    return engine.getQuery(queryId)!.command.plan;
  });
}

for (const c of PLAN_CASES) {
  test(`the plan of ${c.name} reads back from its logged form as planned`, (t) => {
    const plan = plannedPlan(c.setup, c.statement, c.queryId);
    const logged = stringifyWithBigInt(encodePlan(plan));
    t.false(logged.includes('"location"'), 'no source locations are logged');
    const read = readPlan(parseWithBigInt(logged) as object);
    t.is(read.unreadable, undefined);
    t.is(read.version, 2);
    t.is(withoutLocations(read.physicalPlan), withoutLocations(plan.physicalPlan));
    t.deepEqual(planGraph(read.physicalPlan, 'q').internalTopics, planGraph(plan.physicalPlan, 'q').internalTopics);
  });
}

test('a plan whose printed expression would read back as another expression is refused when it is written', (t) => {
  const plan = plannedPlan(PLAN_CASES[0]!.setup, PLAN_CASES[0]!.statement, PLAN_CASES[0]!.queryId);
  const sink = plan.physicalPlan;
  if (sink.kind !== 'StreamSink' || sink.source.kind !== 'StreamSelect') throw new Error('unexpected plan');
  // A BIGINT literal small enough to print as an INTEGER one.
  const five: Expression = { kind: 'BigIntLiteral', value: 5n, location: { line: 1, column: 1, offset: 0, length: 1 } };
  const select = { ...sink.source, selects: [{ name: 'FIVE', expression: five }] };
  const error = t.throws(() => encodePlan({ ...plan, physicalPlan: { ...sink, source: select } }));
  t.regex(error!.message, /Cannot record the plan of query CSAS_OUT_0: its expression 5 does not read back/);
});

test('a timestamp text compared with ROWTIME in a query is planned as a literal that reads back', (t) => {
  const plan = plannedPlan(PLAN_CASES[0]!.setup, "CREATE STREAM EARLY AS SELECT * FROM S WHERE ROWTIME > '1970-01-01T00:00:01';", 'CSAS_EARLY_0');
  t.is(readPlan(parseWithBigInt(stringifyWithBigInt(encodePlan(plan))) as object).unreadable, undefined);
});

test('a logged plan with a step of a newer version, or of an unknown kind, is unreadable, naming the query and the step', (t) => {
  const plan = plannedPlan(PLAN_CASES[0]!.setup, PLAN_CASES[0]!.statement, PLAN_CASES[0]!.queryId);
  const logged = encodePlan(plan);
  const newer = { ...logged, nodes: logged.nodes.map((n) => (n.kind === 'StreamFilter' ? { ...n, version: 2 } : n)) };
  t.is(readPlan(newer).unreadable, 'The plan of query CSAS_OUT_0 cannot be read: its StreamFilter step is of version 2; this server runs StreamFilter steps of versions 1 to 1');
  const unknown = { ...logged, nodes: logged.nodes.map((n) => (n.kind === 'StreamFilter' ? { ...n, kind: 'StreamSample' } : n)) };
  t.is(readPlan(unknown).unreadable, "The plan of query CSAS_OUT_0 cannot be read: unknown plan step 'StreamSample'");
});

test('a foreign-key join with subscriptions is logged as a version 2 step with its subscription topics, and reads back with them', (t) => {
  const c = PLAN_CASES.find((p) => p.name === 'foreign-key-join-partitions')!;
  const logged = encodePlan(plannedPlan(c.setup, c.statement, c.queryId));
  const node = logged.nodes.find((n) => n.kind === 'ForeignKeyTableTableJoin')!;
  // A server that knows only version 1 (one task over co-partitioned tables) refuses the plan instead of misrunning it.
  t.like(node, {
    version: 2, subscriptions: true,
    registrationTopic: 'KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000000-topic', responseTopic: 'KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000000-topic',
  });
  const read = readPlan(parseWithBigInt(stringifyWithBigInt(logged)) as object);
  const graph = planGraph(read.physicalPlan, 'q');
  t.deepEqual(graph.subTopologies.map((s) => s.sourceTopics), [
    ['q-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000000-topic', 'r'], ['l', 'q-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000000-topic'],
  ]);
});

test('a foreign-key join logged before subscriptions (a version 1 step) reads back as the join of one task', (t) => {
  const c = PLAN_CASES.find((p) => p.name === 'foreign-key-join')!;
  const logged = encodePlan(plannedPlan(c.setup, c.statement, c.queryId));
  const before = {
    ...logged,
    nodes: logged.nodes.map((n) => {
      if (n.kind !== 'ForeignKeyTableTableJoin') return n;
      const { subscriptions: _s, registrationTopic: _r, responseTopic: _p, ...rest } = n;
      return { ...rest, version: 1 };
    }),
  };
  const read = readPlan(parseWithBigInt(stringifyWithBigInt(before)) as object);
  t.is(read.unreadable, undefined);
  const graph = planGraph(read.physicalPlan, 'q');
  t.deepEqual(graph.subTopologies.map((s) => s.sourceTopics), [['orders', 'customers']]);
  t.deepEqual(graph.internalTopics, []);
});

test('a stream-stream join logged before its stores had changelogs reads back without them, in either format', (t) => {
  const c = PLAN_CASES.find((p) => p.name === 'stream-stream-join')!;
  const plan = plannedPlan(c.setup, c.statement, c.queryId);
  t.is(planGraph(plan.physicalPlan, 'q').internalTopics.length, 2);
  const withoutChangelogs = <T>(value: T): T =>
    parseWithBigInt(JSON.stringify(JSON.parse(stringifyWithBigInt(value), (key, v: unknown) => (key === 'changelogTopic' ? undefined : v)))) as T;
  const format2 = readPlan(withoutChangelogs(encodePlan(plan)));
  const format1 = readPlan({ version: 1, queryId: plan.queryId, sink: plan.sink, sourceNames: plan.sourceNames, physicalPlan: withoutChangelogs(plan.physicalPlan) });
  for (const read of [format2, format1]) {
    t.is(read.unreadable, undefined);
    t.deepEqual(planGraph(read.physicalPlan, 'q').internalTopics, []);
  }
});
