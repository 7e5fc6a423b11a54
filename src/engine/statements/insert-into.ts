/** INSERT INTO ... SELECT: a query writing into an existing stream. */
import { analyzeQuery } from '../../analyzer/query-analyzer.js';
import { statementError } from '../../common/errors.js';
import { andThen, type MaybeAsync } from '../../common/maybe-async.js';
import type { StatementOfKind } from '../../parser/ast/statement.js';
import { formatLogicalSchema } from '../../schema/logical-schema.js';
import { quoteIdentifier } from '../../schema/sql-type.js';
import { analysisContext } from '../catalog-analysis-context.js';
import type { EnginePorts } from '../engine-ports.js';
import { currentStatus, type KsqlEntity } from '../entities.js';
import { castLiteralsToSink } from '../implicit-sink-casts.js';
import type { Session } from '../session.js';
import { WithProperties } from '../with-properties.js';
import { explained } from './explained.js';
import { planUpstream, queryCommand, sourceOf } from './persistent-query-plan.js';

export function insertIntoSelect(stmt: StatementOfKind<'InsertInto'>, ports: EnginePorts, session: Session): MaybeAsync<KsqlEntity> {
  // ksqlDB reads the WITH clause (QUERY_ID only) when it parses the statement, before the target is looked up.
  const props = new WithProperties(stmt.properties, 'INSERT');
  const target = ports.catalog.metastore.getSource(stmt.target);
  if (!target) {
    const { line, column } = stmt.targetLocation;
    throw statementError(`Line: ${line}, Col: ${column}: Source ${quoteIdentifier(stmt.target)} does not exist.`, { position: stmt.targetLocation });
  }
  if (target.kind !== 'STREAM') throw statementError(`INSERT INTO can only be used to insert into a stream. ${target.name} is a table.`);
  if (target.isSource) throw statementError(`Cannot insert into read-only stream: ${target.name}`);
  if (target.schema.value.some((c) => c.namespace === 'HEADERS')) throw statementError(`Cannot insert into ${target.name} because it has header columns`);
  const config = ports.config.withOverrides(session.properties);
  const newPlanner = config.getBoolean('ksql.new.query.planner.enabled');
  const suppressEnabled = config.getBoolean('ksql.suppress.enabled');
  const analysis = castLiteralsToSink(analyzeQuery(stmt.query, { ...analysisContext(ports, target.name), newPlanner, suppressEnabled }), target.schema);
  const from = sourceOf(ports, analysis);
  const queryId = props.getString('QUERY_ID')?.toUpperCase() ?? ports.runner.nextQueryId('INSERTQUERY', undefined);
  if (ports.runner.getQuery(queryId)) throw statementError(`Query ID '${queryId}' already exists.`);
  const upstream = planUpstream(ports, session, analysis, from);
  // As ksqlDB's validateExistingSink, once the query is planned: the sink's kind, then its schema.
  if (analysis.source.kind === 'TABLE' || analysis.aggregation !== undefined) {
    throw statementError(`Incompatible data sink and query result. Data sink (${target.name}) type is KSTREAM but select query result is KTABLE.`);
  }
  const result = formatLogicalSchema(analysis.outputSchema);
  const expected = formatLogicalSchema(target.schema);
  if (result !== expected) {
    throw statementError(`Incompatible schema between results and sink.\nResult schema is ${result}\nSink schema is ${expected}`);
  }
  const command = queryCommand(ports, stmt.text, queryId, analysis, from, target, false, session, upstream);
  if (session.explain !== undefined) {
    ports.log.checkCommand(command);
    return explained(session.explain, command);
  }
  return andThen(ports.log.commit(command), (seq) => currentStatus(stmt.text, `stream/\`${target.name}\`/create`, `Created query with ID ${queryId}`, seq, queryId));
}
