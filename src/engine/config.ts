/**
 * Server and query properties: ksqlDB's names, ksqlDB's defaults.
 *
 * A `KsqlConfig` is immutable: server properties from start-up, overlaid per
 * request or per statement with `withOverrides` (SET, `streamsProperties`).
 * Kafka Streams and consumer properties may be written with or without the
 * `ksql.streams.` prefix, as ksqlDB allows; they are stored without it.
 */
import { KsqlError } from '../common/errors.js';
import { DEFAULT_PARSE_LIMITS, PARSE_LIMIT_PROPERTIES, type ParseLimits } from '../parser/index.js';
import { DEFAULT_CACHE_MAX_BYTES } from '../runtime/task-state.js';

export type PropertyValue = string | number | boolean;

interface PropertySpec {
  readonly default: PropertyValue | null;
  /** May a request or SET override it (ksqlDB's "per query")? */
  readonly perQuery: boolean;
  readonly parse: (text: string) => PropertyValue;
  readonly doc: string;
}

const asString = (text: string): string => text;
const asBoolean = (text: string): boolean => {
  const t = text.trim().toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  throw new Error(`Expected a boolean, got '${text}'`);
};
const asInteger = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n)) throw new Error(`Expected an integer, got '${text}'`);
  return n;
};
const asPositive = (text: string): number => {
  const n = asInteger(text);
  if (n < 1) throw new Error(`Expected a whole number of at least 1, got '${text}'`);
  return n;
};
const asNonNegative = (text: string): number => {
  // Java's Long.MAX_VALUE, ksqlDB's "no bound", is beyond a double's integers: any bound that large is none.
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text)) throw new Error(`Expected a whole number of at least 0, got '${text}'`);
  return Math.min(n, Number.MAX_SAFE_INTEGER);
};
/** Kafka's check of a setting with a fixed set of values: exact text, and its message when refused. */
const exactlyOneOf =
  (...allowed: string[]) =>
  (text: string): string => {
    if (!allowed.includes(text)) throw new Error(`String must be one of: ${allowed.join(', ')}`);
    return text;
  };
const oneOf =
  (...allowed: string[]) =>
  (text: string): string => {
    const t = text.trim().toLowerCase();
    if (!allowed.includes(t)) throw new Error(`Expected one of ${allowed.join(', ')}, got '${text}'`);
    return t;
  };

function spec(defaultValue: PropertyValue | null, perQuery: boolean, parse: PropertySpec['parse'], doc: string): PropertySpec {
  return { default: defaultValue, perQuery, parse, doc };
}

/** Kafka Streams' processing.guarantee values (exactly_once and exactly_once_beta are its older names of exactly-once). */
export const PROCESSING_GUARANTEES = ['at_least_once', 'exactly_once', 'exactly_once_beta', 'exactly_once_v2'] as const;

