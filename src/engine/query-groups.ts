/**
 * The engine's port to the groups that spread a persistent query's tasks over
 * the servers of one service id (on a Kafka cluster: the query's consumer
 * group, `src/broker/kafka/query-group-membership.ts`). Without one, as on
 * the embedded log, each server runs every task of its queries.
 */

/** What a member hears from its group; each callback is awaited before the group goes on. */
export interface QueryGroupHandlers {
  /** These tasks leave this server: resolve once their pending work is committed and they are closed. */
  onRevoke(tasks: readonly string[]): Promise<void>;
  /** The tasks this server runs from now on (after the revocations). */
  onAssignment(active: readonly string[]): void | Promise<void>;
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
