/**
 * Whether a running query's plan can be swapped in place for a new one that
 * keeps its consumer group, state stores and internal topics (CREATE OR
 * REPLACE), by ksqlDB's rules for upgrading a query (ExecutionStep
 * validateUpgrade). Steps are PASSIVE (filters, projections: they may be
 * added, removed or changed freely) or ENFORCING (sources, re-keying,
 * grouping, aggregation, sinks: the other plan must have the same step, with
 * the same properties, at the same place once passive steps are skipped).
 * Any other step (joins, windowed or table aggregations, table functions,
 * windowed sources) cannot be upgraded yet.
 */
import { statementError } from '../common/errors.js';
import { printExpression } from '../parser/index.js';
import type { Expression } from '../parser/ast/expression.js';
import type { ExecutionStep } from './steps.js';

type Role = 'PASSIVE' | 'ENFORCING';

/** ksqlDB's class name for a step: the name its messages use. */
function className(step: ExecutionStep): string {
  switch (step.kind) {
    case 'StreamSource':
      return step.window === undefined ? 'StreamSource' : 'WindowedStreamSource';
    case 'TableSource':
      return step.window === undefined ? 'TableSource' : 'WindowedTableSource';
    case 'StreamGroupBy':
      return step.repartition ? 'StreamGroupBy' : 'StreamGroupByKey';
    default:
      return step.kind;
  }
}

function role(step: ExecutionStep): Role {
  switch (className(step)) {
    case 'StreamFilter':
    case 'TableFilter':
    case 'StreamSelect':
    case 'TableSelect':
      return 'PASSIVE';
    case 'StreamSource':
    case 'TableSource':
    case 'StreamSelectKey':
    case 'StreamGroupBy':
    case 'StreamGroupByKey':
    case 'StreamAggregate':
    case 'StreamSink':
    case 'TableSink':
      return 'ENFORCING';
    default:
      throw statementError(`Upgrades not yet supported for ${className(step)}`);
  }
}

function javaClass(step: ExecutionStep): string {
  return `class io.confluent.ksql.execution.plan.${className(step)}`;
}

function inputOf(step: ExecutionStep): ExecutionStep | undefined {
  return 'source' in step ? step.source : undefined;
}

/**
 * Throws ksqlDB's message when the plan `a` cannot be upgraded to `b`. `a`
 * leads: a passive `a` hands the lead to the other plan, so passive steps of
 * either plan are skipped; an enforcing `a` must find its match in `b`.
 */
export function checkPlanUpgrade(a: ExecutionStep, b: ExecutionStep): void {
  if (role(a) === 'PASSIVE') {
    checkPlanUpgrade(b, inputOf(a)!);
    return;
  }
  if (a.kind === 'StreamSource' || a.kind === 'TableSource') {
    mustMatch(a, sourceBelow(a, b));
    return;
  }
  mustMatch(a, b);
  checkPlanUpgrade(inputOf(a)!, inputOf(b)!);
}

/** The source under `b`'s passive steps, which must be of `source`'s kind. */
function sourceBelow(source: ExecutionStep, b: ExecutionStep): ExecutionStep {
  let step = b;
  while (className(step) !== className(source)) {
    if ('left' in step) throw statementError('Query is not upgradeable. Cannot change a non-join source into a join source.');
    const input = inputOf(step);
    if (input === undefined) {
      throw statementError(`Query is not upgradeable. The root source node of the upgrade tree must be ${className(source)}, but was ${javaClass(step)}`);
    }
    if (role(step) !== 'PASSIVE') throw statementError(`Query is not upgradeable. Cannot add a ${javaClass(step)} step that is not in the original query plan.`);
    step = input;
  }
  return step;
}

/** The properties of an enforcing step that the other plan's step must share, rendered for comparison and messages. */
function properties(step: ExecutionStep): [string, string][] {
  const format = (f: unknown): string => JSON.stringify(f);
  const expressions = (list: readonly Expression[]): string => `[${list.map(printExpression).join(', ')}]`;
  const timestamp = (t: { column: string; format: string | undefined } | undefined): string =>
    (t === undefined ? 'Optional.empty' : `Optional[${t.column}${t.format === undefined ? '' : ` ${t.format}`}]`);
  switch (step.kind) {
    case 'StreamSource':
    case 'TableSource':
      return [
        ['topicName', step.topic],
        ['formats', `${format(step.keyFormat)}, ${format(step.valueFormat)}`],
        ['timestampColumn', timestamp(step.timestampColumn)],
        // The source's store of a table is named after its alias.
        ...(step.kind === 'TableSource' ? [['alias', step.alias] as [string, string]] : []),
      ];
    case 'StreamSelectKey':
      return [['keyExpressions', expressions(step.keyExpressions)]];
    case 'StreamGroupBy':
    case 'TableGroupBy':
      return [['groupByExpressions', expressions(step.groupBy)]];
    case 'StreamAggregate':
    case 'StreamWindowedAggregate':
    case 'TableAggregate':
      return [['aggregate functions', `[${step.calls.map((c) => `${c.functionName}(${c.args.map(printExpression).join(', ')})`).join(', ')}]`]];
    case 'StreamSink':
    case 'TableSink':
      return [
        ['formats', `${format(step.keyFormat)}, ${format(step.valueFormat)}`],
        ['topicName', step.topic],
        ['timestampColumn', timestamp(step.timestampColumn)],
      ];
    default:
      return [];
  }
}

function mustMatch(a: ExecutionStep, b: ExecutionStep): void {
  const fail = (property: string, x: string, y: string): never => {
    throw statementError(`Query is not upgradeable. Plan step of type ${className(a)} must have matching ${property}. Values differ: ${x} vs. ${y}`);
  };
  if (className(a) !== className(b)) fail('class', javaClass(a), javaClass(b));
  const theirs = new Map(properties(b));
  for (const [name, value] of properties(a)) {
    const other = theirs.get(name)!;
    if (value !== other) fail(name, value, other);
  }
}