/** The properties ksqlite honours. Anything else is accepted and passed along as text. */
export const PROPERTY_SPECS: Readonly<Record<string, PropertySpec>> = {
  'ksql.service.id': spec('default_', false, asString, 'The service id; prefixes internal topic names.'),
  'ksql.output.topic.name.prefix': spec('', false, asString, 'Prefix of automatically named output topics.'),
  'ksql.persistence.default.format.key': spec('KAFKA', false, asString, 'KEY_FORMAT when a statement gives none.'),
  'ksql.persistence.default.format.value': spec(null, false, asString, 'VALUE_FORMAT when a statement gives none.'),
  'ksql.persistence.wrap.single.values': spec(null, false, asBoolean, 'WRAP_SINGLE_VALUE when a statement gives none.'),
  'ksql.sink.partitions': spec(null, false, asInteger, 'Deprecated: partitions of new sink topics.'),
  'ksql.sink.replicas': spec(null, false, asInteger, 'Deprecated: replicas of new sink topics.'),
  'ksql.create.or.replace.enabled': spec(true, false, asBoolean, 'Allow CREATE OR REPLACE.'),
  'ksql.new.query.planner.enabled': spec(false, true, asBoolean, "Plan persistent queries with ksqlDB's experimental planner (projections of a stream)."),
  'ksql.variable.substitution.enable': spec(true, true, asBoolean, 'Substitute ${var} references.'),
  'ksql.headers.columns.enabled': spec(true, false, asBoolean, 'Allow HEADERS columns.'),
  'ksql.source.table.materialization.enabled': spec(true, false, asBoolean, 'Materialize SOURCE tables.'),
  'ksql.suppress.enabled': spec(true, false, asBoolean, 'Allow EMIT FINAL.'),
  'ksql.query.pull.table.scan.enabled': spec(true, true, asBoolean, 'Allow pull queries that scan a table.'),
  'ksql.insert.into.values.enabled': spec(true, false, asBoolean, 'Allow INSERT INTO ... VALUES.'),
  'ksql.max.push.queries': spec(100, false, asInteger, 'Push queries the server runs at once; more are refused.'),
  'ksql.query.persistent.active.limit': spec(2147483647, false, asInteger, 'Most persistent queries at once.'),
  'ksql.query.retry.backoff.initial.ms': spec(15000, false, asInteger, 'Wait before the first retry of a query in ERROR.'),
  'ksql.query.retry.backoff.max.ms': spec(900000, false, asInteger, 'Longest wait between retries of a query in ERROR (the wait doubles).'),
  'ksql.query.error.max.queue.size': spec(10, false, asInteger, 'How many of its latest errors a query keeps for EXPLAIN.'),
  'ksql.fail.on.deserialization.error': spec(false, false, asBoolean, 'Stop a query on a bad record.'),
  'ksql.timestamp.throw.on.invalid': spec(false, true, asBoolean, 'Stop a query on a record whose timestamp cannot be extracted, instead of logging and skipping it.'),
  'ksql.logging.processing.topic.name': spec(null, false, asString, 'Processing log topic (default: <service id>ksql_processing_log).'),
  'ksql.logging.processing.topic.partitions': spec(1, false, asInteger, 'Partitions of the processing log topic.'),
  'ksql.logging.processing.stream.name': spec('KSQL_PROCESSING_LOG', false, asString, 'Processing log stream name.'),
  'ksql.logging.processing.stream.auto.create': spec(false, false, asBoolean, 'Declare the processing log stream over its topic when the server starts, if no source has its name.'),
  'ksql.logging.processing.rows.include': spec(false, false, asBoolean, 'Include rows in processing log records.'),
  'ksql.functions.substring.legacy.args': spec(false, true, asBoolean, 'Old SUBSTRING argument semantics.'),
  'ksql.functions.collect_list.limit': spec(1000, false, asInteger, 'Most elements COLLECT_LIST keeps.'),
  'ksql.functions.collect_set.limit': spec(1000, false, asInteger, 'Most elements COLLECT_SET keeps.'),
  'ksql.functions.collect_map.limit': spec(-1, false, asInteger, 'Most keys COLLECT_MAP keeps (negative: no limit).'),
  'ksql.connect.url': spec('http://localhost:8083', false, asString, 'Kafka Connect cluster of the connector statements (ksqlite has no Connect client: they answer that it cannot be reached).'),
  'ksql.assert.topic.default.timeout.ms': spec(1000, true, asInteger, 'ASSERT TOPIC timeout.'),
  'ksql.assert.schema.default.timeout.ms': spec(1000, true, asInteger, 'ASSERT SCHEMA timeout.'),
  'ksql.advertised.listener': spec(null, false, asString, 'The URL other servers of the cluster reach this one at (default: its first listener).'),
  'ksql.heartbeat.enable': spec(false, false, asBoolean, 'Servers of a cluster send each other heartbeats, so pull queries route around dead ones.'),
  'ksql.heartbeat.send.interval.ms': spec(100, false, asPositive, 'How often a server sends its heartbeat to every other server.'),
  'ksql.heartbeat.check.interval.ms': spec(200, false, asPositive, 'How often a server decides from the heartbeats it got which servers are alive.'),
  'ksql.heartbeat.window.ms': spec(2000, false, asPositive, 'The window of received heartbeats a liveness decision looks at.'),
  'ksql.heartbeat.missed.threshold.ms': spec(3, false, asPositive, 'How many consecutive missed heartbeats mark a server dead.'),
  'ksql.heartbeat.discover.interval.ms': spec(2000, false, asPositive, 'How often a server looks for servers that joined the cluster.'),
  'ksql.lag.reporting.enable': spec(false, false, asBoolean, 'Servers send each other the lags of their state stores (needs ksql.heartbeat.enable).'),
  'ksql.lag.reporting.send.interval.ms': spec(5000, false, asPositive, 'How often a server sends its store lags.'),
  'ksql.query.pull.enable.standby.reads': spec(false, true, asBoolean, 'A pull query may read a standby when the active server cannot answer.'),
  'ksql.query.pull.max.allowed.offset.lag': spec(Number.MAX_SAFE_INTEGER, true, asNonNegative, 'Most records a store partition may be behind for a pull query to read it.'),
  'ksql.query.pull.forwarding.timeout.ms': spec(20000, true, asPositive, 'How long a pull query forwarded to another server may take.'),
  'auto.offset.reset': spec('latest', true, oneOf('earliest', 'latest'), 'Where a new query starts reading.'),
  'commit.interval.ms': spec(2000, true, asInteger, 'How often tasks commit (server scheduling).'),
  'repartition.purge.interval.ms': spec(30000, true, asInteger, 'How often a query deletes the records of its repartition topics it has committed past.'),
  'cache.max.bytes.buffering': spec(DEFAULT_CACHE_MAX_BYTES, true, asInteger, 'Bytes each operator cache of a task (aggregations\' accumulators) keeps between commits.'),
  'processing.guarantee': spec('exactly_once_v2', true, exactlyOneOf(...PROCESSING_GUARANTEES),
    'exactly_once_v2 (exactly_once, exactly_once_beta: the same): a task commit is one transaction. at_least_once: on a Kafka cluster, outputs and changelogs are produced and flushed, then the input offsets committed (faster; a crash between reprocesses input). The embedded log is always exactly-once.'),
  [PARSE_LIMIT_PROPERTIES.maxLength]: spec(DEFAULT_PARSE_LIMITS.maxLength, false, asPositive, 'Longest statement text a request may send, in characters.'),
  [PARSE_LIMIT_PROPERTIES.maxTokens]: spec(DEFAULT_PARSE_LIMITS.maxTokens, false, asPositive, 'Most tokens in the statement text of a request.'),
  [PARSE_LIMIT_PROPERTIES.maxDepth]: spec(DEFAULT_PARSE_LIMITS.maxDepth, false, asPositive, 'Deepest nesting of an expression.'),
  [PARSE_LIMIT_PROPERTIES.maxInList]: spec(DEFAULT_PARSE_LIMITS.maxInList, false, asPositive, 'Most values in one IN list.'),
};

