/**
 * The runtime statistics of DESCRIBE EXTENDED and EXPLAIN in ksqlDB's shapes,
 * from the queries' counters (src/runtime/query-statistics.ts). For a topic,
 * as ksqlDB's metric collectors aggregate them over every query on this
 * server: consumer statistics where queries read it, producer statistics
 * where they write it, and the records that failed (went to the processing
 * log) while read from it. The strings are what ksqlDB's MetricCollectors
 * format (`%16s:%10.0f` per statistic, or `%10.2f` for a fraction, then the
 * time of the last event); the last event is the latest of the statistics
 * shown. Consumer offsets and lag are read from the log's committed group
 * offsets when asked, never kept.
 */
import { allOf, andThen, type MaybeAsync } from '../common/maybe-async.js';
import type { ActivityCounter, ActivityKind } from '../runtime/query-statistics.js';
import type { EnginePorts } from './engine-ports.js';
import { localHost } from './local-host.js';
import type { PersistentQuery } from './persistent-query.js';

export interface Stat {
  readonly name: string;
  readonly value: number;
  readonly timestamp: number;
}

/** ksqlDB's QueryHostStat: a statistic with the host it was measured on. */
export interface QueryHostStat {
  readonly name: string;
  readonly host: string;
  readonly value: number;
  readonly timestamp: number;
}

/** ksqlDB's QueryOffsetSummary: a query's consumer group, and per topic it reads, its offsets per partition. */
export interface QueryOffsetSummary {
  readonly groupId: string;
  readonly topicSummaries: readonly {
    readonly kafkaTopic: string;
    readonly offsets: readonly ConsumerPartitionOffsets[];
  }[];
}

export interface ConsumerPartitionOffsets {
  readonly partition: number;
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly consumerOffset: number;
}

/** ksqlDB's StreamsTaskMetadata: a task with the committed and end offsets of what it reads. */
export interface StreamsTaskMetadata {
  readonly taskId: string;
  readonly topicOffsets: readonly {
    readonly topicPartitionEntity: { readonly topic: string; readonly partition: number };
    readonly endOffset: number;
    readonly committedOffset: number;
  }[];
  readonly timeCurrentIdlingStarted: null;
}

interface StatSource {
  readonly kind: ActivityKind;
  readonly total: string;
  readonly rate: string;
}

/** ksqlDB's statistic names, in the order its collectors list them. */
const CONSUMER: StatSource = { kind: 'consumed', rate: 'consumer-messages-per-sec', total: 'consumer-total-messages' };
const PRODUCER: StatSource = { kind: 'produced', rate: 'messages-per-sec', total: 'total-messages' };

/** The statistics of `topic` over `queries`; `isError`: the failed-message ones. */
export function topicStats(queries: readonly PersistentQuery[], topic: string, isError: boolean, now = Date.now()): Stat[] {
  if (isError) {
    const failed = counters(queries, 'failed', topic);
    if (failed.length === 0) return [];
    const timestamp = latest(failed);
    return [
      { name: 'consumer-failed-messages', value: sum(failed, (c) => c.total), timestamp },
      { name: 'consumer-failed-messages-per-sec', value: sum(failed, (c) => c.ratePerSecond(now)), timestamp },
    ];
  }
  const stats: Stat[] = [];
  for (const source of [CONSUMER, PRODUCER]) {
    const found = counters(queries, source.kind, topic);
    if (found.length === 0) continue;
    const timestamp = latest(found);
    stats.push(
      { name: source.rate, value: sum(found, (c) => c.ratePerSecond(now)), timestamp },
      { name: source.total, value: sum(found, (c) => c.total), timestamp },
    );
  }
  return stats;
}

/** A query's own statistics: what it read from its source topics and wrote to its sink (EXPLAIN). */
export function queryStats(ports: Pick<EnginePorts, 'catalog'>, query: PersistentQuery, isError: boolean, now = Date.now()): Stat[] {
  const topics = [...new Set([...sourceTopicsOf(ports, query), query.sinkTopic])];
  return mergeStats(topics.flatMap((topic) => topicStats([query], topic, isError, now)));
}

/** The stats as ksqlDB formats them into DESCRIBE EXTENDED's `statistics` and `errorStats`. */
export function formatStats(stats: readonly Stat[], isError: boolean): string {
  if (stats.length === 0) return '';
  const parts = stats.map((s) => `${s.name.padStart(16)}:${formatValue(s.value).padStart(10)}`);
  const label = isError ? 'last-failed' : 'last-message';
  return `${parts.join(' ')} ${label.padStart(16)}: ${formatTimestamp(Math.max(...stats.map((s) => s.timestamp))).padStart(9)}`;
}

