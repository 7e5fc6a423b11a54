/** CREATE STREAM AS SELECT and CREATE TABLE AS SELECT: the sink is declared and its query started by one command. */
import type { AnalyzedAggregation } from '../../analyzer/aggregate-analyzer.js';
import { explained } from './explained.js';
import { analyzeQuery, type AnalyzedQuery } from '../../analyzer/query-analyzer.js';
import { describeSourceKind, type DataSource, type SourceKind } from '../../catalog/data-source.js';
import { alreadyExists, sourceExistsError } from '../../catalog/metastore.js';
import { KsqlError, statementError } from '../../common/errors.js';
import { lookupFormat } from '../../formats/index.js';
import { andThen, type MaybeAsync } from '../../common/maybe-async.js';
import type { StatementOfKind } from '../../parser/ast/statement.js';
import { planChangelogStream } from '../../planner/changelog-stream.js';
import { sinkTopicConfig } from '../../planner/sink-topic-config.js';
import { quoteIdentifier } from '../../schema/sql-type.js';
import type { KsqlConfig } from '../config.js';
import { parseDurationText } from '../duration-text.js';
import { analysisContext } from '../catalog-analysis-context.js';
import type { EnginePorts } from '../engine-ports.js';
import { currentStatus, type KsqlEntity } from '../entities.js';
import { sanitizedStatementText } from '../sanitized-statement.js';
import { checkSchemaIdColumns } from '../schema-inference.js';
import { registerSourceSchemas } from '../schema-registration.js';
import type { Session } from '../session.js';
import { resolveTimestampColumn, timestampColumnName } from '../source-ddl.js';
import { chooseSinkFormats, formattedValueColumns, resolveFormats } from '../source-formats.js';
import { checkSourceUpgrade } from '../source-upgrade.js';
import { WithProperties } from '../with-properties.js';
import { joinSourcesOf, planUpstream, queryCommand, sourceOf } from './persistent-query-plan.js';

