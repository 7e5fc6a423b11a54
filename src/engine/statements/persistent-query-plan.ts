/**
 * What CREATE ... AS SELECT and INSERT INTO share: the sources a query
 * reads (with ksqlDB's partition checks for joins), its planned steps and the
 * CreateQuery command that starts it.
 */
import type { AnalyzedQuery } from '../../analyzer/query-analyzer.js';
import type { DataSource } from '../../catalog/data-source.js';
import { checkJoinPartitions } from '../../planner/join-partitions.js';
import { planSink, planStream } from '../../planner/plan-query.js';
import { PLAN_VERSION, type ExecutionStep } from '../../planner/steps.js';
import type { QueryCommand } from '../commands.js';
import type { EnginePorts } from '../engine-ports.js';
import type { Session } from '../session.js';

/** The source a query reads: for a join, its left source (whose formats and partitions the result takes). */
export function sourceOf(ports: Pick<EnginePorts, 'catalog' | 'log'>, analysis: AnalyzedQuery): DataSource {
  const { join } = analysis.source;
  if (join === undefined) return ports.catalog.metastore.requireSource(analysis.source.name);
  const sources = joinSourcesOf(ports, analysis)!;
  checkJoinPartitions(join, sources, (s) => ports.log.topics.describeTopic(s.topic).partitions.length);
  return sources[0]!;
}

/** Every source a join reads, in written order. */
export function joinSourcesOf(ports: Pick<EnginePorts, 'catalog'>, analysis: AnalyzedQuery): DataSource[] | undefined {
  const { join } = analysis.source;
  return join === undefined ? undefined : join.sources.map((s) => ports.catalog.metastore.requireSource(s.source.name));
}

/** The command that starts a persistent query writing `sink` (and declares it, for CREATE ... AS). */
export function planUpstream(ports: Pick<EnginePorts, 'catalog' | 'config'>, session: Session, analysis: AnalyzedQuery, from: DataSource, stateRetentionMs?: number): ExecutionStep {
  const defaultKeyFormat = ports.config.withOverrides(session.properties).getString('ksql.persistence.default.format.key') ?? 'KAFKA';
  return planStream(analysis, from, joinSourcesOf(ports, analysis), defaultKeyFormat, stateRetentionMs === undefined ? {} : { stateRetentionMs });
}

export function queryCommand(
  ports: Pick<EnginePorts, 'catalog'>, statement: string, queryId: string, analysis: AnalyzedQuery, from: DataSource, sink: DataSource, declaresSink: boolean, session: Session,
  upstream: ExecutionStep,
): QueryCommand {
  const joined = joinSourcesOf(ports, analysis);
  return {
    kind: 'CreateQuery',
    statement,
    sink: declaresSink ? sink : undefined,
    plan: {
      version: PLAN_VERSION, queryId, sink: sink.name, sourceNames: joined === undefined ? [from.name] : joined.map((s) => s.name),
      physicalPlan: planSink(upstream, sink),
    },
    properties: { ...session.properties },
  };
}
