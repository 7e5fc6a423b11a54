/**
 * Prepared pull queries on tables, cached by statement shape: the statement's
 * text with its literals left out (src/parser/statement-shape.ts), plus the
 * request's properties. A key
 * lookup `SELECT * FROM T WHERE ID = 42;` is parsed and analysed once; later
 * statements of the same shape (`... WHERE ID = 7;`) reuse the analysis, their
 * key lookups made from the WHERE clause's key restrictions with their own
 * literals put in.
 *
 * Only literals that the analysis cannot depend on become parameters: the
 * operands of key restrictions (`K = x`, `K IN (x, ...)`) whose literal kind
 * is the key column's own type family, and the integers that window bounds
 * of a windowed table are compared with (`WINDOWSTART >= x`), so binding
 * them is a matter of types alone (a new literal must have the kind, and for
 * a decimal the digits' shape, of the one it replaces). A conjunct becomes
 * parameters whole or not at all. Every other literal stays part of the shape:
 * a different LIMIT or projected constant is a different template. Anything
 * unusual - a lexing error, several statements, a literal whose node the
 * parser built differently - simply misses, and the full path answers,
 * with its errors.
 *
 * A template also holds its query's operators, built once: their plan leaves
 * out the parameterized conjuncts, which each query applies itself (the key
 * lookups return only rows of the keys asked for; the window bounds are
 * compared before the operators), so the operators do not depend on the
 * parameters. Any change to the metastore (CREATE, DROP, types) or to the user
 * functions empties the cache, and it holds at most CAPACITY shapes, least recently used first
 * out.
 */
import type { AnalyzedQuery } from '../analyzer/query-analyzer.js';
import type { Expression, Literal } from '../parser/ast/expression.js';
import { conjuncts } from '../parser/ast/traverse.js';
import { statementShape, type LiteralToken } from '../parser/statement-shape.js';
import type { Row } from '../expr/row.js';
import type { SqlType } from '../schema/sql-type.js';
import type { PropertyValue } from './config.js';
import type { EnginePorts } from './engine-ports.js';
import {
  keyLookupsOf, keyRestriction, lookupsOfRestrictions, prepareTablePull, tablePullProgram, windowBound, windowPasses, windowStartsOf, type TablePullProgram, type TablePullShape, type WindowBound,
} from './pull-query.js';
import type { PreparedQuery } from './prepared-query.js';

const CAPACITY = 1000;
/** Templates kept for one shape (statements differing only in their fixed literals, e.g. LIMIT). */
const TEMPLATES_PER_SHAPE = 4;

/** The literal kinds a key column of each type may be given as a parameter. */
const PARAMETER_KINDS: Readonly<Partial<Record<SqlType['kind'], readonly Literal['kind'][]>>> = {
  INTEGER: ['IntegerLiteral'],
  BIGINT: ['IntegerLiteral', 'BigIntLiteral'],
  DOUBLE: ['DoubleLiteral'],
  DECIMAL: ['DecimalLiteral'],
  STRING: ['StringLiteral'],
};

/** The literal kinds a window bound may be compared with as a parameter. */
const BOUND_KINDS: readonly Literal['kind'][] = ['IntegerLiteral', 'BigIntLiteral'];

interface Parameter {
  /** Its index among the statement's literal tokens. */
  readonly literal: number;
  readonly signature: string;
}

/** A window bound compared with a parameter (its index in the template's parameters). */
interface ParameterBound {
  readonly column: WindowBound['column'];
  readonly operator: WindowBound['operator'];
  readonly parameter: number;
}

interface Template {
  /** The image of each literal token, null where a parameter sits. */
  readonly fixed: readonly (string | null)[];
  readonly parameters: readonly Parameter[];
  readonly analysis: AnalyzedQuery;
  /** Runs the analysis without its parameterized conjuncts. */
  readonly program: TablePullProgram;
  readonly bounds: readonly ParameterBound[];
  /** Every key restriction of the WHERE clause; undefined: its queries read no keys but scan. */
  readonly restrictions: readonly TemplateRestriction[] | undefined;
}

/** A key restriction (`K = x`, `K IN (...)`) of a template: each operand a parameter (its index) or a fixed expression. */
interface TemplateRestriction {
  readonly index: number;
  readonly operands: readonly (number | Expression)[];
}

export interface CacheLookup {
  /** A hit: the query, prepared for this statement's literals. */
  readonly prepared?: PreparedQuery;
  /** After a miss: offers what the full path made of a pull query on a table. */
  readonly remember?: (shape: TablePullShape, analysis: AnalyzedQuery) => void;
}

