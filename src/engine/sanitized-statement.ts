/**
 * The text ksqlDB appends as `Statement: ...` to the errors it finds while
 * planning a CREATE ... AS SELECT (a sink format that cannot hold the key,
 * for example): its formatter's writing of the statement once sanitized:
 * every column qualified by its source, the source aliased by its own name,
 * every selected expression named, one item per line, EMIT CHANGES made
 * explicit. Undefined for what we cannot write so (joins, `*`, windows).
 */
import type { Expression } from '../parser/ast/expression.js';
import type { CreateStreamAsSelect, CreateTableAsSelect } from '../parser/ast/statement.js';
import { rewriteExpression } from '../parser/ast/traverse.js';
import { printExpression, printIdentifier } from '../parser/index.js';

export function sanitizedStatementText(stmt: CreateStreamAsSelect | CreateTableAsSelect, names: readonly string[]): string | undefined {
  const q = stmt.query;
  if (q.from.kind !== 'AliasedSource' || q.window !== undefined) return undefined;
  const items = q.select.flatMap((it) => (it.kind === 'SelectColumn' ? [it] : []));
  if (items.length !== q.select.length || items.length !== names.length) return undefined;
  const alias = q.from.alias ?? q.from.name;
  const qualify = (e: Expression): string => printExpression(rewriteExpression(e, (node) =>
    (node.kind === 'ColumnRef' && node.source === undefined ? { ...node, source: alias } : undefined)));
  const what = stmt.kind === 'CreateStreamAsSelect' ? 'STREAM' : 'TABLE';
  const props = stmt.properties.length === 0 ? '' : ` WITH (${stmt.properties.map((p) => `${p.name}=${printExpression(p.value)}`).join(', ')})`;
  let text = `CREATE ${stmt.orReplace ? 'OR REPLACE ' : ''}${what} ${stmt.ifNotExists ? 'IF NOT EXISTS ' : ''}${printIdentifier(stmt.name)}${props} AS SELECT\n`;
  text += items.map((it, i) => `  ${qualify(it.expression)} ${printIdentifier(names[i]!)}`).join(',\n');
  text += `\nFROM ${printIdentifier(q.from.name)} ${printIdentifier(alias)}`;
  if (q.where !== undefined) text += `\nWHERE ${qualify(q.where)}`;
  if (q.groupBy !== undefined) text += `\nGROUP BY ${q.groupBy.map(qualify).join(', ')}`;
  if (q.partitionBy !== undefined) text += `\nPARTITION BY ${q.partitionBy.map(qualify).join(', ')}`;
  if (q.having !== undefined) text += `\nHAVING ${qualify(q.having)}`;
  text += `\nEMIT ${q.emit ?? 'CHANGES'}`;
  if (q.limit !== undefined) text += `\nLIMIT ${q.limit}`;
  return text;
}
