/**
 * Binds an expression AST against a scope: resolves columns, pseudo columns,
 * lambda variables and functions, types every node with ksqlDB's rules, and
 * makes every implicit coercion an explicit Cast. Errors are ksqlDB's
 * messages, as KsqlError('BAD_STATEMENT').
 */
import { KsqlError, statementError } from '../common/errors.js';
import type { FunctionRegistry } from '../functions/registry.js';
import type { ArgumentType } from '../functions/resolve-variant.js';
import type { Expression, ExpressionOfKind } from '../parser/ast/expression.js';
import type { SourceLocation } from '../parser/ast/location.js';
import { resolveTypeNode, type TypeNode } from '../parser/ast/type-node.js';
import { printExpression } from '../parser/index.js';
import {
  BIGINT, BOOLEAN, BYTES, DOUBLE, INTEGER, formatSqlType, isNumeric, isPrimitive, sqlTypesEqual, STRING, TIMESTAMP, DATE, TIME,
  arrayType, mapType, structType, type SqlType,
} from '../schema/sql-type.js';
import type { BoundExpression, PseudoColumnName } from './bound-expression.js';
import { commonType, decimalLiteralType, describeType, integerAsDecimal, widerNumeric } from './coercion.js';
import { resolveListType } from './coerce-list.js';
import { formatExpressionText } from './expression-text.js';
import { locationPrefix } from './location-prefix.js';
import { unknownQualifierError } from './unknown-qualifier-error.js';
import { decimalResultType, isCastSupported, isTemporal, isTimeOfSomeKind } from './type-rules.js';

export interface ScopeColumn {
  readonly name: string;
  readonly type: SqlType;
  /** Index into the row's values. */
  readonly index: number;
  /** The source name or alias the column belongs to, for qualified references. */
  readonly source: string | undefined;
}

export interface BindScope {
  readonly columns: readonly ScopeColumn[];
  /** Names and aliases that may qualify a column (`src.col`). */
  readonly sourceNames: readonly string[];
  /** Whether WINDOWSTART and WINDOWEND exist here. */
  readonly windowed: boolean;
  /** Which clause is bound, for messages: 'SELECT', 'WHERE', 'PARTITION BY', ... */
  readonly clause: string;
  readonly functions: FunctionRegistry;
  /** Custom types from CREATE TYPE. */
  readonly lookupType: (name: string) => SqlType | undefined;
}

const PSEUDO_TYPES: Readonly<Record<PseudoColumnName, SqlType>> = {
  ROWTIME: BIGINT,
  ROWPARTITION: INTEGER,
  ROWOFFSET: BIGINT,
  WINDOWSTART: BIGINT,
  WINDOWEND: BIGINT,
};

export function isPseudoColumnName(name: string): name is PseudoColumnName {
  return Object.prototype.hasOwnProperty.call(PSEUDO_TYPES, name);
}

interface CaseClause {
  /** The condition as written (or, for a simple CASE, the equality it stands for), for messages. */
  readonly condition: Expression;
  readonly bindCondition: () => BoundExpression;
  readonly result: Expression;
}

/** What ksqlDB says it was compiling, by clause, in errors found at code generation. */
const GENERATED_CLAUSES: Readonly<Record<string, string>> = { WHERE: 'Predicate', SELECT: 'Select' };

/** ksqlDB's names of the comparison operators, as its messages show them. */
const COMPARISON_NAMES = {
  '=': 'EQUAL', '<>': 'NOT_EQUAL', '<': 'LESS_THAN', '<=': 'LESS_THAN_OR_EQUAL', '>': 'GREATER_THAN', '>=': 'GREATER_THAN_OR_EQUAL',
  'IS DISTINCT FROM': 'IS_DISTINCT_FROM', 'IS NOT DISTINCT FROM': 'IS_NOT_DISTINCT_FROM',
} as const;

/**
 * Errors ksqlDB finds before it type-checks a clause (while resolving columns
 * in its analyzer) or after (while generating code): these keep their message
 * when a WHERE or HAVING frames the type errors of its predicate.
 */
const UNFRAMED = new WeakSet<object>();

function unframed(err: KsqlError): KsqlError {
  UNFRAMED.add(err);
  return err;
}

