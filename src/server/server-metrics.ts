/**
 * The server's Prometheus metrics (prom-client), served at GET /metrics in
 * the text exposition format, behind the same gate as every route. What the
 * engine counts anyway (each query's statistics, committed offsets, state
 * stores, connections) is read when Prometheus scrapes, in collect callbacks,
 * so nothing is spent between scrapes; only the histograms are observed as
 * things happen: once per task commit, once per pull query, once per push
 * query start. Process metrics are prom-client's defaults.
 */
import { allOf, andThen, type MaybeAsync } from '../common/maybe-async.js';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { KsqlEngine } from '../engine/engine.js';
import { inputTopicsOf } from '../engine/runtime-statistics.js';
import type { ActivityKind } from '../runtime/query-statistics.js';
import type { StandbyStoreLag } from '../runtime/standby-task.js';

/** Where the server's connections are counted when scraped (each may be absent: not started, or turned off). */
export interface ConnectionCounts {
  http(): number;
  webSocket(): number;
  kafka(): number | undefined;
}

export interface ServerMetricsSources {
  readonly engine: () => KsqlEngine | undefined;
  readonly connections: ConnectionCounts;
}

export class ServerMetrics {
  readonly registry = new Registry();
  private readonly commitLatency: Histogram<'query_id'>;
  private readonly pullLatency: Histogram;
  private readonly pushLatency: Histogram;

  constructor(sources: ServerMetricsSources) {
    const registers = [this.registry];
    const { engine } = sources;
    collectDefaultMetrics({ register: this.registry, prefix: 'ksqlite_' });
    const activity = (name: string, help: string, kind: ActivityKind): void => {
      new Counter({
        name, help, labelNames: ['query_id', 'topic'], registers,
        collect() {
          this.reset();
          for (const query of engine()?.listQueries() ?? []) {
            for (const [topic, counter] of query.statistics.countersOf(kind)) this.inc({ query_id: query.id, topic }, counter.total);
          }
        },
      });
    };
    activity('ksqlite_query_records_consumed_total', 'Records a persistent query consumed and committed, per topic it reads.', 'consumed');
    activity('ksqlite_query_records_produced_total', 'Records a persistent query produced and committed, per topic it writes (the processing log included).', 'produced');
    activity('ksqlite_query_processing_errors_total', 'Records a persistent query sent to the processing log, per topic they were read from.', 'failed');
    new Gauge({
      name: 'ksqlite_query_consumer_lag', help: 'Records between a persistent query\'s committed offset and the end of what it reads, per topic and partition.',
      labelNames: ['query_id', 'topic', 'partition'], registers,
      collect() {
        this.reset();
        const e = engine();
        if (e === undefined) return undefined;
        // Where a group committed may be asked over the network (Kafka): the scrape waits for every answer.
        const pending: MaybeAsync<void>[] = [];
        for (const query of e.listQueries()) {
          const group = e.queryGroup(query.id);
          for (const topic of inputTopicsOf(query)) {
            if (!e.topics.hasTopic(topic)) continue;
            // The log's end asked now (ListOffsets on Kafka): the task log knows an end only after a fetch.
            e.topics.describeTopic(topic).partitions.forEach((_, partition) => {
              pending.push(andThen(e.topics.offsets(topic, partition), ({ start, end }) => andThen(e.taskLog.committedOffset(group, topic, partition), (committed) => {
                this.set({ query_id: query.id, topic, partition: String(partition) }, Math.max(0, end - (committed ?? start)));
              })));
            });
          }
        }
        return andThen(allOf(pending), () => undefined);
      },
    });
    new Gauge({
      name: 'ksqlite_query_running', help: 'Whether a persistent query runs (1) or waits in ERROR for its retry (0).', labelNames: ['query_id'], registers,
      collect() {
        this.reset();
        for (const query of engine()?.listQueries() ?? []) this.set({ query_id: query.id }, query.state === 'RUNNING' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'ksqlite_persistent_queries', help: 'Persistent queries of this server by state (ksqlDB\'s running-queries and error-queries; their sum is num-persistent-queries).',
      labelNames: ['state'], registers,
      collect() {
        const queries = engine()?.listQueries() ?? [];
        for (const state of ['RUNNING', 'ERROR'] as const) this.set({ state }, queries.filter((q) => q.state === state).length);
      },
    });
    new Gauge({
      name: 'ksqlite_state_store_rows', help: 'Committed rows of a state store, per query, store and partition.',
      labelNames: ['query_id', 'store', 'partition'], registers,
      collect() {
        this.reset();
        for (const store of engine()?.stores.storeRowCounts() ?? []) {
          this.set({ query_id: store.query, store: store.name, partition: String(store.partition) }, store.rows);
        }
      },
    });
    const standby = (name: string, help: string, value: (lag: StandbyStoreLag) => number): void => {
      new Gauge({
        name, help, labelNames: ['query_id', 'store', 'partition'], registers,
        collect() {
          this.reset();
          for (const lag of engine()?.standbyStoreLags() ?? []) this.set({ query_id: lag.queryId, store: lag.store, partition: String(lag.partition) }, value(lag));
        },
      });
    };
    standby('ksqlite_standby_store_offset_position', 'The changelog offset a standby store of this server reads next, per query, store and partition (on a Kafka cluster).', (lag) => lag.position);
    standby('ksqlite_standby_store_offset_lag', 'Changelog records a standby store of this server has still to read, per query, store and partition.', (lag) => lag.lag);
    const restores = (name: string, help: string, count: (restores: { stores: number; records: number }) => number): void => {
      new Counter({
        name, help, labelNames: ['query_id'], registers,
        collect() {
          this.reset();
          for (const query of engine()?.listQueries() ?? []) this.inc({ query_id: query.id }, count(query.statistics.restores));
        },
      });
    };
    restores('ksqlite_state_store_restores_total', 'Stores a persistent query\'s tasks restored from their changelogs when they started on this server (on a Kafka cluster).', (r) => r.stores);
    restores('ksqlite_state_store_restored_records_total', 'Changelog records those restores read (from each store\'s checkpoint on).', (r) => r.records);
    const { connections } = sources;
    new Gauge({
      name: 'ksqlite_open_connections', help: 'Open connections: HTTP (HTTP/1.1 and HTTP/2 alike), WebSocket queries, Kafka protocol.',
      labelNames: ['protocol'], registers,
      collect() {
        this.reset();
        this.set({ protocol: 'http' }, connections.http());
        this.set({ protocol: 'websocket' }, connections.webSocket());
        const kafka = connections.kafka();
        if (kafka !== undefined) this.set({ protocol: 'kafka' }, kafka);
      },
    });
    this.commitLatency = new Histogram({
      name: 'ksqlite_query_commit_latency_seconds', help: 'How long a persistent query\'s task commits took (one transaction: outputs, offsets, state).',
      labelNames: ['query_id'], registers, buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    });
    const latencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    this.pullLatency = new Histogram({
      name: 'ksqlite_pull_query_latency_seconds', help: 'Pull queries over HTTP, from the request to the last row written.', registers, buckets: latencyBuckets,
    });
    this.pushLatency = new Histogram({
      name: 'ksqlite_push_query_latency_seconds', help: 'Push queries, from the request until the query streams (its header is written).', registers, buckets: latencyBuckets,
    });
  }

  observeCommit(queryId: string, seconds: number): void {
    this.commitLatency.observe({ query_id: queryId }, seconds);
  }

  observeQuery(kind: 'pull' | 'push', seconds: number): void {
    (kind === 'pull' ? this.pullLatency : this.pushLatency).observe(seconds);
  }
}
