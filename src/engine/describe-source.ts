/**
 * DESCRIBE source [EXTENDED] and DESCRIBE STREAMS|TABLES [EXTENDED]: ksqlDB's
 * `sourceDescription` and `source_descriptions` entities. The extended form
 * adds the topic's partition count and replication (always 1 here), the
 * runtime statistics of the source's topic as strings (`statistics`,
 * `errorStats`) and the consumer offsets and lag of the queries that write
 * the source (`queryOffsetSummaries`); as in ksqlDB, `clusterStatistics` and
 * `clusterErrorStats` list this host's statistics either way
 * (runtime-statistics.ts).
 */
import { allOf, andThen, type MaybeAsync } from '../common/maybe-async.js';
import { statementError } from '../common/errors.js';
import type { StatementOfKind } from '../parser/ast/statement.js';
import type { DataSource } from '../catalog/data-source.js';
import type { EnginePorts } from './engine-ports.js';
import { describeColumns, type FieldInfo } from './field-info.js';
import { formatStats, hostStats, queryOffsetSummaries, topicStats, type QueryHostStat, type QueryOffsetSummary } from './runtime-statistics.js';
import { summarizeQueriesOf, type QuerySummary } from './summarize-query.js';

export interface SourceDescription {
  readonly name: string;
  readonly windowType: string | null;
  readonly readQueries: readonly QuerySummary[];
  readonly writeQueries: readonly QuerySummary[];
  readonly fields: readonly FieldInfo[];
  readonly type: 'STREAM' | 'TABLE';
  readonly timestamp: string;
  readonly statistics: string;
  readonly errorStats: string;
  readonly extended: boolean;
  readonly keyFormat: string;
  readonly valueFormat: string;
  readonly topic: string;
  readonly partitions: number;
  readonly replication: number;
  readonly statement: string;
  readonly queryOffsetSummaries: readonly QueryOffsetSummary[];
  readonly sourceConstraints: readonly string[];
  readonly clusterStatistics: readonly QueryHostStat[];
  readonly clusterErrorStats: readonly QueryHostStat[];
}

export interface SourceDescriptionEntity {
  readonly '@type': 'sourceDescription';
  readonly statementText: string;
  readonly sourceDescription: SourceDescription;
  readonly warnings: readonly { readonly message: string }[];
}

export interface SourceDescriptionListEntity {
  readonly '@type': 'source_descriptions';
  readonly statementText: string;
  readonly sourceDescriptions: readonly SourceDescription[];
  readonly warnings: readonly { readonly message: string }[];
}

export function describeSource(ports: EnginePorts, stmt: StatementOfKind<'DescribeSource'>): MaybeAsync<SourceDescriptionEntity> {
  const source = ports.catalog.metastore.getSource(stmt.name);
  if (source === undefined) throw statementError(`Could not find STREAM/TABLE '${stmt.name}' in the metastore`);
  return andThen(buildSourceDescription(ports, source, stmt.extended), (sourceDescription) => ({
    '@type': 'sourceDescription' as const,
    statementText: stmt.text,
    sourceDescription,
    warnings: [],
  }));
}

/** DESCRIBE STREAMS|TABLES [EXTENDED], and SHOW STREAMS|TABLES EXTENDED, which ksqlDB answers with the same list of extended descriptions. */
export function describeSources(ports: EnginePorts, stmt: { readonly text: string; readonly extended: boolean }, kind: 'STREAM' | 'TABLE'): MaybeAsync<SourceDescriptionListEntity> {
  const described = allOf(ports.catalog.metastore.listSources().filter((s) => s.kind === kind).map((s) => buildSourceDescription(ports, s, stmt.extended)));
  return andThen(described, (sourceDescriptions) => ({
    '@type': 'source_descriptions' as const,
    statementText: stmt.text,
    sourceDescriptions,
    warnings: [],
  }));
}

/** A source's description; EXTENDED asks the log where the queries writing it have committed, which may answer later. */
export function buildSourceDescription(ports: Pick<EnginePorts, 'log' | 'runner' | 'config'>, source: DataSource, extended: boolean): MaybeAsync<SourceDescription> {
  const partitions = extended && ports.log.topics.hasTopic(source.topic) ? ports.log.topics.describeTopic(source.topic).partitions.length : 0;
  const queries = ports.runner.listQueries();
  const now = Date.now();
  const stats = topicStats(queries, source.topic, false, now);
  const errorStats = topicStats(queries, source.topic, true, now);
  const writers = queries.filter((q) => q.sinkName === source.name);
  return andThen(extended ? queryOffsetSummaries(ports, writers) : [], (summaries) => ({
    name: source.name,
    windowType: source.window?.type ?? null,
    ...summarizeQueriesOf(ports, source.name),
    fields: describeColumns(source.schema),
    type: source.kind,
    timestamp: source.timestampColumn?.column ?? '',
    statistics: extended ? formatStats(stats, false) : '',
    errorStats: extended ? formatStats(errorStats, true) : '',
    extended,
    keyFormat: source.keyFormat.format,
    valueFormat: source.valueFormat.format,
    topic: source.topic,
    partitions,
    replication: partitions > 0 ? 1 : 0,
    statement: source.statementText,
    queryOffsetSummaries: summaries,
    sourceConstraints: [],
    clusterStatistics: hostStats(ports, stats),
    clusterErrorStats: hostStats(ports, errorStats),
  }));
}