/** A column no scope knows; PARTITION BY says it is computed from the input (ksqlDB's analyzer). */
function unknownColumnError(clause: string, text: string, location: SourceLocation): KsqlError {
  const why = clause === 'PARTITION BY' ? ` '${text}' must be a column in the source schema since PARTITION BY is applied on the input.` : '';
  return unframed(statementError(`${locationPrefix(location)}${clause} column '${text}' cannot be resolved.${why}`, { position: location }));
}

/** Whether an error of binding is one of ksqlDB's type errors (not resolution, not code generation). */
export function isTypeError(err: unknown): err is KsqlError {
  return err instanceof KsqlError && !UNFRAMED.has(err);
}

interface LambdaBinding {
  readonly slot: number;
  readonly type: SqlType;
}

/** Binds one expression. */
export function bindExpression(expr: Expression, scope: BindScope): BoundExpression {
  return new Binder(scope).bind(expr);
}

/** Resolves a type as written (custom type names included) to a SqlType. */
export function resolveType(node: TypeNode, lookupType: (name: string) => SqlType | undefined): SqlType {
  const t = resolveTypeNode(node, lookupType);
  if (t === undefined) {
    const name = findNamedType(node);
    throw statementError(`Can't find type ${name}`);
  }
  return t;
}

function findNamedType(node: TypeNode): string {
  switch (node.kind) {
    case 'NamedType':
      return node.name;
    case 'ArrayTypeNode':
      return findNamedType(node.element);
    case 'MapTypeNode':
      return findNamedType(node.key) || findNamedType(node.value);
    case 'StructTypeNode':
      return node.fields.map((f) => findNamedType(f.type)).find((n) => n) ?? '';
    default:
      return '';
  }
}

/** Wraps `e` in a Cast to `to` unless it already has that type. */
export function coerceTo(e: BoundExpression, to: SqlType): BoundExpression {
  if (e.type !== null && sqlTypesEqual(e.type, to)) return e;
  return { kind: 'Cast', type: to, from: e.type, operand: e };
}

class Binder {
  private readonly scope: BindScope;
  private readonly lambdas = new Map<string, LambdaBinding>();
  private nextSlot = 0;

  constructor(scope: BindScope) {
    this.scope = scope;
  }

  bind(e: Expression): BoundExpression {
    switch (e.kind) {
      case 'NullLiteral':
        return { kind: 'Constant', type: null, value: null };
      case 'BooleanLiteral':
        return { kind: 'Constant', type: BOOLEAN, value: e.value };
      case 'IntegerLiteral':
        return { kind: 'Constant', type: INTEGER, value: e.value };
      case 'BigIntLiteral':
        return { kind: 'Constant', type: BIGINT, value: e.value };
      case 'DecimalLiteral':
        return { kind: 'LiteralText', type: decimalLiteralType(e.text), text: e.text };
      case 'DoubleLiteral':
        return { kind: 'Constant', type: DOUBLE, value: e.value };
      case 'StringLiteral':
        return { kind: 'Constant', type: STRING, value: e.value };
      case 'BytesLiteral':
        return { kind: 'Constant', type: BYTES, value: Buffer.from(e.hex, 'hex') };
      case 'TypedLiteral':
        return this.bindTypedLiteral(e);
      case 'ColumnRef':
        return this.bindColumn(e);
      case 'LambdaVariable': {
        const b = this.lambdas.get(e.name);
        if (!b) throw statementError(`Unknown lambda variable ${e.name}`, { position: e.location });
        return { kind: 'LambdaParam', type: b.type, slot: b.slot };
      }
      case 'IntervalUnit':
        return { kind: 'Constant', type: STRING, value: e.unit };
      case 'ArithmeticUnary':
        return this.bindUnary(e);
      case 'ArithmeticBinary':
        return this.bindArithmetic(e);
      case 'Concatenation':
        // ksqlDB reads `a || b` as CONCAT(a, b).
        return this.bind({ kind: 'FunctionCall', name: 'CONCAT', args: [e.left, e.right], star: false, location: e.location });
      case 'Comparison':
        return this.bindComparison(e);
      case 'LogicalBinary':
        return {
          kind: 'Logical', type: BOOLEAN, operator: e.operator,
          left: this.bindBoolean(e.left, e.operator), right: this.bindBoolean(e.right, e.operator),
        };
      case 'Not':
        return { kind: 'Not', type: BOOLEAN, operand: this.bindBoolean(e.operand, 'NOT') };
      case 'IsNull':
        return { kind: 'IsNull', type: BOOLEAN, operand: this.bind(e.operand), negated: e.negated };
      case 'IsDistinctFrom': {
        const [left, right, operandType] = this.bindComparable(e.left, e.right, e.negated ? 'IS NOT DISTINCT FROM' : 'IS DISTINCT FROM', true);
        return { kind: 'IsDistinct', type: BOOLEAN, operandType, left, right, negated: e.negated };
      }
      case 'InList':
        return this.bindIn(e);
      case 'Between':
        return this.bindBetween(e);
      case 'Like': {
        const operand = this.bind(e.operand);
        const pattern = this.bind(e.pattern);
        for (const side of [operand, pattern]) {
          if (side.type !== null && side.type.kind !== 'STRING') {
            throw statementError(`Error processing expression: ${printExpression(e)}. LIKE requires STRING operands, got ${describeType(side.type)}`);
          }
        }
        return { kind: 'Like', type: BOOLEAN, operand, pattern, escape: e.escape, negated: e.negated };
      }
      case 'SearchedCase':
        return this.bindCase(e.whens.map((w) => ({ condition: w.condition, bindCondition: () => this.bind(w.condition), result: w.result })), e.otherwise);
      case 'SimpleCase':
        return this.bindSimpleCase(e);
      case 'Cast':
        return this.bindCast(e);
      case 'ArrayConstructor':
        return this.bindArray(e);
      case 'MapConstructor':
        return this.bindMap(e);
      case 'StructConstructor':
        return this.bindStruct(e);
      case 'FunctionCall':
        return this.bindCall(e);
      case 'Lambda':
        throw statementError(`Lambdas are only allowed as function arguments: ${printExpression(e)}`, { position: e.location });
      case 'Subscript':
        return this.bindSubscript(e);
      case 'Dereference':
        return this.bindDereference(e);
    }
  }

