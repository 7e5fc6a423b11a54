/**
 * What the members of consumer groups outside ksqlite's queries (the Kafka
 * listener's clients) hold right now, for SHOW TOPICS EXTENDED: one entry
 * per member and assigned topic partition.
 */
export interface GroupAssignment {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
}

export interface ConsumerGroupAssignments {
  assignments(): GroupAssignment[];
}
