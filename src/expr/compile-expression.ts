/**
 * Compiles a bound expression into a closure over a row (the runtime does it
 * once per task, over expressions bound once per query).
 * Columns are array indices, functions direct references, casts prebuilt;
 * literals are parsed and implicit casts of them folded here, so a bad
 * literal fails the statement, not every record (a CAST written in the SQL is
 * evaluated per record, as ksqlDB does). NULL follows ksqlDB: arithmetic, NOT,
 * AND, OR, LIKE and CASE conditions fail on a NULL operand they reach (so
 * read as NULL when nothing guards them); comparisons, IN and BETWEEN with
 * one are false (NOT IN, NOT BETWEEN true). As in ksqlDB, a failing CAST,
 * constructor element, or function or field access passed to a function
 * yields NULL in place rather than failing the expression.
 */
import { KsqlError } from '../common/errors.js';
import type { BoundExpression, BoundOfKind } from '../analyzer/bound-expression.js';
import { Decimal } from '../schema/decimal.js';
import type { SqlType } from '../schema/sql-type.js';
import { buildCast, fitDecimal, parseDateText, parseTimeText, parseTimestampText } from './cast.js';
import { compileLikePattern } from './like.js';
import { arithmeticOperator, buildEquality, buildEqualityBetween, buildOrdering, ORDER_TESTS } from './operators.js';
import type { Row } from './row.js';
import { decimalOf, pow10, scaledOperator, scaledOrdering, unscaledOf } from './scaled-decimal.js';

export type Evaluator = (row: Row) => unknown;

/**
 * A DECIMAL expression's value as an integer at its type's scale
 * (scaled-decimal.ts); as a Decimal where it has more fractional digits than
 * that scale, so decimal.js computes with it; or NULL.
 */
type ScaledEvaluator = (row: Row) => bigint | Decimal | null;

function scaleOf(t: SqlType | null): number {
  return t?.kind === 'DECIMAL' ? t.scale : 0;
}

function asDecimal(v: bigint | Decimal, scale: number): Decimal {
  return typeof v === 'bigint' ? decimalOf(v, scale) : v;
}

export interface CompileOptions {
  /**
   * Told of each error that a CAST, or a function or field access passed
   * as a function argument, swallows (such a failure yields NULL there, as
   * in ksqlDB, and the rest of the expression goes on).
   */
  readonly onError?: (error: unknown, row: Row) => void;
}

/** Compiles one expression; lambda parameters live in slots private to this compilation. */
export function compileExpression(e: BoundExpression, options: CompileOptions = {}): Evaluator {
  return new Compiler(options.onError).compile(e);
}

/** Evaluates a constant expression (no columns) now; any failure throws, as ksqlDB's evaluation of INSERT VALUES does. */
export function evaluateConstant(e: BoundExpression): unknown {
  return compileExpression(e, { onError: (error) => { throw error; } })(CONSTANT_ROW);
}

const CONSTANT_ROW: Row = { values: [], timestamp: 0, partition: 0, offset: 0, headers: [], window: null, nullValue: false };

/**
 * ksqlDB's generated Java unboxes the operands of arithmetic, NOT, AND and
 * OR, so NULL there fails the evaluation: NULL at the top of a column, but a
 * whole lambda or comparison around it fails too.
 */
/** A comparison's equality: of its operand type, or as Java objects of two types when the analyzer found none. */
function equalityOf(e: BoundOfKind<'Compare'> | BoundOfKind<'IsDistinct'>): (a: unknown, b: unknown) => boolean {
  return e.operandType === null && e.left.type !== null && e.right.type !== null
    ? buildEqualityBetween(e.left.type, e.right.type)
    : buildEquality(e.operandType);
}

function nullOperand(): never {
  throw new KsqlError('BAD_STATEMENT', 'NULL operand of an operator that needs a value');
}

/** A DECIMAL the scaled evaluation computes without a Decimal: arithmetic, negation, an integer cast to DECIMAL. */
function computesDecimal(e: BoundExpression): boolean {
  if (e.type?.kind !== 'DECIMAL' || isConstant(e)) return false;
  return e.kind === 'Arithmetic' || e.kind === 'Negate' || (e.kind === 'Cast' && (e.from?.kind === 'INTEGER' || e.from?.kind === 'BIGINT'));
}

