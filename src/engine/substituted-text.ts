/**
 * A request's SQL as the parser reads it: its `${name}` references replaced
 * by the session's variables, unless the request's properties turn
 * substitution off (`ksql.variable.substitution.enable`, as in ksqlDB). The
 * text may not grow past the server's length bound while it is substituted.
 */
import { substituteVariables } from '../parser/index.js';
import type { PropertyValue } from './config.js';
import type { KsqlEngine } from './engine.js';

export function substitutedText(
  engine: KsqlEngine, sql: string, properties: Readonly<Record<string, PropertyValue>>, variables: ReadonlyMap<string, string>,
): string {
  if (!sql.includes('${') || !engine.config.withOverrides({ ...properties }).getBoolean('ksql.variable.substitution.enable')) return sql;
  return substituteVariables(sql, variables, engine.config.parseLimits);
}
