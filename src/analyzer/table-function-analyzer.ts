/**
 * Table functions in a SELECT (ksqlDB's FlatMap): every call of a table
 * function (EXPLODE, CUBE_EXPLODE...) in the select items becomes a
 * synthetic value column, KSQL_SYNTH_n, that a flat-map step fills with one
 * element per output row; the select items then read those columns like any
 * other. Identical calls share one column.
 */
import { statementError } from '../common/errors.js';
import type { FunctionRegistry } from '../functions/registry.js';
import type { Expression } from '../parser/ast/expression.js';
import { expressionChildren, rewriteExpression, walkExpression } from '../parser/ast/traverse.js';
import { printExpression } from '../parser/index.js';
import type { Column, LogicalSchema } from '../schema/logical-schema.js';
import { quoteIdentifier, type SqlType } from '../schema/sql-type.js';
import { bindExpression, type BindScope } from './bind-expression.js';
import { expressionsEqual } from './expression-tree.js';

/** One table function call: the synthetic column it fills. */
export interface AnalyzedTableFunction {
  readonly name: string;
  readonly functionName: string;
  /** Arguments without source qualifiers. */
  readonly args: readonly Expression[];
  /** The type of each element it emits. */
  readonly type: SqlType;
}

export interface TableFunctionRewrite {
  readonly calls: readonly AnalyzedTableFunction[];
  /** Replaces each table function call in an expression by its synthetic column. */
  rewrite(e: Expression): Expression;
  /** `schema` with the synthetic columns appended to its values. */
  extend(schema: LogicalSchema): LogicalSchema;
}

/** True when `e` calls a table function anywhere. */
export function hasTableFunction(e: Expression, functions: FunctionRegistry): boolean {
  let found = false;
  walkExpression(e, (node) => {
    if (node.kind === 'FunctionCall' && functions.isTableFunction(node.name)) found = true;
  });
  return found;
}

/**
 * ksqlDB's analyzer rules for where a table function may stand, checked
 * select item by select item in order: not inside another table function,
 * not in a grouped query (GROUP BY, or an aggregate call in this or an
 * earlier item), not in or after a searched CASE of the same item.
 */
export function checkTableFunctionPlacement(
  items: readonly Expression[], functions: FunctionRegistry, groupBy: boolean,
): void {
  let grouped = groupBy;
  for (const item of items) {
    walkExpression(item, (node) => {
      if (node.kind === 'FunctionCall' && functions.isAggregate(node.name)) grouped = true;
    });
    let searchedCase: Expression | undefined;
    const visit = (node: Expression, outer: string | undefined): void => {
      if (node.kind === 'SearchedCase') searchedCase = node;
      const isTableFunction = node.kind === 'FunctionCall' && functions.isTableFunction(node.name);
      if (isTableFunction) {
        if (outer !== undefined) {
          throw statementError(`Table functions cannot be nested: ${quoteIdentifier(outer)}(${quoteIdentifier(node.name)}())`);
        }
        if (grouped) throw statementError('Table functions cannot be used with aggregations.');
        if (searchedCase !== undefined) throw statementError(`Table functions cannot be used in CASE: (${printExpression(searchedCase)})`);
      }
      for (const child of expressionChildren(node)) visit(child, isTableFunction ? node.name : outer);
    };
    visit(item, undefined);
  }
}

/**
 * Finds the table function calls of the select expressions (`unqualify`
 * removes the source's qualifiers), typing each against `scope`.
 */
export function analyzeTableFunctions(
  expressions: readonly Expression[], scope: BindScope, unqualify: (e: Expression) => Expression,
): TableFunctionRewrite {
  const { functions } = scope;
  const calls: AnalyzedTableFunction[] = [];
  const keys: Expression[] = [];
  const columnOf = (node: Expression): string | undefined => {
    if (node.kind !== 'FunctionCall' || !functions.isTableFunction(node.name)) return undefined;
    const key = unqualify(node);
    const i = keys.findIndex((k) => expressionsEqual(k, key));
    return i < 0 ? undefined : calls[i]!.name;
  };
  for (const e of expressions) {
    rewriteExpression(e, (node) => {
      if (node.kind !== 'FunctionCall' || !functions.isTableFunction(node.name)) return undefined;
      if (columnOf(node) !== undefined) return node;
      const argTypes = node.args.map((a) => bindExpression(a, scope).type);
      const resolved = functions.resolveTableFunction(node.name, argTypes);
      const key = unqualify(node) as Extract<Expression, { kind: 'FunctionCall' }>;
      keys.push(key);
      calls.push({ name: `KSQL_SYNTH_${calls.length}`, functionName: resolved.function.name, args: key.args, type: resolved.returnType });
      return node;
    });
  }
  const synthetic: Column[] = calls.map((c) => ({ name: c.name, type: c.type, namespace: 'VALUE' }));
  return {
    calls,
    rewrite: (e) => (calls.length === 0 ? e : rewriteExpression(e, (node) => {
      const name = columnOf(node);
      return name === undefined ? undefined : { kind: 'ColumnRef', source: undefined, name, location: node.location };
    })),
    extend: (schema) => (synthetic.length === 0 ? schema : { key: schema.key, value: [...schema.value, ...synthetic] }),
  };
}
