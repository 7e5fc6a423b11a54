/**
 * The command log: an internal single-partition topic of JSON commands (as
 * ksqlDB keeps its command topic). Appending is durable before a statement
 * reports success; reading returns every command in order.
 */
import type { Broker } from '../broker/broker.js';
import { parseWithBigInt, stringifyWithBigInt } from '../common/json-bigint.js';
import type { Command } from './commands.js';

export class CommandLog {
  readonly topic: string;
  private readonly broker: Broker;

  constructor(broker: Broker, serviceId: string) {
    this.broker = broker;
    this.topic = `_confluent-ksql-${serviceId}_command_topic`;
    broker.createTopic(this.topic, { partitions: 1, ifNotExists: true, config: { 'retention.ms': -1 } });
  }

  /** Appends a command; returns its sequence number. */
  append(command: Command): number {
    const text = stringifyWithBigInt(command);
    const [appended] = this.broker.append(this.topic, [{ key: null, value: Buffer.from(text), partition: 0 }]);
    return appended!.offset;
  }

  /** Every command so far, oldest first. */
  readAll(): Command[] {
    const out: Command[] = [];
    let offset = this.broker.earliestOffset(this.topic, 0);
    for (;;) {
      const batch = this.broker.read(this.topic, 0, offset, { maxRecords: 1000 });
      if (batch.length === 0) return out;
      for (const r of batch) {
        if (r.value !== null) out.push(parseWithBigInt(r.value.toString('utf8')) as Command);
        offset = r.offset + 1;
      }
    }
  }

  /** The sequence number the next command gets. */
  nextSequence(): number {
    return this.broker.latestOffset(this.topic, 0);
  }
}
