/**
 * Builds a Join step: one task per partition reads both sides (their topics
 * are co-partitioned) and feeds the join operator of the step's kind. A side
 * joined on something other than its key is re-keyed first, through a
 * repartition topic keyed by the join expression's value and partitioned as
 * the side it meets.
 */
import type { WindowInfo } from '../catalog/data-source.js';
import type { ConsumedRecord } from '../broker/broker.js';
import type { BoundExpression } from '../analyzer/bound-expression.js';
import { withValues, type Row, type WindowBounds } from '../expr/row.js';
import { createSerde, type Serde } from '../formats/index.js';
import { isTableSide } from '../planner/internal-topics.js';
import type { Join, JoinSideStep, StreamSource } from '../planner/steps.js';
import { STRING, type SqlType } from '../schema/sql-type.js';
import type { RowSink } from './row-sink.js';
import { buildForeignKeyJoin } from './foreign-key-join-operator.js';
import { buildSubscriptionJoin } from './foreign-key-subscription-join.js';
import { binderOver, compileGuarded, loggerName, rowText, type TopologyContext } from './guarded-expression.js';
import { changelogWriter } from './changelog.js';
import { buildJoinOperator, carriesWindowBounds, sideColumnNames, type JoinEntries } from './join-operator.js';
import { recordProcessingError } from './processing-log.js';
import { chain, internalTopicName, type Builder, type StepBuild, type TaskScope } from './step-build.js';
import { buildSourceReader } from './source-reader.js';
import { buildStreamStreamJoin } from './stream-join-operator.js';
import { entersTable } from './table-source-store.js';
import { decodeValue, encodeValue } from './value-codec.js';

/**
 * The key bytes that partition a re-keyed side's rows: the join key written
 * in the join's key format (which a side keeping its source's key has), so
 * that a key lands in the partition where the other side's records with that
 * key are.
 */
function partitioningKeySerde(step: Join, other: JoinSideStep, keyType: SqlType, topic: string, ctx: TopologyContext): Serde {
  let source: StreamSource | Join = !other.repartition ? other.source : step.left.source;
  while (!isSourceStep(source)) source = source.left.source;
  // Plans since the join key format was resolved carry it; earlier ones partition as the side met.
  const keyFormat = step.keyFormat ?? source.keyFormat;
  return createSerde({
    format: keyFormat.format, target: 'key', columns: [{ name: 'ROWKEY', type: keyType, namespace: 'KEY' }],
    properties: keyFormat.properties, features: keyFormat.features, topic: step.keyFormat === undefined ? source.topic : topic, registry: ctx.schemaRegistry,
  });
}

function isSourceStep(step: StreamSource | Join): step is StreamSource {
  return step.kind === 'StreamSource' || step.kind === 'TableSource';
}

/** Where one side of a join enters: its root, and how each of its rows gives the join key and the side's columns. */
interface JoinSideRoot {
  /** The topics the join task reads for the side: its repartition topic, or its source's. */
  readonly topics: readonly string[];
  /**
   * A re-keyed side (after a repartition): reads its records straight into the join entry, each with the join key
   * its record's key holds. Other sides enter through their build's root.
   */
  readonly readKeyed?: (task: TaskScope, entry: JoinEntries['left']) => (record: ConsumedRecord) => void;
  readonly build: StepBuild;
}

function isJoinStep(step: StreamSource | Join): step is Join {
  return !isSourceStep(step);
}

/**
 * A join: one task per partition reads both sides (co-partitioned topics).
 * A side joined on something other than its key is re-keyed first, through
 * a repartition topic keyed by the join expression's value. The planner
 * names the repartition and changelog topics (internal-topics.ts).
 */
