/**
 * Consumer groups in use that the Kafka listener's group coordinator has no
 * members for: ksqlite's persistent queries' groups, live while their query
 * runs. The listener refuses to delete them (DeleteGroups answers
 * NON_EMPTY_GROUP, as Kafka does for a group with members); the engine knows
 * which they are and the server hands it to the listener.
 */
export interface BusyGroups {
  isBusy(group: string): boolean;
}
