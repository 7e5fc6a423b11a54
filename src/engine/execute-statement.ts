/**
 * Executes parsed statements: checks them against the metastore, turns them
 * into commands (committed through the engine) or answers them directly
 * (SHOW, SET, DEFINE, INSERT VALUES), returning ksqlDB's entities.
 */
import { KsqlError, statementError } from '../common/errors.js';
import { analyzeQuery, type AnalysisContext, type AnalyzedQuery, type SourceInfo } from '../analyzer/query-analyzer.js';
import { resolveType } from '../analyzer/bind-expression.js';
import type { AnalyzedAggregation } from '../analyzer/aggregate-analyzer.js';
import { lookupFormat } from '../formats/index.js';
import { parseStatements, substituteVariables } from '../parser/index.js';
import type { Statement, StatementOfKind } from '../parser/ast/statement.js';
import { planChangelogStream } from '../planner/changelog-stream.js';
import { checkJoinPartitions } from '../planner/join-partitions.js';
import { planSink, planStream } from '../planner/plan-query.js';
import { castLiteralsToSink } from './implicit-sink-casts.js';
import { PLAN_VERSION, type ExecutionStep } from '../planner/steps.js';
import { formatLogicalSchema } from '../schema/logical-schema.js';
import { formatSqlType, quoteIdentifier } from '../schema/sql-type.js';
import { normalizePropertyName, parseOverride, type KsqlConfig, type PropertyValue } from './config.js';
import type { Command } from './commands.js';
import { describeSourceKind, type DataSource, type SourceKind, type TimestampColumn } from './data-source.js';
import type { KsqlEngine } from './engine.js';
import { currentStatus, summarizeSource, type KsqlEntity } from './entities.js';
import { describeFunction, listFunctions } from './describe-function.js';
import { describeSource, describeSources } from './describe-source.js';
import { describeQueries, explainQuery } from './explain-query.js';
import { explainStatement } from './explain-statement.js';
import { insertValues } from './insert-values.js';
import { deleteFrom } from './delete-from.js';
import { listTopics } from './list-topics.js';
import { summarizePushQuery, summarizeQuery } from './summarize-query.js';
import { sourceExistsError } from './metastore.js';
import { alterSource, declareSource, resolveTimestampColumn, timestampColumnName } from './source-ddl.js';
import { chooseSinkFormats, formattedValueColumns, resolveFormats } from './source-formats.js';
import { checkSchemaIdColumns } from './schema-inference.js';
import { registerSourceSchemas } from './schema-registration.js';
import { sanitizedStatementText } from './sanitized-statement.js';
import { sinkTopicConfig } from './source-topic-config.js';
import { checkSourceUpgrade } from './source-upgrade.js';
import { WithProperties } from './with-properties.js';
import { parseDurationText } from './duration-text.js';

/** Per-connection (CLI) or per-request (REST) state. */
export interface Session {
  readonly properties: Record<string, PropertyValue>;
  readonly variables: Map<string, string>;
  /** EXPLAIN <statement>: a query's command goes here once checked, instead of being committed. */
  readonly explain?: (command: QueryCommand) => void;
}

export type QueryCommand = Extract<Command, { kind: 'CreateQuery' }>;

/**
 * Runs every statement in order and returns their entities; stops at the first
 * failure. `results` receives each entity as it is made, so a caller that
 * catches the failure still has the entities of the statements before it.
 */
export function executeStatements(engine: KsqlEngine, sql: string, session: Session, results: KsqlEntity[] = []): KsqlEntity[] {
  const config = engine.config.withOverrides(session.properties);
  const text = config.getBoolean('ksql.variable.substitution.enable')
    ? substituteVariables(sql, Object.fromEntries(session.variables))
    : sql;
  for (const statement of parseStatements(text, { limits: engine.config.parseLimits })) {
    results.push(executeStatement(engine, statement, session));
  }
  return results;
}

function executeStatement(engine: KsqlEngine, stmt: Statement, session: Session): KsqlEntity {
  try {
    return dispatch(engine, stmt, session);
  } catch (error) {
    if (error instanceof KsqlError && error.statementText === undefined) {
      throw new KsqlError(error.code, error.message, { statementText: stmt.text, cause: error.cause, ...(error.position ? { position: error.position } : {}) });
    }
    throw error;
  }
}