  private bindTypedLiteral(e: ExpressionOfKind<'TypedLiteral'>): BoundExpression {
    switch (e.typeName) {
      case 'DATE':
        return { kind: 'LiteralText', type: DATE, text: e.value };
      case 'TIME':
        return { kind: 'LiteralText', type: TIME, text: e.value };
      case 'TIMESTAMP':
        return { kind: 'LiteralText', type: TIMESTAMP, text: e.value };
      case 'DECIMAL':
        return { kind: 'LiteralText', type: decimalLiteralType(e.value.trim()), text: e.value.trim() };
    }
  }

  private bindColumn(e: ExpressionOfKind<'ColumnRef'>): BoundExpression {
    const { scope } = this;
    if (e.source !== undefined) {
      if (!scope.sourceNames.includes(e.source)) {
        throw unframed(unknownQualifierError(e.source, e.location));
      }
      const c = scope.columns.find((col) => col.source === e.source && col.name === e.name);
      if (c) return { kind: 'ColumnAccess', type: c.type, index: c.index, name: c.name };
      if (isPseudoColumnName(e.name)) return this.bindPseudo(e.name, e);
      throw unknownColumnError(scope.clause, `${e.source}.${e.name}`, e.location);
    }
    const matches = scope.columns.filter((col) => col.name === e.name);
    if (matches.length > 1) {
      const owners = matches.map((m) => `${m.source}.${m.name}`).join(' or ');
      throw unframed(statementError(`Exception while preparing statement: ${locationPrefix(e.location)}Column '${e.name}' is ambiguous. Could be ${owners}.`, { position: e.location }));
    }
    if (matches.length === 1) {
      const c = matches[0]!;
      return { kind: 'ColumnAccess', type: c.type, index: c.index, name: c.name };
    }
    if (isPseudoColumnName(e.name)) return this.bindPseudo(e.name, e);
    throw unknownColumnError(scope.clause, e.name, e.location);
  }

  private bindPseudo(name: PseudoColumnName, e: Expression): BoundExpression {
    if ((name === 'WINDOWSTART' || name === 'WINDOWEND') && !this.scope.windowed) {
      throw unknownColumnError(this.scope.clause, name, e.location);
    }
    return { kind: 'PseudoColumn', type: PSEUDO_TYPES[name], column: name };
  }

  private bindUnary(e: ExpressionOfKind<'ArithmeticUnary'>): BoundExpression {
    const operand = this.bind(e.operand);
    if (operand.type !== null && !isNumeric(operand.type)) {
      throw statementError(`Error processing expression: ${printExpression(e)}. Unary ${e.operator} requires a numeric operand, got ${describeType(operand.type)}`);
    }
    if (e.operator === '+') return operand;
    return { kind: 'Negate', type: operand.type ?? INTEGER, operand };
  }

