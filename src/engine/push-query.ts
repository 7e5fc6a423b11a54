/**
 * Queries sent to the query endpoints: a push query on a stream (`EMIT
 * CHANGES`) becomes a transient query from the earliest or latest offsets
 * (per `auto.offset.reset`, default latest); a pull query on a stream is a
 * bounded scan of its partitions up to their ends when it starts. Both are
 * planned as the engine plans a CREATE STREAM AS SELECT, without a sink, and
 * delivered as rows of their columns in SELECT order.
 */
import { analyzeQuery, type AnalyzedQuery } from '../analyzer/query-analyzer.js';
import { KsqlError, statementError } from '../common/errors.js';
import { isPromise, type MaybeAsync } from '../common/maybe-async.js';
import type { Row } from '../expr/row.js';
import { checkLength, parseStatements } from '../parser/index.js';
import { withVariables } from './session.js';
import type { StatementParser } from '../parser/parse-pool.js';
import type { Query } from '../parser/ast/query.js';
import type { Statement } from '../parser/ast/statement.js';
import { planStream } from '../planner/plan-query.js';
import { buildRowProcessor } from '../runtime/build-topology.js';
import { toProducerRecord, type ProcessingLogEntry } from '../runtime/processing-log.js';
import { TaskState } from '../runtime/task-state.js';
import type { RecordProcessor, TaskOutput } from '../runtime/task.js';
import type { ProducerRecord } from '../broker/broker.js';
import { scanEndOf, startOffsetOf } from './start-offset.js';
import { TransientQuery, type TransientEnd } from '../runtime/transient-query.js';
import { BOOLEAN, quoteIdentifier, type SqlType } from '../schema/sql-type.js';
import type { PropertyValue } from './config.js';
import type { DataSource } from '../catalog/data-source.js';
import type { EnginePorts } from './engine-ports.js';
import { pullQueryCache, type CacheLookup } from './pull-query-cache.js';
import { checkPushOrder, fetchLimit, orderedSink, resolvePullOrder } from './pull-order.js';
import { prepareTablePull, tablePullProgram, tablePullShape, type TablePullShape } from './pull-query.js';
import { analysisContext } from './catalog-analysis-context.js';
import { CONTINUATION_TOKEN_PROPERTY, CONTINUATION_TOKENS_ENABLED_PROPERTY, ContinuationTracker, readContinuationToken } from './continuation-token.js';

import type { PreparedQuery, QueryRequest, RunningQuery } from './prepared-query.js';
import type { ResultColumn, RowSink } from './result-rows.js';
import { prepareJoinPush } from './push-join-query.js';
import { transientQueryPrefix } from './transient-application-id.js';
import { sharedProcessor, sharedValuesOf, sharesOutcomes } from './shared-push-outcomes.js';


/**
 * Parses, checks and plans one query; throws ksqlDB's error for anything else.
 * Pull queries on tables whose shape was seen before skip the parse and the
 * analysis (see pull-query-cache.ts).
 */
export function prepareQuery(ports: EnginePorts, request: QueryRequest): PreparedQuery {
  const { text, cached } = lookUpQuery(ports, request);
  return cached.prepared ?? prepareStatements(ports, parseStatements(text, { limits: ports.config.parseLimits }), request, cached);
}

/**
 * prepareQuery with the parse left to `parser` (the server's takes long
 * texts off the event loop); a pull query of a cached shape is prepared at
 * once, without a promise. Throws what the text's checks find before the parse.
 */
export function prepareQueryWith(ports: EnginePorts, request: QueryRequest, parser: StatementParser): MaybeAsync<PreparedQuery> {
  const { text, cached } = lookUpQuery(ports, request);
  return cached.prepared ?? parser.parse(text, { limits: ports.config.parseLimits }).then((statements) => prepareStatements(ports, statements, request, cached));
}

function lookUpQuery(ports: EnginePorts, request: QueryRequest): { text: string; cached: CacheLookup } {
  const text = withVariables(request.sql, request.variables, ports.config.withOverrides(request.properties));
  // Before the cache, which reads the text's tokens.
  checkLength(text, ports.config.parseLimits);
  return { text, cached: pullQueryCache(ports).lookUp(text, request.properties) };
}

function prepareStatements(ports: EnginePorts, statements: readonly Statement[], request: QueryRequest, cached: CacheLookup): PreparedQuery {
  if (statements.length !== 1) {
    throw new KsqlError('BAD_STATEMENT', `Expected exactly one statement, got ${statements.length}.`);
  }
  const stmt = statements[0]!;
  try {
    return prepareStatement(ports, stmt, request.properties, cached.remember);
  } catch (error) {
    if (error instanceof KsqlError && error.statementText === undefined) {
      throw new KsqlError(error.code, error.message, { statementText: stmt.text, cause: error.cause });
    }
    throw error;
  }
}

