/**
 * Expressions as operators run them: compiled once per task against the
 * step's input schema; an evaluation error goes to the processing log with
 * the step's logger name and yields NULL, and the record goes on.
 */
import type { SchemaRegistryClient } from '../formats/index.js';
import { KsqlError } from '../common/errors.js';
import { bindExpression } from '../analyzer/bind-expression.js';
import { scopeOf } from '../analyzer/source-scope.js';
import type { AggregateConfig } from '../functions/aggregate-function.js';
import type { FunctionRegistry } from '../functions/registry.js';
import { compileExpression, type Evaluator } from '../expr/compile-expression.js';
import type { Row } from '../expr/row.js';
import type { Expression } from '../parser/ast/expression.js';
import type { LogicalSchema } from '../schema/logical-schema.js';
import type { SqlType } from '../schema/sql-type.js';
import { recordProcessingError } from './processing-log.js';
import type { TaskOutput } from './task.js';

export interface TopologyContext {
  readonly queryId: string;
  readonly functions: FunctionRegistry;
  readonly lookupType: (name: string) => SqlType | undefined;
  /** ksql.logging.processing.rows.include */
  readonly includeRows: boolean;
  /** The prefix of the query's internal topic names (ksqlDB: `_confluent-ksql-<service id>query_<query id>`). */
  readonly internalTopicPrefix: string;
  /** The query's properties (server config with the query's overrides): aggregate settings such as collection limits. */
  readonly config?: AggregateConfig;
  /** The Schema Registry schema-based formats use (AVRO). */
  readonly schemaRegistry?: SchemaRegistryClient;
}

export function loggerName(ctx: TopologyContext, name: string): string {
  return `processing.${ctx.queryId}.${name}`;
}

/** A row as JSON text for processing-log entries (BIGINT as digits). */
export function rowText(row: Pick<Row, 'values'>, schema: LogicalSchema): string {
  const names = [...schema.key, ...schema.value].map((c) => c.name);
  return JSON.stringify(Object.fromEntries(names.map((n, i) => [n, row.values[i] ?? null])), (_k, v: unknown) =>
    typeof v === 'bigint' ? v.toString() : v);
}

/** The SQL type of an expression over a schema. */
export function typeOf(expression: Expression, schema: LogicalSchema, windowed: boolean, ctx: TopologyContext): SqlType | null {
  return bindExpression(expression, scopeOf(schema, undefined, windowed, ctx.functions, ctx.lookupType, 'SELECT')).type;
}

/** Compiles an expression against a schema; an evaluation error is logged and yields NULL. */
export function compileGuarded(
  expression: Expression, schema: LogicalSchema, windowed: boolean, ctx: TopologyContext,
  output: TaskOutput, logger: string, what: string,
): Evaluator {
  const scope = scopeOf(schema, undefined, windowed, ctx.functions, ctx.lookupType, 'SELECT');
  // Named when an error happens: a pull query's operators built once serve queries of other ids.
  const name = (): string => loggerName(ctx, logger);
  const evaluate = compileExpression(bindExpression(expression, scope), {
    onError: (error, row) => output.logError(recordProcessingError(name(), error, ctx.includeRows ? rowText(row, schema) : null)),
  });
  return (row) => {
    try {
      return evaluate(row);
    } catch (error) {
      const message = `Error computing ${what}: ${error instanceof Error ? error.message : String(error)}`;
      output.logError(recordProcessingError(name(), new KsqlError('BAD_STATEMENT', message, { cause: error }), ctx.includeRows ? rowText(row, schema) : null));
      return null;
    }
  };
}
