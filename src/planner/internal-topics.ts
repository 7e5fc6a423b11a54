/**
 * The internal topics of a query, named as ksqlDB names them (after the
 * query's prefix `_confluent-ksql-<service id>query_<query id>-`): a GroupBy
 * that moves rows to their key's task writes `Aggregate-GroupBy-repartition`;
 * a join side re-keyed by its join expression writes Kafka Streams'
 * `Join-left|right-repartition` (stream-stream joins), `Join-repartition` (a
 * stream joining a table) or, for a table, `LeftSourceKeyed|RightSourceKeyed-SelectKey-repartition`;
 * the stores that keep a join's table sides write changelogs
 * (`...SourceKeyed-Materialize-changelog` for a re-keyed table,
 * `KafkaTopic_Left|Right-Reduce-changelog` for a table source). `L_` comes in
 * front per level of an n-way join below the last one. A foreign-key join
 * with subscriptions sends them through Kafka Streams'
 * `KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-<n>-topic` and gets the answers
 * through `KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-<n>-topic`; `<n>` is the
 * join's level (0 for the last), ten digits as Kafka Streams numbers its
 * nodes, though the numbers are ours, not Kafka Streams'. The window stores
 * of a stream-stream join, which ksqlDB leaves unnamed, write Kafka Streams'
 * `KSTREAM-JOINTHIS-<n>-store-changelog` (the store of the joining stream,
 * `OUTERTHIS` when the other side is outer too) and
 * `KSTREAM-JOINOTHER-<n+1>-store-changelog` (`OUTEROTHER` when the joining
 * stream is outer), and with a GRACE PERIOD an outer join's store of records
 * waiting for their window to close writes `KSTREAM-OUTERSHARED-<n>-store-changelog`;
 * `<n>` follows Kafka Streams' node counter (kafka-streams-numbering.ts). A
 * RIGHT join is the right stream's left join of the left one.
 *
 * A step that already names its topics keeps them: a logged plan keeps the
 * names its query has always written, so records left in them are still read
 * after an upgrade. A plan of format 1 without a resolved join key format
 * wrote `Join-left|right-repartition` for every re-keyed side.
 */
import type { TopicConfig } from '../broker/broker.js';
import { buildOrder, drawnBySide, joinThisNumber, nodeNumber } from './kafka-streams-numbering.js';
import type { ExecutionStep, GroupBy, Join, JoinSideStep, StreamSource } from './steps.js';

const GROUP_BY_REPARTITION = 'Aggregate-GroupBy-repartition';

/** Kafka Streams' repartition topics keep records forever: the query's own tasks purge what they have committed past. */
export const REPARTITION_TOPIC_CONFIG: Partial<TopicConfig> = { 'cleanup.policy': 'delete', 'retention.ms': -1 };

/** A changelog keeps each key's latest content. */
export const CHANGELOG_TOPIC_CONFIG: Partial<TopicConfig> = { 'cleanup.policy': 'compact' };

/** Kafka Streams keeps a window store's changelog a day longer than the store keeps its windows. */
const WINDOW_CHANGELOG_EXTRA_RETENTION_MS = 24 * 60 * 60 * 1000;

/** Without GRACE PERIOD Kafka Streams keeps join windows for 24 hours. */
export const DEFAULT_JOIN_GRACE_MS = 24 * 60 * 60 * 1000;

/** The changelog of a stream-stream join's window stores: compacted, and deleted once past the store's retention. */
export function joinWindowChangelogConfig(step: Join): Partial<TopicConfig> {
  const window = step.window!;
  const retention = window.beforeMs + window.afterMs + (window.graceMs ?? DEFAULT_JOIN_GRACE_MS);
  return { 'cleanup.policy': 'compact,delete', 'retention.ms': retention + WINDOW_CHANGELOG_EXTRA_RETENTION_MS };
}

/**
 * The plan with every internal topic it needs named. `joinWindowLogs`:
 * whether stream-stream joins get changelogs; plans of format 1 predate them
 * and keep the topics they had.
 */
export function nameInternalTopics(step: ExecutionStep, joinWindowLogs = true): ExecutionStep {
  switch (step.kind) {
    case 'StreamSource':
    case 'TableSource':
      return step;
    case 'StreamGroupBy':
    case 'TableGroupBy':
      return nameGroupBy(step, joinWindowLogs);
    case 'StreamAggregate':
    case 'StreamWindowedAggregate':
    case 'TableAggregate':
      return { ...step, source: nameGroupBy(step.source, joinWindowLogs) };
    case 'StreamTableJoin':
    case 'TableTableJoin':
    case 'StreamStreamJoin':
    case 'ForeignKeyTableTableJoin':
      return nameJoin(step, 0, joinWindowLogs ? 0 : undefined);
    default:
      return { ...step, source: nameInternalTopics(step.source, joinWindowLogs) };
  }
}