function dispatch(engine: KsqlEngine, stmt: Statement, session: Session): KsqlEntity {
  switch (stmt.kind) {
    case 'CreateStream':
    case 'CreateTable':
      return createSource(engine, stmt, session);
    case 'CreateStreamAsSelect':
    case 'CreateTableAsSelect':
      return createAsSelect(engine, stmt, session);
    case 'AlterSource': {
      const source = alterSource(stmt, engine.metastore);
      const seq = engine.commit({ kind: 'CreateSource', statement: stmt.text, source });
      const kind = describeSourceKind(source.kind);
      return currentStatus(stmt.text, `${kind}/\`${source.name}\`/alter`, `${kind === 'stream' ? 'Stream' : 'Table'} ${source.name} altered.`, seq);
    }
    case 'InsertInto':
      return insertIntoSelect(engine, stmt, session);
    case 'InsertValues':
      insertValues(engine, stmt);
      return { '@type': 'empty', statementText: stmt.text };
    case 'DeleteFrom':
      deleteFrom(engine, stmt);
      return { '@type': 'empty', statementText: stmt.text };
    case 'DropStream':
    case 'DropTable':
      return dropSource(engine, stmt);
    case 'TerminateQuery':
      return terminate(engine, stmt);
    case 'CreateType':
      return createType(engine, stmt);
    case 'DropType': {
      if (engine.metastore.getType(stmt.name) === undefined) {
        if (stmt.ifExists) return currentStatus(stmt.text, `type/${stmt.name}/drop`, `Type ${stmt.name} does not exist.`, -1);
        throw statementError(`Type ${stmt.name} does not exist.`);
      }
      const seq = engine.commit({ kind: 'DropType', statement: stmt.text, name: stmt.name });
      return currentStatus(stmt.text, `type/${stmt.name}/drop`, `Dropped type '${stmt.name}'`, seq);
    }
    case 'SetProperty': {
      const name = normalizePropertyName(stmt.name);
      session.properties[name] = parseOverride(name, stmt.value);
      return { '@type': 'empty', statementText: stmt.text };
    }
    case 'UnsetProperty':
      delete session.properties[normalizePropertyName(stmt.name)];
      return { '@type': 'empty', statementText: stmt.text };
    case 'DefineVariable':
      session.variables.set(stmt.name.toUpperCase(), stmt.value);
      return { '@type': 'empty', statementText: stmt.text };
    case 'UndefineVariable':
      session.variables.delete(stmt.name.toUpperCase());
      return { '@type': 'empty', statementText: stmt.text };
    case 'ListStreams':
    case 'ListTables': {
      const kind = stmt.kind === 'ListStreams' ? 'STREAM' : 'TABLE';
      const list = engine.metastore.listSources().filter((s) => s.kind === kind).map(summarizeSource);
      return kind === 'STREAM'
        ? { '@type': 'streams', statementText: stmt.text, streams: list, warnings: [] }
        : { '@type': 'tables', statementText: stmt.text, tables: list, warnings: [] };
    }
    case 'ListQueries':
      if (stmt.extended) return describeQueries(engine, stmt.text);
      return {
        '@type': 'queries', statementText: stmt.text, warnings: [],
        queries: [
          ...engine.listQueries().map(summarizeQuery),
          ...engine.listTransientQueries().filter((q) => !q.isScan).map(summarizePushQuery),
        ],
      };
    case 'DescribeSource':
      return describeSource(engine, stmt);
    case 'DescribeSources':
      return describeSources(engine, stmt);
    case 'ListFunctions':
      return listFunctions(engine.functions, stmt);
    case 'DescribeFunction':
      return describeFunction(engine.functions, stmt);
    case 'Explain':
      if (stmt.statement === undefined) return explainQuery(engine, stmt);
      return explainStatement(engine, stmt, stmt.statement, session, analysisContext(engine, undefined), (inner) => plannedCommand(engine, inner, session));
    case 'QueryStatement':
    case 'PrintTopic':
      throw new KsqlError('QUERY_ENDPOINT', "The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT");
    case 'ListTopics':
      return listTopics(engine, stmt);
    case 'ListProperties': {
      const config = engine.config.withOverrides(session.properties);
      return {
        '@type': 'properties', statementText: stmt.text, warnings: [],
        properties: config.entries().map(([name, value]) => ({ name, scope: 'KSQL', value: value === null ? '' : String(value) })),
        overwrittenProperties: Object.keys(session.properties),
        defaultProperties: [],
      };
    }
    case 'ListVariables':
      return {
        '@type': 'variables', statementText: stmt.text, warnings: [],
        variables: [...session.variables].map(([name, value]) => ({ name, value })),
      };
    case 'ListTypes':
      return {
        '@type': 'type_list', statementText: stmt.text, warnings: [],
        types: Object.fromEntries(engine.metastore.listTypes().map(([n, t]) => [n, { type: formatSqlType(t) }])),
      };
    default:
      throw statementError(`${stmt.kind} statements are not supported yet.`);
  }
}