const STREAMS_PREFIX = 'ksql.streams.';

/** ksqlDB accepts `ksql.streams.x` and `x` for Kafka Streams properties; we store `x`. */
export function normalizePropertyName(name: string): string {
  const n = name.trim();
  return n.startsWith(STREAMS_PREFIX) ? n.slice(STREAMS_PREFIX.length) : n;
}

export class KsqlConfig {
  private readonly values: ReadonlyMap<string, PropertyValue>;
  private limits: ParseLimits | undefined;

  constructor(values: Record<string, PropertyValue | null | undefined> = {}) {
    const map = new Map<string, PropertyValue>();
    for (const [name, raw] of Object.entries(values)) {
      if (raw === null || raw === undefined) continue;
      const key = normalizePropertyName(name);
      map.set(key, parsePropertyValue(key, raw));
    }
    this.values = map;
  }

  get(name: string): PropertyValue | null {
    const key = normalizePropertyName(name);
    return this.values.get(key) ?? PROPERTY_SPECS[key]?.default ?? null;
  }

  getString(name: string): string | null {
    const v = this.get(name);
    return v === null ? null : String(v);
  }

  getBoolean(name: string): boolean {
    return this.get(name) === true;
  }

  getInteger(name: string): number | null {
    const v = this.get(name);
    return v === null ? null : Number(v);
  }

