/**
 * Pull queries on tables: the table's current rows, read from the
 * materialization of the persistent query that writes it (or, for a source
 * table, from a scan of its topic), without starting a query. The WHERE
 * clause and the projection run through the same operators as a push query;
 * a WHERE that fixes every key column to literals (`K = x`, `K IN (...)`)
 * becomes key lookups, anything else a table scan (ksqlDB's
 * `ksql.query.pull.table.scan.enabled`, true by default). A key lookup reads
 * the key's partition by Kafka's default partitioner, as ksqlDB does, and
 * only when the key is not there the other partitions, where a producer
 * with another partitioner (librdkafka's is crc32-based) may have put it.
 */
import type { AnalyzedQuery } from '../analyzer/query-analyzer.js';
import { scopeOf } from '../analyzer/source-scope.js';
import { formatExpressionText } from '../analyzer/expression-text.js';
import { bindExpression, coerceTo, type BindScope } from '../analyzer/bind-expression.js';
import { statementError } from '../common/errors.js';
import { evaluateConstant } from '../expr/compile-expression.js';
import type { Row } from '../expr/row.js';
import type { Expression } from '../parser/ast/expression.js';
import { conjuncts } from '../parser/ast/traverse.js';
import type { ExecutionStep, StreamSink, StreamSource } from '../planner/steps.js';
import type { RowSink } from '../runtime/row-sink.js';
import { aggregateStoreReader, buildRowChain, type TopologyContext } from '../runtime/build-topology.js';
import { AGGREGATE_STORE_NAME } from '../runtime/aggregate-operator.js';
import { MATERIALIZED_STORE_NAME } from '../runtime/table-materializer.js';
import { openMaterializedTable, type MaterializedTable, type WindowStarts } from '../runtime/materialized-table.js';
import { TaskState } from '../runtime/task-state.js';
import type { TaskOutput } from '../runtime/task.js';
import { scanTopicTable } from '../runtime/topic-table-scan.js';
import type { Column } from '../schema/logical-schema.js';
import { quoteIdentifier } from '../schema/sql-type.js';
import type { ProducerRecord } from '../broker/broker.js';
import { isPromise, type MaybeAsync } from '../common/maybe-async.js';
import { scanEndOf } from './start-offset.js';
import { invalidWhereMessage, scanRefusalReason, windowBoundsRefusal } from './pull-where-refusal.js';
import { planStream } from '../planner/plan-query.js';
import { toProducerRecord, type ProcessingLogEntry } from '../runtime/processing-log.js';
import type { TransientEnd } from '../runtime/transient-query.js';
import type { KsqlConfig, PropertyValue } from './config.js';
import type { DataSource } from '../catalog/data-source.js';
import type { Catalog, EnginePorts } from './engine-ports.js';
import { fetchLimit, limitedSink, orderedSink, resolvePullOrder, type PullOrder } from './pull-order.js';
import { keyLocator, partitionsOfKeys, type KeyLocator } from './pull-partitions.js';
import { transientQueryPrefix } from './transient-application-id.js';
import type { PreparedQuery, RunningQuery } from './prepared-query.js';
import type { ResultColumn, RowSink as ResultSink } from './result-rows.js';

/** Where a pull query's rows come from, and how to run its operators over them. */
export interface TablePullPlan {
  readonly source: DataSource;
  readonly step: ExecutionStep;
  /** How many rows the query reads at most (its LIMIT and OFFSET; none with an ORDER BY). */
  readonly limit: number | undefined;
  /** Key values to look up, or undefined for a scan. */
  readonly lookups: readonly (readonly unknown[])[] | undefined;
  /** Where the keys of a table a query materializes live; without it a lookup reads every partition. */
  readonly locator?: KeyLocator | undefined;
  /** The window starts a windowed table's key lookups read (all when undefined): the WHERE clause still filters them. */
  readonly starts?: WindowStarts | undefined;
}

