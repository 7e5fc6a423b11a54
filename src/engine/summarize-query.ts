/**
 * A persistent or push query as ksqlDB's `RunningQuery` (SHOW QUERIES, and the read
 * and write queries of DESCRIBE). Queries run on this server or not at all,
 * so the status count is one host in the query's state (RUNNING, or ERROR
 * while a persistent query waits for its retry).
 */
import type { EnginePorts } from './engine-ports.js';
import type { PersistentQuery } from './persistent-query.js';
import type { TransientQuery } from '../runtime/transient-query.js';

/** A query as SHOW QUERIES and DESCRIBE list it (ksqlDB's RunningQuery entity). */
export interface QuerySummary {
  readonly queryString: string;
  readonly sinks: readonly string[];
  readonly sinkKafkaTopics: readonly string[];
  readonly id: string;
  readonly statusCount: Readonly<Record<string, number>>;
  readonly queryType: 'PERSISTENT' | 'PUSH';
  readonly state: string;
}

export function summarizeQuery(query: PersistentQuery): QuerySummary {
  return {
    queryString: query.statementText,
    sinks: [query.sinkName],
    sinkKafkaTopics: [query.sinkTopic],
    id: query.id,
    statusCount: { [query.state]: 1 },
    queryType: 'PERSISTENT',
    state: query.state,
  };
}

/** A push query as SHOW QUERIES lists it: no sink, type PUSH. */
export function summarizePushQuery(query: TransientQuery): QuerySummary {
  return {
    queryString: query.statementText,
    sinks: [],
    sinkKafkaTopics: [],
    id: query.id,
    statusCount: { RUNNING: 1 },
    queryType: 'PUSH',
    state: 'RUNNING',
  };
}

/** The queries that read a source and those that write it, as summaries. */
export function summarizeQueriesOf(ports: Pick<EnginePorts, 'runner'>, sourceName: string): { readQueries: QuerySummary[]; writeQueries: QuerySummary[] } {
  const { readers, writers } = ports.runner.queriesUsing(sourceName);
  const summaries = (ids: readonly string[]): QuerySummary[] =>
    ids.flatMap((id) => {
      const q = ports.runner.getQuery(id);
      return q === undefined ? [] : [summarizeQuery(q)];
    });
  return { readQueries: summaries(readers), writeQueries: summaries(writers) };
}
