/**
 * EXPLAIN <statement>, as ksqlDB answers it: the statement is planned and not
 * run. A CREATE ... AS SELECT or INSERT INTO ... SELECT goes through every
 * check its execution makes, and the command it would commit is described
 * instead (its query id, fields, sources, sink, execution plan and topology);
 * a push query is planned as the transient query it would start. Nothing runs,
 * so the description has no host status, state, errors, tasks or statistics.
 * Any other statement runs no query and is refused with ksqlDB's message.
 */
import type { AnalysisContext } from '../analyzer/analysis-context.js';
import { analyzeQuery } from '../analyzer/query-analyzer.js';
import { statementError } from '../common/errors.js';
import type { Statement, StatementOfKind } from '../parser/ast/statement.js';
import { planStream } from '../planner/plan-query.js';
import type { QueryCommand } from './commands.js';
import type { PropertyValue } from './config.js';
import type { EnginePorts } from './engine-ports.js';
import { transientApplicationId } from './transient-application-id.js';
import { describePlanGraph, printPlan, type QueryDescription, type QueryDescriptionEntity } from './explain-query.js';
import { describeColumns } from './field-info.js';

export function explainStatement(
  ports: EnginePorts, explain: StatementOfKind<'Explain'>, inner: Statement, session: { readonly properties: Record<string, PropertyValue> },
  context: AnalysisContext, plan: (inner: Statement) => QueryCommand | undefined,
): QueryDescriptionEntity {
  let description: QueryDescription;
  switch (inner.kind) {
    case 'QueryStatement':
      description = describePushQuery(ports, inner, session.properties, context);
      break;
    case 'CreateStreamAsSelect':
    case 'CreateTableAsSelect':
    case 'InsertInto': {
      const command = plan(inner);
      // CREATE ... IF NOT EXISTS of a source that exists runs nothing.
      if (command === undefined) throw statementError('The provided statement did not run a ksql query');
      description = describePlannedQuery(ports, command, inner.text);
      break;
    }
    default:
      throw statementError('The provided statement does not run a ksql query');
  }
  return { '@type': 'queryDescription', statementText: explain.text, queryDescription: description, warnings: [] };
}

function describePlannedQuery(ports: EnginePorts, command: QueryCommand, statementText: string): QueryDescription {
  const { plan } = command;
  const sink = command.sink ?? ports.catalog.metastore.getSource(plan.sink);
  return {
    ...nothingRuns(),
    id: plan.queryId,
    statementText,
    windowType: sink?.window?.type ?? null,
    fields: sink === undefined ? [] : describeColumns(sink.schema),
    sources: [...plan.sourceNames],
    sinks: [plan.sink],
    topology: describePlanGraph(ports, plan.physicalPlan, ports.runner.queryGroup(plan.queryId)),
    executionPlan: printPlan(plan.physicalPlan, plan.queryId, 0),
    overriddenProperties: { ...command.properties },
    queryType: 'PERSISTENT',
    consumerGroupId: ports.runner.queryGroup(plan.queryId),
  };
}

/** A SELECT ... EMIT CHANGES as the transient query it would start (push-query.ts plans it the same way). */
function describePushQuery(
  ports: EnginePorts, stmt: StatementOfKind<'QueryStatement'>, properties: Record<string, PropertyValue>, context: AnalysisContext,
): QueryDescription {
  if (stmt.query.emit === undefined) throw statementError('EXPLAIN plans a push query (EMIT CHANGES) or a persistent query, not a pull query.');
  const analysis = analyzeQuery(stmt.query, context);
  const { join } = analysis.source;
  const sources = (join === undefined ? [analysis.source.name] : join.sources.map((s) => s.source.name)).map((n) => ports.catalog.metastore.requireSource(n));
  const from = sources[0]!;
  const config = ports.config.withOverrides(properties);
  const step = join === undefined
    // A push query on a table streams the table's changes.
    ? planStream(analysis, from.kind === 'TABLE' && analysis.aggregation === undefined ? { ...from, kind: 'STREAM' } : from)
    : planStream(analysis, from, sources, config.getString('ksql.persistence.default.format.key') ?? 'KAFKA');
  const id = ports.runner.nextTransientQueryId(from.name, false);
  const group = transientApplicationId(ports, id);
  return {
    ...nothingRuns(),
    id,
    statementText: stmt.text,
    windowType: null,
    fields: describeColumns(analysis.outputSchema),
    sources: sources.map((s) => s.name),
    sinks: [],
    topology: describePlanGraph(ports, step, group),
    executionPlan: printPlan(step, id, 0),
    overriddenProperties: { ...properties },
    queryType: 'PUSH',
    consumerGroupId: group,
  };
}

function nothingRuns(): Pick<QueryDescription, 'ksqlHostQueryStatus' | 'queryErrors' | 'tasksMetadata' | 'statistics' | 'errorStats' | 'state'> {
  return { ksqlHostQueryStatus: {}, queryErrors: [], tasksMetadata: [], statistics: '', errorStats: '', state: null };
}