const MISS: CacheLookup = {};

export class PullQueryCache {
  private readonly templates = new Map<string, Template[]>();
  /** The metastore's and the functions' versions the templates were made under. */
  private version: string;
  hits = 0;
  misses = 0;

  constructor(private readonly ports: EnginePorts) {
    this.version = this.currentVersion();
  }

  private currentVersion(): string {
    return `${this.ports.catalog.metastore.version}:${this.ports.catalog.functions.version}`;
  }

  get size(): number {
    return this.templates.size;
  }

  clear(): void {
    this.templates.clear();
  }

  lookUp(text: string, properties: Readonly<Record<string, PropertyValue>>): CacheLookup {
    const now = this.currentVersion();
    if (now !== this.version) {
      this.templates.clear();
      this.version = now;
    }
    const statement = statementShape(text);
    if (statement === undefined) return MISS;
    const { literals } = statement;
    const key = `${JSON.stringify(properties)}\u0000${statement.key}`;
    const candidates = this.templates.get(key);
    if (candidates !== undefined) {
      this.templates.delete(key);
      this.templates.set(key, candidates);
      for (const template of candidates) {
        const prepared = this.instantiate(template, literals, statement.text);
        if (prepared !== undefined) {
          this.hits++;
          return { prepared };
        }
      }
    }
    this.misses++;
    const version = this.version;
    return {
      remember: (shape, analysis) => {
        if (this.currentVersion() !== version) return;
        let template: Template;
        try {
          template = templateOf(this.ports, shape, analysis, literals);
        } catch {
          // A shape the cache cannot make a template of is answered by the full path each time.
          return;
        }
        const list = this.templates.get(key) ?? [];
        list.unshift(template);
        if (list.length > TEMPLATES_PER_SHAPE) list.length = TEMPLATES_PER_SHAPE;
        this.templates.delete(key);
        this.templates.set(key, list);
        if (this.templates.size > CAPACITY) this.templates.delete(this.templates.keys().next().value!);
      },
    };
  }

  /** The template's query with this statement's literals, or undefined when they do not fit it. */
  private instantiate(template: Template, literals: readonly LiteralToken[], text: string): PreparedQuery | undefined {
    for (let i = 0; i < literals.length; i++) {
      const fixed = template.fixed[i];
      if (fixed !== null && fixed !== literals[i]!.image) return undefined;
    }
    const values: Literal[] = [];
    for (const p of template.parameters) {
      const literal = literalOf(literals[p.literal]!);
      if (literal === undefined || signatureOf(literal) !== p.signature) return undefined;
      values.push(literal);
    }
    const { analysis, bounds, restrictions, program } = template;
    // The key lookups from the restrictions with this statement's literals: the WHERE clause itself is not rebuilt.
    const lookups = restrictions === undefined
      ? undefined
      : lookupsOfRestrictions(restrictions.map((r) => ({ index: r.index, values: r.operands.map((o) => (typeof o === 'number' ? values[o]! : o)) })),
        program.shape.source.schema.key, this.ports);
    const limits = bounds.map((b) => ({ ...b, value: (values[b.parameter] as Extract<Literal, { value: number | bigint }>).value }));
    const keep = limits.length === 0 ? undefined : (row: Row): boolean => limits.every((b) => windowPasses(row, b.column, b.operator, b.value));
    try {
      return prepareTablePull(this.ports, program, analysis, text, keep, { lookups, starts: windowStartsOf(limits) });
    } catch {
      // The full path gives the error, with the statement's text.
      return undefined;
    }
  }
}

const caches = new WeakMap<EnginePorts, PullQueryCache>();

/** The engine's cache of prepared pull queries. */
export function pullQueryCache(ports: EnginePorts): PullQueryCache {
  let cache = caches.get(ports);
  if (cache === undefined) caches.set(ports, cache = new PullQueryCache(ports));
  return cache;
}

