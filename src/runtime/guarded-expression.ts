/**
 * Expressions as operators run them: bound once per query, when its
 * topology is built (columns, functions and their call-site implementations
 * resolved against the step's input schema), then compiled into closures in
 * each task, because the closures report to their own task's processing log:
 * an evaluation error goes there with the step's logger name and yields
 * NULL, and the record goes on.
 */
import type { SchemaRegistryClient } from '../formats/index.js';
import { KsqlError } from '../common/errors.js';
import { bindExpression } from '../analyzer/bind-expression.js';
import type { BoundExpression } from '../analyzer/bound-expression.js';
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
  /** ksql.timestamp.throw.on.invalid: a source record whose TIMESTAMP column cannot be read stops the query instead of going to the processing log. */
  readonly throwOnInvalidTimestamp?: boolean;
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

/** Binds expressions over a step's input (a schema, windowed or not): once per query, when the topology is built. */
export function binderOver(schema: LogicalSchema, windowed: boolean, ctx: TopologyContext): (expression: Expression) => BoundExpression {
  const scope = scopeOf(schema, undefined, windowed, ctx.functions, ctx.lookupType, 'SELECT');
  return (expression) => bindExpression(expression, scope);
}

/** Compiles a bound expression over `schema` for one task; an evaluation error is logged and yields NULL. */
export function compileGuarded(
  bound: BoundExpression, schema: LogicalSchema, ctx: TopologyContext,
  output: TaskOutput, logger: string, what: string,
): Evaluator {
  // Named when an error happens: a pull query's operators built once serve queries of other ids.
  const name = (): string => loggerName(ctx, logger);
  const evaluate = compileExpression(bound, {
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
