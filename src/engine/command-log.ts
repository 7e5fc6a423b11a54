/**
 * The command log: JSON commands in the command topic (as ksqlDB keeps its
 * command topic), read in order by every server of a service id. Only
 * commands that were checked to apply are written (see KsqlEngine.commit). A
 * query's plan is written as its persisted graph and read back into steps
 * (src/planner/persisted-plan.ts).
 */
import type { CommandTopic } from '../broker/command-topic.js';
import { parseWithBigInt, stringifyWithBigInt } from '../common/json-bigint.js';
import { andThen, type MaybeAsync } from '../common/maybe-async.js';
import { encodePlan, readPlan } from '../planner/persisted-plan.js';
import type { Command } from './commands.js';

/** A command as written to the command topic. */
export function encodeCommand(command: Command): Buffer {
  return Buffer.from(stringifyWithBigInt(command.kind === 'CreateQuery' ? { ...command, plan: encodePlan(command.plan) } : command));
}

/**
 * The records of the command topic from `fromOffset`: each one's command, or
 * why it cannot be read (a damaged record must not keep a server from
 * starting), and where the next read starts.
 */
export function readCommands(topic: CommandTopic, fromOffset: number): MaybeAsync<{ readonly entries: LoggedCommand[]; readonly nextOffset: number }> {
  return andThen(topic.read(fromOffset), ({ records, nextOffset }) => ({
    entries: records.filter((r) => r.value !== null).map((r) => parseCommand(r.offset, r.value!.toString('utf8'))),
    nextOffset,
  }));
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