/** Plans a pull query on a table; throws ksqlDB's error when the table cannot answer one. */
export function planTablePull(ports: Pick<EnginePorts, 'catalog' | 'runner'>, analysis: AnalyzedQuery, source: DataSource, step: ExecutionStep, scansEnabled: boolean,
  keys?: KeysOfQuery, locator?: KeyLocator): TablePullPlan {
  // Only a SOURCE table or one a running query writes (not a terminated CTAS's) has a materialization.
  if (!source.isSource && (source.writerQueryId === undefined || ports.runner.getQuery(source.writerQueryId) === undefined)) {
    throw statementError(
      `The ${quoteIdentifier(source.name)} table isn't queryable. To derive a queryable table, you can do ` +
      `'CREATE TABLE QUERYABLE_${source.name} AS SELECT * FROM ${source.name}'. See https://cnfl.io/queries for more info.\n` +
      'Add EMIT CHANGES if you intended to issue a push query.',
    );
  }
  const lookups = keys === undefined ? keyLookupsOf(ports, analysis, source) : keys.lookups;
  const windowed = source.window !== undefined;
  if (lookups === undefined && !scansEnabled) {
    const reason = scanRefusalReason(analysis.where, source.schema.key, windowed) ?? `WHERE clause missing key column for disjunct: ${formatExpressionText(analysis.where!)}`;
    throw statementError(invalidWhereMessage(reason, windowed));
  }
  const boundsRefusal = windowed && analysis.where !== undefined ? windowBoundsRefusal(analysis.where, lookups !== undefined) : undefined;
  if (boundsRefusal !== undefined) throw statementError(invalidWhereMessage(boundsRefusal, true));
  if (lookups === undefined && source.window?.type === 'SESSION') {
    throw statementError(`Session-windowed tables can't be table-scanned: query ${quoteIdentifier(source.name)} by its key columns (WHERE <key-column> = <value>).\n` +
      'Add EMIT CHANGES if you intended to issue a push query.');
  }
  return { source, step, limit: fetchLimit(analysis), lookups, starts: keys?.starts, locator };
}

/** A query's key lookups found without its WHERE clause (a cached shape's, pull-query-cache.ts); undefined lookups: a scan. */
export interface KeysOfQuery {
  readonly lookups: unknown[][] | undefined;
  /** The window starts its window bounds allow (see windowStartsOf). */
  readonly starts?: WindowStarts;
}

/** The keys a pull query's WHERE restricts it to (key lookups), or undefined for a scan. */
export function keyLookupsOf(ports: Pick<EnginePorts, 'catalog'>, analysis: AnalyzedQuery, source: DataSource): unknown[][] | undefined {
  return analysis.where === undefined ? undefined : keyLookups(analysis.where, source.schema.key, ports);
}

/**
 * Runs a planned pull query: every result row to `onRow` (until `limit`);
 * `keep` drops rows before the operators. A table a query materializes
 * answers synchronously; a source table's scan of its topic up to `ends`
 * (scanEnds) answers when the log has answered its fetches.
 */
export function runTablePull(ports: Pick<EnginePorts, 'log' | 'runner'>, plan: TablePullPlan, operators: TablePullOperators, id: string, output: TaskOutput,
  onRow: (row: Row) => void, keep?: (row: Row) => boolean, partitions?: ReadonlySet<number>, ends?: ScanEnds): MaybeAsync<void> {
  const { source, lookups } = plan;
  const limit = plan.limit ?? Number.POSITIVE_INFINITY;
  let count = 0;
  const done = (): boolean => count >= limit;
  const deliver = (row: Row): void => {
    if (done() || row.nullValue) return;
    count++;
    onRow(row);
  };
  const { entry, ctx, storeName } = operators(id, output, deliver);
  if (limit <= 0) return undefined;
  if (source.writerQueryId === undefined) {
    const scanned = scanTopicTable(ports.log.taskLog, ends ?? scanEnds(ports, source), rootOf(plan.step), ctx, output);
    const feed = (rows: readonly Row[], into: RowSink): void => {
      for (const row of rows) {
        if (lookups !== undefined && !lookups.some((k) => keyEquals(row, k))) continue;
        if (keep !== undefined && !keep(row)) continue;
        into(row, null);
        if (done()) return;
      }
    };
    if (!isPromise(scanned)) return feed(scanned, entry);
    // Shared operators may have served another pull query meanwhile: they are taken again for this one.
    return scanned.then((rows) => feed(rows, operators(id, output, deliver).entry));
  }
  const table = materializationOf(ports, source.writerQueryId, source.window !== undefined, storeName);
  if (lookups !== undefined) {
    for (const key of lookups) {
      for (const row of rowsOfKey(table, key, plan.locator, partitions, plan.starts)) {
        if (partitions !== undefined && !partitions.has(row.partition)) continue;
        if (keep !== undefined && !keep(row)) continue;
        entry(row, null);
        if (done()) return;
      }
    }
    return;
  }
  for (const row of table.scan(partitions)) {
    if (keep !== undefined && !keep(row)) continue;
    entry(row, null);
    if (done()) return;
  }
}

