/**
 * Kafka's consumer protocol (protocol type "consumer"): the assignment bytes a
 * group leader hands each member through SyncGroup. The coordinator passes
 * them on as opaque bytes; they are read only to tell who consumes which
 * topic partitions, as Kafka's admin client reads them.
 */
import { ProtocolError } from './protocol-error.js';
import { ProtocolReader } from './protocol-reader.js';

export const CONSUMER_PROTOCOL_TYPE = 'consumer';

export interface AssignedPartitions {
  readonly topic: string;
  readonly partitions: readonly number[];
}

/** The topic partitions in a consumer's assignment (every version starts with them), or null when the bytes are not one. */
export function readConsumerAssignment(bytes: Buffer): AssignedPartitions[] | null {
  if (bytes.length === 0) return [];
  try {
    const reader = new ProtocolReader(bytes);
    reader.int16();
    return reader.array((r) => ({ topic: r.string(), partitions: r.array((pr) => pr.int32()) }));
  } catch (error) {
    if (error instanceof ProtocolError) return null;
    throw error;
  }
}
