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
  /** `start` delivers every row and the end before it returns (a pull query on a table, unless it scans a topic on a log that answers later). */
  readonly synchronous?: boolean;
  /** A push query's position for its client to resume from (continuation-token.ts). */
  readonly continuation?: {
    readonly tracker: ContinuationTracker;
    /** The request asked for token lines in the response. */
    readonly linesWanted: boolean;
  };
  start(sink: RowSink): RunningQuery;
  /** A pull query on a table a persistent query materializes: how to run it partition by partition, on several servers. */
  readonly partitioned?: PartitionedPull;
}

/**
 * A pull query over the stores of a persistent query (`queryId`), which a
 * server may answer partly from its own stores and partly from other
 * servers' (src/server/pull-router.ts).
 */
export interface PartitionedPull {
  readonly queryId: string;
  /** The name of the query's store the rows are read from (for its lag). */
  readonly storeName: string;
  /** The partitions that hold its rows: its keys' partitions, or every partition of a scan; undefined when the query's store is unknown here. */
  partitions(): readonly number[] | undefined;
  /**
   * Runs it over `partitions` only and delivers its rows before it returns,
   * up to OFFSET + LIMIT, neither sorted nor skipped: what one server answers
   * for the partitions it was asked for.
   */
  startOn(partitions: readonly number[], sink: RowSink): RunningQuery;
  /** The client's sink behind which rows of several partitions merge: ORDER BY, OFFSET and LIMIT apply there. */
  merged(client: RowSink): RowSink;
}

/** A started query, as its client's connection controls it. */
export interface RunningQuery {
  /** Rows delivered so far. */
  readonly rowCount: number;
  close(): void;
  pause(): void;
  resume(): void;
}