export function buildJoin(step: Join, b: Builder): StepBuild {
  const { ctx } = b;
  const keyWindow = joinKeyWindow(step);
  const side = (s: JoinSideStep, other: JoinSideStep): JoinSideRoot => {
    const up = isJoinStep(s.source) ? buildJoin(s.source, b)
      : step.kind === 'StreamTableJoin' && s.source.kind === 'TableSource' && !s.repartition ? lookupTableSide(s.source, ctx) : b.buildStep(s.source);
    if (!s.repartition) return { topics: up.root.topics, build: up };
    const topic = internalTopicName(ctx, s.repartitionTopic);
    const expression = binderOver(up.schema, up.windowed, ctx)(s.expression);
    const keyType = expression.type ?? STRING;
    const partitioning = partitioningKeySerde(step, other, keyType, topic, ctx);
    // A table's deletions travel too (its rows are only re-keyed into the join's key format); a stream's NULL values join nothing.
    const table = isTableSide(s);
    const width = up.schema.key.length + up.schema.value.length;
    const bounds = carriesWindowBounds(step, s);
    b.subTopologies.push(chain(up, (task) => {
      const keyOf = compileGuarded(expression, up.schema, ctx, task.output, 'Join', 'the join expression');
      // Known only once the whole topology is built: what the steps after the join read.
      const unread = unreadSideColumns(step, s, width, b);
      return (row) => {
        if (row.nullValue && !table) return;
        const key = keyOf(row);
        if (key === null) return;
        let partitionKey: Buffer | undefined;
        try {
          partitionKey = partitioning.serialize([key]) ?? undefined;
        } catch (error) {
          task.output.logError(recordProcessingError(loggerName(ctx, 'Join'), error, ctx.includeRows ? rowText(row, up.schema) : null));
          return;
        }
        // The row's source partition and offset (and window) follow its columns: A.ROWPARTITION, A.ROWOFFSET (and A.WINDOWEND) read the source record's.
        let value: Buffer | null = null;
        if (!row.nullValue) {
          const cells = row.values.slice();
          for (const i of unread) cells[i] = null;
          cells.push(row.partition, row.offset);
          if (row.window !== null) cells.push(row.window.start, row.window.end);
          value = encodeValue(cells);
        }
        // A windowed stream's window travels with its key (a key format from a registry repartitions windowed streams).
        const keyCells = row.window === null ? [key] : [key, row.window.start, row.window.end];
        task.output.emit(topic, { key: encodeValue(keyCells), value, timestamp: row.timestamp, headers: row.headers, partitionKey });
      };
    }));
    return {
      build: up,
      topics: [topic],
      readKeyed: (_task, entry) => (record) => {
        const [key, start, end] = decodeValue(record.key!) as [unknown, number?, number?];
        const decoded = record.value === null ? null : decodeValue(record.value) as unknown[];
        // Records written before the source metadata travelled hold the columns alone, and before the window travelled no window.
        const carried = decoded !== null && decoded.length >= width + 2;
        const window = start === undefined ? null : joinWindowBounds(start, end!, keyWindow);
        const ownWindow = decoded?.length === width + 4 ? { start: decoded[width + 2] as number, end: decoded[width + 3] as number } : window;
        // Built by push, the row's array is packed as the source readers' rows are (the operators after it see one kind).
        const values: unknown[] = [];
        for (let i = 0; i < width; i++) values.push(decoded === null ? null : decoded[i]);
        if (bounds) values.push(...windowBoundValues(decoded === null ? null : ownWindow));
        entry(key, {
          values, timestamp: record.timestamp,
          partition: carried ? decoded![width] as number : record.partition, offset: carried ? decoded![width + 1] as number : record.offset,
          headers: record.headers, window, nullValue: decoded === null,
        }, null);
      },
    };
  };
  const left = side(step.left, step.right);
  const right = side(step.right, step.left);
  if (step.kind === 'ForeignKeyTableTableJoin' && step.subscriptions === true) return buildSubscriptionJoin(step, b, left.build, right.build);
  const changelogTopics = { left: step.left.changelogTopic, right: step.right.changelogTopic, outer: step.outerChangelogTopic };
  // The join expression of a side that enters unkeyed from an earlier join, and the foreign key of a single-task foreign-key join.
  const joinExpression = (s: JoinSideRoot, spec: JoinSideStep) =>
    (s.readKeyed !== undefined || isSourceStep(spec.source) ? undefined : binderOver(s.build.schema, s.build.windowed, ctx)(spec.expression));
  const leftExpression = joinExpression(left, step.left);
  const rightExpression = joinExpression(right, step.right);
  const foreignKey = step.kind === 'ForeignKeyTableTableJoin'
    ? leftExpression ?? binderOver(left.build.schema, left.build.windowed, ctx)(step.left.expression) : undefined;
  return {
    schema: step.schema,
    windowed: left.build.windowed,
    root: {
      topics: [...left.topics, ...right.topics],
      read(task, entry) {
        const writer = (topic: string | undefined) => (topic === undefined ? undefined : changelogWriter(task.output, internalTopicName(ctx, topic), task.state.partition));
        const changelogs = { left: writer(changelogTopics.left), right: writer(changelogTopics.right) };
        const join = step.kind === 'StreamStreamJoin' ? buildStreamStreamJoin(step, task.state, entry, { ...changelogs, outer: writer(changelogTopics.outer) })
          : step.kind === 'ForeignKeyTableTableJoin'
            ? buildForeignKeyJoin(step, task.state, compileGuarded(foreignKey!, left.build.schema, ctx, task.output, 'Join', 'the foreign key'), entry)
            : buildJoinOperator(step, task.state, entry, changelogs, ctx.includeRows ? undefined : b.reads.of(step));
        /** A side's rows into the join: keyed by their key column or (an earlier join) the join expression. */
        const enter = (s: JoinSideRoot, spec: JoinSideStep, expression: BoundExpression | undefined, entry: JoinEntries['left']): RowSink => {
          let to = entry;
          if (carriesWindowBounds(step, spec)) {
            // A windowed source side brings its window's bounds after its columns (a repartitioned one has them already).
            const bounded = (row: Row): Row => withValues(row, [...row.values, ...windowBoundValues(row.nullValue ? null : row.window)]);
            const toJoin = to;
            to = (key, row, old) => toJoin(key, bounded(row), old === null ? null : bounded(old));
          }
          if (expression === undefined) {
            // The left table of a foreign-key join may have several key columns: the key is then all of them.
            const keyCount = spec.source.schema.key.length;
            if (keyCount > 1) return (row, old) => to(row.values.slice(0, keyCount), row, old);
            return (row, old) => to(row.values[0], row, old);
          }
          const keyOf = compileGuarded(expression, s.build.schema, ctx, task.output, 'Join', 'the join expression');
          return (row, old) => to(row.nullValue && old !== null ? keyOf(old) : keyOf(row), row, old);
        };
        // A repartitioned side's steps ran before its repartition topic; otherwise they run here.
        const readSide = (s: JoinSideRoot, spec: JoinSideStep, expression: BoundExpression | undefined, entry: JoinEntries['left']) =>
          (s.readKeyed !== undefined ? s.readKeyed(task, entry) : s.build.root.read(task, s.build.connect(task, enter(s, spec, expression, entry))));
        const readLeft = readSide(left, step.left, leftExpression, join.left);
        const readRight = readSide(right, step.right, rightExpression, join.right);
        const leftTopics = new Set(left.topics);
        return (record) => (leftTopics.has(record.topic) ? readLeft(record) : readRight(record));
      },
    },
    connect: (_task, next) => next,
  };
}

