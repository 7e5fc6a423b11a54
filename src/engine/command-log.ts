/**
 * The command log: an internal single-partition topic of JSON commands (as
 * ksqlDB keeps its command topic). Appending is durable before a statement
 * reports success; reading returns every command in order. Only commands
 * that were checked to apply are appended (see KsqlEngine.commit). A query's
 * plan is written as its persisted graph and read back into steps
 * (src/planner/persisted-plan.ts).
 */
import type { Broker } from '../broker/broker.js';
import { parseWithBigInt, stringifyWithBigInt } from '../common/json-bigint.js';
import { encodePlan, readPlan } from '../planner/persisted-plan.js';
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
    const text = stringifyWithBigInt(command.kind === 'CreateQuery' ? { ...command, plan: encodePlan(command.plan) } : command);
    const [appended] = this.broker.append(this.topic, [{ key: null, value: Buffer.from(text), partition: 0 }]);
    return appended!.offset;
  }

  /**
   * Every record so far, oldest first: its command, or why it cannot be read
   * (a damaged record must not keep the server from starting).
   */
  readAll(): LoggedCommand[] {
    const out: LoggedCommand[] = [];
    let offset = this.broker.earliestOffset(this.topic, 0);
    for (;;) {
      const batch = this.broker.read(this.topic, 0, offset, { maxRecords: 1000 });
      if (batch.length === 0) return out;
      for (const r of batch) {
        if (r.value !== null) out.push(parseCommand(r.offset, r.value.toString('utf8')));
        offset = r.offset + 1;
      }
    }
  }
}

export type LoggedCommand =
  | { readonly offset: number; readonly command: Command }
  | { readonly offset: number; readonly unreadable: string; readonly text: string };

function parseCommand(offset: number, text: string): LoggedCommand {
  try {
    const command = parseWithBigInt(text) as Command | null;
    if (typeof command !== 'object' || command === null || typeof command.kind !== 'string') return { offset, unreadable: 'not a command', text };
    // A query's plan is logged in its persisted form (src/planner/persisted-plan.ts).
    if (command.kind === 'CreateQuery' && typeof command.plan === 'object' && command.plan !== null) return { offset, command: { ...command, plan: readPlan(command.plan) } };
    return { offset, command };
  } catch (error) {
    return { offset, unreadable: error instanceof Error ? error.message : String(error), text };
  }
}
