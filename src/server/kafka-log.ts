/**
 * The log of a server that runs on a Kafka cluster (`--kafka-bootstrap`):
 * the cluster client, connected with the Kafka client settings of the
 * server's properties (the names `kafka-client-settings.ts` reads; the rest
 * of the properties are the server's own), and on it the engine's topic
 * store, the command topic of the service id, the task log and the query
 * groups that share each persistent query's tasks among the servers of the
 * service id (settings `ksql.streams.session.timeout.ms` and the others
 * `query-group-settings.ts` reads, as ksqlDB passes them to Kafka Streams). The data
 * directory then keeps only local state: the stores and their checkpoints.
 */
import { KafkaClusterClient } from '../broker/kafka/kafka-cluster-client.js';
import { KAFKA_CLIENT_SETTING_NAMES, parseKafkaClientSettings } from '../broker/kafka/kafka-client-settings.js';
import { KafkaCommandTopic } from '../broker/kafka/kafka-command-topic.js';
import { kafkaTaskLog, type KafkaTaskLog } from '../broker/kafka/kafka-task-log.js';
import { KafkaTopicStore } from '../broker/kafka/kafka-topic-store.js';
import { resolveQueryGroupSettings, type QueryGroupSettings } from '../broker/kafka/query-group-settings.js';
import type { QueryGroups } from '../engine/query-groups.js';
import { UsageError } from './usage-error.js';

export interface KafkaLog {
  readonly topics: KafkaTopicStore;
  readonly commandTopic: KafkaCommandTopic;
  readonly taskLog: KafkaTaskLog;
  readonly queryGroups: QueryGroups;
  /**
   * Resolves when the cluster describes the command topic within
   * `timeoutMs` (ksqlDB's health check of Kafka); rejects saying why not.
   */
  checkReachable(timeoutMs: number): Promise<void>;
  /** Closes the task producers, the command topic's appends, the topic store's refresh, then the client. */
  close(): Promise<void>;
}

/** The Kafka client settings among the server's properties, with `bootstrap` as `bootstrap.servers`. */
function kafkaClientProperties(properties: Readonly<Record<string, string>>, bootstrap: string): Record<string, string> {
  const chosen: Record<string, string> = {};
  for (const name of KAFKA_CLIENT_SETTING_NAMES) {
    const value = properties[name];
    if (value !== undefined) chosen[name] = value;
  }
  return { ...chosen, 'bootstrap.servers': bootstrap };
}

const QUERY_GROUP_SETTING_NAMES = ['session.timeout.ms', 'heartbeat.interval.ms', 'max.poll.interval.ms', 'num.standby.replicas'];

/** The query groups' settings among the server's properties, under `ksql.streams.` (or bare). */
function queryGroupSettings(properties: Readonly<Record<string, string>>): QueryGroupSettings {
  const chosen: Record<string, string> = {};
  for (const name of QUERY_GROUP_SETTING_NAMES) {
    const value = properties[`ksql.streams.${name}`] ?? properties[name];
    if (value !== undefined) chosen[name] = value;
  }
  return resolveQueryGroupSettings(chosen);
}

/** Checks the Kafka client settings among the server's properties; a bad one is a mistake in the settings (UsageError). */
export function checkKafkaClientSettings(properties: Readonly<Record<string, string>>, bootstrap: string): void {
  try {
    parseKafkaClientSettings(kafkaClientProperties(properties, bootstrap));
    queryGroupSettings(properties);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * Connects to the cluster and opens the log on it; a cluster that cannot be
 * reached rejects, saying which. `host` is this server's advertised URL, where
 * its members of the query groups say the tasks they run are served.
 */
export async function openKafkaLog(properties: Readonly<Record<string, string>>, bootstrap: string, serviceId: string, host: string): Promise<KafkaLog> {
  const settings = queryGroupSettings(properties);
  let client: KafkaClusterClient;
  try {
    client = await KafkaClusterClient.connect(kafkaClientProperties(properties, bootstrap));
  } catch (error) {
    throw new Error(`Cannot connect to the Kafka cluster at ${bootstrap}: ${(error as Error).message}`, { cause: error });
  }
  let topics: KafkaTopicStore | undefined;
  try {
    topics = await KafkaTopicStore.open(client);
    const commandTopic = await KafkaCommandTopic.open(client, serviceId);
    const taskLog = kafkaTaskLog(client);
    const opened = topics;
    const queryGroups: QueryGroups = {
      join: (groupId, tasks, handlers) => client.joinQueryGroup({
        groupId, host, tasks, settings,
        onRevoke: (revoked) => handlers.onRevoke(revoked),
        onAssignment: (assignment) => handlers.onAssignment(assignment),
        onError: (error) => handlers.onError(error),
      }),
    };
    return {
      topics: opened,
      commandTopic,
      taskLog,
      queryGroups,
      checkReachable: (timeoutMs) => new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the Kafka cluster at ${bootstrap} did not answer within ${timeoutMs} ms`)), timeoutMs);
        client.admin.describeTopic(commandTopic.topic).then(() => resolve(), reject).finally(() => clearTimeout(timer));
      }),
      async close() {
        await taskLog.close();
        await commandTopic.close();
        opened.close();
        await client.close();
      },
    };
  } catch (error) {
    topics?.close();
    await client.close();
    throw new Error(`Cannot open the log on the Kafka cluster at ${bootstrap}: ${(error as Error).message}`, { cause: error });
  }
}
