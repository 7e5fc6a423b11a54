/**
 * Golden tests: the planned graph of representative queries, printed as
 * text and compared with test/planner/golden/<case>.txt (push queries as
 * EXPLAIN plans them, their transient ids and application ids replaced). Run with
 * KSQLITE_UPDATE_GOLDEN=1 to write the files again from the current planner.
 */
import test, { type ExecutionContext } from 'ava';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { QueryDescriptionEntity } from '../../src/engine/explain-query.js';
import { planGraph } from '../../src/planner/plan-graph.js';
import { printPlanGraph } from '../../src/planner/print-plan-graph.js';
import { withTempEngine, type EngineNode } from '../helpers/temp-engine.js';
import { PLAN_CASES, PUSH_PLAN_CASES } from './plan-cases.js';

const GOLDEN_DIR = fileURLToPath(new URL('../../../test/planner/golden/', import.meta.url));
const UPDATE = process.env['KSQLITE_UPDATE_GOLDEN'] === '1';

/** The planner's graph of the query: its topology description, then its edges. */
function graphText(node: EngineNode, queryId: string): string {
  const graph = planGraph(node.engine.getQuery(queryId)!.command.plan.physicalPlan, '<query>');
  const edges = graph.edges.map((e) => {
    const how = e.kind === 'forward' ? 'forward' : e.kind === 'shuffle' ? `shuffle through ${e.topic}` : `join ${e.side} side${e.topic === undefined ? '' : ` through ${e.topic}`}`;
    return `${e.from} -> ${e.to}: ${how}`;
  });
  return `${printPlanGraph(graph)}Edges:\n${edges.map((e) => `   ${e}\n`).join('')}`;
}

function checkGolden(t: ExecutionContext, name: string, text: string): void {
  const file = `${GOLDEN_DIR}${name}.txt`;
  if (UPDATE || !existsSync(file)) {
    if (!UPDATE) t.fail(`no golden file ${name}.txt: run with KSQLITE_UPDATE_GOLDEN=1 to write it`);
    writeFileSync(file, text);
  }
  t.is(text, readFileSync(file, 'utf8'));
}

for (const c of PLAN_CASES) {
  test(`the plan of ${c.name}`, (t) => {
    const text = withTempEngine((node) => {
      node.engine.execute(c.setup);
      node.engine.execute(c.statement);
      const explain = node.engine.execute(`EXPLAIN ${c.queryId};`)[0] as QueryDescriptionEntity;
      return `${c.statement}\n\n-- execution plan\n${explain.queryDescription.executionPlan}\n-- graph\n${graphText(node, c.queryId)}`;
    });
    checkGolden(t, c.name, text);
  });
}

for (const c of PUSH_PLAN_CASES) {
  test(`the plan of ${c.name}`, (t) => {
    const text = withTempEngine((node) => {
      node.engine.execute(c.setup);
      const { queryDescription: d } = node.engine.execute(`EXPLAIN ${c.statement}`)[0] as QueryDescriptionEntity;
      const named = (s: string): string => s.replaceAll(d.consumerGroupId, '<query>').replaceAll(d.id, '<id>');
      return `${c.statement}\n\n-- execution plan\n${named(d.executionPlan)}\n-- graph\n${named(d.topology)}`;
    });
    checkGolden(t, c.name, text);
  });
}
