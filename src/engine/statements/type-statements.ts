/** CREATE TYPE, DROP TYPE and SHOW TYPES. */
import { resolveType } from '../../analyzer/bind-expression.js';
import { statementError } from '../../common/errors.js';
import { andThen, type MaybeAsync } from '../../common/maybe-async.js';
import type { StatementOfKind } from '../../parser/ast/statement.js';
import { formatSqlType } from '../../schema/sql-type.js';
import type { EnginePorts } from '../engine-ports.js';
import { currentStatus, type KsqlEntity } from '../entities.js';


export function createType(stmt: StatementOfKind<'CreateType'>, { catalog, log }: Pick<EnginePorts, 'catalog' | 'log'>): MaybeAsync<KsqlEntity> {
  const commandId = `type/${stmt.name}/create`;
  const existing = catalog.metastore.getType(stmt.name);
  if (existing !== undefined) {
    const message = `Cannot register custom type '${stmt.name}' since it is already registered with type: ${formatSqlType(existing)}`;
    if (stmt.ifNotExists) return currentStatus(stmt.text, commandId, message, -1);
    throw statementError(message);
  }
  const type = resolveType(stmt.type, (n) => catalog.metastore.getType(n));
  return andThen(log.commit({ kind: 'CreateType', statement: stmt.text, name: stmt.name, type }),
    (seq) => currentStatus(stmt.text, commandId, `Registered custom type with name '${stmt.name}' and SQL type ${formatSqlType(type)}`, seq));
}

export function dropType(stmt: StatementOfKind<'DropType'>, { catalog, log }: Pick<EnginePorts, 'catalog' | 'log'>): MaybeAsync<KsqlEntity> {
  if (catalog.metastore.getType(stmt.name) === undefined) {
    // ksqlDB runs the drop command anyway, which answers in its own words.
    if (stmt.ifExists) return currentStatus(stmt.text, `type/${stmt.name}/drop`, `Type '${stmt.name}' does not exist`, -1);
    throw statementError(`Type ${stmt.name} does not exist.`);
  }
  return andThen(log.commit({ kind: 'DropType', statement: stmt.text, name: stmt.name }), (seq) => currentStatus(stmt.text, `type/${stmt.name}/drop`, `Dropped type '${stmt.name}'`, seq));
}

export function listTypes(stmt: StatementOfKind<'ListTypes'>, { catalog }: Pick<EnginePorts, 'catalog'>): KsqlEntity {
  return {
    '@type': 'type_list', statementText: stmt.text, warnings: [],
    types: Object.fromEntries(catalog.metastore.listTypes().map(([n, t]) => [n, { type: formatSqlType(t) }])),
  };
}
