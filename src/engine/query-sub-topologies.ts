/**
 * A persistent query's sub-topologies as its plan cuts them, in the order
 * its tasks are numbered (`<sub-topology>_<partition>`): the topics each one
 * reads, and which one holds the store of the table the query materializes
 * (the one writing the sink). Where the query's group runs a task, this says
 * what that task is: the cluster view reads it to locate a table's
 * partitions (src/server/group-cluster-view.ts).
 */
import { planGraph } from '../planner/plan-graph.js';
import type { EnginePorts } from './engine-ports.js';

export interface QuerySubTopologies {
  /** Per sub-topology, the topics its tasks read (one, or both sides of a join). */
  readonly sourceTopics: readonly (readonly string[])[];
  /** The sub-topology that writes the sink, where a table's materialized store lives; undefined for a sink-less plan. */
  readonly materialized: number | undefined;
}

/** The sub-topologies of query `queryId`; undefined when it does not run here. */
export function querySubTopologies(ports: Pick<EnginePorts, 'runner'>, queryId: string): QuerySubTopologies | undefined {
  const query = ports.runner.getQuery(queryId);
  if (query === undefined) return undefined;
  const graph = planGraph(query.command.plan.physicalPlan, ports.runner.queryGroup(queryId));
  const index = graph.subTopologies.findIndex((s) => s.sinkTopic !== undefined && s.sinkTopic === graph.sinkTopic);
  return { sourceTopics: graph.subTopologies.map((s) => s.sourceTopics), materialized: index < 0 ? undefined : index };
}
