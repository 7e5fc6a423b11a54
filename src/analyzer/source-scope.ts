import type { FunctionRegistry } from '../functions/registry.js';
import type { LogicalSchema } from '../schema/logical-schema.js';
import type { SqlType } from '../schema/sql-type.js';
import type { BindScope, ScopeColumn } from './bind-expression.js';

/** The scope of a schema's columns: keys first, then values, indexed as rows hold them. */
export function scopeOf(schema: LogicalSchema, alias: string | undefined, windowed: boolean, functions: FunctionRegistry,
  lookupType: (name: string) => SqlType | undefined, clause: string): BindScope {
  const columns: ScopeColumn[] = [...schema.key, ...schema.value].map((c, index) => ({ name: c.name, type: c.type, index, source: alias }));
  return { columns, sourceNames: alias === undefined ? [] : [alias], windowed, clause, functions, lookupType };
}
