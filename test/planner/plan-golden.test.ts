/**
 * Golden tests: the planned graph of representative queries, printed as
 * text and compared with test/planner/golden/<case>.txt. Run with
 * KSQLITE_UPDATE_GOLDEN=1 to write the files again from the current planner.
 */
import test from 'ava';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { QueryDescriptionEntity } from '../../src/engine/explain-query.js';
import { buildTopology } from '../../src/runtime/build-topology.js';
import { withTempEngine, type EngineNode } from '../helpers/temp-engine.js';
import { PLAN_CASES } from './plan-cases.js';

const GOLDEN_DIR = fileURLToPath(new URL('../../../test/planner/golden/', import.meta.url));
const UPDATE = process.env['KSQLITE_UPDATE_GOLDEN'] === '1';

function topologyText(node: EngineNode, queryId: string): string {
  const { engine } = node;
  const query = engine.getQuery(queryId)!;
  const prefix = engine.queryGroup(queryId);
  const topology = buildTopology(query.command.plan.physicalPlan, engine.topologyContext(queryId, prefix, engine.config));
  const short = (topic: string): string => topic.replace(prefix, '<query>');
  const lines = topology.subTopologies.map((sub, i) => `sub-topology ${i}: reads ${sub.sourceTopics.map(short).join(', ')}`);
  for (const t of topology.internalTopics) lines.push(`internal topic ${short(t.name)}: ${t.changelog === true ? 'changelog' : 'repartition'}, partitions of ${short(t.partitionsOf)}`);
  lines.push(`sink topic ${topology.sinkTopic}`);
  return lines.join('\n');
}

for (const c of PLAN_CASES) {
  test(`the plan of ${c.name}`, (t) => {
    const text = withTempEngine((node) => {
      node.engine.execute(c.setup);
      node.engine.execute(c.statement);
      const explain = node.engine.execute(`EXPLAIN ${c.queryId};`)[0] as QueryDescriptionEntity;
      return `${c.statement}\n\n-- execution plan\n${explain.queryDescription.executionPlan}\n-- topology\n${topologyText(node, c.queryId)}\n`;
    });
    const file = `${GOLDEN_DIR}${c.name}.txt`;
    if (UPDATE || !existsSync(file)) {
      if (!UPDATE) t.fail(`no golden file ${c.name}.txt: run with KSQLITE_UPDATE_GOLDEN=1 to write it`);
      writeFileSync(file, text);
    }
    t.is(text, readFileSync(file, 'utf8'));
  });
}
