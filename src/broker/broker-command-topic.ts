/**
 * The command topic on a synchronous `Broker` (the embedded log). Engines
 * that share one broker (in one process: the data directory is locked to it)
 * share its appends' exclusivity: opening an append fences the one still open
 * for the same topic, whose write then fails as a fenced Kafka producer's
 * would.
 */
import { BrokerError } from './broker-error.js';
import type { Broker, FetchResult } from './broker.js';
import type { CommandAppend, CommandTopic } from './command-topic.js';

const READ_RECORDS = 1000;

/** The open append of each command topic, by broker. */
const openAppends = new WeakMap<Broker, Map<string, object>>();

export function brokerCommandTopic(broker: Broker, topic: string): CommandTopic {
  broker.createTopic(topic, { partitions: 1, ifNotExists: true, config: { 'retention.ms': -1 } });
  let holders = openAppends.get(broker);
  if (holders === undefined) openAppends.set(broker, (holders = new Map()));
  const open = holders;
  return {
    topic,
    read: (fromOffset: number): FetchResult =>
      broker.fetch(topic, 0, Math.max(fromOffset, broker.earliestOffset(topic, 0)), { maxRecords: READ_RECORDS }),
    beginAppend: (): CommandAppend => {
      const token = {};
      open.set(topic, token);
      const release = (): void => {
        if (open.get(topic) === token) open.delete(topic);
      };
      return {
        end: broker.latestOffset(topic, 0),
        write: (value: Buffer): number => {
          if (open.get(topic) !== token) throw new BrokerError('PRODUCER_FENCED', `another append to ${topic} was opened after this one, which it fenced`);
          release();
          return broker.append(topic, [{ key: null, value, partition: 0 }])[0]!.offset;
        },
        abort: release,
      };
    },
    close: (): void => {},
  };
}