/** A literal, or an implicit coercion of one: folded at compile time, so a bad literal fails the statement. */
function isConstant(e: BoundExpression): boolean {
  return e.kind === 'Constant' || e.kind === 'LiteralText' || (e.kind === 'Cast' && e.written !== true && isConstant(e.operand));
}

class Compiler {
  private readonly env: unknown[] = [];

  constructor(private readonly onError: ((error: unknown, row: Row) => void) | undefined) {}

  compile(e: BoundExpression): Evaluator {
    if (e.kind !== 'Constant' && isConstant(e)) {
      // Folded unguarded: a constant that cannot be cast fails the statement.
      const value = (e.kind === 'Cast' ? this.cast(e) : this.build(e))(CONSTANT_ROW);
      return () => value;
    }
    return this.build(e);
  }

  /** An evaluator whose errors are reported and read as NULL. */
  private guard(f: Evaluator): Evaluator {
    const { onError } = this;
    return (row) => {
      try {
        return f(row);
      } catch (error) {
        onError?.(error, row);
        return null;
      }
    };
  }

  private cast(e: BoundOfKind<'Cast'>): Evaluator {
    const f = this.compile(e.operand);
    const cast = buildCast(e.from, e.type);
    return (row) => cast(f(row));
  }

  private build(e: BoundExpression): Evaluator {
    switch (e.kind) {
      case 'Constant': {
        const v = e.value;
        return () => v;
      }
      case 'LiteralText': {
        const v = parseLiteral(e.text, e.type);
        return () => v;
      }
      case 'ColumnAccess': {
        const i = e.index;
        return (row) => row.values[i] ?? null;
      }
      case 'PseudoColumn':
        switch (e.column) {
          case 'ROWTIME': return (row) => BigInt(row.timestamp);
          case 'ROWPARTITION': return (row) => row.partition;
          case 'ROWOFFSET': return (row) => BigInt(row.offset);
          case 'WINDOWSTART': return (row) => (row.window === null ? null : BigInt(row.window.start));
          case 'WINDOWEND': return (row) => (row.window === null ? null : BigInt(row.window.end));
        }
        break;
      case 'LambdaParam': {
        const { env } = this;
        const slot = e.slot;
        return () => env[slot] ?? null;
      }
      case 'Arithmetic':
        return e.type.kind === 'DECIMAL' ? this.decimalArithmetic(e) : this.arithmetic(e);
      case 'Negate':
        return this.negate(e);
      case 'Concat': {
        // ksqlDB compiles STRING + STRING to Java's string +, which writes NULL as "null".
        const l = this.compile(e.left);
        const r = this.compile(e.right);
        return (row) => `${(l(row) as string | null) ?? 'null'}${(r(row) as string | null) ?? 'null'}`;
      }
      case 'Compare':
        return this.compare(e);
      case 'Logical':
        return this.logical(e);
      case 'Not': {
        const f = this.compile(e.operand);
        return (row) => {
          const v = f(row);
          return v === null ? nullOperand() : !v;
        };
      }
      case 'IsNull': {
        const f = this.compile(e.operand);
        return e.negated ? (row) => f(row) !== null : (row) => f(row) === null;
      }
      case 'IsDistinct': {
        const l = this.compile(e.left);
        const r = this.compile(e.right);
        const eq = equalityOf(e);
        const negated = e.negated;
        return (row) => {
          const a = l(row);
          const b = r(row);
          const same = a === null || b === null ? a === b : eq(a, b);
          return negated ? same : !same;
        };
      }
      case 'In':
        return this.inList(e);
      case 'Between': {
        const f = this.compile(e.operand);
        const lo = this.compile(e.low);
        const hi = this.compile(e.high);
        const cmp = buildOrdering(e.operandType);
        const negated = e.negated;
        // As ksqlDB: two comparisons, each false when an operand is NULL.
        return (row) => {
          const v = f(row);
          if (v === null) return negated;
          const a = lo(row);
          if (a === null || cmp(v, a) < 0) return negated;
          const b = hi(row);
          if (b === null || cmp(v, b) > 0) return negated;
          return !negated;
        };
      }
      case 'Like':
        return this.like(e);
      case 'Case': {
        const whens = e.whens.map((w) => ({ c: this.compile(w.condition), r: this.compile(w.result) }));
        const otherwise = e.otherwise ? this.compile(e.otherwise) : () => null;
        // A NULL condition fails, as ksqlDB's unboxing of it does.
        return (row) => {
          for (const w of whens) {
            const c = w.c(row);
            if (c === null) return nullOperand();
            if (c) return w.r(row);
          }
          return otherwise(row);
        };
      }
      case 'Cast':
        return this.guard(this.cast(e));
      case 'MakeArray': {
        const fs = e.elements.map((x) => this.guard(this.compile(x)));
        return (row) => fs.map((f) => f(row));
      }
      case 'MakeMap': {
        const ks = e.keys.map((x) => this.guard(this.compile(x)));
        const vs = e.values.map((x) => this.guard(this.compile(x)));
        return (row) => {
          const m = new Map<unknown, unknown>();
          for (let i = 0; i < ks.length; i++) m.set(ks[i]!(row), vs[i]!(row));
          return m;
        };
      }
      case 'MakeStruct': {
        const names = e.names;
        const fs = e.values.map((x) => this.guard(this.compile(x)));
        return (row) => {
          const o: Record<string, unknown> = {};
          for (let i = 0; i < names.length; i++) o[names[i]!] = fs[i]!(row);
          return o;
        };
      }
      case 'Call':
        return this.call(e);
      case 'Lambda':
        throw new KsqlError('SERVER_ERROR', 'a lambda can only be compiled as a function argument');
      case 'Subscript':
        return this.subscript(e);
      case 'Field': {
        const f = this.compile(e.base);
        const name = e.field;
        return (row) => {
          const o = f(row) as Record<string, unknown> | null;
          return o === null ? null : (o[name] ?? null);
        };
      }
    }
    throw new KsqlError('SERVER_ERROR', `cannot compile ${(e as BoundExpression).kind}`);
  }

