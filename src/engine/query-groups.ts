/**
 * The engine's port to the groups that spread a persistent query's tasks over
 * the servers of one service id (on a Kafka cluster: the query's consumer
 * group, `src/broker/kafka/query-group-membership.ts`). Without one, as on
 * the embedded log, each server runs every task of its queries.
 */

/** Where one task runs: the active server's URL (null while it is handed over) and the standbys' URLs. */
export interface QueryTaskHosts {
  readonly active: string | null;
  readonly standbys: readonly string[];
}

/** One generation of a query group's assignment as a member hears it. */
export interface QueryTaskAssignment {
  /** The tasks (`<sub-topology>_<partition>`) this server runs actively. */
  readonly active: readonly string[];
  /** The tasks whose stores this server keeps as a standby. */
  readonly standby: readonly string[];
  /** Every task of the query, by id: where it runs. */
  readonly hosts: ReadonlyMap<string, QueryTaskHosts>;
}

/** What a member hears from its group; each callback is awaited before the group goes on. */
export interface QueryGroupHandlers {
  /** These tasks leave this server: resolve once their pending work is committed and they are closed. */
  onRevoke(tasks: readonly string[]): Promise<void>;
  /** What this server runs from now on (after the revocations), and where every task of the query runs. */
  onAssignment(assignment: QueryTaskAssignment): void | Promise<void>;
  /** The membership failed for good: it takes no further part in the group. */
  onError(error: unknown): void;
}

export interface QueryGroupMember {
  /** Revokes what it still runs and leaves the group, so the others take its tasks at once. */
  leave(): Promise<void>;
}

export interface QueryGroups {
  /** Joins `group` as a member able to run `tasks` (Kafka Streams' `<sub-topology>_<partition>` ids). */
  join(group: string, tasks: readonly string[], handlers: QueryGroupHandlers): Promise<QueryGroupMember>;
}