  private bindArithmetic(e: ExpressionOfKind<'ArithmeticBinary'>): BoundExpression {
    let left = this.bind(e.left);
    let right = this.bind(e.right);
    const lt = left.type ?? right.type;
    const rt = right.type ?? left.type;
    if (lt === null || rt === null) {
      throw statementError(`Can't infer a type of null. Please explicitly cast it to a required type, e.g. CAST(null AS VARCHAR).`);
    }
    if (e.operator === '+' && lt.kind === 'STRING' && rt.kind === 'STRING') {
      return { kind: 'Concat', type: STRING, left, right };
    }
    if (!isNumeric(lt) || !isNumeric(rt)) {
      throw statementError(
        `Error processing expression: ${printExpression(e)}. Unsupported arithmetic types. ${describeType(lt)} ${describeType(rt)}`,
        { position: e.location },
      );
    }
    if (lt.kind === 'DECIMAL' || rt.kind === 'DECIMAL') {
      if (lt.kind !== 'DOUBLE' && rt.kind !== 'DOUBLE') {
        const dl = integerAsDecimal(lt);
        const dr = integerAsDecimal(rt);
        left = coerceTo(left, dl);
        right = coerceTo(right, dr);
        return { kind: 'Arithmetic', type: decimalResultType(e.operator, dl, dr), operator: e.operator, left, right };
      }
    }
    const type = widerNumeric(lt, rt);
    return { kind: 'Arithmetic', type, operator: e.operator, left: coerceTo(left, type), right: coerceTo(right, type) };
  }

  private bindBoolean(e: Expression, context: string): BoundExpression {
    const b = this.bind(e);
    if (b.type !== null && b.type.kind !== 'BOOLEAN') {
      throw statementError(`Error processing expression: ${printExpression(e)}. ${context} requires BOOLEAN operands, got ${describeType(b.type)}`, { position: e.location });
    }
    return b;
  }

  /**
   * Binds two operands to one comparable type as ksqlDB's ComparisonUtil
   * allows: numbers widen, a STRING compares only with a STRING or a time;
   * no type (null) for two ARRAYs, MAPs or STRUCTs of different types.
   */
  private bindComparable(le: Expression, re: Expression, operator: keyof typeof COMPARISON_NAMES, equality: boolean): [BoundExpression, BoundExpression, SqlType | null] {
    const opName = COMPARISON_NAMES[operator];
    const left = this.bind(le);
    const right = this.bind(re);
    if (left.type === null || right.type === null) {
      throw statementError(
        `Comparison with NULL not supported: ${left.type?.kind ?? 'NULL'} ${operator} ${right.type?.kind ?? 'NULL'}\n`
        + "Use 'IS NULL' or 'IS NOT NULL' instead.",
      );
    }
    const lt = left.type;
    const rt = right.type;
    if (!equality && (lt.kind === 'BOOLEAN' || rt.kind === 'BOOLEAN')) return this.cannotCompare(le, lt, re, rt, opName);
    if (isNumeric(lt) && isNumeric(rt)) {
      const t = widerNumeric(lt, rt);
      return [coerceTo(left, t), coerceTo(right, t), t];
    }
    if (sqlTypesEqual(lt, rt) || (lt.kind === rt.kind && isPrimitive(lt))) {
      if (!isPrimitive(lt) && !equality) return this.cannotCompare(le, lt, re, rt, opName);
      return [left, right, lt];
    }
    if (isTemporal(lt) && isTemporal(rt)) return [coerceTo(left, TIMESTAMP), coerceTo(right, TIMESTAMP), TIMESTAMP];
    // Any STRING compares with a DATE, TIME or TIMESTAMP, read as one (ksqlDB parses it per record).
    if (lt.kind === 'STRING' && isTimeOfSomeKind(rt)) return [coerceTo(left, rt), right, rt];
    if (rt.kind === 'STRING' && isTimeOfSomeKind(lt)) return [left, coerceTo(right, lt), lt];
    // Two ARRAYs, MAPs or STRUCTs of different types compare for equality unconverted (no operand type): as Java objects.
    if (equality && !isPrimitive(lt) && lt.kind === rt.kind) return [left, right, null];
    return this.cannotCompare(le, lt, re, rt, opName);
  }

