/**
 * A persistent or push query as ksqlDB's `RunningQuery` (SHOW QUERIES, and the read
 * and write queries of DESCRIBE). Queries run on this server or not at all,
 * so the status count is always one host, in the query's state.
 */
import type { KsqlEngine, PersistentQuery } from './engine.js';
import type { TransientQuery } from '../runtime/transient-query.js';
import type { QuerySummary } from './entities.js';

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
export function summarizeQueriesOf(engine: KsqlEngine, sourceName: string): { readQueries: QuerySummary[]; writeQueries: QuerySummary[] } {
  const { readers, writers } = engine.queriesUsing(sourceName);
  const summaries = (ids: readonly string[]): QuerySummary[] =>
    ids.flatMap((id) => {
      const q = engine.getQuery(id);
      return q === undefined ? [] : [summarizeQuery(q)];
    });
  return { readQueries: summaries(readers), writeQueries: summaries(writers) };
}
