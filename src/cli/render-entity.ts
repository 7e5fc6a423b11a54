/**
 * The tabular rendering of /ksql entities, after the ksql CLI: status
 * messages in a one-column table, lists as tables, DESCRIBE [EXTENDED]
 * (with runtime statistics and consumer groups' lag), DESCRIBE FUNCTION,
 * EXPLAIN and SHOW QUERIES EXTENDED as entity descriptions, ASSERT results
 * as one sentence. An entity of a type this shell does not know is shown as
 * indented JSON.
 */
import type { Entity } from './ksql-client.js';
import { renderProperties, renderTable } from './render-table.js';

interface SchemaInfo {
  readonly type: string;
  readonly fields: readonly FieldInfo[] | null;
  readonly memberSchema: SchemaInfo | null;
  readonly parameters?: { readonly precision: number; readonly scale: number };
}

interface FieldInfo {
  readonly name: string;
  readonly schema: SchemaInfo;
  readonly type?: 'KEY' | 'HEADER';
  readonly headerKey?: string;
}

export function renderEntity(entity: Entity): string {
  const body = renderBody(entity);
  const warnings = (entity.warnings ?? []).map((w) => `WARNING: ${w.message}`);
  return [body, ...warnings].filter((part) => part !== '').join('\n');
}

function renderBody(e: Entity): string {
  switch (e['@type']) {
    case 'currentStatus':
      return renderTable(['Message'], [[e.commandStatus.message]]);
    case 'streams':
      return renderTable(['Stream Name', 'Kafka Topic', 'Key Format', 'Value Format', 'Windowed'],
        e.streams.map((s: any) => [s.name, s.topic, s.keyFormat, s.valueFormat, String(s.isWindowed)]));
    case 'tables':
      return renderTable(['Table Name', 'Kafka Topic', 'Key Format', 'Value Format', 'Windowed'],
        e.tables.map((s: any) => [s.name, s.topic, s.keyFormat, s.valueFormat, String(s.isWindowed)]));
    case 'queries':
      return `${renderTable(['Query ID', 'Query Type', 'Status', 'Sink Name', 'Sink Kafka Topic', 'Query String'],
        e.queries.map((q: any) => [q.id, q.queryType, describeStatus(q), q.sinks.join(', '), q.sinkKafkaTopics.join(', '), q.queryString]))}\n`
        + 'For detailed information on a Query run: EXPLAIN <Query ID>;';
    case 'kafka_topics':
      return renderTable(['Kafka Topic', 'Partitions', 'Partition Replicas'],
        e.topics.map((t: any) => [t.name, String(t.replicaInfo.length), t.replicaInfo.join(',')]));
    case 'kafka_topics_extended':
      return renderTable(['Kafka Topic', 'Partitions', 'Partition Replicas', 'Consumers', 'ConsumerGroups'],
        e.topics.map((t: any) => [t.name, String(t.replicaInfo.length), t.replicaInfo.join(','), String(t.consumerCount), String(t.consumerGroupCount)]));
    case 'properties':
      return renderTable(['Property', 'Scope', 'Effective Value'], e.properties.map((p: any) => [p.name, p.scope, p.value]));
    case 'variables':
      return renderVariables(e.variables);
    case 'type_list':
      return renderTable(['Type Name', 'Schema'], Object.entries(e.types).map(([name, schema]) => [name, formatSchema(schema as SchemaInfo)]));
    case 'function_names':
      return `${renderTable(['Function Name', 'Category'],
        [...e.functions].sort((a: any, b: any) => a.category.localeCompare(b.category) || a.name.localeCompare(b.name)).map((f: any) => [f.name, f.category]))}\n`
        + 'For detailed information about a function, run: DESCRIBE FUNCTION <Function Name>;';
    case 'describe_function':
      return renderFunction(e);
    case 'sourceDescription':
      return renderSource(e.sourceDescription);
    case 'source_descriptions':
      return e.sourceDescriptions.map((d: any) => renderSource(d)).join('\n\n');
    case 'queryDescription':
      return renderQuery(e.queryDescription);
    case 'queryDescriptionList':
      return e.queryDescriptions.map((d: any) => renderQuery(d)).join('\n\n');
    case 'assert_topic':
      return `Topic ${e.topicName}${e.exists ? ' exists' : ' does not exist'}.`;
    case 'assert_schema':
      return `Schema with${e.subject === null ? '' : ` subject ${e.subject}`}${e.id === null ? '' : ` id ${e.id}`}${e.exists ? ' exists' : ' does not exist'}.`;
    case 'warning_entity':
      return e.message;
    case 'empty':
      return '';
    default:
      return JSON.stringify(e, null, 2);
  }
}