  private cannotCompare(le: Expression, lt: SqlType, re: Expression, rt: SqlType, opName: string): never {
    throw statementError(`Cannot compare ${formatExpressionText(le)} (${formatSqlType(lt)}) to ${formatExpressionText(re)} (${formatSqlType(rt)}) with ${opName}.`);
  }

  private bindComparison(e: ExpressionOfKind<'Comparison'>): BoundExpression {
    const equality = e.operator === '=' || e.operator === '<>';
    const [left, right, operandType] = this.bindComparable(e.left, e.right, e.operator, equality);
    if (!equality && (operandType === null || !isPrimitive(operandType))) {
      this.cannotCompare(e.left, left.type!, e.right, right.type!, COMPARISON_NAMES[e.operator]);
    }
    return { kind: 'Compare', type: BOOLEAN, operator: e.operator, operandType, left, right };
  }

  /** IN: the operand and the list take one common type (ksqlDB's expression-list rules). */
  private bindIn(e: ExpressionOfKind<'InList'>): BoundExpression {
    const operand = this.bind(e.operand);
    const list = e.list.map((x) => this.bind(x));
    const items = [e.operand, ...e.list].map((expression, i) => ({ expression, type: (i === 0 ? operand : list[i - 1]!).type }));
    let t: SqlType | null;
    try {
      t = resolveListType(items, this.typeOf);
    } catch (err) {
      throw this.generationError(err);
    }
    if (t === null) return { kind: 'In', type: BOOLEAN, operandType: null, operand, list, negated: e.negated };
    const target = t;
    return {
      kind: 'In', type: BOOLEAN, operandType: target,
      operand: coerceTo(operand, target), list: list.map((b) => (b.type === null ? b : coerceTo(b, target))), negated: e.negated,
    };
  }

  /** The type of an expression bound in the current scope (lambda variables included). */
  private readonly typeOf = (x: Expression): SqlType | null => this.bind(x).type;

  /**
   * ksqlDB finds some errors only when it generates code for a clause (IN
   * lists, unsupported CASTs), and prefixes them with what it was compiling.
   */
  private generationError(err: unknown): unknown {
    const what = GENERATED_CLAUSES[this.scope.clause];
    if (what === undefined || !(err instanceof KsqlError)) return err;
    return unframed(new KsqlError(err.code, `Invalid ${what}: ${err.message}`, { cause: err, position: err.position }));
  }

  private bindBetween(e: ExpressionOfKind<'Between'>): BoundExpression {
    const operand = this.bind(e.operand);
    const low = this.bind(e.low);
    const high = this.bind(e.high);
    let t = commonType([operand.type, low.type, high.type]);
    if (t === undefined && operand.type !== null && isPrimitive(operand.type)) t = operand.type;
    if (t === undefined || t === null || !isPrimitive(t)) {
      throw statementError(`Invalid BETWEEN expression: ${printExpression(e)}`, { position: e.location });
    }
    return {
      kind: 'Between', type: BOOLEAN, operandType: t,
      operand: coerceTo(operand, t), low: low.type === null ? low : coerceTo(low, t), high: high.type === null ? high : coerceTo(high, t),
      negated: e.negated,
    };
  }

  /**
   * CASE as ksqlDB types it: clause by clause, each WHEN must be BOOLEAN and
   * every typed THEN, and the ELSE, of exactly one type (no widening).
   */
  private bindCase(whens: readonly CaseClause[], otherwise: Expression | undefined): BoundExpression {
    let t: SqlType | null = null;
    const bound = whens.map((w) => {
      const condition = w.bindCondition();
      if (condition.type !== null && condition.type.kind !== 'BOOLEAN') {
        throw statementError(`WHEN operand type should be boolean.\nType for '${formatExpressionText(w.condition)}' is ${formatSqlType(condition.type)}`);
      }
      const result = this.bind(w.result);
      if (result.type !== null) {
        if (t !== null && !sqlTypesEqual(t, result.type)) {
          throw statementError(
            "Invalid Case expression. Type for all 'THEN' clauses should be the same.\n"
            + `THEN expression 'WHEN ${formatExpressionText(w.condition)} THEN ${formatExpressionText(w.result)}' has type: ${formatSqlType(result.type)}.\n`
            + `Previous THEN expression(s) type: ${formatSqlType(t)}.`,
          );
        }
        t = result.type;
      }
      return { condition, result };
    });
    const other = otherwise === undefined ? undefined : this.bind(otherwise);
    if (t !== null && other?.type != null && !sqlTypesEqual(t, other.type)) {
      throw statementError(
        "Invalid Case expression. Type for the default clause should be the same as for 'THEN' clauses.\n"
        + `THEN type: ${formatSqlType(t)}.\nDEFAULT type: ${formatSqlType(other.type)}.`,
      );
    }
    const type = t ?? other?.type ?? null;
    if (type === null) throw statementError('Invalid Case expression. All case branches have NULL type');
    return { kind: 'Case', type, whens: bound, otherwise: other };
  }