export function createAsSelect(stmt: StatementOfKind<'CreateStreamAsSelect'> | StatementOfKind<'CreateTableAsSelect'>, ports: EnginePorts, session: Session): MaybeAsync<KsqlEntity> {
  const kind = stmt.kind === 'CreateStreamAsSelect' ? 'STREAM' : 'TABLE';
  const word = describeSourceKind(kind);
  const commandId = `${word}/\`${stmt.name}\`/create`;
  const existing = ports.catalog.metastore.getSource(stmt.name);
  if (existing !== undefined) {
    if (stmt.ifNotExists) return currentStatus(stmt.text, commandId, alreadyExists(kind, existing), -1);
    if (!stmt.orReplace) throw sourceExistsError(kind, existing, stmt.name);
    if (existing.isSource) throw statementError(`Cannot add ${word} '${stmt.name}': CREATE OR REPLACE is not supported on source ${word}s.`);
  }
  const config = ports.config.withOverrides(session.properties);
  const props = new WithProperties(stmt.properties, 'CREATE_AS');
  const analysis = analyzeQuery(stmt.query, {
    ...analysisContext(ports, stmt.name), sinkTimestampColumn: timestampColumnName(props), newPlanner: config.getBoolean('ksql.new.query.planner.enabled'),
    suppressEnabled: config.getBoolean('ksql.suppress.enabled'),
    sinkFormatNames: (['FORMAT', 'KEY_FORMAT', 'VALUE_FORMAT'] as const).flatMap((p) => props.getString(p) ?? []),
  });
  const from = sourceOf(ports, analysis);
  const produces = analysis.source.kind === 'TABLE' || analysis.aggregation !== undefined ? 'TABLE' : 'STREAM';
  // Beyond ksqlDB: a stream of a table's changes, asked for with an explicit EMIT CHANGES.
  const changelog = kind === 'STREAM' && produces === 'TABLE' && stmt.query.emit === 'CHANGES';
  if (changelog && analysis.aggregation !== undefined) {
    throw statementError('A stream of changes (CREATE STREAM ... AS SELECT ... EMIT CHANGES) reads a table, not an aggregation: '
      + 'create the aggregation as a table first, then the stream from it.');
  }
  // The planner decides the sink topic's config; the topic is created from it once every check passed.
  const topicConfig = sinkTopicConfig({
    kind,
    retentionMs: props.getInteger('RETENTION_MS'),
    sourceRetentionMs: ports.log.topics.describeTopic(from.topic).config['retention.ms'],
    window: stmt.query.window,
  });
  const joined = joinSourcesOf(ports, analysis);
  const kafkaValues = (joined ?? []).filter((s) => s.valueFormat.format === 'KAFKA');
  if (kafkaValues.length > 0) {
    throw statementError(`Source(s) ${kafkaValues.map((s) => s.name).join(', ')} are using the 'KAFKA' value format. This format does not yet support JOIN.`);
  }
  if (analysis.aggregation !== undefined && from.valueFormat.format === 'KAFKA') {
    throw statementError(`Source(s) ${from.name} are using the 'KAFKA' value format. This format does not yet support GROUP BY.`);
  }
  if (analysis.aggregation !== undefined) checkIntermediateTypes(analysis.aggregation, from);
  const topicName = props.getString('KAFKA_TOPIC') ?? `${config.getString('ksql.output.topic.name.prefix') ?? ''}${stmt.name}`;
  const window = analysis.aggregation?.window;
  // Planned before the sink's formats: ksqlDB refuses a join key its repartition cannot hold first.
  const planned = planUpstream(ports, session, analysis, from, stateRetentionOf(props, analysis, from));
  const changes = changelog ? planChangelogStream(planned, analysis.outputSchema) : undefined;
  const upstream = changes ?? planned;
  const schema = changes?.schema ?? analysis.outputSchema;
  const { keyFormat, valueFormat } = withStatementText(stmt, analysis, () => resolveFormats(chooseSinkFormats(props, from, {
    keyColumnCount: schema.key.length,
    partitionByNull: analysis.partitionBy !== undefined && analysis.partitionBy.expressions.length === 0,
  }, config), schema, props, config));
  checkSchemaIdColumns('key', schema.key, keyFormat.format, topicName, props, ports.catalog.schemaRegistry);
  checkSchemaIdColumns('value', formattedValueColumns(schema), valueFormat.format, topicName, props, ports.catalog.schemaRegistry);
  const sink: DataSource = {
    kind,
    name: stmt.name,
    schema,
    topic: topicName,
    keyFormat,
    valueFormat,
    window: window === undefined ? from.window : {
      type: window.type, sizeMs: window.type === 'SESSION' ? undefined : window.sizeMs, ...(window.timeZone === undefined ? {} : { timeZone: window.timeZone }),
    },
    timestampColumn: resolveTimestampColumn(props, schema),
    isSource: false,
    statementText: stmt.text,
    writerQueryId: undefined,
  };
  // ksqlDB checks the result's kind once the query and its sink are planned: their errors come first.
  if (produces !== kind && !changelog) {
    throw statementError(`Invalid result type. Your SELECT query produces a ${produces}. Please use CREATE ${produces} AS SELECT statement instead.`);
  }
  const queryId = (existing === undefined ? undefined : replacedQueryId(ports, config, kind, stmt.name))
    ?? ports.runner.nextQueryId(kind === 'STREAM' ? 'CSAS' : 'CTAS', stmt.name);
  const sinkWithQuery: DataSource = { ...sink, writerQueryId: queryId };
  if (existing !== undefined) checkSourceUpgrade(existing, sinkWithQuery);
  const partitions = props.getInteger('PARTITIONS') ?? config.getInteger('ksql.sink.partitions') ?? ports.log.topics.describeTopic(from.topic).partitions.length;
  const command = queryCommand(ports, stmt.text, queryId, analysis, from, sinkWithQuery, true, session, upstream);
  // Everything is checked before the sink's topic is created, and a replace touches the running query only once it applies.
  ports.log.checkCommand(command);
  if (session.explain !== undefined) return explained(session.explain, command);
  registerSourceSchemas(sinkWithQuery, ports.catalog.schemaRegistry, { key: false, value: false }, true);
  return andThen(ports.log.ensureTopic(topicName, partitions, topicConfig, word, stmt.name), () => andThen(ports.log.commit(command, { checked: true }),
    (seq) => currentStatus(stmt.text, commandId, `Created query with ID ${queryId}`, seq, queryId)));
}