export function renderVariables(variables: readonly { name: string; value: string }[]): string {
  return renderTable(['Variable Name', 'Value'], variables.map((v) => [v.name, v.value]));
}

function describeStatus(q: any): string {
  const counts = Object.entries(q.statusCount ?? {});
  if (counts.length === 0) return q.state ?? '';
  return counts.map(([state, n]) => `${state}:${String(n)}`).join(' ');
}

export function formatSchema(schema: SchemaInfo): string {
  switch (schema.type) {
    case 'STRING':
      return 'VARCHAR(STRING)';
    case 'ARRAY':
      return `ARRAY<${formatSchema(schema.memberSchema!)}>`;
    case 'MAP':
      return `MAP<STRING, ${formatSchema(schema.memberSchema!)}>`;
    case 'STRUCT':
      return `STRUCT<${(schema.fields ?? []).map((f) => `${f.name} ${formatSchema(f.schema)}`).join(', ')}>`;
    case 'DECIMAL':
      return schema.parameters ? `DECIMAL(${schema.parameters.precision}, ${schema.parameters.scale})` : 'DECIMAL';
    default:
      return schema.type;
  }
}

/** The Field | Type table (none without fields); a key's type names the window type of a windowed source. */
function renderFields(fields: readonly FieldInfo[], isTable: boolean, windowType: string | undefined): string[] {
  if (fields.length === 0) return [];
  const rows = fields.map((f) => {
    const type = formatSchema(f.schema);
    if (f.type === 'KEY') {
      return [f.name, `${type.padEnd(16)} ${isTable ? '(primary key)' : '(key)'}${windowType ? ` (Window type: ${windowType})` : ''}`];
    }
    if (f.type === 'HEADER') return [f.name, `${type.padEnd(16)} ${f.headerKey === undefined ? '(headers)' : `(header('${f.headerKey}'))`}`];
    return [f.name, type];
  });
  return [renderTable(['Field', 'Type'], rows)];
}

/** A titled section as the ksql CLI prints one: the title, a fixed rule of dashes, the lines. */
function section(title: string, rule: string, lines: readonly string[]): string {
  return [title, rule, ...lines].join('\n');
}

const QUERIES_RULE = '-'.repeat(35);

function renderSource(d: any): string {
  const name = [`Name`, d.name] as const;
  const fields = renderFields(d.fields, d.type === 'TABLE', d.windowType ?? undefined);
  if (!d.extended) {
    return [renderProperties([name]), ...fields, 'For runtime statistics and query details run: DESCRIBE <Stream,Table> EXTENDED;'].join('\n');
  }
  const header = renderProperties([
    name,
    ['Type', d.type],
    ['Timestamp field', d.timestamp === '' ? 'Not set - using <ROWTIME>' : d.timestamp],
    ['Key format', d.keyFormat],
    ['Value format', d.valueFormat],
    ['Kafka topic', `${d.topic} (partitions: ${d.partitions}, replication: ${d.replication})`],
    ['Statement', d.statement],
  ]);
  // A query's text on one line, as RunningQuery.getQuerySingleLine gives it.
  const queries = (title: string, list: readonly any[]): string => section(title, QUERIES_RULE,
    [...list.map((q) => `${q.id} (${q.state ?? 'N/A'}) : ${String(q.queryString).replace(/\r?\n/g, '')}`),
      '', 'For query topology and execution plan please run: EXPLAIN <QueryId>']);
  const parts = [header, '', ...fields];
  if (d.readQueries.length > 0) parts.push('', queries(`Queries that read from this ${d.type}`, d.readQueries));
  if (d.writeQueries.length > 0) parts.push('', queries(`Queries that write from this ${d.type}`, d.writeQueries));
  parts.push('', renderStatistics(d), `(Statistics of the local KSQL server interaction with the Kafka topic ${d.topic})`);
  const summaries: readonly any[] = d.queryOffsetSummaries ?? [];
  if (summaries.length > 0) parts.push('', 'Consumer Groups summary:', ...summaries.flatMap(renderOffsetSummary));
  return parts.join('\n');
}

/**
 * As the ksql CLI shows them: the statistics per host in a table when the
 * server lists them so, else its two local statistics lines.
 */
function renderStatistics(d: any): string {
  const stats: readonly any[] = [...(d.clusterStatistics ?? []), ...(d.clusterErrorStats ?? [])];
  if (stats.length === 0) return ['Local runtime statistics', '------------------------', d.statistics ?? '', d.errorStats ?? ''].join('\n');
  const rows = [...stats]
    .sort((a, b) => String(a.host).localeCompare(String(b.host)) || String(a.name).localeCompare(String(b.name)))
    .map((s) => [String(s.host), String(s.name), Math.round(Number(s.value)).toString().padStart(10), statTime(Number(s.timestamp))]);
  return `Runtime statistics by host\n-------------------------\n${renderTable(['Host', 'Metric', 'Value', 'Last Message'], rows)}`;
}

