/**
 * DELETE FROM table WHERE key = value (beyond ksqlDB): appends the tombstone
 * of one key (the key serialized in the table's key format, no value) to the
 * table's topic, as a producer deleting the row would. Only tables the user
 * writes to qualify: a stream's records cannot be deleted, a SOURCE table is
 * read-only, a table written by a query would have the deletion overwritten
 * by its query, and a windowed table's keys hold window bounds no WHERE names.
 */
import { bindExpression } from '../analyzer/bind-expression.js';
import { statementError } from '../common/errors.js';
import { andThen, type MaybeAsync } from '../common/maybe-async.js';
import { evaluateConstant } from '../expr/compile-expression.js';
import { createSerde } from '../formats/index.js';
import type { Expression } from '../parser/ast/expression.js';
import type { StatementOfKind } from '../parser/ast/statement.js';
import type { Column } from '../schema/logical-schema.js';
import { quoteIdentifier } from '../schema/sql-type.js';
import type { DataSource } from '../catalog/data-source.js';
import type { EnginePorts } from './engine-ports.js';
import { coerceInsertValue } from './insert-coercion.js';
import { conjuncts } from '../parser/ast/traverse.js';

export function deleteFrom(ports: Pick<EnginePorts, 'catalog' | 'log' | 'runner'>, stmt: StatementOfKind<'DeleteFrom'>): MaybeAsync<void> {
  const target = ports.catalog.metastore.getSource(stmt.target);
  if (target === undefined) throw statementError(`Cannot delete from an unknown table: ${quoteIdentifier(stmt.target)}`);
  checkDeletable(target);
  const key = keyValues(ports, target, stmt.where);
  const serde = createSerde({
    format: target.keyFormat.format, target: 'key', columns: target.schema.key, properties: target.keyFormat.properties,
    features: target.keyFormat.features, topic: target.topic, registry: ports.catalog.schemaRegistry,
  });
  return andThen(ports.log.topics.append(target.topic, [{ key: serde.serialize(key), value: null, timestamp: Date.now() }]), () => ports.runner.scheduler.wake());
}

function checkDeletable(target: DataSource): void {
  const { name } = target;
  if (target.kind === 'STREAM') {
    throw statementError(`DELETE FROM works on tables only: ${name} is a stream, whose records cannot be deleted.`);
  }
  if (target.isSource) throw statementError(`Cannot delete from read-only table: ${name}`);
  if (target.writerQueryId !== undefined) {
    throw statementError(`Cannot delete from table ${name}: it is written by query ${target.writerQueryId}, which would overwrite the deletion. Delete from the tables it reads instead.`);
  }
  if (target.window !== undefined) {
    throw statementError(`Cannot delete from windowed table ${name}: its keys include window bounds, which DELETE FROM cannot name.`);
  }
}

/** The key the WHERE clause fixes: exactly one `key column = constant` per key column, joined by AND. */
function keyValues(ports: Pick<EnginePorts, 'catalog'>, target: DataSource, where: Expression): unknown[] {
  const columns = target.schema.key;
  const usage = (): Error => statementError(
    `DELETE FROM ${target.name} must name one key with an equality for each key column, and nothing else: WHERE ${columns.map((c) => `${c.name} = <value>`).join(' AND ')}`,
  );
  const values = new Map<string, unknown>();
  const scope = { columns: [], sourceNames: [], windowed: false, clause: 'WHERE', functions: ports.catalog.functions, lookupType: (n: string) => ports.catalog.metastore.getType(n) };
  for (const conjunct of conjuncts(where)) {
    if (conjunct.kind !== 'Comparison' || conjunct.operator !== '=') throw usage();
    const column = keyColumnOf(conjunct.left, columns) ?? keyColumnOf(conjunct.right, columns);
    if (column === undefined || values.has(column.name)) throw usage();
    const other = keyColumnOf(conjunct.left, columns) === column ? conjunct.right : conjunct.left;
    let bound;
    try {
      bound = bindExpression(other, scope);
    } catch {
      throw usage();
    }
    const value = coerceInsertValue(evaluateConstant(bound), bound.type, column.type, `Failed to delete from '${target.name}'.`, column.name);
    if (value === null) throw statementError(`DELETE FROM ${target.name}: key column ${column.name} cannot be NULL.`);
    values.set(column.name, value);
  }
  if (values.size !== columns.length) throw usage();
  return columns.map((c) => values.get(c.name));
}

function keyColumnOf(e: Expression, columns: readonly Column[]): Column | undefined {
  return e.kind === 'ColumnRef' ? columns.find((c) => c.name === e.name) : undefined;
}