/**
 * The query that CREATE OR REPLACE ... AS SELECT takes the place of, keeping
 * its id (and so its consumer group and state), as ksqlDB picks it: the one
 * query writing the sink; none when nothing writes it.
 */
function replacedQueryId(ports: Pick<EnginePorts, 'runner'>, config: KsqlConfig, kind: SourceKind, name: string): string | undefined {
  const { writers } = ports.runner.queriesUsing(name);
  if (writers.length > 1) {
    throw statementError(`REPLACE for sink ${quoteIdentifier(name)} is not supported because there are multiple queries writing into it: [${writers.join(', ')}]`);
  }
  if (writers.length === 0) return undefined;
  if (!config.getBoolean('ksql.create.or.replace.enabled')) {
    const word = describeSourceKind(kind);
    throw statementError(`Cannot add ${word} '${name}': A ${word} with the same name already exists`);
  }
  return writers[0];
}

/**
 * The aggregate's store holds each call's accumulator in the source's value
 * format, as ksqlDB's does: a format that cannot carry an intermediate type
 * (DELIMITED and AVG's STRUCT, TOPK's ARRAY...) refuses the query.
 */
function checkIntermediateTypes(aggregation: AnalyzedAggregation, from: DataSource): void {
  if (aggregation.calls.length === 0) return;
  const columns = aggregation.calls.map((c) => ({ name: c.name, type: c.intermediateType, namespace: 'VALUE' as const }));
  if (lookupFormat(from.valueFormat.format).checkColumns(columns, 'value') !== undefined) {
    throw statementError('One of the functions used in the statement has an intermediate type that the value format can not handle. '
      + 'Please remove the function or change the format.');
  }
}

/**
 * Beyond ksqlDB: RETENTION on a CREATE TABLE AS aggregation is how long a key
 * may stay idle. Only a non-windowed aggregation of a stream takes it: windows
 * have their own RETENTION, and a table's aggregation must keep every group
 * its rows may later be taken out of.
 */
function stateRetentionOf(props: WithProperties, analysis: AnalyzedQuery, from: DataSource): number | undefined {
  const text = props.getString('RETENTION');
  if (text === undefined) return undefined;
  const refuse = (why: string): never => {
    throw statementError(`RETENTION expires the keys of a CREATE TABLE AS SELECT aggregation over a non-windowed stream: ${why}.`);
  };
  if (analysis.aggregation === undefined) refuse('this query does not aggregate');
  if (analysis.aggregation!.window !== undefined) refuse('a windowed aggregation takes RETENTION inside its WINDOW clause');
  if (analysis.source.kind === 'TABLE') refuse('the aggregation of a table must keep every group, for the rows it will take out');
  if (from.window !== undefined) refuse(`${from.name} is windowed, and its windows expire by their own retention`);
  return parseDurationText(text, 'RETENTION');
}

/** Runs a step of planning a CREATE ... AS SELECT; its errors end with the sanitized statement, as ksqlDB's do. */
function withStatementText<T>(stmt: StatementOfKind<'CreateStreamAsSelect' | 'CreateTableAsSelect'>, analysis: AnalyzedQuery, step: () => T): T {
  try {
    return step();
  } catch (error) {
    const text = error instanceof KsqlError ? sanitizedStatementText(stmt, analysis.projection.map((p) => p.name)) : undefined;
    if (text === undefined) throw error;
    const e = error as KsqlError;
    throw new KsqlError(e.code, `${e.message}\nStatement: ${text}`, { cause: e, ...(e.position ? { position: e.position } : {}) });
  }
}
