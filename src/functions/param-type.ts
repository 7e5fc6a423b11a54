/**
 * The type-pattern language of function parameters and return types.
 *
 * A pattern is either a concrete SQL type (BOOLEAN, INTEGER, BIGINT, DOUBLE,
 * STRING, BYTES, DATE, TIME, TIMESTAMP), `DECIMAL` (any precision and scale),
 * `STRUCT` (any struct), `ANY` (any type, each argument on its own: unlike a
 * generic it binds nothing, so `ANY... cols` takes columns of mixed types), `ARRAY<p>`, `MAP<p, p>`, a generic (any other bare
 * identifier: `T`, `U`, `K`, `V`, `S`...), or a lambda `LAMBDA(p, ...) -> p`.
 *
 * Patterns are written as text in function definitions and parsed once, at
 * registration, by `parseParamType`.
 */
import type { SqlType } from '../schema/sql-type.js';

export type PrimitiveParamKind = 'BOOLEAN' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'STRING' | 'BYTES' | 'DATE' | 'TIME' | 'TIMESTAMP';

export type ParamType =
  | { readonly kind: PrimitiveParamKind }
  | { readonly kind: 'DECIMAL' }
  | { readonly kind: 'STRUCT' }
  | { readonly kind: 'ANY' }
  | { readonly kind: 'ARRAY'; readonly element: ParamType }
  | { readonly kind: 'MAP'; readonly key: ParamType; readonly value: ParamType }
  | { readonly kind: 'GENERIC'; readonly name: string }
  | { readonly kind: 'LAMBDA'; readonly params: readonly ParamType[]; readonly returns: ParamType };

const PRIMITIVES: ReadonlySet<string> = new Set([
  'BOOLEAN', 'INTEGER', 'BIGINT', 'DOUBLE', 'STRING', 'BYTES', 'DATE', 'TIME', 'TIMESTAMP',
]);

/** Spellings accepted in patterns besides the canonical ones. */
const ALIASES: Readonly<Record<string, string>> = { INT: 'INTEGER', VARCHAR: 'STRING', LONG: 'BIGINT' };

/** Parses one type pattern, e.g. `MAP<K, ARRAY<V>>` or `LAMBDA(T, U) -> V`. */
export function parseParamType(text: string): ParamType {
  const reader = new PatternReader(text);
  const type = reader.readType();
  reader.expectEnd();
  return type;
}

/** Splits a parameter list on top-level commas (commas inside <> or () stay). */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '<' || c === '(') depth++;
    else if (c === '>' && text[i - 1] !== '-') depth--;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last.length > 0 || parts.length > 0) parts.push(last);
  return parts;
}

class PatternReader {
  private pos = 0;
  constructor(private readonly text: string) {}

  readType(): ParamType {
    const word = this.readWord();
    const upper = ALIASES[word.toUpperCase()] ?? word.toUpperCase();
    if (PRIMITIVES.has(upper)) return { kind: upper as PrimitiveParamKind };
    switch (upper) {
      case 'DECIMAL':
        return { kind: 'DECIMAL' };
      case 'STRUCT':
        return { kind: 'STRUCT' };
      case 'ANY':
        return { kind: 'ANY' };
      case 'ARRAY': {
        this.expect('<');
        const element = this.readType();
        this.expect('>');
        return { kind: 'ARRAY', element };
      }
      case 'MAP': {
        this.expect('<');
        const key = this.readType();
        this.expect(',');
        const value = this.readType();
        this.expect('>');
        return { kind: 'MAP', key, value };
      }
      case 'LAMBDA': {
        this.expect('(');
        const params: ParamType[] = [];
        if (!this.tryConsume(')')) {
          do params.push(this.readType());
          while (this.tryConsume(','));
          this.expect(')');
        }
        this.expect('->');
        return { kind: 'LAMBDA', params, returns: this.readType() };
      }
      default:
        return { kind: 'GENERIC', name: word };
    }
  }

  expectEnd(): void {
    this.skipSpace();
    if (this.pos !== this.text.length) throw new Error(`unexpected text in type pattern "${this.text}" at ${this.pos}`);
  }

  private readWord(): string {
    this.skipSpace();
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (!match) throw new Error(`expected a type in pattern "${this.text}" at ${this.pos}`);
    this.pos += match[0].length;
    return match[0];
  }

  private tryConsume(token: string): boolean {
    this.skipSpace();
    if (this.text.startsWith(token, this.pos)) {
      this.pos += token.length;
      return true;
    }
    return false;
  }

  private expect(token: string): void {
    if (!this.tryConsume(token)) throw new Error(`expected "${token}" in type pattern "${this.text}" at ${this.pos}`);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }
}

/** ksqlDB's spelling of a pattern, as DESCRIBE FUNCTION and error messages show it. */
export function formatParamType(type: ParamType): string {
  switch (type.kind) {
    case 'ARRAY':
      return `ARRAY<${formatParamType(type.element)}>`;
    case 'MAP':
      return `MAP<${formatParamType(type.key)}, ${formatParamType(type.value)}>`;
    case 'GENERIC':
      return type.name;
    case 'LAMBDA':
      return `LAMBDA<(${type.params.map(formatParamType).join(', ')}) -> ${formatParamType(type.returns)}>`;
    case 'STRUCT':
      return 'STRUCT<ANY>';
    default:
      return type.kind;
  }
}

/** True when the pattern mentions a generic anywhere. */
export function hasGenerics(type: ParamType): boolean {
  switch (type.kind) {
    case 'GENERIC':
      return true;
    case 'ARRAY':
      return hasGenerics(type.element);
    case 'MAP':
      return hasGenerics(type.key) || hasGenerics(type.value);
    case 'LAMBDA':
      return type.params.some(hasGenerics) || hasGenerics(type.returns);
    default:
      return false;
  }
}

/** Formats a call's argument list as ksqlDB words it in errors: `(STRING, INTEGER)`, untyped NULLs as `null`. */
export function formatArgumentTypes(args: readonly (SqlType | null | { readonly kind: 'LAMBDA'; readonly arity: number })[]): string {
  return (
    '(' +
    args
      .map((a) => {
        if (a === null) return 'null';
        if (a.kind === 'LAMBDA' && 'arity' in a) return `LAMBDA/${a.arity}`;
        return formatTypeUnquoted(a as SqlType);
      })
      .join(', ') +
    ')'
  );
}

/** A SQL type as ksqlDB prints it in function errors: like formatSqlType, but field names unquoted. */
export function formatTypeUnquoted(t: SqlType): string {
  switch (t.kind) {
    case 'DECIMAL':
      return `DECIMAL(${t.precision}, ${t.scale})`;
    case 'ARRAY':
      return `ARRAY<${formatTypeUnquoted(t.element)}>`;
    case 'MAP':
      return `MAP<${formatTypeUnquoted(t.key)}, ${formatTypeUnquoted(t.value)}>`;
    case 'STRUCT':
      return `STRUCT<${t.fields.map((f) => `${f.name} ${formatTypeUnquoted(f.type)}`).join(', ')}>`;
    default:
      return t.kind;
  }
}
