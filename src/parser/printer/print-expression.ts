/**
 * Canonical SQL for expressions and types. Every compound expression is
 * wrapped in parentheses, so parsing the printed text gives back the same
 * tree whatever the precedence rules; names are quoted when a bare spelling
 * would read differently.
 */
import { assertNever } from '../../common/assert-never.js';
import type { Duration } from '../ast/duration.js';
import type { Expression } from '../ast/expression.js';
import type { TypeNode } from '../ast/type-node.js';
import { RESERVED_KEYWORDS } from '../grammar/keywords.js';

const BARE_IDENTIFIER = /^[A-Z_][A-Z0-9_@]*$/;
/** Quoted: reserved words, and the non-reserved words that open a constructor (`MAP(...)`, `ARRAY[...]`). */
const QUOTED_WORDS: ReadonlySet<string> = new Set([...RESERVED_KEYWORDS, 'STRUCT', 'MAP', 'ARRAY']);

/**
 * A normalized name as SQL, as ksqlDB's formatter writes it: bare when that
 * reads back the same (non-reserved keywords such as KEY or ID included),
 * back-quoted otherwise.
 */
export function printIdentifier(name: string): string {
  if (BARE_IDENTIFIER.test(name) && !QUOTED_WORDS.has(name)) return name;
  return '`' + name.replace(/`/g, '``') + '`';
}

export function printString(value: string): string {
  return "'" + value.replace(/'/g, "''") + "'";
}

export function printDuration(d: Pick<Duration, 'value' | 'unit'>): string {
  return `${d.value} ${d.unit}`;
}

export function printType(t: TypeNode): string {
  switch (t.kind) {
    case 'BOOLEAN':
    case 'INTEGER':
    case 'BIGINT':
    case 'DOUBLE':
    case 'STRING':
    case 'BYTES':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      return t.kind;
    case 'DECIMAL':
      return `DECIMAL(${t.precision}, ${t.scale})`;
    case 'ARRAY':
      return `ARRAY<${printType(t.element)}>`;
    case 'ArrayTypeNode':
      return `ARRAY<${printType(t.element)}>`;
    case 'MAP':
    case 'MapTypeNode':
      return `MAP<${printType(t.key)}, ${printType(t.value)}>`;
    case 'STRUCT':
    case 'StructTypeNode':
      return `STRUCT<${t.fields.map((f) => `${printIdentifier(f.name)} ${printType(f.type)}`).join(', ')}>`;
    case 'NamedType':
      return printIdentifier(t.name);
    default:
      return assertNever(t, 'type');
  }
}

function list(items: readonly Expression[]): string {
  return items.map(printExpression).join(', ');
}

function not(negated: boolean): string {
  return negated ? 'NOT ' : '';
}

export function printExpression(e: Expression): string {
  switch (e.kind) {
    case 'NullLiteral':
      return 'null';
    case 'BooleanLiteral':
      return e.value ? 'TRUE' : 'FALSE';
    case 'IntegerLiteral':
      return String(e.value);
    case 'BigIntLiteral':
      return String(e.value);
    case 'DecimalLiteral':
      return e.text;
    case 'DoubleLiteral':
      return /[eE]/.test(e.text) ? e.text : e.value.toExponential();
    case 'StringLiteral':
      return printString(e.value);
    case 'BytesLiteral':
      return `X'${e.hex}'`;
    case 'TypedLiteral':
      return `${e.typeName} ${printString(e.value)}`;
    case 'ColumnRef':
      return e.source === undefined ? printIdentifier(e.name) : `${printIdentifier(e.source)}.${printIdentifier(e.name)}`;
    case 'LambdaVariable':
      return printIdentifier(e.name);
    case 'IntervalUnit':
      return e.unit;
    case 'ArithmeticUnary':
      return `(${e.operator}(${printExpression(e.operand)}))`;
    case 'ArithmeticBinary':
      return `(${printExpression(e.left)} ${e.operator} ${printExpression(e.right)})`;
    case 'Concatenation':
      return `(${printExpression(e.left)} || ${printExpression(e.right)})`;
    case 'Comparison':
      return `(${printExpression(e.left)} ${e.operator} ${printExpression(e.right)})`;
    case 'LogicalBinary':
      return `(${printExpression(e.left)} ${e.operator} ${printExpression(e.right)})`;
    case 'Not':
      return `(NOT ${printExpression(e.operand)})`;
    case 'IsNull':
      return `(${printExpression(e.operand)} IS ${not(e.negated)}NULL)`;
    case 'IsDistinctFrom':
      return `(${printExpression(e.left)} IS ${not(e.negated)}DISTINCT FROM ${printExpression(e.right)})`;
    case 'InList':
      return `(${printExpression(e.operand)} ${not(e.negated)}IN (${list(e.list)}))`;
    case 'Between':
      return `(${printExpression(e.operand)} ${not(e.negated)}BETWEEN ${printExpression(e.low)} AND ${printExpression(e.high)})`;
    case 'Like': {
      const escape = e.escape === undefined ? '' : ` ESCAPE ${printString(e.escape)}`;
      return `(${printExpression(e.operand)} ${not(e.negated)}LIKE ${printExpression(e.pattern)}${escape})`;
    }
    case 'SearchedCase':
    case 'SimpleCase': {
      const operand = e.kind === 'SimpleCase' ? ` ${printExpression(e.operand)}` : '';
      const whens = e.whens.map((w) => ` WHEN ${printExpression(w.condition)} THEN ${printExpression(w.result)}`).join('');
      const otherwise = e.otherwise === undefined ? '' : ` ELSE ${printExpression(e.otherwise)}`;
      return `CASE${operand}${whens}${otherwise} END`;
    }
    case 'Cast':
      return `CAST(${printExpression(e.operand)} AS ${printType(e.type)})`;
    case 'ArrayConstructor':
      return `ARRAY[${list(e.elements)}]`;
    case 'MapConstructor':
      return `MAP(${e.entries.map((en) => `${printExpression(en.key)} := ${printExpression(en.value)}`).join(', ')})`;
    case 'StructConstructor':
      return `STRUCT(${e.fields.map((f) => `${printIdentifier(f.name)} := ${printExpression(f.value)}`).join(', ')})`;
    case 'FunctionCall':
      return `${printIdentifier(e.name)}(${e.star ? '*' : list(e.args)})`;
    case 'Lambda':
      return `(${e.params.map(printIdentifier).join(', ')}) => ${printExpression(e.body)}`;
    case 'Subscript':
      return `${printExpression(e.base)}[${printExpression(e.index)}]`;
    case 'Dereference':
      return `${printExpression(e.base)}->${printIdentifier(e.field)}`;
    default:
      return assertNever(e, 'expression');
  }
}
