/**
 * The status of every command this server ran (`/status`): filled from the
 * `currentStatus` entities that /ksql answers. Statements run synchronously,
 * so a recorded command has always finished: SUCCESS, with its message.
 * Statements answered without a command (sequence number -1, e.g. IF NOT
 * EXISTS on an existing source) are not recorded.
 */
import type { KsqlEntity } from '../engine/entities.js';

export interface CommandStatus {
  readonly status: 'SUCCESS';
  readonly message: string;
  readonly queryId: string | null;
}

export class CommandStatuses {
  private readonly statuses = new Map<string, CommandStatus>();

  record(entities: readonly KsqlEntity[]): void {
    for (const e of entities) {
      if (e['@type'] !== 'currentStatus' || e.commandSequenceNumber < 0) continue;
      this.statuses.set(e.commandId, { status: e.commandStatus.status, message: e.commandStatus.message, queryId: e.commandStatus.queryId });
    }
  }

  /** By command id `type/entity/action`; the entity may be written with or without back-quotes. */
  get(commandId: string): CommandStatus | undefined {
    const exact = this.statuses.get(commandId);
    if (exact !== undefined) return exact;
    const parts = commandId.split('/');
    if (parts.length !== 3) return undefined;
    const [type, entity, action] = parts as [string, string, string];
    const quoted = entity.startsWith('`') ? entity.slice(1, -1) : `\`${entity}\``;
    return this.statuses.get(`${type}/${quoted}/${action}`);
  }

  all(): Record<string, string> {
    return Object.fromEntries([...this.statuses].map(([id, s]) => [id, s.status]));
  }
}