/** The tables pull queries read, per running query that writes them: a table remembers its stores' ids, which last as long as that query runs. */
const tablesOfQuery = new WeakMap<object, Map<string, MaterializedTable>>();

function materializationOf(ports: Pick<EnginePorts, 'runner'>, queryId: string, windowed: boolean, storeName: string): MaterializedTable {
  const open = (): MaterializedTable => openMaterializedTable(ports.runner.stores.database, queryId, windowed, storeName);
  const query = ports.runner.getQuery(queryId);
  if (query === undefined) return open();
  let tables = tablesOfQuery.get(query);
  if (tables === undefined) tablesOfQuery.set(query, tables = new Map());
  const key = `${windowed}:${storeName}`;
  let table = tables.get(key);
  if (table === undefined) tables.set(key, table = open());
  return table;
}

/** A key's rows: those in its partition, or when it has none there, those in the other partitions (see the file comment). */
function rowsOfKey(table: MaterializedTable, key: readonly unknown[], locator: KeyLocator | undefined, partitions: ReadonlySet<number> | undefined,
  starts: WindowStarts | undefined): Row[] {
  const home = locator?.partitionOf(key);
  if (home === undefined) return table.lookup(key, undefined, starts);
  if (partitions === undefined || partitions.has(home)) {
    const rows = table.lookup(key, { only: home }, starts);
    if (rows.length > 0) return rows;
  }
  return table.lookup(key, { except: home }, starts);
}

/** Where a scan of a source table's topic stops, per partition: its read_committed end when the query was prepared. */
export type ScanEnds = ReadonlyMap<number, MaybeAsync<number>>;

export function scanEnds(ports: Pick<EnginePorts, 'log'>, source: DataSource): ScanEnds {
  const ends = new Map<number, MaybeAsync<number>>();
  for (const { partition } of ports.log.topics.describeTopic(source.topic).partitions) {
    const end = scanEndOf(ports.log, source.topic, partition);
    // A query that never starts leaves its ends unread: their failure is the scan's, if it runs.
    if (isPromise(end)) end.catch(() => undefined);
    ends.set(partition, end);
  }
  return ends;
}

/**
 * The operators of a pull query, for query `id`: its rows to `onRow`, its
 * processing-log entries to `output`; `entry` takes the rows of the store
 * `storeName` of the query that writes the table.
 */
export type TablePullOperators = (id: string, output: TaskOutput, onRow: (row: Row) => void) => { entry: RowSink; ctx: TopologyContext; storeName: string };

/** The sink of the running query that writes `source`, if any. */
function writerSinkOf(ports: Pick<EnginePorts, 'runner'>, source: DataSource): StreamSink | undefined {
  const plan = source.writerQueryId === undefined ? undefined : ports.runner.getQuery(source.writerQueryId)?.command.plan.physicalPlan;
  return plan?.kind === 'StreamSink' || plan?.kind === 'TableSink' ? plan : undefined;
}

/** The store that holds the rows of the table `source`: its aggregate's when it is served from it (ksqlDB's one store per aggregation). */
export function tableStoreName(ports: Pick<EnginePorts, 'runner'>, source: DataSource): string {
  return writerSinkOf(ports, source)?.servedFromAggregate === true ? AGGREGATE_STORE_NAME : MATERIALIZED_STORE_NAME;
}

