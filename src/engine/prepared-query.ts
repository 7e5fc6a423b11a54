/**
 * A query sent to the query endpoints, once checked and planned
 * (push-query.ts, push-join-query.ts), and the handle its client's connection
 * controls it by once started.
 */
import type { PropertyValue } from './config.js';
import type { ContinuationTracker } from './continuation-token.js';
import type { ResultColumn, RowSink } from './result-rows.js';

export interface QueryRequest {
  readonly sql: string;
  readonly properties: Record<string, PropertyValue>;
  readonly variables: ReadonlyMap<string, string>;
}

/** A checked, planned query, ready to start once the caller has sent its header. */
export interface PreparedQuery {
  /** `transient_<SOURCE>_<n>` for a push query; a scan's id is for the log only. */
  readonly id: string;
  readonly isPull: boolean;
  readonly sourceName: string;
  readonly columns: readonly ResultColumn[];
  readonly statementText: string;
  /** `start` delivers every row and the end before it returns (a pull query on a table). */
  readonly synchronous?: boolean;
  /** A push query's position for its client to resume from (continuation-token.ts). */
  readonly continuation?: {
    readonly tracker: ContinuationTracker;
    /** The request asked for token lines in the response. */
    readonly linesWanted: boolean;
  };
  start(sink: RowSink): RunningQuery;
}

/** A started query, as its client's connection controls it. */
export interface RunningQuery {
  /** Rows delivered so far. */
  readonly rowCount: number;
  close(): void;
  pause(): void;
  resume(): void;
}