  private bindSimpleCase(e: ExpressionOfKind<'SimpleCase'>): BoundExpression {
    // ksqlDB reads CASE x WHEN v ... as CASE WHEN x = v ...
    return this.bindCase(e.whens.map((w) => ({
      condition: { kind: 'Comparison', operator: '=', left: e.operand, right: w.condition, location: w.condition.location },
      bindCondition: () => {
        const [left, right, operandType] = this.bindComparable(e.operand, w.condition, '=', true);
        return { kind: 'Compare', type: BOOLEAN, operator: '=', operandType, left, right };
      },
      result: w.result,
    })), e.otherwise);
  }

  private bindCast(e: ExpressionOfKind<'Cast'>): BoundExpression {
    const operand = this.bind(e.operand);
    const to = resolveType(e.type, this.scope.lookupType);
    if (operand.type !== null && !isCastSupported(operand.type, to)) {
      throw this.generationError(statementError(`Cast of ${describeType(operand.type)} to ${describeType(to)} is not supported`, { position: e.location }));
    }
    return { kind: 'Cast', type: to, from: operand.type, operand, written: true };
  }

  private bindArray(e: ExpressionOfKind<'ArrayConstructor'>): BoundExpression {
    if (e.elements.length === 0) {
      throw statementError('Array constructor cannot be empty. Please supply at least one element (see https://github.com/confluentinc/ksql/issues/4239).');
    }
    const elements = e.elements.map((x) => this.bind(x));
    const t = this.listType(elements, e.elements);
    if (t === null) {
      throw statementError('Cannot construct an array with all NULL elements (see https://github.com/confluentinc/ksql/issues/4239). As a workaround, you may cast a NULL value to the desired type.');
    }
    return { kind: 'MakeArray', type: arrayType(t), elements: elements.map((b) => (b.type === null ? b : coerceTo(b, t))) };
  }

  /** The common type of constructor elements (ksqlDB's expression-list rules). */
  private listType(bound: readonly BoundExpression[], asts: readonly Expression[]): SqlType | null {
    return resolveListType(asts.map((expression, i) => ({ expression, type: bound[i]!.type })), this.typeOf);
  }

  private bindMap(e: ExpressionOfKind<'MapConstructor'>): BoundExpression {
    const see = '(see https://github.com/confluentinc/ksql/issues/4239)';
    if (e.entries.length === 0) throw statementError(`Map constructor cannot be empty. Please supply at least one key value pair ${see}.`);
    // Keys are typed and checked before values, as ksqlDB's type manager does.
    const keys = e.entries.map((x) => this.bind(x.key));
    const kt = this.listType(keys, e.entries.map((x) => x.key));
    if (kt === null) throw statementError(`Cannot construct a map with all NULL keys ${see}. As a workaround, you may cast a NULL key to the desired type.`);
    const values = e.entries.map((x) => this.bind(x.value));
    const vt = this.listType(values, e.entries.map((x) => x.value));
    if (vt === null) throw statementError(`Cannot construct a map with all NULL values ${see}. As a workaround, you may cast a NULL value to the desired type.`);
    return {
      kind: 'MakeMap', type: mapType(kt, vt),
      keys: keys.map((b) => (b.type === null ? b : coerceTo(b, kt))),
      values: values.map((b) => (b.type === null ? b : coerceTo(b, vt))),
    };
  }

  private bindStruct(e: ExpressionOfKind<'StructConstructor'>): BoundExpression {
    const names = e.fields.map((f) => f.name);
    if (new Set(names).size !== names.length) throw statementError('Duplicate field names found in STRUCT');
    const values = e.fields.map((f) => this.bind(f.value));
    const fields = values.map((v, i) => ({ name: names[i]!, type: v.type ?? STRING }));
    return { kind: 'MakeStruct', type: structType(fields), names, values };
  }