/**
 * How a pull query on a table of one shape runs: its plan (from `analysis`,
 * whose WHERE may leave out the conjuncts its reads apply themselves), its
 * ORDER BY, and its operators. `reuse` builds the operators once, for every
 * query run through this program (their rows pass through synchronously,
 * one query at a time); otherwise each query builds its own. `lookupsOnly`:
 * the plan leaves out key restrictions, so only key lookups can answer its
 * queries. `locator` finds the partitions of a materialized table's keys.
 */
export interface TablePullProgram {
  readonly shape: TablePullShape;
  readonly lookupsOnly: boolean;
  readonly step: ExecutionStep;
  readonly order: PullOrder | undefined;
  readonly operators: TablePullOperators;
  readonly locator: KeyLocator;
}

export function tablePullProgram(ports: Pick<EnginePorts, 'runner' | 'config' | 'catalog' | 'log'>, shape: TablePullShape, analysis: AnalyzedQuery, reuse: boolean, lookupsOnly = false): TablePullProgram {
  const step = planStream(analysis, shape.source);
  const locator = keyLocator(ports, shape.source);
  const order = resolvePullOrder(analysis, shape.columns);
  const contextOf = (id: string): TopologyContext => ports.runner.topologyContext(id, transientQueryPrefix(ports, id), shape.config);
  // A table served from its aggregate's store reads that store through the steps after the aggregate first.
  const build = (ctx: TopologyContext, output: TaskOutput, onRow: (row: Row) => void): { entry: RowSink; ctx: TopologyContext; storeName: string } => {
    const task = { output, state: new TaskState(ports.runner.stores, ctx.queryId, 0) };
    const entry = buildRowChain(step, ctx, task, onRow);
    const sink = writerSinkOf(ports, shape.source);
    if (sink?.servedFromAggregate !== true) return { entry, ctx, storeName: MATERIALIZED_STORE_NAME };
    const reader = aggregateStoreReader(sink, ctx);
    return { entry: reader.connect(task, entry), ctx, storeName: reader.storeName };
  };
  if (!reuse) {
    return { shape, lookupsOnly, step, order, locator, operators: (id, output, onRow) => build(contextOf(id), output, onRow) };
  }
  // The operators read the running query's id (in processing-log names), output and row sink through `current`.
  let current: { id: string; output: TaskOutput; onRow: (row: Row) => void } | undefined;
  let built: { entry: RowSink; ctx: TopologyContext; storeName: string } | undefined;
  return { shape, lookupsOnly, step, order, locator, operators: (id, output, onRow) => {
    current = { id, output, onRow };
    if (built === undefined) {
      const base = contextOf(id);
      const ctx: TopologyContext = Object.defineProperties({ ...base }, {
        queryId: { get: () => current!.id },
        internalTopicPrefix: { get: () => transientQueryPrefix(ports, current!.id) },
      });
      const output = { emit: () => {}, logError: (entry: ProcessingLogEntry) => current!.output.logError(entry) };
      built = build(ctx, output, (row) => current!.onRow(row));
    }
    return built;
  } };
}

/**
 * What a pull query on a table needs beyond its WHERE clause: its columns (key
 * columns and a windowed table's bounds marked KEY), how to pick them from a
 * row, and its configuration. It
 * depends on the statement's shape only, so cached pull queries share it.
 */
export interface TablePullShape {
  readonly source: DataSource;
  readonly columns: readonly ResultColumn[];
  readonly picks: readonly ((row: Row) => unknown)[];
  readonly config: KsqlConfig;
  readonly scansEnabled: boolean;
}

/** `projected` and `select`: the result columns in SELECT order and where each sits in a row. */
export function tablePullShape(ports: Pick<EnginePorts, 'config'>, analysis: AnalyzedQuery, source: DataSource,
  projected: readonly ResultColumn[], select: readonly number[], properties: Record<string, PropertyValue>): TablePullShape {
  // The window bounds (which `*` selects on a windowed table, after the keys) are key columns, as in ksqlDB.
  const isKey = (i: number): boolean => analysis.projection[i]!.keyIndex >= 0
    || (source.window !== undefined && (projected[i]!.name === 'WINDOWSTART' || projected[i]!.name === 'WINDOWEND'));
  const columns: ResultColumn[] = projected.map((c, i) => (isKey(i) ? { ...c, key: true } : c));
  const picks: ((row: Row) => unknown)[] = select.map((i) => (row: Row) => row.values[i] ?? null);
  const config = ports.config.withOverrides(properties);
  const scans = config.get('ksql.query.pull.table.scan.enabled');
  return { source, columns, picks, config, scansEnabled: scans === undefined || String(scans).toLowerCase() !== 'false' };
}