/** The command a CREATE ... AS SELECT or INSERT INTO ... SELECT would commit, every check made and nothing changed (EXPLAIN). */
function plannedCommand(engine: KsqlEngine, stmt: Statement, session: Session): QueryCommand | undefined {
  let planned: QueryCommand | undefined;
  dispatch(engine, stmt, { ...session, explain: (command) => {
    planned = command;
  } });
  return planned;
}

function explained(explain: (command: QueryCommand) => void, command: QueryCommand): KsqlEntity {
  explain(command);
  return { '@type': 'empty', statementText: command.statement };
}

function createSource(engine: KsqlEngine, stmt: StatementOfKind<'CreateStream'> | StatementOfKind<'CreateTable'>, session: Session): KsqlEntity {
  const kind = stmt.kind === 'CreateStream' ? 'STREAM' : 'TABLE';
  const commandId = `${describeSourceKind(kind)}/\`${stmt.name}\`/create`;
  if (stmt.orReplace && stmt.isSource) {
    throw statementError(`Cannot add ${describeSourceKind(kind)} '${stmt.name}': CREATE OR REPLACE is not supported on source ${describeSourceKind(kind)}s.`);
  }
  const existing = engine.metastore.getSource(stmt.name);
  if (stmt.orReplace && (stmt.isSource || existing?.isSource === true)) {
    throw statementError(`Cannot add ${describeSourceKind(kind)} '${stmt.name}': CREATE OR REPLACE is not supported on source ${describeSourceKind(kind)}s.`);
  }
  if (existing !== undefined) {
    if (stmt.ifNotExists) {
      return currentStatus(stmt.text, commandId, `Cannot add ${describeSourceKind(kind)} '${stmt.name}': A ${describeSourceKind(existing.kind)} with the same name already exists`, -1);
    }
    if (!stmt.orReplace) throw sourceExistsError(kind, existing, stmt.name);
  }
  const config = engine.config.withOverrides(session.properties);
  const declared = declareSource(stmt, engine.metastore, config, engine.schemaRegistry);
  const { topic } = declared;
  // A replaced source keeps the query that writes it, if any.
  const source = existing === undefined ? declared.source : { ...declared.source, writerQueryId: existing.writerQueryId };
  if (existing !== undefined) checkSourceUpgrade(existing, source);
  registerSourceSchemas(source, engine.schemaRegistry, declared.inferred);
  engine.ensureTopic(topic.name, topic.partitions, topic.config, describeSourceKind(kind), stmt.name);
  const seq = engine.commit({ kind: 'CreateSource', statement: stmt.text, source });
  return currentStatus(stmt.text, commandId, kind === 'STREAM' ? 'Stream created' : 'Table created', seq);
}

export function analysisContext(engine: KsqlEngine, sinkName: string | undefined): AnalysisContext {
  return {
    lookupSource: (name): SourceInfo | undefined => {
      const s = engine.metastore.getSource(name);
      return s && { name: s.name, kind: s.kind, schema: s.schema, windowed: s.window !== undefined, windowType: s.window?.type, windowSizeMs: s.window?.sizeMs };
    },
    lookupType: (n) => engine.metastore.getType(n),
    functions: engine.functions,
    sinkName,
  };
}

