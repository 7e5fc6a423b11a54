/**
 * Each expression of a query is bound once, when its topology is built: the
 * tasks (one per partition, again at each retry) only compile what was bound.
 * COUNTED counts its call sites as the registry binds them.
 */
import test from 'ava';
import { KsqlConfig } from '../../src/engine/config.js';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import { defineScalar } from '../../src/functions/function-definition.js';
import type { FunctionRegistry } from '../../src/functions/registry.js';
import { buildTopology } from '../../src/runtime/build-topology.js';
import { TaskState } from '../../src/runtime/task-state.js';
import { openScratchStoreRegistry } from '../../src/state/index.js';
import { withTempEngine, type EngineNode } from '../helpers/temp-engine.js';

const PARTITIONS = 4;

function countingRegistry(counter: { binds: number }): FunctionRegistry {
  const registry = createFunctionRegistry();
  registry.register(defineScalar({
    name: 'COUNTED',
    category: 'OTHER',
    description: 'Its argument; counts the call sites bound.',
    variants: [{
      params: 'INTEGER v',
      returns: 'INTEGER',
      bind: () => {
        counter.binds++;
        return (v: number | null) => v;
      },
    }],
  }));
  return registry;
}

const SOURCES = `CREATE STREAM S (ID INT KEY, A INT, B INT) WITH (KAFKA_TOPIC='s', PARTITIONS=${PARTITIONS}, VALUE_FORMAT='JSON');`
  + ` CREATE TABLE T (ID INT PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=${PARTITIONS}, VALUE_FORMAT='JSON');`;

/** Binds while building the query's topology, and while building every task of it. */
function bindsOf(node: EngineNode, counter: { binds: number }, queryId: string): { topology: number; tasks: number } {
  const { plan } = node.engine.getQuery(queryId)!.command;
  counter.binds = 0;
  const topology = buildTopology(plan.physicalPlan, node.engine.topologyContext(queryId, `prefix_${queryId}`, new KsqlConfig({})));
  const afterTopology = counter.binds;
  const stores = openScratchStoreRegistry();
  for (const [index, sub] of topology.subTopologies.entries()) {
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const state = new TaskState(stores, queryId, partition, `clock_${index}`);
      sub.buildProcessor({ output: { emit: () => {}, logError: () => {} }, state }).close?.();
    }
  }
  stores.dropQueryStores(queryId);
  return { topology: afterTopology, tasks: counter.binds - afterTopology };
}

const QUERIES = [
  { name: 'a filter, a PARTITION BY and a projection', sql: 'CREATE STREAM OUT AS SELECT COUNTED(B) AS K, COUNTED(A) AS X FROM S WHERE COUNTED(A) > 0 PARTITION BY COUNTED(B);', id: 'CSAS_OUT_0', sites: 3 },
  { name: 'a GROUP BY with an aggregate argument', sql: 'CREATE TABLE OUT AS SELECT COUNTED(B) AS K, SUM(COUNTED(A)) AS T FROM S GROUP BY COUNTED(B);', id: 'CTAS_OUT_0', sites: 3 },
  { name: 'a join re-keyed on an expression', sql: 'CREATE STREAM OUT AS SELECT T.ID AS ID, S.A AS A, T.NAME AS NAME FROM S JOIN T ON COUNTED(S.A) = T.ID;', id: 'CSAS_OUT_0', sites: 1 },
];

for (const q of QUERIES) {
  test(`the expressions of ${q.name} are bound once by the topology, never by its tasks`, (t) => {
    const counter = { binds: 0 };
    withTempEngine((node) => {
      node.engine.execute(SOURCES);
      node.engine.execute(q.sql);
      t.deepEqual(bindsOf(node, counter, q.id), { topology: q.sites, tasks: 0 });
    }, { functions: countingRegistry(counter) });
  });
}

/** Binds while the engine runs `statement` over a stream S of `partitions` partitions. */
function bindsRunning(statement: string, partitions: number): number {
  const counter = { binds: 0 };
  return withTempEngine((node) => {
    node.engine.execute(`CREATE STREAM S (ID INT KEY, A INT) WITH (KAFKA_TOPIC='s', PARTITIONS=${partitions}, VALUE_FORMAT='JSON');`);
    counter.binds = 0;
    node.engine.execute(statement);
    return counter.binds;
  }, { functions: countingRegistry(counter) });
}

const CSAS = 'CREATE STREAM OUT AS SELECT ID, COUNTED(A) AS X FROM S WHERE COUNTED(A) > 0;';

test('starting a query binds as often whatever its partition count', (t) => {
  t.is(bindsRunning(CSAS, PARTITIONS), bindsRunning(CSAS, 1));
});

test('a query starts with the topology its statement check built: it binds no more than EXPLAIN of the statement, which only checks it', (t) => {
  t.is(bindsRunning(CSAS, PARTITIONS), bindsRunning(`EXPLAIN ${CSAS}`, PARTITIONS));
});
