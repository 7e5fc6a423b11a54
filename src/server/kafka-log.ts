/**
 * The log of a server that runs on a Kafka cluster (`--kafka-bootstrap`):
 * the cluster client, connected with the Kafka client settings of the
 * server's properties (the names `kafka-client-settings.ts` reads; the rest
 * of the properties are the server's own), and on it the engine's topic
 * store, the command topic of the service id and the task log. The data
 * directory then keeps only local state: the stores and their checkpoints.
 */
import { KafkaClusterClient } from '../broker/kafka/kafka-cluster-client.js';
import { KAFKA_CLIENT_SETTING_NAMES, parseKafkaClientSettings } from '../broker/kafka/kafka-client-settings.js';
import { KafkaCommandTopic } from '../broker/kafka/kafka-command-topic.js';
import { kafkaTaskLog, type KafkaTaskLog } from '../broker/kafka/kafka-task-log.js';
import { KafkaTopicStore } from '../broker/kafka/kafka-topic-store.js';
import { UsageError } from './usage-error.js';

export interface KafkaLog {
  readonly topics: KafkaTopicStore;
  readonly commandTopic: KafkaCommandTopic;
  readonly taskLog: KafkaTaskLog;
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

/** Checks the Kafka client settings among the server's properties; a bad one is a mistake in the settings (UsageError). */
export function checkKafkaClientSettings(properties: Readonly<Record<string, string>>, bootstrap: string): void {
  try {
    parseKafkaClientSettings(kafkaClientProperties(properties, bootstrap));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Connects to the cluster and opens the log on it; a cluster that cannot be reached rejects, saying which. */
export async function openKafkaLog(properties: Readonly<Record<string, string>>, bootstrap: string, serviceId: string): Promise<KafkaLog> {
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
    return {
      topics: opened,
      commandTopic,
      taskLog,
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