function createAsSelect(engine: KsqlEngine, stmt: StatementOfKind<'CreateStreamAsSelect'> | StatementOfKind<'CreateTableAsSelect'>, session: Session): KsqlEntity {
  const kind = stmt.kind === 'CreateStreamAsSelect' ? 'STREAM' : 'TABLE';
  const word = describeSourceKind(kind);
  const commandId = `${word}/\`${stmt.name}\`/create`;
  const existing = engine.metastore.getSource(stmt.name);
  if (existing !== undefined) {
    if (stmt.ifNotExists) return currentStatus(stmt.text, commandId, `Cannot add ${word} '${stmt.name}': A ${describeSourceKind(existing.kind)} with the same name already exists`, -1);
    if (!stmt.orReplace) throw sourceExistsError(kind, existing, stmt.name);
    if (existing.isSource) throw statementError(`Cannot add ${word} '${stmt.name}': CREATE OR REPLACE is not supported on source ${word}s.`);
  }
  const config = engine.config.withOverrides(session.properties);
  const props = new WithProperties(stmt.properties, 'CREATE_AS');
  const analysis = analyzeQuery(stmt.query, {
    ...analysisContext(engine, stmt.name), sinkTimestampColumn: timestampColumnName(props), newPlanner: config.getBoolean('ksql.new.query.planner.enabled'),
  });
  const from = sourceOf(engine, analysis);
  const produces = analysis.source.kind === 'TABLE' || analysis.aggregation !== undefined ? 'TABLE' : 'STREAM';
  // Beyond ksqlDB: a stream of a table's changes, asked for with an explicit EMIT CHANGES.
  const changelog = kind === 'STREAM' && produces === 'TABLE' && stmt.query.emit === 'CHANGES';
  if (changelog && analysis.aggregation !== undefined) {
    throw statementError('A stream of changes (CREATE STREAM ... AS SELECT ... EMIT CHANGES) reads a table, not an aggregation: '
      + 'create the aggregation as a table first, then the stream from it.');
  }
  if (produces !== kind && !changelog) {
    throw statementError(`Invalid result type. Your SELECT query produces a ${produces}. Please use CREATE ${produces} AS SELECT statement instead.`);
  }
  const topicConfig = sinkTopicConfig({
    kind,
    retentionMs: props.getInteger('RETENTION_MS'),
    sourceRetentionMs: engine.broker.describeTopic(from.topic).config['retention.ms'],
    window: stmt.query.window,
  });
  const joined = joinSourcesOf(engine, analysis);
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
  const planned = planUpstream(engine, session, analysis, from, stateRetentionOf(props, analysis, from));
  const changes = changelog ? planChangelogStream(planned, analysis.outputSchema) : undefined;
  const upstream = changes ?? planned;
  const schema = changes?.schema ?? analysis.outputSchema;
  const { keyFormat, valueFormat } = withStatementText(stmt, analysis, () => resolveFormats(chooseSinkFormats(props, from, {
    keyColumnCount: schema.key.length,
    partitionByNull: analysis.partitionBy !== undefined && analysis.partitionBy.expressions.length === 0,
  }, config), schema, props, config));
  checkSchemaIdColumns('key', schema.key, keyFormat.format, props, engine.schemaRegistry);
  checkSchemaIdColumns('value', formattedValueColumns(schema), valueFormat.format, props, engine.schemaRegistry);
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
  const queryId = (existing === undefined ? undefined : replacedQueryId(engine, config, kind, stmt.name))
    ?? engine.nextQueryId(kind === 'STREAM' ? 'CSAS' : 'CTAS', stmt.name);
  const sinkWithQuery: DataSource = { ...sink, writerQueryId: queryId };
  if (existing !== undefined) checkSourceUpgrade(existing, sinkWithQuery);
  const partitions = props.getInteger('PARTITIONS') ?? config.getInteger('ksql.sink.partitions') ?? engine.broker.describeTopic(from.topic).partitions.length;
  const command = queryCommand(engine, stmt.text, queryId, analysis, from, sinkWithQuery, true, session, upstream);
  // Everything is checked before the sink's topic is created, and a replace touches the running query only once it applies.
  engine.checkCommand(command);
  if (session.explain !== undefined) return explained(session.explain, command);
  registerSourceSchemas(sinkWithQuery, engine.schemaRegistry, { key: false, value: false });
  engine.ensureTopic(topicName, partitions, topicConfig, word, stmt.name);
  const seq = engine.commit(command, { checked: true });
  return currentStatus(stmt.text, commandId, `Created query with ID ${queryId}`, seq, queryId);
}

