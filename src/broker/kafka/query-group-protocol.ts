/**
 * What a persistent query's group members send through the group coordinator,
 * which passes both as opaque bytes: each member's subscription (JoinGroup
 * metadata: its host, the tasks it can run, the tasks it runs now) and the
 * leader's assignment for each member (SyncGroup: its own tasks, the
 * generation, and where every task of the query runs, as Kafka Streams sends
 * the whole task -> host map to every member). Both are JSON with a version.
 *
 * The group uses its own protocol type, not Kafka's `consumer`: these members
 * subscribe to no topics and hold no partitions the consumer protocol could
 * describe, and a `consumer` group's metadata is parsed by brokers and tools.
 */
import { BrokerError } from '../broker-error.js';
import type { TaskAssignorMember, TaskHosts, TaskId } from './task-assignor.js';

export const QUERY_GROUP_PROTOCOL_TYPE = 'ksqlite-query';
/** The one assignor; a later incompatible layout gets a new name, so mixed versions cannot share a generation. */
export const QUERY_GROUP_PROTOCOL = 'ksqlite-tasks-v1';
const VERSION = 1;

export type QuerySubscription = Omit<TaskAssignorMember, 'memberId'>;

export interface QueryAssignment {
  readonly generation: number;
  readonly active: readonly TaskId[];
  readonly standby: readonly TaskId[];
  readonly hosts: ReadonlyMap<TaskId, TaskHosts>;
}

function unreadable(what: string, detail: string): BrokerError {
  return new BrokerError('CORRUPT_DATA', `Cannot read a query group ${what}: ${detail}`);
}

function stringsOf(value: unknown, what: string, field: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw unreadable(what, `'${field}' is not a list of strings`);
  return value as string[];
}

function objectOf(bytes: Buffer, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw unreadable(what, (error as Error).message);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw unreadable(what, 'not a JSON object');
  const object = parsed as Record<string, unknown>;
  if (object.version !== VERSION) throw unreadable(what, `version ${String(object.version)} is not ${VERSION}`);
  return object;
}

export function encodeSubscription(subscription: QuerySubscription): Buffer {
  return Buffer.from(JSON.stringify({ version: VERSION, ...subscription }));
}

export function decodeSubscription(memberId: string, bytes: Buffer): TaskAssignorMember {
  const what = `subscription from member '${memberId}'`;
  const object = objectOf(bytes, what);
  if (typeof object.host !== 'string') throw unreadable(what, "'host' is not a string");
  if (!Number.isSafeInteger(object.ownedGeneration)) throw unreadable(what, "'ownedGeneration' is not an integer");
  return {
    memberId,
    host: object.host,
    tasks: stringsOf(object.tasks, what, 'tasks'),
    ownedActive: stringsOf(object.ownedActive, what, 'ownedActive'),
    ownedStandby: stringsOf(object.ownedStandby, what, 'ownedStandby'),
    ownedGeneration: object.ownedGeneration as number,
  };
}

export function encodeAssignment(assignment: QueryAssignment): Buffer {
  const hosts = [...assignment.hosts].map(([task, { active, standbys }]) => [task, active, standbys]);
  return Buffer.from(JSON.stringify({ version: VERSION, generation: assignment.generation, active: assignment.active, standby: assignment.standby, hosts }));
}

export function decodeAssignment(bytes: Buffer): QueryAssignment {
  const what = 'assignment';
  const object = objectOf(bytes, what);
  if (!Number.isSafeInteger(object.generation)) throw unreadable(what, "'generation' is not an integer");
  if (!Array.isArray(object.hosts)) throw unreadable(what, "'hosts' is not a list");
  const hosts = new Map<TaskId, TaskHosts>();
  for (const entry of object.hosts as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 3 || typeof entry[0] !== 'string' || (entry[1] !== null && typeof entry[1] !== 'string')) {
      throw unreadable(what, `bad task hosts entry ${JSON.stringify(entry)}`);
    }
    hosts.set(entry[0], { active: entry[1] as string | null, standbys: stringsOf(entry[2], what, 'standbys') });
  }
  return {
    generation: object.generation as number,
    active: stringsOf(object.active, what, 'active'),
    standby: stringsOf(object.standby, what, 'standby'),
    hosts,
  };
}