/** A statistic's time as ksqlDB prints it: the UTC instant, or n/a before any event. */
function statTime(ms: number): string {
  if (ms === 0) return 'n/a';
  return new Date(ms).toISOString().replace(/\.(\d*?)0*Z$/, (_, digits: string) => (digits === '' ? 'Z' : `.${digits}Z`));
}

/** A writer's consumer group: per topic it reads, the largest lag and a table of its partitions. */
function renderOffsetSummary(summary: any): string[] {
  const lines = ['', renderProperties([['Consumer Group', String(summary.groupId)]])];
  if (summary.topicSummaries.length === 0) lines.push('<no offsets committed by this group yet>');
  for (const topic of summary.topicSummaries) {
    const lag = (o: any): number => Number(o.logEndOffset) - Number(o.consumerOffset);
    lines.push('', renderProperties([['Kafka topic', String(topic.kafkaTopic)], ['Max lag', String(Math.max(0, ...topic.offsets.map(lag)))]]), '');
    lines.push(renderTable(['Partition', 'Start Offset', 'End Offset', 'Offset', 'Lag'],
      topic.offsets.map((o: any) => [String(o.partition), String(o.logStartOffset), String(o.logEndOffset), String(o.consumerOffset), String(lag(o))])));
  }
  return lines;
}

function renderQuery(q: any): string {
  const overridden = Object.entries(q.overriddenProperties ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // ksqlDB prints the host statuses as a Java map: {host:port=STATE, ...}.
  const hosts = Object.entries(q.ksqlHostQueryStatus ?? {}).map(([host, state]) => `${host}=${String(state)}`);
  const parts = [
    renderProperties([
      ['ID', q.id],
      ['Query Type', q.queryType],
      ...(q.statementText ? [['SQL', q.statementText] as const] : []),
      ...(hosts.length > 0 ? [['Host Query Status', `{${hosts.join(', ')}}`] as const] : []),
    ]),
    '',
    ...renderFields(q.fields, false, q.windowType ?? undefined),
  ];
  if (q.sources.length > 0) {
    parts.push('', section('Sources that this query reads from: ', QUERIES_RULE, q.sources), '', 'For source description please run: DESCRIBE [EXTENDED] <SourceId>');
  }
  if (q.sinks.length > 0) {
    parts.push('', section('Sinks that this query writes to: ', QUERIES_RULE, q.sinks), '', 'For sink description please run: DESCRIBE [EXTENDED] <SinkId>');
  }
  // The query's own statistics, as the EXPLAIN of ksqlDB's documentation shows them.
  if (q.statistics || q.errorStats) parts.push('', section('Local runtime statistics', '------------------------', [q.statistics, q.errorStats].filter(Boolean)));
  if (q.executionPlan) parts.push('', section('Execution plan', '--------------', [q.executionPlan]));
  if (q.topology) parts.push('', section('Processing topology', '-------------------', [q.topology]));
  if (overridden.length > 0) {
    parts.push('', section('Overridden Properties', '---------------------', [renderTable(['Property', 'Value'], overridden.map(([k, v]) => [k, String(v)]))]));
  }
  // The errors that put the query in ERROR, as the ksql CLI lists them.
  parts.push('', ...(q.queryErrors ?? []).map((e: any) => renderProperties([
    ['Error Date', new Date(e.timestamp).toISOString()],
    ['Error Details', String(e.errorMessage)],
    ['Error Type', String(e.type)],
  ])));
  return parts.join('\n');
}

function renderFunction(e: any): string {
  const header = renderProperties([
    ['Name', e.name],
    ['Author', e.author],
    ['Version', e.version],
    ['Overview', e.description],
    ['Type', e.type],
    ['Jar', e.path],
    ['Variations', ''],
  ]);
  const variations = e.functions.map((f: any) => {
    const args = f.arguments.map((a: any) => `${a.name ? `${a.name} ` : ''}${a.type}${a.isVariadic ? '...' : ''}`).join(', ');
    const lines = [`\tVariation   : ${e.name}(${args})`, `\tReturns     : ${f.returnType}`];
    if (f.description) lines.push(`\tDescription : ${f.description}`);
    for (const a of f.arguments) if (a.description) lines.push(`\t${a.name.padEnd(12)}: ${a.description}`);
    return lines.join('\n');
  });
  return [header, '', ...variations.flatMap((v: string) => [v, ''])].join('\n').trimEnd();
}
