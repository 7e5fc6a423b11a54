/**
 * The migrations metadata on the server: every state change of a migration
 * is a row of the metadata stream, written twice (under its version and
 * under `CURRENT`), and the metadata table keeps each key's latest row, read
 * with pull queries. A write returns once the table shows it, so the next
 * read (of this command or the next) sees it.
 */
import type { KsqlClient } from '../cli/ksql-client.js';
import type { MigrationConfig } from './migration-config.js';
import { MigrationError } from './migration-error.js';

export type MigrationState = 'PENDING' | 'RUNNING' | 'MIGRATED' | 'ERROR';

/** The `previous` of the first migration and the current version before any. */
export const NONE_VERSION = '<none>';
export const CURRENT_VERSION_KEY = 'CURRENT';
export const NO_ERROR_REASON = 'N/A';

/**
 * One migration version's row: what the metadata table answers for it, and
 * what a state change writes to the metadata stream (under its version and
 * CURRENT).
 */
export interface VersionInfo {
  readonly version: number;
  readonly checksum: string;
  readonly previous: string;
  readonly state: MigrationState;
  readonly name: string;
  /** Epoch milliseconds as text; '' while a migration runs. */
  readonly startedOn: string;
  readonly completedOn: string;
  readonly errorReason: string;
}

/** How long a write waits for the table to show it (ksqlDB's tool retries its check 10 times, a second apart). */
const WRITE_VISIBLE_TIMEOUT_MS = 10_000;
const WRITE_POLL_MS = 50;

const STATES: readonly string[] = ['PENDING', 'RUNNING', 'MIGRATED', 'ERROR'];

export class MigrationMetadata {
  constructor(private readonly client: KsqlClient, private readonly config: MigrationConfig) {}

  /** Fails naming what is missing unless both the metadata stream and table exist. */
  async ensureInitialized(): Promise<void> {
    for (const [kind, name] of [['stream', this.config.streamName], ['table', this.config.tableName]] as const) {
      const result = await this.client.execute(`DESCRIBE ${name};`, { properties: {}, variables: {} });
      if (result.kind === 'error') {
        throw new MigrationError(`Failed to verify existence of migrations metadata ${kind} '${name}'. Did you run \`ksqlite-migrations initialize-metadata\`? Error message: ${result.error.message}`);
      }
    }
  }

  /** The version `CURRENT` names, or NONE_VERSION before the first migration. */
  async currentVersion(): Promise<string> {
    const rows = await this.query(`SELECT VERSION FROM ${this.config.tableName} WHERE VERSION_KEY = '${CURRENT_VERSION_KEY}';`);
    return rows.length === 0 ? NONE_VERSION : String(rows[0]![0]);
  }

  /** The latest row of each of `keys` that has one. */
  async infoForKeys(keys: readonly string[]): Promise<Map<string, VersionInfo>> {
    const infos = new Map<string, VersionInfo>();
    if (keys.length === 0) return infos;
    const list = keys.map((key) => `'${key.replace(/'/g, "''")}'`).join(', ');
    const rows = await this.query(
      `SELECT VERSION_KEY, VERSION, CHECKSUM, PREVIOUS, STATE, NAME, STARTED_ON, COMPLETED_ON, ERROR_REASON FROM ${this.config.tableName} WHERE VERSION_KEY IN (${list});`,
    );
    for (const row of rows) {
      const [key, version, checksum, previous, state, name, startedOn, completedOn, errorReason] = row.map((value) => (value === null || value === undefined ? '' : String(value)));
      if (!STATES.includes(state!)) throw new MigrationError(`The metadata of version ${key} has the unknown state '${state}'`);
      infos.set(key!, {
        version: Number(version),
        checksum: checksum!,
        previous: previous!,
        state: state as MigrationState,
        name: name!,
        startedOn: startedOn!,
        completedOn: completedOn!,
        errorReason: errorReason === '' ? NO_ERROR_REASON : errorReason!,
      });
    }
    return infos;
  }

  async infoForVersion(version: string): Promise<VersionInfo> {
    const info = (await this.infoForKeys([version])).get(version);
    if (info === undefined) throw new MigrationError(`Failed to query state for migration with version ${version}: no such migration is present in the migrations metadata table`);
    return info;
  }

  /**
   * The latest version that MIGRATED: the current one, or when it is RUNNING
   * or in ERROR the one before it, which must have MIGRATED.
   */
  async latestMigratedVersion(): Promise<string> {
    const current = await this.currentVersion();
    if (current === NONE_VERSION) return current;
    const info = await this.infoForVersion(current);
    if (info.state === 'MIGRATED') return current;
    if (info.previous === NONE_VERSION) return NONE_VERSION;
    ensureMigrated(info.previous, await this.infoForVersion(info.previous), current);
    return info.previous;
  }

  /** Records a migration's state under its version and under CURRENT, and waits until the table shows both. */
  async write(row: VersionInfo): Promise<void> {
    const keys = [CURRENT_VERSION_KEY, String(row.version)];
    for (const versionKey of keys) {
      const error = await this.client.insertRow(this.config.streamName, {
        VERSION_KEY: versionKey,
        VERSION: String(row.version),
        NAME: row.name,
        STATE: row.state,
        CHECKSUM: row.checksum,
        STARTED_ON: row.startedOn,
        COMPLETED_ON: row.completedOn,
        PREVIOUS: row.previous,
        ERROR_REASON: row.errorReason,
      });
      if (error !== undefined) throw new MigrationError(`Failed to record state ${row.state} of version ${row.version} in ${this.config.streamName}: ${error.message}`);
    }
    const deadline = Date.now() + WRITE_VISIBLE_TIMEOUT_MS;
    for (;;) {
      const infos = await this.infoForKeys(keys);
      const shown = keys.every((key) => {
        const info = infos.get(key);
        return info !== undefined && info.version === row.version && info.state === row.state && info.startedOn === row.startedOn && info.completedOn === row.completedOn;
      });
      if (shown) return;
      if (Date.now() > deadline) {
        throw new MigrationError(`${this.config.tableName} did not show state ${row.state} of version ${row.version} within ${WRITE_VISIBLE_TIMEOUT_MS / 1000} seconds: is its query running?`);
      }
      await new Promise((resolve) => setTimeout(resolve, WRITE_POLL_MS));
    }
  }

  private async query(sql: string): Promise<unknown[][]> {
    const rows: unknown[][] = [];
    const outcome = await this.client.streamQuery(sql, { properties: {}, variables: {} }, { onHeader: () => {}, onRow: (row) => rows.push([...row]) }, new AbortController().signal);
    if (outcome.kind === 'error') throw new MigrationError(`Could not query ${this.config.tableName}: ${outcome.error.message}`);
    return rows;
  }
}

/** A version that a later one follows must have MIGRATED. */
export function ensureMigrated(version: string, info: VersionInfo, nextVersion: string): void {
  if (info.state !== 'MIGRATED') {
    throw new MigrationError(
      `Discovered version with previous version that does not have status MIGRATED. Version: ${nextVersion}. Previous version: ${version}. Previous version status: ${info.state}`,
    );
  }
}