  private arithmetic(e: BoundOfKind<'Arithmetic'>): Evaluator {
    const l = this.compile(e.left);
    const r = this.compile(e.right);
    const op = arithmeticOperator(e.operator, e.type);
    return (row) => {
      const a = l(row);
      const b = r(row);
      return a === null || b === null ? nullOperand() : op(a, b);
    };
  }

  /** DECIMAL arithmetic on scaled integers: only the result of the whole tree becomes a Decimal. */
  private decimalArithmetic(e: BoundOfKind<'Arithmetic'>): Evaluator {
    const scale = scaleOf(e.type);
    const f = this.scaled(e);
    return (row) => {
      const v = f(row);
      return typeof v === 'bigint' ? decimalOf(v, scale) : v;
    };
  }

  /**
   * A DECIMAL-typed expression as a scaled integer: arithmetic and negation
   * stay integers, as does an INTEGER or BIGINT cast to a DECIMAL with room
   * for all its digits (one that cannot fail); anything else is evaluated
   * as a Decimal and read as an integer.
   */
  private scaled(e: BoundExpression): ScaledEvaluator {
    const scale = scaleOf(e.type);
    if (isConstant(e)) {
      const value = this.compile(e)(CONSTANT_ROW) as Decimal | null;
      const constant = value === null ? null : unscaledOf(value, scale) ?? value;
      return () => constant;
    }
    if (e.kind === 'Arithmetic' && e.left.type?.kind === 'DECIMAL' && e.right.type?.kind === 'DECIMAL') {
      const l = this.scaled(e.left);
      const r = this.scaled(e.right);
      const ls = scaleOf(e.left.type);
      const rs = scaleOf(e.right.type);
      const op = scaledOperator(e.operator, ls, rs, scale);
      const decimalOp = arithmeticOperator(e.operator, e.type) as (a: Decimal, b: Decimal) => Decimal;
      return (row) => {
        const a = l(row);
        const b = r(row);
        if (a === null || b === null) return nullOperand();
        return typeof a === 'bigint' && typeof b === 'bigint' ? op(a, b) : decimalOp(asDecimal(a, ls), asDecimal(b, rs));
      };
    }
    if (e.kind === 'Negate') {
      const f = this.scaled(e.operand);
      return (row) => {
        const v = f(row);
        if (v === null) return nullOperand();
        return typeof v === 'bigint' ? -v : v.neg();
      };
    }
    if (e.kind === 'Cast' && e.type.kind === 'DECIMAL') {
      const room = e.type.precision - e.type.scale;
      const up = pow10(scale);
      if (e.from?.kind === 'BIGINT' && room >= 19) {
        // Guarded as the cast would be: an operand that fails reads as NULL.
        const f = this.guard(this.compile(e.operand));
        return up === 1n ? (row) => f(row) as bigint | null : (row) => {
          const v = f(row) as bigint | null;
          return v === null ? null : v * up;
        };
      }
      if (e.from?.kind === 'INTEGER' && room >= 10) {
        const f = this.guard(this.compile(e.operand));
        return (row) => {
          const v = f(row) as number | null;
          return v === null ? null : BigInt(v | 0) * up;
        };
      }
    }
    const f = this.compile(e);
    return (row) => {
      const v = f(row) as Decimal | null;
      return v === null ? null : unscaledOf(v, scale) ?? v;
    };
  }