function prepareStatement(ports: EnginePorts, stmt: Statement, properties: Record<string, PropertyValue>,
  onTablePull?: (shape: TablePullShape, analysis: AnalyzedQuery) => void): PreparedQuery {
  if (stmt.kind !== 'QueryStatement') {
    throw statementError(`The statement is not a query: only SELECT statements can be sent to this endpoint (got ${describeKind(stmt.kind)}).`);
  }
  const { query } = stmt;
  const isPull = query.emit === undefined;
  if (query.emit === 'FINAL') throw statementError('EMIT FINAL is only supported for windowed aggregations.');
  if (isPull) checkPullClauses(query);
  const analysis = analyzeQuery(query, analysisContext(ports, undefined));
  if (analysis.source.join !== undefined) {
    // A join needs stores and internal topics: it runs a whole topology (push-join-query.ts).
    checkPushOrder(analysis);
    checkPushQueryLimit(ports);
    const select = selectionIndexes(analysis);
    const columns = resultColumns(analysis, analysis.outputSchema.key.map((c) => c.type));
    return prepareJoinPush(ports, { analysis, statementText: stmt.text, properties, columns, select });
  }
  const source = ports.catalog.metastore.requireSource(analysis.source.name);
  if (!isPull) {
    checkPushOrder(analysis);
    checkPushQueryLimit(ports);
  }
  const columns = resultColumns(analysis, source.schema.key.map((c) => c.type));
  const select = selectionIndexes(analysis);
  if (isPull && source.kind === 'TABLE') {
    const shape = tablePullShape(ports, analysis, source, columns, select, properties);
    const prepared = prepareTablePull(ports, tablePullProgram(ports, shape, analysis, false), analysis, stmt.text);
    onTablePull?.(shape, analysis);
    return prepared;
  }
  // A push query on a table streams the table's changes as they are appended to its topic.
  const changes = !isPull && source.kind === 'TABLE' && analysis.aggregation === undefined ? tableChanges(analysis) : undefined;
  const step = planStream(changes?.analysis ?? analysis, source.kind === 'TABLE' ? { ...source, kind: 'STREAM' } : source);
  if (!isPull && analysis.aggregation !== undefined) {
    // An aggregation keeps its state in stores (and a GROUP BY that re-keys its input needs a repartition topic): it runs a whole topology, as a join does.
    return prepareJoinPush(ports, { analysis, statementText: stmt.text, properties, columns, select });
  }
  // A tombstone keeps its key, window bounds included.
  const keyPositions = analysis.projection.map((p) => p.keyIndex >= 0 || (source.window !== undefined && (p.name === 'WINDOWSTART' || p.name === 'WINDOWEND')));
  const config = ports.config.withOverrides(properties);
  const reset = String(config.get('auto.offset.reset') ?? 'latest');
  const order = isPull ? resolvePullOrder(analysis, columns) : undefined;
  const { topics, taskLog } = ports.log;
  const partitionIds = topics.describeTopic(source.topic).partitions.map((p) => p.partition);
  const token = properties[CONTINUATION_TOKEN_PROPERTY];
  if (token !== undefined && isPull) throw statementError('A continuation token resumes a push query (EMIT CHANGES), not a pull query.');
  const resumeAt = token === undefined ? undefined : readContinuationToken(String(token), source.topic, partitionIds);
  const startOffsets = new Map(partitionIds.map((p): [number, MaybeAsync<number>] => [p, resumeAt?.get(p)
    ?? startOffsetOf(ports.log, isPull || reset === 'earliest', source.topic, p)]));
  const tracker = isPull ? undefined : new ContinuationTracker(source.topic);
  for (const [p, start] of startOffsets) {
    // A start a remote log tells later is tracked once known (no row of the partition comes before); its failure ends the query as it starts.
    if (!isPromise(start)) tracker?.started(p, start);
    else start.then((offset) => tracker?.started(p, offset), () => undefined);
  }
  const id = ports.runner.nextTransientQueryId(source.name, isPull);
  const selectValues = (row: Row): unknown[] => select.map((i) => row.values[i] ?? null);
  // Push queries of one shape on a stream process each record once between them (shared-push-outcomes.ts).
  const shape = isPull || changes !== undefined || source.kind !== 'STREAM' || !sharesOutcomes(analysis, ports.catalog.functions)
    ? undefined
    : `${ports.catalog.metastore.version}:${ports.catalog.functions.version}\u0000${JSON.stringify(properties)}\u0000${stmt.text}`;
  return {
    id,
    isPull,
    sourceName: source.name,
    columns,
    statementText: stmt.text,
    ...(tracker === undefined ? {} : { continuation: { tracker, linesWanted: String(config.get(CONTINUATION_TOKENS_ENABLED_PROPERTY)) === 'true' } }),
    start(client) {
      const sink = order === undefined ? client : orderedSink(client, order);
      const partitions = topics.describeTopic(source.topic).partitions;
      const ctx = ports.runner.topologyContext(id, transientQueryPrefix(ports, id), config);
      // Stream steps keep no state: the task state stays empty.
      const buildProcessor = (output: TaskOutput, onRow: (row: Row) => void): RecordProcessor =>
        buildRowProcessor(step, ctx, { output, state: new TaskState(ports.runner.stores, id, -1) }, onRow);
      const transient = new TransientQuery({
        id,
        statementText: stmt.text,
        sourceName: source.name,
        columns,
        log: taskLog,
        topic: source.topic,
        partitions: partitions.length,
        startOffset: (p) => startOffsets.get(p)!,
        endOffsets: isPull ? partitions.map((p) => scanEndOf(ports.log, source.topic, p.partition)) : undefined,
        limit: isPull ? fetchLimit(analysis) : analysis.limit,
        processingLogTopic: ports.config.processingLogTopic,
        buildProcessor: shape === undefined ? buildProcessor : sharedProcessor(ports, shape, selectValues, buildProcessor),
        onRow: (row: Row) => {
          tracker?.delivered(row.partition, row.offset);
          const values = sharedValuesOf(row) ?? selectValues(row);
          if (changes === undefined) sink.row(values);
          else if (changes.isDeletion(row)) sink.row(values.map((v, i) => (keyPositions[i] ? v : null)), true);
          else sink.row(values);
        },
        onEnd: (end) => {
          ports.runner.forgetTransientQuery(id);
          sink.end(end);
        },
      });
      ports.runner.registerTransientQuery(transient);
      transient.start(ports.runner.scheduler);
      return transient;
    },
  };
}

