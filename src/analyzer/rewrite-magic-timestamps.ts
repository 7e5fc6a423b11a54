/**
 * ksqlDB's "magic" timestamps: a string literal compared with ROWTIME,
 * WINDOWSTART or WINDOWEND (by a comparison or BETWEEN) is a point in time,
 * written as a possibly partial ISO timestamp ('2018', '2018-01-01T00:00',
 * '2019-01-01T00:00:00+0445'). The rewrite replaces such literals with their
 * epoch milliseconds, before typing, so the comparison is BIGINT to BIGINT.
 */
import { statementError } from '../common/errors.js';
import type { Expression, StringLiteral } from '../parser/ast/expression.js';
import { rewriteExpression } from '../parser/ast/traverse.js';

const TIME_COLUMNS = new Set(['ROWTIME', 'WINDOWSTART', 'WINDOWEND']);

function isTimeColumn(e: Expression): boolean {
  return e.kind === 'ColumnRef' && TIME_COLUMNS.has(e.name);
}

function toMillisLiteral(e: Expression): Expression {
  if (e.kind !== 'StringLiteral') return e;
  return { kind: 'BigIntLiteral', value: BigInt(parsePartialTimestamp(e)), location: e.location };
}

/** `e` with every string literal compared with a time pseudo column replaced by epoch milliseconds. */
export function rewriteMagicTimestamps(e: Expression): Expression {
  return rewriteExpression(e, (node) => {
    if (node.kind === 'Comparison') {
      if (isTimeColumn(node.left) && node.right.kind === 'StringLiteral') return { ...node, right: toMillisLiteral(node.right) };
      if (isTimeColumn(node.right) && node.left.kind === 'StringLiteral') return { ...node, left: toMillisLiteral(node.left) };
      return undefined;
    }
    if (node.kind === 'Between' && isTimeColumn(node.operand)) {
      return { ...node, low: toMillisLiteral(node.low), high: toMillisLiteral(node.high) };
    }
    return undefined;
  });
}

const PARTIAL = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Epoch milliseconds of a partial ISO timestamp: missing parts are the
 * start of the period (month and day 1, time 00:00:00.000); without a zone
 * the time is UTC.
 */
export function parsePartialTimestamp(literal: StringLiteral): number {
  const text = literal.value.trim();
  const m = PARTIAL.exec(text);
  if (m === null) {
    throw statementError(`Failed to parse timestamp '${literal.value}': expected a timestamp such as yyyy-MM-dd'T'HH:mm:ss.SSS, optionally followed by a zone offset`);
  }
  const num = (s: string | undefined, fallback: number): number => (s === undefined ? fallback : Number(s));
  const fraction = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0'));
  const local = Date.UTC(num(m[1], 0), num(m[2], 1) - 1, num(m[3], 1), num(m[4], 0), num(m[5], 0), num(m[6], 0), fraction);
  return local - offsetMillis(m[8]);
}

function offsetMillis(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  return sign * (hours * 60 + minutes) * 60_000;
}