function nameGroupBy(step: GroupBy, joinWindowLogs: boolean): GroupBy {
  const source = nameInternalTopics(step.source, joinWindowLogs);
  if (!step.repartition) return { ...step, source };
  return { ...step, source, repartitionTopic: step.repartitionTopic ?? GROUP_BY_REPARTITION };
}

/**
 * `depth`: how many joins of an n-way join come after this one; `before`:
 * how many Kafka Streams node numbers the query drew before this join's sides
 * (undefined when stream-stream joins get no changelogs, and under a table
 * join, where no stream-stream join can be).
 */
function nameJoin(step: Join, depth: number, before: number | undefined): Join {
  const prefix = 'L_'.repeat(depth);
  const streams = step.kind === 'StreamStreamJoin' || step.kind === 'StreamTableJoin';
  const [first] = buildOrder(step);
  const sideBefore = (name: 'left' | 'right'): number | undefined =>
    (!streams || before === undefined ? undefined : name === first ? before : before + drawnBySide(step[first]));
  const joinThis = step.kind === 'StreamStreamJoin' && before !== undefined ? joinThisNumber(step, before) : undefined;
  const side = (s: JoinSideStep, name: 'left' | 'right'): JoinSideStep => {
    const source = isJoin(s.source) ? nameJoin(s.source, depth + 1, sideBefore(name)) : s.source;
    const repartitionTopic = s.repartition ? s.repartitionTopic ?? repartitionTopicName(step, s, name, prefix) : undefined;
    const changelogTopic = s.changelogTopic ?? (joinThis === undefined ? changelogTopicName(step, s, name, prefix) : windowStoreChangelogName(step, name, joinThis));
    return {
      ...s, source,
      ...(repartitionTopic === undefined ? {} : { repartitionTopic }),
      ...(changelogTopic === undefined ? {} : { changelogTopic }),
    };
  };
  const named: Join = { ...step, left: side(step.left, 'left'), right: side(step.right, 'right') };
  if (joinThis !== undefined && step.joinType !== 'INNER' && step.window?.graceMs !== undefined) {
    return { ...named, outerChangelogTopic: step.outerChangelogTopic ?? `KSTREAM-OUTERSHARED-${nodeNumber(joinThis)}-store-changelog` };
  }
  if (step.subscriptions !== true) return named;
  const number = String(depth).padStart(10, '0');
  return {
    ...named,
    registrationTopic: step.registrationTopic ?? `KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-${number}-topic`,
    responseTopic: step.responseTopic ?? `KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-${number}-topic`,
  };
}

/**
 * The changelog of the window store keeping one side's records: the left
 * stream joins the right one (a RIGHT join: the right stream joins the left
 * one); the joining stream's store is "this", the other's "other".
 */
function windowStoreChangelogName(step: Join, name: 'left' | 'right', joinThis: number): string {
  const joining = step.joinType === 'RIGHT' ? 'right' : 'left';
  const otherOuter = step.joinType === 'FULL';
  const joiningOuter = step.joinType !== 'INNER';
  const store = name === joining
    ? `KSTREAM-${otherOuter ? 'OUTERTHIS' : 'JOINTHIS'}-${nodeNumber(joinThis)}`
    : `KSTREAM-${joiningOuter ? 'OUTEROTHER' : 'JOINOTHER'}-${nodeNumber(joinThis + 1)}`;
  return `${store}-store-changelog`;
}

function repartitionTopicName(step: Join, s: JoinSideStep, name: 'left' | 'right', prefix: string): string {
  if (step.keyFormat === undefined) return `Join-${name}-repartition`;
  if (isTableSide(s)) return `${prefix}${name === 'left' ? 'Left' : 'Right'}SourceKeyed-SelectKey-repartition`;
  return step.kind === 'StreamStreamJoin' ? `${prefix}Join-${name}-repartition` : `${prefix}Join-repartition`;
}

/** Of a stream-table or table-table join: a stream side, or an earlier join of an n-way join (ksqlDB reads that join's own stores), has no changelog. */
function changelogTopicName(step: Join, s: JoinSideStep, name: 'left' | 'right', prefix: string): string | undefined {
  if (step.kind !== 'StreamTableJoin' && step.kind !== 'TableTableJoin') return undefined;
  const side = name === 'left' ? 'Left' : 'Right';
  if (s.repartition && isTableSide(s)) return `${prefix}${side}SourceKeyed-Materialize-changelog`;
  if (!s.repartition && s.source.kind === 'TableSource') return `${prefix}KafkaTopic_${side}-Reduce-changelog`;
  return undefined;
}

export function isTableSide(s: JoinSideStep): boolean {
  const { source } = s;
  return source.kind === 'TableSource' || source.kind === 'TableTableJoin' || source.kind === 'ForeignKeyTableTableJoin';
}

function isJoin(step: StreamSource | Join): step is Join {
  return step.kind !== 'StreamSource' && step.kind !== 'TableSource';
}
