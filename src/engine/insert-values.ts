/**
 * INSERT INTO ... VALUES: evaluates the value expressions, coerces them to the
 * target's column types (widening only, see insert-coercion.ts), serializes key and value with the target's formats
 * and appends the record to its topic.
 */
import { bindExpression } from '../analyzer/bind-expression.js';
import { statementError } from '../common/errors.js';
import { andThen, type MaybeAsync } from '../common/maybe-async.js';
import { createSerde, SerializationError } from '../formats/index.js';
import { valueToText } from '../expr/cast.js';
import { evaluateConstant } from '../expr/compile-expression.js';
import type { StatementOfKind } from '../parser/ast/statement.js';
import { quoteIdentifier, type SqlType } from '../schema/sql-type.js';
import type { EnginePorts } from './engine-ports.js';
import { coerceInsertValue } from './insert-coercion.js';
import { isReadOnlyTopic } from './read-only-topics.js';
import { formattedValueColumns } from './source-ddl.js';
import { sourceNameHint } from './source-name-hint.js';

export function insertValues(ports: Pick<EnginePorts, 'catalog' | 'config' | 'log' | 'runner'>, stmt: StatementOfKind<'InsertValues'>): MaybeAsync<void> {
  const target = ports.catalog.metastore.getSource(stmt.target);
  if (!target) throw statementError(`Cannot insert values into an unknown stream/table: ${quoteIdentifier(stmt.target)}${sourceNameHint(ports.catalog.metastore, stmt.target)}`);
  if (target.window !== undefined) throw statementError('Cannot insert values into windowed stream/table!');
  if (isReadOnlyTopic(ports.config, target.topic)) throw statementError(`Cannot insert values into read-only topic: ${target.topic}`);
  if (target.isSource) throw statementError(`Cannot insert values into read-only ${target.kind.toLowerCase()}: ${target.name}`);
  // The server's own setting: a request's properties do not turn it back on, as in ksqlDB.
  if (!ports.config.getBoolean('ksql.insert.into.values.enabled')) {
    throw statementError("The server has disabled INSERT INTO ... VALUES functionality. To enable it, restart your ksqlDB server with 'ksql.insert.into.values.enabled'=true");
  }
  const { schema } = target;
  const headers = schema.value.filter((c) => c.namespace === 'HEADERS');
  const valueColumns = formattedValueColumns(schema);
  // Without a column list every column is written, header columns included.
  const named = stmt.columns === undefined ? headers : headers.filter((h) => stmt.columns!.includes(h.name));
  if (named.length > 0) throw statementError(`Cannot insert into HEADER columns: ${named.map((h) => h.name).join(', ')}`);
  const names = stmt.columns ?? [...schema.key, ...valueColumns].map((c) => c.name);
  if (names.length !== stmt.values.length) {
    throw statementError(`Expected a value for each column. Expected Columns: [${names.join(', ')}]. Got [${stmt.values.map(() => '?').join(', ')}]`);
  }
  const scope = { columns: [], sourceNames: [], windowed: false, clause: 'VALUES', functions: ports.catalog.functions, lookupType: (n: string) => ports.catalog.metastore.getType(n) };
  const given = new Map<string, unknown>();
  names.forEach((name, i) => {
    if (name === 'ROWPARTITION' || name === 'ROWOFFSET') throw statementError(`Inserting into column ${quoteIdentifier(name)} is not allowed.`);
    const column = name === 'ROWTIME' ? { type: { kind: 'BIGINT' } as SqlType } : [...schema.key, ...valueColumns].find((c) => c.name === name);
    if (!column) throw statementError(`Column name ${quoteIdentifier(name)} does not exist.`);
    const bound = bindExpression(stmt.values[i]!, scope);
    given.set(name, coerceInsertValue(evaluateConstant(bound), bound.type, column.type, `Failed to insert values into '${target.name}'.`, name));
  });
  const key = schema.key.map((c) => given.get(c.name) ?? null);
  const value = valueColumns.map((c) => given.get(c.name) ?? null);
  const keySerde = createSerde({ format: target.keyFormat.format, target: 'key', columns: schema.key, properties: target.keyFormat.properties, features: target.keyFormat.features, topic: target.topic, registry: ports.catalog.schemaRegistry });
  const valueSerde = createSerde({ format: target.valueFormat.format, target: 'value', columns: valueColumns, properties: target.valueFormat.properties, features: target.valueFormat.features, topic: target.topic, registry: ports.catalog.schemaRegistry });
  const rowtime = given.get('ROWTIME');
  const failed = `Failed to insert values into '${stmt.target}'.`;
  const keyBytes = serializeOrFail(() => (schema.key.length === 0 ? null : keySerde.serialize(key)), `${failed} Could not serialize key: ${rowText(key, schema.key)}.`);
  const valueBytes = serializeOrFail(() => valueSerde.serialize(value), `${failed} Could not serialize value: ${rowText(value, valueColumns)}.`);
  return andThen(ports.log.topics.append(target.topic, [{
    key: keyBytes,
    value: valueBytes,
    timestamp: rowtime === undefined || rowtime === null ? Date.now() : Number(rowtime),
  }]), () => ports.runner.scheduler.wake());
}

/** A row its formats cannot write (a NULL where a registered schema requires a value) is the statement's error, as in ksqlDB. */
function serializeOrFail(serialize: () => Buffer | null, prefix: string): Buffer | null {
  try {
    return serialize();
  } catch (error) {
    if (error instanceof SerializationError) throw statementError(`${prefix} ${error.message}`);
    throw error;
  }
}

/** A row as ksqlDB's GenericRow prints it: `[ 'text' | 1 | null ]`, BIGINTs with an L. */
function rowText(values: readonly unknown[], columns: readonly { readonly type: SqlType }[]): string {
  const text = values.map((v, i) => {
    const type = columns[i]!.type;
    if (v === null || v === undefined) return 'null';
    if (type.kind === 'STRING') return `'${String(v)}'`;
    return `${valueToText(v, type)}${type.kind === 'BIGINT' ? 'L' : ''}`;
  });
  return `[ ${text.join(' | ')} ]`;
}