/**
 * A pull query on a table: answered at once from the table's current rows.
 * `analysis` has the query's own literals (its key lookups come from them),
 * unless `keys` gives the lookups (then its WHERE is not read); `keep`, when
 * given, applies the conjuncts the program's plan leaves out beyond the key
 * lookups.
 */
export function prepareTablePull(ports: EnginePorts, program: TablePullProgram, analysis: AnalyzedQuery, statementText: string,
  keep?: (row: Row) => boolean, keys?: KeysOfQuery): PreparedQuery {
  const { source, columns, picks } = program.shape;
  const plan = planTablePull(ports, analysis, source, program.step, program.shape.scansEnabled, keys, program.locator);
  if (program.lookupsOnly && plan.lookups === undefined) throw new Error('a pull query program that leaves out key restrictions needs key lookups');
  const { order } = program;
  const id = ports.runner.nextTransientQueryId(source.name, true);
  const writer = source.writerQueryId;
  // A source table's scan reads its topic up to where it ends now; on a log that tells that later, it answers later.
  const ends = writer === undefined ? scanEnds(ports, source) : undefined;
  const run = (sink: ResultSink, partitions?: ReadonlySet<number>): RunningQuery => {
    const logEntries: ProducerRecord[] = [];
    const output = { emit: () => {}, logError: (entry: ProcessingLogEntry) => logEntries.push(toProducerRecord(entry)) };
    let rowCount = 0;
    let closed = false;
    const finish = (end: TransientEnd): void => {
      if (logEntries.length > 0) {
        // The processing log is best effort for pull queries.
        try {
          const appended = ports.log.topics.append(ports.config.processingLogTopic, logEntries);
          if (isPromise(appended)) appended.catch(() => undefined);
        } catch {
          // Not written: the rows are answered all the same.
        }
      }
      if (!closed) sink.end(end);
    };
    const running: RunningQuery = {
      get rowCount() {
        return rowCount;
      },
      close: () => {
        closed = true;
      },
      pause: () => {},
      resume: () => {},
    };
    let ran: MaybeAsync<void>;
    try {
      ran = runTablePull(ports, plan, program.operators, id, output, (row) => {
        if (closed) return;
        rowCount++;
        const values = new Array<unknown>(picks.length);
        for (let i = 0; i < picks.length; i++) values[i] = picks[i]!(row);
        sink.row(values);
      }, keep, partitions, ends);
    } catch (error) {
      finish({ kind: 'failed', error });
      return running;
    }
    if (isPromise(ran)) ran.then(() => finish({ kind: 'complete' }), (error: unknown) => finish({ kind: 'failed', error }));
    else finish({ kind: 'complete' });
    return running;
  };
  return {
    id,
    isPull: true,
    sourceName: source.name,
    columns,
    statementText,
    synchronous: ends === undefined || ![...ends.values()].some(isPromise),
    start: (client) => run(order === undefined ? client : orderedSink(client, order)),
    ...(writer === undefined ? {} : {
      partitioned: {
        queryId: writer,
        storeName: tableStoreName(ports, source),
        partitions() {
          const count = program.locator.partitionCount();
          if (count === undefined) return undefined;
          const all = Array.from({ length: count }, (_, i) => i);
          return plan.lookups === undefined ? all : partitionsOfKeys(program.locator, plan.lookups) ?? all;
        },
        startOn: (partitions, sink) => run(sink, new Set(partitions)),
        merged(client) {
          const limit = analysis.limit === undefined ? client : limitedSink(client, analysis.limit);
          return order === undefined ? limit : orderedSink(limit, order);
        },
      },
    }),
  };
}