/** Which of the statement's literals can be parameters of this analysis, and its operators without them (see the file comment). */
function templateOf(ports: EnginePorts, shape: TablePullShape, analysis: AnalyzedQuery, literals: readonly LiteralToken[]): Template {
  const parameters: Parameter[] = [];
  // Sets, not searches of the parameters: an IN list of n keys would cost n² steps.
  const taken = new Set<number>();
  const bounds: ParameterBound[] = [];
  const rest: Expression[] = [];
  let lookupsOnly = false;
  const keyColumns = shape.source.schema.key;
  const byOffset = new Map(literals.map((t, i) => [t.offset, i]));
  /** The operands as parameters, or undefined unless every one can be. */
  const parametersOf = (operands: readonly Expression[], allowed: readonly string[]): Parameter[] | undefined => {
    const found: Parameter[] = [];
    const seen = new Set<number>();
    for (const operand of operands) {
      if (!allowed.includes(operand.kind)) return undefined;
      const node = operand as Literal;
      const index = byOffset.get(node.location.offset);
      if (index === undefined || taken.has(index) || seen.has(index)) return undefined;
      // The parameter's literal must be what the parser made of its token.
      const rebuilt = literalOf(literals[index]!);
      if (rebuilt === undefined || !sameLiteral(rebuilt, node)) return undefined;
      found.push({ literal: index, signature: signatureOf(node) });
      seen.add(index);
    }
    return found;
  };
  const accept = (found: readonly Parameter[]): void => {
    for (const p of found) {
      parameters.push(p);
      taken.add(p.literal);
    }
  };
  // Key restrictions become parameters only when the template's own literals make key lookups (see prepareTablePull).
  const looksUp = keyLookupsOf(ports, analysis, shape.source) !== undefined;
  const restrictions: TemplateRestriction[] = [];
  for (const conjunct of analysis.where === undefined ? [] : conjuncts(analysis.where)) {
    const restriction = looksUp ? keyRestriction(conjunct, keyColumns) : undefined;
    const keyParameters = restriction === undefined ? undefined : parametersOf(restriction.values, PARAMETER_KINDS[keyColumns[restriction.index]!.type.kind] ?? []);
    if (keyParameters !== undefined) {
      const first = parameters.length;
      accept(keyParameters);
      restrictions.push({ index: restriction!.index, operands: keyParameters.map((_, i) => first + i) });
      lookupsOnly = true;
      continue;
    }
    if (restriction !== undefined) restrictions.push({ index: restriction.index, operands: restriction.values });
    const bound = shape.source.window === undefined ? undefined : windowBound(conjunct);
    const boundParameter = bound === undefined ? undefined : parametersOf([bound.value], BOUND_KINDS);
    if (bound !== undefined && boundParameter !== undefined) {
      accept(boundParameter);
      bounds.push({ column: bound.column, operator: bound.operator, parameter: parameters.length - 1 });
      continue;
    }
    rest.push(conjunct);
  }
  const where = rest.length === 0 ? undefined : rest.reduce((left, right): Expression => ({ kind: 'LogicalBinary', operator: 'AND', left, right, location: left.location }));
  const program = tablePullProgram(ports, shape, { ...analysis, where }, true, lookupsOnly);
  const fixed = literals.map((t, i) => (taken.has(i) ? null : t.image));
  return { fixed, parameters, analysis, program, bounds, restrictions: looksUp ? restrictions : undefined };
}

const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The literal the parser makes of a lone literal token (checked against the parser's own when a template is made). */
function literalOf(token: LiteralToken): Literal | undefined {
  const image = token.image;
  const location = { line: token.line, column: token.column, offset: token.offset, length: image.length };
  switch (token.kind) {
    case 'StringLiteral':
      return { kind: 'StringLiteral', value: image.slice(1, -1).replace(/''/g, "'"), location };
    case 'IntegerValue': {
      const value = BigInt(image);
      if (value >= INT32_MIN && value <= INT32_MAX) return { kind: 'IntegerLiteral', value: Number(value), location };
      if (value >= INT64_MIN && value <= INT64_MAX) return { kind: 'BigIntLiteral', value, location };
      return undefined;
    }
    case 'DecimalValue':
      return { kind: 'DecimalLiteral', text: image, location };
    case 'FloatingPointValue': {
      const value = Number(image);
      return Number.isFinite(value) ? { kind: 'DoubleLiteral', value, text: image, location } : undefined;
    }
    default:
      return undefined;
  }
}

function sameLiteral(a: Literal, b: Literal): boolean {
  if (a.kind !== b.kind || a.location.offset !== b.location.offset || a.location.length !== b.location.length) return false;
  const value = (l: Literal): unknown => ('text' in l ? l.text : 'value' in l ? l.value : undefined);
  return value(a) === value(b);
}

/** What a parameter's replacement must share with it: its kind, and a decimal's digits' shape (its precision and scale). */
function signatureOf(literal: Literal): string {
  return literal.kind === 'DecimalLiteral' ? `${literal.kind}:${literal.text.replace(/[0-9]/g, '9')}` : literal.kind;
}