/**
 * The query that CREATE OR REPLACE ... AS SELECT takes the place of, keeping
 * its id (and so its consumer group and state), as ksqlDB picks it: the one
 * query writing the sink; none when nothing writes it.
 */
function replacedQueryId(engine: KsqlEngine, config: KsqlConfig, kind: SourceKind, name: string): string | undefined {
  const { writers } = engine.queriesUsing(name);
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

/** The source a query reads: for a join, its left source (whose formats and partitions the result takes). */
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

export function sourceOf(engine: KsqlEngine, analysis: AnalyzedQuery): DataSource {
  const { join } = analysis.source;
  if (join === undefined) return engine.requireSource(analysis.source.name);
  const sources = joinSourcesOf(engine, analysis)!;
  checkJoinPartitions(join, sources, (s) => engine.broker.describeTopic(s.topic).partitions.length);
  return sources[0]!;
}

/** Every source a join reads, in written order. */
export function joinSourcesOf(engine: KsqlEngine, analysis: AnalyzedQuery): DataSource[] | undefined {
  const { join } = analysis.source;
  return join === undefined ? undefined : join.sources.map((s) => engine.requireSource(s.source.name));
}

/** The command that starts a persistent query writing `sink` (and declares it, for CREATE ... AS). */
function planUpstream(engine: KsqlEngine, session: Session, analysis: AnalyzedQuery, from: DataSource, stateRetentionMs?: number): ExecutionStep {
  const defaultKeyFormat = engine.config.withOverrides(session.properties).getString('ksql.persistence.default.format.key') ?? 'KAFKA';
  return planStream(analysis, from, joinSourcesOf(engine, analysis), defaultKeyFormat, stateRetentionMs === undefined ? {} : { stateRetentionMs });
}

function queryCommand(
  engine: KsqlEngine, statement: string, queryId: string, analysis: AnalyzedQuery, from: DataSource, sink: DataSource, declaresSink: boolean, session: Session,
  upstream: ExecutionStep,
): QueryCommand {
  const joined = joinSourcesOf(engine, analysis);
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

function insertIntoSelect(engine: KsqlEngine, stmt: StatementOfKind<'InsertInto'>, session: Session): KsqlEntity {
  const target = engine.metastore.getSource(stmt.target);
  if (!target) {
    const { line, column } = stmt.targetLocation;
    throw statementError(`Line: ${line}, Col: ${column}: Source ${quoteIdentifier(stmt.target)} does not exist.`, { position: stmt.targetLocation });
  }
  if (target.kind !== 'STREAM') throw statementError(`INSERT INTO can only be used to insert into a stream. ${target.name} is a table.`);
  if (target.isSource) throw statementError(`Cannot insert into read-only stream: ${target.name}`);
  if (target.schema.value.some((c) => c.namespace === 'HEADERS')) throw statementError(`Cannot insert into ${target.name} because it has header columns`);
  const newPlanner = engine.config.withOverrides(session.properties).getBoolean('ksql.new.query.planner.enabled');
  const analysis = castLiteralsToSink(analyzeQuery(stmt.query, { ...analysisContext(engine, target.name), newPlanner }), target.schema);
  const from = sourceOf(engine, analysis);
  const result = formatLogicalSchema(analysis.outputSchema);
  const expected = formatLogicalSchema(target.schema);
  if (result !== expected) {
    throw statementError(`Incompatible schema between results and sink.\nResult schema is ${result}\nSink schema is ${expected}`);
  }
  const props = new WithProperties(stmt.properties);
  const queryId = props.getString('QUERY_ID')?.toUpperCase() ?? engine.nextQueryId('INSERTQUERY', undefined);
  if (engine.getQuery(queryId)) throw statementError(`Query ID '${queryId}' already exists.`);
  const command = queryCommand(engine, stmt.text, queryId, analysis, from, target, false, session, planUpstream(engine, session, analysis, from));
  if (session.explain !== undefined) {
    engine.checkCommand(command);
    return explained(session.explain, command);
  }
  const seq = engine.commit(command);
  return currentStatus(stmt.text, `stream/\`${target.name}\`/create`, `Created query with ID ${queryId}`, seq, queryId);
}

function dropSource(engine: KsqlEngine, stmt: StatementOfKind<'DropStream'> | StatementOfKind<'DropTable'>): KsqlEntity {
  const kind = stmt.kind === 'DropStream' ? 'STREAM' : 'TABLE';
  const word = kind === 'STREAM' ? 'Stream' : 'Table';
  const commandId = `${describeSourceKind(kind)}/\`${stmt.name}\`/drop`;
  const source = engine.metastore.getSource(stmt.name);
  if (!source) {
    if (stmt.ifExists) return currentStatus(stmt.text, commandId, `${word} ${stmt.name} does not exist.`, -1);
    throw statementError(`${word} ${stmt.name} does not exist.`);
  }
  if (source.kind !== kind) {
    throw statementError(`Incompatible data source type is ${source.kind}, but statement was DROP ${kind}`);
  }
  if (stmt.deleteTopic && source.isSource) throw statementError(`Cannot delete topic for read-only source: ${source.name}`);
  const { readers, writers } = engine.queriesUsing(source.name);
  const blocking = writers.filter((w) => w !== source.writerQueryId);
  if (readers.length > 0 || blocking.length > 0) {
    throw statementError(
      `Cannot drop ${source.name}.\nThe following queries read from this source: [${readers.join(', ')}].\n` +
      `The following queries write into this source: [${blocking.join(', ')}].\nYou need to terminate them before dropping ${source.name}.`,
    );
  }
  const seq = engine.commit({ kind: 'DropSource', statement: stmt.text, name: source.name, deleteTopic: stmt.deleteTopic });
  return currentStatus(stmt.text, commandId, `Source \`${source.name}\` (topic: ${source.topic}) was dropped.`, seq);
}

function terminate(engine: KsqlEngine, stmt: StatementOfKind<'TerminateQuery'>): KsqlEntity {
  // A push query's id (transient_...) ends that query; nothing is logged, as it never was.
  const transient = stmt.queryId === undefined ? undefined
    : engine.listTransientQueries().find((q) => q.id.toUpperCase() === stmt.queryId!.toUpperCase());
  if (transient !== undefined) {
    transient.close();
    return currentStatus(stmt.text, `terminate/${transient.id}/execute`, 'Query terminated.', -1);
  }
  const ids = stmt.queryId === undefined ? engine.listQueries().map((q) => q.id) : [stmt.queryId.toUpperCase()];
  let seq = -1;
  for (const id of ids) {
    if (!engine.getQuery(id)) throw statementError(`Unknown queryId: ${id}`);
    seq = engine.commit({ kind: 'TerminateQuery', statement: stmt.text, queryId: id });
  }
  return currentStatus(stmt.text, `terminate/${stmt.queryId ?? 'ALL'}/execute`, 'Query terminated.', seq);
}

function createType(engine: KsqlEngine, stmt: StatementOfKind<'CreateType'>): KsqlEntity {
  const commandId = `type/${stmt.name}/create`;
  const existing = engine.metastore.getType(stmt.name);
  if (existing !== undefined) {
    const message = `Cannot register custom type '${stmt.name}' since it is already registered with type: ${formatSqlType(existing)}`;
    if (stmt.ifNotExists) return currentStatus(stmt.text, commandId, message, -1);
    throw statementError(message);
  }
  const type = resolveType(stmt.type, (n) => engine.metastore.getType(n));
  const seq = engine.commit({ kind: 'CreateType', statement: stmt.text, name: stmt.name, type });
  return currentStatus(stmt.text, commandId, `Registered custom type with name '${stmt.name}' and SQL type ${formatSqlType(type)}`, seq);
}