  private bindCall(e: ExpressionOfKind<'FunctionCall'>): BoundExpression {
    const { functions } = this.scope;
    const def = functions.lookup(e.name);
    // A table function is no scalar function: ksqlDB's code generator finds no such function.
    if (def === undefined || def.kind === 'table') throw statementError(`Can't find any functions with the name '${e.name}'`, { position: e.location });
    if (def.kind !== 'scalar') {
      throw statementError(`Aggregate functions can not be used here: ${printExpression(e)}`, { position: e.location });
    }
    const args: (BoundExpression | undefined)[] = e.args.map((a) => (a.kind === 'Lambda' ? undefined : this.bind(a)));
    const argTypes: ArgumentType[] = e.args.map((a, i) => (a.kind === 'Lambda' ? { kind: 'LAMBDA', arity: a.params.length } : args[i]!.type));
    let call = functions.resolve(e.name, argTypes);
    if (e.args.some((a) => a.kind === 'Lambda')) {
      e.args.forEach((a, i) => {
        if (a.kind !== 'Lambda') return;
        const paramTypes = call.lambdaParamTypes[i] ?? [];
        args[i] = this.bindLambda(a, paramTypes);
        argTypes[i] = { kind: 'LAMBDA', arity: a.params.length, returnType: args[i]!.type! };
      });
      call = functions.resolve(e.name, argTypes);
    }
    const bound = args.map((a, i) => {
      const target = call.paramTypes[i];
      return a!.kind === 'Lambda' || target === null || target === undefined || a!.type === null ? a! : coerceTo(a!, target);
    });
    const type = call.returnType;
    if (type === undefined) throw new KsqlError('SERVER_ERROR', `could not type the result of ${printExpression(e)}`);
    return { kind: 'Call', type, name: def.name, implementation: call.implementation, args: bound };
  }

  private bindLambda(e: ExpressionOfKind<'Lambda'>, paramTypes: readonly SqlType[]): BoundExpression {
    const saved = e.params.map((p) => this.lambdas.get(p));
    const slots = e.params.map((p, i) => {
      const slot = this.nextSlot++;
      this.lambdas.set(p, { slot, type: paramTypes[i] ?? STRING });
      return slot;
    });
    try {
      const body = this.bind(e.body);
      return { kind: 'Lambda', type: body.type ?? STRING, slots, body };
    } finally {
      e.params.forEach((p, i) => {
        const s = saved[i];
        if (s === undefined) this.lambdas.delete(p);
        else this.lambdas.set(p, s);
      });
    }
  }

  private bindSubscript(e: ExpressionOfKind<'Subscript'>): BoundExpression {
    const base = this.bind(e.base);
    const index = this.bind(e.index);
    const bt = base.type;
    if (bt?.kind === 'ARRAY') {
      if (index.type !== null && index.type.kind !== 'INTEGER' && index.type.kind !== 'BIGINT') {
        throw statementError(`Array index must be an INTEGER, got ${describeType(index.type)}: ${printExpression(e)}`);
      }
      return { kind: 'Subscript', type: bt.element, base, index: index.type === null ? index : coerceTo(index, INTEGER) };
    }
    if (bt?.kind === 'MAP') {
      return { kind: 'Subscript', type: bt.value, base, index: index.type === null ? index : coerceTo(index, bt.key) };
    }
    const hint = bt?.kind === 'STRUCT' ? ` Use the dereference operator for STRUCTS: ${formatExpressionText(e.base)}->${formatExpressionText(e.index)}` : '';
    throw statementError(
      `Subscript expression (${formatExpressionText(e)}) do not apply to ${bt === null ? 'null' : formatSqlType(bt)}.${hint}`, { position: e.location },
    );
  }

  private bindDereference(e: ExpressionOfKind<'Dereference'>): BoundExpression {
    const base = this.bind(e.base);
    const bt = base.type;
    if (bt?.kind !== 'STRUCT') {
      throw statementError(`Can't dereference ${printExpression(e.base)}: it is not a STRUCT (${describeType(bt)})`, { position: e.location });
    }
    const field = bt.fields.find((f) => f.name === e.field) ?? bt.fields.find((f) => f.name.toUpperCase() === e.field.toUpperCase());
    if (!field) throw statementError(`Could not find field '${e.field}' in '${printExpression(e.base)}'.`, { position: e.location });
    return { kind: 'Field', type: field.type, base, field: field.name };
  }
}
