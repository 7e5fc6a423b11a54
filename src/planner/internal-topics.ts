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
 * nodes, though the numbers are ours, not Kafka Streams'.
 *
 * A step that already names its topics keeps them: a logged plan keeps the
 * names its query has always written, so records left in them are still read
 * after an upgrade. A plan of format 1 without a resolved join key format
 * wrote `Join-left|right-repartition` for every re-keyed side.
 */
import type { TopicConfig } from '../broker/broker.js';
import type { ExecutionStep, GroupBy, Join, JoinSideStep, StreamSource } from './steps.js';

const GROUP_BY_REPARTITION = 'Aggregate-GroupBy-repartition';

/** Kafka Streams' repartition topics keep records forever: the query's own tasks purge what they have committed past. */
export const REPARTITION_TOPIC_CONFIG: Partial<TopicConfig> = { 'cleanup.policy': 'delete', 'retention.ms': -1 };

/** A changelog keeps each key's latest content. */
export const CHANGELOG_TOPIC_CONFIG: Partial<TopicConfig> = { 'cleanup.policy': 'compact' };

/** The plan with every internal topic it needs named. */
export function nameInternalTopics(step: ExecutionStep): ExecutionStep {
  switch (step.kind) {
    case 'StreamSource':
    case 'TableSource':
      return step;
    case 'StreamGroupBy':
    case 'TableGroupBy':
      return nameGroupBy(step);
    case 'StreamAggregate':
    case 'StreamWindowedAggregate':
    case 'TableAggregate':
      return { ...step, source: nameGroupBy(step.source) };
    case 'StreamTableJoin':
    case 'TableTableJoin':
    case 'StreamStreamJoin':
    case 'ForeignKeyTableTableJoin':
      return nameJoin(step, 0);
    default:
      return { ...step, source: nameInternalTopics(step.source) };
  }
}

function nameGroupBy(step: GroupBy): GroupBy {
  const source = nameInternalTopics(step.source);
  if (!step.repartition) return { ...step, source };
  return { ...step, source, repartitionTopic: step.repartitionTopic ?? GROUP_BY_REPARTITION };
}

/** `depth`: how many joins of an n-way join come after this one. */
function nameJoin(step: Join, depth: number): Join {
  const prefix = 'L_'.repeat(depth);
  const side = (s: JoinSideStep, name: 'left' | 'right'): JoinSideStep => {
    const source = isJoin(s.source) ? nameJoin(s.source, depth + 1) : s.source;
    const repartitionTopic = s.repartition ? s.repartitionTopic ?? repartitionTopicName(step, s, name, prefix) : undefined;
    const changelogTopic = s.changelogTopic ?? changelogTopicName(step, s, name, prefix);
    return {
      ...s, source,
      ...(repartitionTopic === undefined ? {} : { repartitionTopic }),
      ...(changelogTopic === undefined ? {} : { changelogTopic }),
    };
  };
  const named: Join = { ...step, left: side(step.left, 'left'), right: side(step.right, 'right') };
  if (step.subscriptions !== true) return named;
  const number = String(depth).padStart(10, '0');
  return {
    ...named,
    registrationTopic: step.registrationTopic ?? `KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-${number}-topic`,
    responseTopic: step.responseTopic ?? `KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-${number}-topic`,
  };
}

function repartitionTopicName(step: Join, s: JoinSideStep, name: 'left' | 'right', prefix: string): string {
  if (step.keyFormat === undefined) return `Join-${name}-repartition`;
  if (isTableSide(s)) return `${prefix}${name === 'left' ? 'Left' : 'Right'}SourceKeyed-SelectKey-repartition`;
  return step.kind === 'StreamStreamJoin' ? `${prefix}Join-${name}-repartition` : `${prefix}Join-repartition`;
}

/** A stream side, or an earlier join of an n-way join (ksqlDB reads that join's own stores), has no changelog. */
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