/**
 * A push query on a table sees the table's changelog, as ksqlDB's transient
 * queries do through Kafka Streams' table filter (which keeps no old values):
 * a deletion (a record with a NULL value), and any change that does not pass
 * the WHERE clause, reach the client as a tombstone of its key. The WHERE
 * clause is therefore evaluated as one more selected column instead of
 * dropping rows.
 */
function tableChanges(analysis: AnalyzedQuery): { analysis: AnalyzedQuery; isDeletion: (row: Row) => boolean } {
  const keyCount = analysis.outputSchema.key.length;
  if (analysis.where === undefined) return { analysis, isDeletion: (row) => row.nullValue };
  const passes = keyCount + analysis.values.length;
  return {
    analysis: { ...analysis, where: undefined, values: [...analysis.values, { name: 'KSQL_PUSH_WHERE', expression: analysis.where, type: BOOLEAN }] },
    isDeletion: (row) => row.nullValue || row.values[passes] !== true,
  };
}

/** ksql.max.push.queries bounds the push queries running at once (server-wide, not per request). */
function checkPushQueryLimit(ports: Pick<EnginePorts, 'runner' | 'config'>): void {
  const limit = ports.config.getInteger('ksql.max.push.queries') ?? 100;
  const running = ports.runner.listTransientQueries().filter((q) => !q.isScan).length;
  if (running >= limit) {
    throw new KsqlError('MAX_PUSH_QUERIES',
      `Not executing the query: the server already runs its limit of ${limit} push queries (ksql.max.push.queries). Close one and try again.`);
  }
}

/** Pull queries do not support JOIN, PARTITION BY, GROUP BY or WINDOW clauses. */
function checkPullClauses(query: Query): void {
  const unsupported = query.from.kind === 'Join' ? 'JOIN'
    : query.partitionBy !== undefined ? 'PARTITION BY'
      : query.groupBy !== undefined ? 'GROUP BY'
        : query.window !== undefined ? 'WINDOW'
          : undefined;
  if (unsupported !== undefined) {
    throw statementError(`Pull queries don't support ${unsupported} clauses. See https://cnfl.io/queries for more info.\nAdd EMIT CHANGES if you intended to issue a push query.`);
  }
}

/**
 * Column names and types in SELECT order. Key columns are the result's key:
 * PARTITION BY's or GROUP BY's (an aggregate's key is not the source's), else
 * the source's.
 */
function resultColumns(analysis: AnalyzedQuery, keyTypes: readonly SqlType[]): ResultColumn[] {
  let value = 0;
  const keyType = (i: number): SqlType => analysis.partitionBy?.schema.key[i]?.type ?? analysis.outputSchema.key[i]?.type ?? keyTypes[i]!;
  return analysis.projection.map((p) => (p.keyIndex >= 0
    ? { name: p.name, type: keyType(p.keyIndex) }
    : { name: p.name, type: analysis.values[value++]!.type }));
}

/** Where each result column sits in the rows the plan produces: [key columns..., value columns...]. */
function selectionIndexes(analysis: AnalyzedQuery): number[] {
  const keyCount = analysis.outputSchema.key.length;
  let value = 0;
  return analysis.projection.map((p) => (p.keyIndex >= 0 ? p.keyIndex : keyCount + value++));
}

function describeKind(kind: string): string {
  return kind.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}
