/**
 * An expression as ksqlDB's messages show it (its expression formatter with
 * no identifier quoting): lower-case `true`/`null`, `MAP('a':=1)`,
 * `STRUCT(F0:=1)`, NOT IN as `(NOT (x IN (...)))`. The parser's printer
 * stays the canonical, re-parsable form; this one is for error text that
 * must read as ksqlDB's does.
 */
import type { Expression } from '../parser/ast/expression.js';
import { printType } from '../parser/index.js';

function join(items: readonly Expression[]): string {
  return items.map(formatExpressionText).join(', ');
}

function negate(negated: boolean, text: string): string {
  return negated ? `(NOT ${text})` : text;
}

function quote(value: string): string {
  return "'" + value.replace(/'/g, "''") + "'";
}

/** A DOUBLE literal in scientific notation, as ksqlDB prints it (`1.5E0`). */
function formatDoubleText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const [mantissa = '', exponent = '0'] = value.toExponential().split('e');
  return `${mantissa}E${exponent.replace(/^\+/, '')}`;
}

export function formatExpressionText(e: Expression): string {
  switch (e.kind) {
    case 'NullLiteral':
      return 'null';
    case 'BooleanLiteral':
      return e.value ? 'true' : 'false';
    case 'IntegerLiteral':
    case 'BigIntLiteral':
      return String(e.value);
    case 'DecimalLiteral':
      return e.text;
    case 'DoubleLiteral':
      return formatDoubleText(e.value);
    case 'StringLiteral':
      return quote(e.value);
    case 'BytesLiteral':
      return `X'${e.hex}'`;
    case 'TypedLiteral':
      return e.value;
    case 'ColumnRef':
      return e.source === undefined ? e.name : `${e.source}.${e.name}`;
    case 'LambdaVariable':
      return e.name;
    case 'IntervalUnit':
      return e.unit;
    case 'ArithmeticUnary': {
      const operand = formatExpressionText(e.operand);
      return e.operator === '-' ? `-${operand.startsWith('-') ? ' ' : ''}${operand}` : `+${operand}`;
    }
    case 'ArithmeticBinary':
    case 'Comparison':
    case 'LogicalBinary':
      return `(${formatExpressionText(e.left)} ${e.operator} ${formatExpressionText(e.right)})`;
    case 'Concatenation':
      return `(${formatExpressionText(e.left)} || ${formatExpressionText(e.right)})`;
    case 'Not':
      return `(NOT ${formatExpressionText(e.operand)})`;
    case 'IsNull':
      return `(${formatExpressionText(e.operand)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'IsDistinctFrom':
      return `(${formatExpressionText(e.left)} IS ${e.negated ? 'NOT ' : ''}DISTINCT FROM ${formatExpressionText(e.right)})`;
    case 'InList':
      return negate(e.negated, `(${formatExpressionText(e.operand)} IN (${join(e.list)}))`);
    case 'Between':
      return negate(e.negated,
        `(${formatExpressionText(e.operand)} BETWEEN ${formatExpressionText(e.low)} AND ${formatExpressionText(e.high)})`);
    case 'Like': {
      const escape = e.escape === undefined ? '' : ` ESCAPE '${e.escape}'`;
      return negate(e.negated, `(${formatExpressionText(e.operand)} LIKE ${formatExpressionText(e.pattern)}${escape})`);
    }
    case 'SearchedCase':
    case 'SimpleCase': {
      const parts = ['CASE'];
      if (e.kind === 'SimpleCase') parts.push(formatExpressionText(e.operand));
      for (const w of e.whens) parts.push(`WHEN ${formatExpressionText(w.condition)} THEN ${formatExpressionText(w.result)}`);
      if (e.otherwise !== undefined) parts.push('ELSE', formatExpressionText(e.otherwise));
      parts.push('END');
      return `(${parts.join(' ')})`;
    }
    case 'Cast':
      return `CAST(${formatExpressionText(e.operand)} AS ${printType(e.type)})`;
    case 'ArrayConstructor':
      return `ARRAY[${join(e.elements)}]`;
    case 'MapConstructor':
      return `MAP(${e.entries.map((x) => `${formatExpressionText(x.key)}:=${formatExpressionText(x.value)}`).join(', ')})`;
    case 'StructConstructor':
      return `STRUCT(${e.fields.map((f) => `${f.name}:=${formatExpressionText(f.value)}`).join(', ')})`;
    case 'FunctionCall':
      return `${e.name}(${e.star ? '*' : join(e.args)})`;
    case 'Lambda':
      return `(${e.params.join(', ')}) => ${formatExpressionText(e.body)}`;
    case 'Subscript':
      return `${formatExpressionText(e.base)}[${formatExpressionText(e.index)}]`;
    case 'Dereference':
      return `${formatExpressionText(e.base)}->${e.field}`;
  }
}
