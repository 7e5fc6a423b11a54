/**
 * What the ksqlite server behind a Kafka listener keeps for itself: its
 * command topic, its queries' internal topics (repartitions, changelogs),
 * its processing log, and the transactional ids it writes them under. Only
 * the server writes them, never a client of its listener: a client may read
 * them, but a write is refused as a Kafka cluster refuses one that its ACLs
 * deny (TOPIC_AUTHORIZATION_FAILED, TRANSACTIONAL_ID_AUTHORIZATION_FAILED).
 * So another server that takes the listener for its cluster under the same
 * service id cannot append commands this server would apply, nor write into
 * its queries' topics; it stops at start (kafka-command-topic.ts).
 */

export interface ReservedResources {
  /** A topic only the server writes. */
  isReservedTopic(name: string): boolean;
  /** A transactional id only the server produces under. */
  isReservedTransactionalId(id: string): boolean;
}

/** Nothing reserved: a listener over a log no ksqlite server runs on (tests, tools). */
export const NOTHING_RESERVED: ReservedResources = {
  isReservedTopic: () => false,
  isReservedTransactionalId: () => false,
};

/** The internal topics of ksqlDB service `serviceId` and its processing log topic, and its transactional ids. */
export function serviceResources(serviceId: string, processingLogTopic: string): ReservedResources {
  const commandTopic = `_confluent-ksql-${serviceId}_command_topic`;
  // Persistent queries' and push joins' application ids: their internal topics and task producers start with them.
  const applications = [`_confluent-ksql-${serviceId}query_`, `_confluent-ksql-${serviceId}transient_`];
  const isApplication = (name: string): boolean => applications.some((prefix) => name.startsWith(prefix));
  return {
    isReservedTopic: (name) => name === commandTopic || name === processingLogTopic || isApplication(name),
    // The command topic's appends go under the service id itself, as ksqlDB's.
    isReservedTransactionalId: (id) => id === serviceId || isApplication(id),
  };
}