/**
 * The positions of a repartitioned side's values that nothing after the join
 * reads (column-reads.ts), which its repartition topic carries as NULL: a
 * wide source row re-keyed for a few of its columns costs what those cost.
 * Only for a stream side of a stream-table or stream-stream join, whose rows
 * the join only copies into its results (a table side's rows are stored
 * and replaced), and not while the processing log shows rows, where a
 * failing expression after the join shows the row it read whole.
 */
function unreadSideColumns(step: Join, side: JoinSideStep, width: number, b: Builder): number[] {
  const read = b.reads.of(step);
  if (read === undefined || b.ctx.includeRows || isTableSide(side) || (step.kind !== 'StreamTableJoin' && step.kind !== 'StreamStreamJoin')) return [];
  const joinColumns = [...step.schema.key, ...step.schema.value].map((c) => c.name);
  const names = sideColumnNames(step, side);
  const unread: number[] = [];
  for (let i = 0; i < width; i++) {
    const at = joinColumns.indexOf(names[i]!);
    if (at < 0 || !read.has(at)) unread.push(i);
  }
  return unread;
}

/**
 * The table of a stream-table join, read without the table source's
 * latest-row store (build-topology.ts, tableRoot): a change of the table only
 * replaces its row in the join's own store and never needs the row it
 * replaces, so the table's rows are stored once, by the join.
 */
function lookupTableSide(source: StreamSource, ctx: TopologyContext): StepBuild {
  return {
    schema: source.schema,
    windowed: source.window !== undefined,
    root: {
      topics: [source.topic],
      read(task, entry) {
        const read = buildSourceReader(source, ctx, task.output);
        return (record) => {
          if (!entersTable(record, source)) return;
          const row = read(record);
          if (row !== null) entry(row, null);
        };
      },
    },
    connect: (_task, next) => next,
  };
}

/** The window of the join's key format: the first source's, whose key format the join takes. */
function joinKeyWindow(step: Join): WindowInfo | undefined {
  const first = step.left.source;
  return isJoinStep(first) ? joinKeyWindow(first) : first.window;
}

/**
 * A repartitioned window read in the join's key format: a time window keeps
 * only its start (ksqlDB serializes no end), so its end follows from the
 * join's window size; a session window keeps both bounds.
 */
function joinWindowBounds(start: number, end: number, window: WindowInfo | undefined): { start: number; end: number } {
  return window?.sizeMs === undefined ? { start, end } : { start, end: start + window.sizeMs };
}

/** WINDOWSTART and WINDOWEND of a side's record, as BIGINT values (NULL without a row). */
function windowBoundValues(window: WindowBounds | null): [bigint | null, bigint | null] {
  return window === null ? [null, null] : [BigInt(window.start), BigInt(window.end)];
}
