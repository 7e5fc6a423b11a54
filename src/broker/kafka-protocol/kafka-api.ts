/** What every API handler of the listener gets and provides. */
import type { Broker } from '../broker.js';
import type { GroupCoordinator } from './group-coordinator.js';
import type { ProtocolReader } from './protocol-reader.js';
import type { ProtocolWriter } from './protocol-writer.js';
import type { ReservedResources } from './reserved-resources.js';
import type { TopicIds } from './topic-ids.js';

/** What the listener knows about itself and the log behind it. */
export interface KafkaContext {
  readonly broker: Broker;
  /** The consumer groups of the listener's clients. */
  readonly groups: GroupCoordinator;
  /** The one broker Metadata and FindCoordinator name: node 0 at this host and port. */
  readonly advertisedHost: string;
  readonly advertisedPort: () => number;
  readonly clusterId: string;
  /** The topics' ids, for the versions that name topics by id. */
  readonly topicIds: TopicIds;
  /** Kafka's `auto.create.topics.enable`: Metadata creates the topics it is asked about. */
  readonly autoCreateTopics: boolean;
  /** Kafka's `num.partitions`: the partitions of an auto-created topic. */
  readonly defaultPartitions: number;
  /** The APIs the listener speaks (for ApiVersions). */
  readonly apis: readonly KafkaApi[];
  /** The topics and transactional ids only the server behind the listener writes. */
  readonly reserved: ReservedResources;
}

export interface ApiRequest {
  readonly version: number;
  /** The request body; `flexible` in the API's flexible versions (so is the response writer). */
  readonly body: ProtocolReader;
  readonly context: KafkaContext;
  /** The request header's client id ('' when null). */
  readonly clientId: string;
  /** The client's address, as DescribeGroups shows it. */
  readonly clientHost: string;
  /** Aborted when the connection closes (a long poll stops waiting). */
  readonly signal: AbortSignal;
}

export interface KafkaApi {
  readonly key: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** The first version whose request and response are flexible (compact fields, tagged fields). */
  readonly firstFlexibleVersion: number;
  /** Reads the body and writes the response body into `out`; resolves false when no response is due (Produce acks 0). */
  handle(request: ApiRequest, out: ProtocolWriter): boolean | Promise<boolean>;
}

/** Kafka's zero uuid: "no topic id" (a topic name given instead, or a topic that was not created). */
export const ZERO_UUID = '0'.repeat(32);

/** Kafka's "this broker is node 0 and leads everything" node id. */
export const NODE_ID = 0;