  /** A new config with these properties set (request or session overrides). */
  withOverrides(overrides: Record<string, PropertyValue | null | undefined>): KsqlConfig {
    // A config never changes: no overrides (most requests) is this one, without copying every property.
    if (Object.keys(overrides).length === 0) return this;
    return new KsqlConfig({ ...Object.fromEntries(this.values), ...overrides });
  }

  /** Every property that has a value, defaults included, for SHOW PROPERTIES. */
  entries(): [string, PropertyValue | null][] {
    const names = new Set([...Object.keys(PROPERTY_SPECS), ...this.values.keys()]);
    return [...names].sort().map((n) => [n, this.get(n)]);
  }

  /** Properties set explicitly, as given (for the command log). */
  explicit(): Record<string, PropertyValue> {
    return Object.fromEntries(this.values);
  }

  /** The server's bounds on the SQL of one request (read once: every query request asks). */
  get parseLimits(): ParseLimits {
    if (this.limits !== undefined) return this.limits;
    const get = (name: keyof ParseLimits): number => this.getInteger(PARSE_LIMIT_PROPERTIES[name]) ?? DEFAULT_PARSE_LIMITS[name];
    return this.limits = { maxLength: get('maxLength'), maxTokens: get('maxTokens'), maxDepth: get('maxDepth'), maxInList: get('maxInList') };
  }

  get serviceId(): string {
    return this.getString('ksql.service.id') ?? 'default_';
  }

  get processingLogTopic(): string {
    return this.getString('ksql.logging.processing.topic.name') ?? `${this.serviceId}ksql_processing_log`;
  }
}

/**
 * Properties a request or SET may never override: ksqlDB's immutable ones
 * (its ImmutableProperties), and the service id, which names the command
 * topic and every query's internal topics and consumer groups.
 */
const IMMUTABLE_PROPERTIES = new Set([
  'ksql.service.id', 'bootstrap.servers', 'ksql.extension.dir', 'ksql.query.persistent.active.limit', 'ksql.pull.queries.enable',
  'ksql.hidden.topics', 'ksql.readonly.topics', 'ksql.source.table.materialization.enabled', 'ksql.headers.columns.enabled',
  'ksql.runtime.feature.shared.enabled', ...Object.values(PARSE_LIMIT_PROPERTIES),
]);

/** Parses an override of a request or SET: an immutable property is refused as ksqlDB refuses it. */
export function parseOverride(name: string, raw: PropertyValue): PropertyValue {
  const key = normalizePropertyName(name);
  if (IMMUTABLE_PROPERTIES.has(key) || key.startsWith('ssl.')) throw new KsqlError('BAD_REQUEST', `Cannot override property '${name}'`);
  return parsePropertyValue(key, raw);
}

/** Parses a property's text (or value) by its spec; unknown properties pass through. */
export function parsePropertyValue(name: string, raw: PropertyValue): PropertyValue {
  const s = PROPERTY_SPECS[normalizePropertyName(name)];
  if (!s) return raw;
  if (typeof raw !== 'string') return raw;
  try {
    return s.parse(raw);
  } catch (e) {
    throw new KsqlError('BAD_REQUEST', `Invalid value ${raw} for configuration ${name}: ${(e as Error).message}`);
  }
}

/** Whether a request may override this property (ksqlDB's `/is_valid_property`). */
export function isOverridableProperty(name: string): boolean {
  const s = PROPERTY_SPECS[normalizePropertyName(name)];
  return s === undefined || s.perQuery;
}