  private negate(e: BoundOfKind<'Negate'>): Evaluator {
    const f = this.compile(e.operand);
    let neg: (v: unknown) => unknown;
    switch (e.type.kind) {
      case 'INTEGER': neg = (v) => -(v as number) | 0; break;
      case 'BIGINT': neg = (v) => BigInt.asIntN(64, -(v as bigint)); break;
      case 'DECIMAL': neg = (v) => (v as Decimal).neg(); break;
      default: neg = (v) => -(v as number);
    }
    return (row) => {
      const v = f(row);
      return v === null ? nullOperand() : neg(v);
    };
  }

  private compare(e: BoundOfKind<'Compare'>): Evaluator {
    if (e.left.type?.kind === 'DECIMAL' && e.right.type?.kind === 'DECIMAL' && (computesDecimal(e.left) || computesDecimal(e.right))) {
      return this.decimalCompare(e);
    }
    const l = this.compile(e.left);
    const r = this.compile(e.right);
    const t = e.operandType;
    if (e.operator === '=' || e.operator === '<>') {
      const eq = equalityOf(e);
      const want = e.operator === '=';
      return (row) => {
        const a = l(row);
        if (a === null) return false;
        const b = r(row);
        return b !== null && eq(a, b) === want;
      };
    }
    const cmp = buildOrdering(t);
    const test = ORDER_TESTS[e.operator];
    return (row) => {
      const a = l(row);
      if (a === null) return false;
      const b = r(row);
      return b !== null && test(cmp(a, b));
    };
  }

  /** A comparison of DECIMALs where one side is computed: on scaled integers, no Decimal made for it. */
  private decimalCompare(e: BoundOfKind<'Compare'>): Evaluator {
    const l = this.scaled(e.left);
    const r = this.scaled(e.right);
    const ls = scaleOf(e.left.type);
    const rs = scaleOf(e.right.type);
    const order = scaledOrdering(ls, rs);
    const decimalOrder = buildOrdering(e.operandType);
    const test = e.operator === '=' ? (c: number) => c === 0 : e.operator === '<>' ? (c: number) => c !== 0 : ORDER_TESTS[e.operator];
    return (row) => {
      const a = l(row);
      if (a === null) return false;
      const b = r(row);
      if (b === null) return false;
      return test(typeof a === 'bigint' && typeof b === 'bigint' ? order(a, b) : decimalOrder(asDecimal(a, ls), asDecimal(b, rs)));
    };
  }

  /** Java's && and || over boxed booleans: short-circuit, and a NULL operand reached fails. */
  private logical(e: BoundOfKind<'Logical'>): Evaluator {
    const l = this.compile(e.left);
    const r = this.compile(e.right);
    const shortCircuit = e.operator === 'OR';
    return (row) => {
      const a = l(row);
      if (a === null) return nullOperand();
      if (a === shortCircuit) return shortCircuit;
      const b = r(row);
      return b === null ? nullOperand() : b;
    };
  }