export function hostStats(ports: Pick<EnginePorts, 'config'>, stats: readonly Stat[]): QueryHostStat[] {
  const host = localHost(ports.config);
  return stats.map((s) => ({ name: s.name, host, value: s.value, timestamp: s.timestamp }));
}

/**
 * ksqlDB's consumer groups summary of a source: per query that writes it,
 * the partitions of every topic its group has offsets in, with the log's
 * start and end and the group's offset (0 before its first commit).
 */
export function queryOffsetSummaries(ports: Pick<EnginePorts, 'log' | 'runner'>, writers: readonly PersistentQuery[]): MaybeAsync<QueryOffsetSummary[]> {
  const { topics, taskLog } = ports.log;
  return allOf(writers.map((query) => {
    const groupId = ports.runner.queryGroup(query.id);
    return andThen(allOf(inputTopicsOf(query).filter((topic) => topics.hasTopic(topic)).map((topic) => andThen(
      // The log's start and end asked now (ListOffsets on Kafka): the task log knows an end only after a fetch.
      allOf(topics.describeTopic(topic).partitions.map((_, partition) => andThen(topics.offsets(topic, partition), ({ start, end }) =>
        andThen(taskLog.committedOffset(groupId, topic, partition), (committed) => ({
          partition,
          logStartOffset: start,
          logEndOffset: end,
          consumerOffset: committed ?? 0,
        }))))),
      (offsets) => ({ kafkaTopic: topic, offsets }),
    ))), (topicSummaries) => ({ groupId, topicSummaries }));
  }));
}

/** EXPLAIN's `tasksMetadata`: per task of the current run, where it has committed and where its input ends. */
export function tasksMetadata(ports: Pick<EnginePorts, 'log' | 'runner'>, query: PersistentQuery): MaybeAsync<StreamsTaskMetadata[]> {
  const group = ports.runner.queryGroup(query.id);
  const { topics, taskLog } = ports.log;
  return allOf(query.tasks.map((task) => andThen(
    allOf(task.topics.filter((topic) => topics.hasTopic(topic)).map((topic) => andThen(topics.offsets(topic, task.partition), ({ end }) =>
      andThen(taskLog.committedOffset(group, topic, task.partition), (committed) => ({
        topicPartitionEntity: { topic, partition: task.partition },
        endOffset: end,
        committedOffset: committed ?? 0,
      }))))),
    (topicOffsets) => ({ taskId: task.taskId, topicOffsets, timeCurrentIdlingStarted: null }),
  )));
}

/** Every topic the query's tasks read (its sources' topics and its repartition topics). */
export function inputTopicsOf(query: PersistentQuery): string[] {
  return [...new Set(query.tasks.flatMap((task) => task.topics))];
}

function sourceTopicsOf(ports: Pick<EnginePorts, 'catalog'>, query: PersistentQuery): string[] {
  return query.sourceNames.flatMap((name) => {
    const source = ports.catalog.metastore.getSource(name);
    return source === undefined ? [] : [source.topic];
  });
}

function counters(queries: readonly PersistentQuery[], kind: ActivityKind, topic: string): ActivityCounter[] {
  return queries.flatMap((q) => {
    const counter = q.statistics.counter(kind, topic);
    return counter === undefined ? [] : [counter];
  });
}

/** Statistics of the same name summed, as ksqlDB aggregates them, keeping the first order and the latest time. */
function mergeStats(stats: readonly Stat[]): Stat[] {
  const merged = new Map<string, Stat>();
  for (const s of stats) {
    const seen = merged.get(s.name);
    merged.set(s.name, seen === undefined ? s : { name: s.name, value: seen.value + s.value, timestamp: Math.max(seen.timestamp, s.timestamp) });
  }
  return [...merged.values()];
}

function sum(found: readonly ActivityCounter[], value: (c: ActivityCounter) => number): number {
  return found.reduce((total, c) => total + value(c), 0);
}

function latest(found: readonly ActivityCounter[]): number {
  return Math.max(...found.map((c) => c.lastMs));
}

/** Java's `%10.0f` for whole numbers, `%10.2f` otherwise (without the padding). */
function formatValue(value: number): string {
  return value === Math.round(value) ? value.toFixed(0) : value.toFixed(2);
}

/** Java's ISO_OFFSET_DATE_TIME of the instant in UTC (fraction without trailing zeros), or n/a. */
function formatTimestamp(ms: number): string {
  if (ms === 0) return 'n/a';
  return new Date(ms).toISOString().replace(/\.(\d*?)0*Z$/, (_, digits: string) => (digits === '' ? 'Z' : `.${digits}Z`));
}