function rootOf(step: ExecutionStep): StreamSource {
  let s: ExecutionStep = step;
  while ('source' in s) s = s.source;
  if (s.kind !== 'StreamSource' && s.kind !== 'TableSource') throw statementError('Pull queries on joins are not supported.');
  return s;
}

function keyEquals(row: Row, key: readonly unknown[]): boolean {
  return key.every((v, i) => sameValue(row.values[i], v));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (a !== null && typeof a === 'object' && b !== null && typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

/**
 * The key values a WHERE clause restricts the rows to, when it is a
 * conjunction that fixes every key column to literals (`=` or `IN`); the
 * full WHERE still filters what the lookups return. Undefined: a scan.
 */
function keyLookups(where: Expression, keyColumns: readonly Column[], ports: Pick<EnginePorts, 'catalog'>): unknown[][] | undefined {
  const restrictions: KeyRestriction[] = [];
  for (const conjunct of conjuncts(where)) {
    const match = keyRestriction(conjunct, keyColumns);
    if (match !== undefined) restrictions.push(match);
  }
  return lookupsOfRestrictions(restrictions, keyColumns, ports);
}

/** A conjunct that restricts a key column (its index) to values: `K = x` or `K IN (x, ...)`. */
export interface KeyRestriction {
  readonly index: number;
  readonly values: readonly Expression[];
}

/**
 * The keys that a WHERE clause's key restrictions allow (see keyLookups):
 * every key column must be restricted, each to constants of its type.
 */
export function lookupsOfRestrictions(restrictions: readonly KeyRestriction[], keyColumns: readonly Column[], ports: Pick<EnginePorts, 'catalog'>): unknown[][] | undefined {
  if (keyColumns.length === 0) return undefined;
  if (keyColumns.length === 1 && restrictions.length === 1) {
    const keys = lookupsOfOneColumn(restrictions[0]!.values, keyColumns[0]!, ports);
    if (keys !== null) return keys;
  }
  const perColumn: (unknown[] | undefined)[] = keyColumns.map(() => undefined);
  for (const match of restrictions) {
    const column = keyColumns[match.index]!;
    const values: unknown[] = [];
    for (const e of match.values) {
      const value = constantOf(e, column, ports);
      if (value === undefined) return undefined;
      if (value !== null) values.push(value);
    }
    const previous = perColumn[match.index];
    perColumn[match.index] = previous === undefined ? values : previous.filter((p) => values.some((v) => sameValue(p, v)));
  }
  if (perColumn.some((v) => v === undefined)) return undefined;
  // The cross product of every key column's values, each key once.
  let keys: unknown[][] = [[]];
  for (const values of perColumn as unknown[][]) keys = keys.flatMap((k) => values.map((v) => [...k, v]));
  const seen = new Set<unknown>();
  return keys.filter((k) => {
    // A one-column key of a primitive value (the common key) is its own identity.
    const only = k.length === 1 ? k[0] : undefined;
    const id = only !== undefined && (typeof only !== 'object' || only === null) ? only : JSON.stringify(k, (_n, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/**
 * The common case of lookupsOfRestrictions: one restriction of a one-column
 * key to primitive values, each kept once; null when a value is not
 * primitive (the general way then answers).
 */
function lookupsOfOneColumn(operands: readonly Expression[], column: Column, ports: Pick<EnginePorts, 'catalog'>): unknown[][] | undefined | null {
  const keys: unknown[][] = [];
  const seen = operands.length > 1 ? new Set<unknown>() : undefined;
  for (const e of operands) {
    const value = constantOf(e, column, ports);
    if (value === undefined) return undefined;
    if (value === null) continue;
    if (typeof value === 'object') return null;
    if (seen !== undefined) {
      if (seen.has(value)) continue;
      seen.add(value);
    }
    keys.push([value]);
  }
  return keys;
}

export function keyRestriction(e: Expression, keyColumns: readonly Column[]): KeyRestriction | undefined {
  const keyIndex = (x: Expression): number => (x.kind === 'ColumnRef' ? keyColumns.findIndex((c) => c.name === x.name) : -1);
  if (e.kind === 'Comparison' && e.operator === '=') {
    if (keyIndex(e.left) >= 0) return { index: keyIndex(e.left), values: [e.right] };
    if (keyIndex(e.right) >= 0) return { index: keyIndex(e.right), values: [e.left] };
  }
  if (e.kind === 'InList' && !e.negated && keyIndex(e.operand) >= 0) return { index: keyIndex(e.operand), values: e.list };
  return undefined;
}

/** A comparison of a window bound with a value (`WINDOWSTART >= x`, `x > WINDOWEND`), as `bound operator value`. */
export interface WindowBound {
  readonly column: 'WINDOWSTART' | 'WINDOWEND';
  readonly operator: '=' | '<' | '<=' | '>' | '>=';
  readonly value: Expression;
}

const FLIPPED = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;

export function windowBound(e: Expression): WindowBound | undefined {
  if (e.kind !== 'Comparison' || e.operator === '<>') return undefined;
  const bound = (x: Expression): 'WINDOWSTART' | 'WINDOWEND' | undefined =>
    (x.kind === 'ColumnRef' && (x.name === 'WINDOWSTART' || x.name === 'WINDOWEND') ? x.name : undefined);
  const left = bound(e.left);
  if (left !== undefined && bound(e.right) === undefined) return { column: left, operator: e.operator, value: e.right };
  const right = bound(e.right);
  if (right !== undefined && left === undefined) return { column: right, operator: FLIPPED[e.operator], value: e.left };
  return undefined;
}

/** Whether a row's window passes `bound` compared with `value` (a row without a window passes none, as NULL would not). */
export function windowPasses(row: Row, column: WindowBound['column'], operator: WindowBound['operator'], value: number | bigint): boolean {
  if (row.window === null) return false;
  const v = column === 'WINDOWSTART' ? row.window.start : row.window.end;
  // A number and a bigint compare exactly; equality is both bounds, as === never holds between them.
  switch (operator) {
    case '=': return v <= value && v >= value;
    case '<': return v < value;
    case '<=': return v <= value;
    case '>': return v > value;
    case '>=': return v >= value;
  }
}

/**
 * The window starts that comparisons of WINDOWSTART allow, as a range to
 * read; undefined when they allow any (a bound beyond a safe integer narrows
 * nothing). Window starts are whole milliseconds.
 */
export function windowStartsOf(bounds: readonly { readonly column: WindowBound['column']; readonly operator: WindowBound['operator']; readonly value: number | bigint }[]): WindowStarts | undefined {
  let from = Number.MIN_SAFE_INTEGER;
  let to = Number.MAX_SAFE_INTEGER;
  let narrowed = false;
  for (const { column, operator, value } of bounds) {
    const v = Number(value);
    if (column !== 'WINDOWSTART' || !Number.isSafeInteger(v) || v <= Number.MIN_SAFE_INTEGER || v >= Number.MAX_SAFE_INTEGER) continue;
    narrowed = true;
    if (operator === '>=' || operator === '=') from = Math.max(from, v);
    if (operator === '>') from = Math.max(from, v + 1);
    if (operator === '<') to = Math.min(to, v);
    if (operator === '<=' || operator === '=') to = Math.min(to, v + 1);
  }
  return narrowed ? { from, to } : undefined;
}

/** The scope of constants: no columns (one per catalog; types are looked up when used). */
const constantScopes = new WeakMap<Catalog, BindScope>();

/** A constant expression's value as the key column's type; undefined when it is not a constant of that type. */
function constantOf(e: Expression, column: Column, ports: Pick<EnginePorts, 'catalog'>): unknown {
  // The common keys, an INT or a STRING literal for a column of its own type, are their own value (no binding, no compiling).
  if ((e.kind === 'IntegerLiteral' && column.type.kind === 'INTEGER') || (e.kind === 'StringLiteral' && column.type.kind === 'STRING')) return e.value;
  try {
    let scope = constantScopes.get(ports.catalog);
    if (scope === undefined) {
      constantScopes.set(ports.catalog, scope = scopeOf({ key: [], value: [] }, undefined, false, ports.catalog.functions, (n) => ports.catalog.metastore.getType(n), 'WHERE'));
    }
    const bound = coerceTo(bindExpression(e, scope), column.type);
    return evaluateConstant(bound);
  } catch {
    return undefined;
  }
}