  private inList(e: BoundOfKind<'In'>): Evaluator {
    const f = this.compile(e.operand);
    const list = e.list.map((x) => this.compile(x));
    const eq = buildEquality(e.operandType);
    const negated = e.negated;
    // NULL matches nothing, so IN is false and NOT IN true (ksqlDB's evaluation).
    return (row) => {
      const v = f(row);
      if (v === null) return negated;
      for (const item of list) {
        const x = item(row);
        if (x !== null && eq(v, x)) return !negated;
      }
      return negated;
    };
  }

  /** LIKE; a NULL value or pattern fails, as in ksqlDB. */
  private like(e: BoundOfKind<'Like'>): Evaluator {
    const f = this.compile(e.operand);
    const negated = e.negated;
    if (isConstant(e.pattern)) {
      const p = this.compile(e.pattern)(CONSTANT_ROW) as string | null;
      if (p === null) return () => nullOperand();
      const re = compileLikePattern(p, e.escape);
      return (row) => {
        const v = f(row);
        return v === null ? nullOperand() : re.test(v as string) !== negated;
      };
    }
    const pf = this.compile(e.pattern);
    const escape = e.escape;
    return (row) => {
      const v = f(row);
      const p = pf(row);
      if (v === null || p === null) return nullOperand();
      return compileLikePattern(p as string, escape).test(v as string) !== negated;
    };
  }

  private call(e: BoundOfKind<'Call'>): Evaluator {
    const impl = e.implementation;
    const args = e.args.map((a) => (a.kind === 'Lambda' ? this.lambda(a) : this.compileArg(a)));
    switch (args.length) {
      case 0: return () => impl();
      case 1: { const [a] = args as [Evaluator]; return (row) => impl(a(row)); }
      case 2: { const [a, b] = args as [Evaluator, Evaluator]; return (row) => impl(a(row), b(row)); }
      case 3: { const [a, b, c] = args as [Evaluator, Evaluator, Evaluator]; return (row) => impl(a(row), b(row), c(row)); }
      default: return (row) => impl(...args.map((a) => a(row)));
    }
  }

  /** A function or field access passed to a function reads as NULL when it fails (ksqlDB's code generation). */
  private compileArg(a: BoundExpression): Evaluator {
    const f = this.compile(a);
    return a.kind === 'Call' || a.kind === 'Field' ? this.guard(f) : f;
  }

  /** A lambda argument evaluates to a JS function bound to the current row. */
  private lambda(e: BoundOfKind<'Lambda'>): Evaluator {
    const body = this.compile(e.body);
    const { env } = this;
    const slots = e.slots;
    return (row) => (...params: unknown[]) => {
      const saved = slots.map((s) => env[s]);
      for (let i = 0; i < slots.length; i++) env[slots[i]!] = params[i] ?? null;
      try {
        return body(row);
      } finally {
        for (let i = 0; i < slots.length; i++) env[slots[i]!] = saved[i];
      }
    };
  }

  private subscript(e: BoundOfKind<'Subscript'>): Evaluator {
    const base = this.compile(e.base);
    const index = this.compile(e.index);
    if (e.base.type?.kind === 'ARRAY') {
      return (row) => {
        const arr = base(row) as unknown[] | null;
        if (arr === null) return null;
        const i = index(row) as number | null;
        if (i === null) return nullOperand();
        const pos = i > 0 ? i - 1 : arr.length + i;
        return pos >= 0 && pos < arr.length && i !== 0 ? (arr[pos] ?? null) : null;
      };
    }
    return (row) => {
      const m = base(row) as Map<unknown, unknown> | null;
      const k = index(row);
      if (m === null || k === null) return null;
      return m.get(k) ?? null;
    };
  }
}

/** The value of a literal written as text, for its type. */
function parseLiteral(text: string, t: SqlType): unknown {
  switch (t.kind) {
    case 'DECIMAL':
      return fitDecimal(new Decimal(text), t);
    case 'DATE':
      return parseDateText(text, t);
    case 'TIME':
      return parseTimeText(text, t);
    case 'TIMESTAMP':
      return parseTimestampText(text, t);
    default:
      throw new KsqlError('SERVER_ERROR', `no literal text form for ${t.kind}`);
  }
}
