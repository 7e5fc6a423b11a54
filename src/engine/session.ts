/** Per-connection (CLI) or per-request (REST) state: property overrides and variables. */
import type { QueryCommand } from './commands.js';
import type { KsqlConfig, PropertyValue } from './config.js';
import { substituteVariables } from '../parser/index.js';

export interface Session {
  readonly properties: Record<string, PropertyValue>;
  readonly variables: Map<string, string>;
  /** EXPLAIN <statement>: a query's command goes here once checked, instead of being committed. */
  readonly explain?: (command: QueryCommand) => void;
}

export function newSession(properties: Record<string, PropertyValue> = {}): Session {
  return { properties: { ...properties }, variables: new Map() };
}

/**
 * The text of a request with the session's variables substituted, unless
 * `ksql.variable.substitution.enable` (with the session's overrides) is off.
 * Every statement the engine runs (/ksql, queries, PRINT) goes through here.
 */
export function withVariables(sql: string, variables: ReadonlyMap<string, string>, config: KsqlConfig): string {
  if (!sql.includes('${') || !config.getBoolean('ksql.variable.substitution.enable')) return sql;
  return substituteVariables(sql, variables, config.parseLimits);
}
