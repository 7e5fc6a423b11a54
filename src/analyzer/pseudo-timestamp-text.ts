/**
 * ksqlDB lets a WHERE clause compare ROWTIME, WINDOWSTART or WINDOWEND with
 * a timestamp written as text (`ROWTIME > '2020-05-26T10:00'`): before
 * binding, such a STRING literal becomes the BIGINT epoch milliseconds it
 * denotes. The text may be partial (`'2020'`, `'2020-05-26T10'`) and may end
 * in `Z` or a numeric offset; without one it is UTC.
 */
import { statementError } from '../common/errors.js';
import type { Expression } from '../parser/ast/expression.js';
import { rewriteExpression } from '../parser/ast/traverse.js';

const PSEUDO_TIMESTAMPS = new Set(['ROWTIME', 'WINDOWSTART', 'WINDOWEND']);

function isPseudoTimestamp(e: Expression): boolean {
  return e.kind === 'ColumnRef' && PSEUDO_TIMESTAMPS.has(e.name);
}

/**
 * The literal as epoch milliseconds, when it is STRING text; else the
 * expression unchanged. A number within 32 bits is the INTEGER literal the
 * parser reads it as, so the plan's printed expression reads back the same
 * (the comparison widens it to BIGINT).
 */
function asEpochLiteral(e: Expression): Expression {
  if (e.kind !== 'StringLiteral') return e;
  const millis = parsePartialTimestamp(e.value);
  if (millis >= -(2 ** 31) && millis <= 2 ** 31 - 1) return { kind: 'IntegerLiteral', value: millis, location: e.location };
  return { kind: 'BigIntLiteral', value: BigInt(millis), location: e.location };
}

/** Rewrites comparisons and BETWEENs of a pseudo timestamp column with timestamp text, at any depth. */
export function rewritePseudoTimestampText(e: Expression): Expression {
  return rewriteExpression(e, (node) => {
    if (node.kind === 'Comparison') {
      if (isPseudoTimestamp(node.left) && node.right.kind === 'StringLiteral') {
        return { ...node, right: asEpochLiteral(node.right) };
      }
      if (isPseudoTimestamp(node.right) && node.left.kind === 'StringLiteral') {
        return { ...node, left: asEpochLiteral(node.left) };
      }
    }
    if (node.kind === 'Between' && isPseudoTimestamp(node.operand)) {
      return { ...node, low: asEpochLiteral(node.low), high: asEpochLiteral(node.high) };
    }
    return undefined;
  });
}

const PARTIAL_TIMESTAMP =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Epoch milliseconds of `yyyy[-MM[-dd]][THH[:mm[:ss[.SSS]]]][Z|±hh[mm]]`, missing fields at their start. */
export function parsePartialTimestamp(text: string): number {
  const m = PARTIAL_TIMESTAMP.exec(text.trim());
  const fail = (): never => {
    throw statementError(
      `Failed to parse timestamp '${text}'. Required format is: "yyyy-MM-dd'T'HH:mm:ss.SSS", with an optional numeric `
      + `4-digit timezone, for example: '2020-05-26T23:59:58.000+0200'. Partials are also supported, for example "2020-05-26"`,
    );
  };
  if (m === null) return fail();
  const [year, month = 1, day = 1, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((x) => (x === undefined ? undefined : Number(x)));
  const millis = Number((m[7] ?? '0').padEnd(3, '0'));
  if (month! < 1 || month! > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return fail();
  const local = Date.UTC(year!, month! - 1, day, hour, minute, second, millis);
  if (new Date(local).getUTCDate() !== day) return fail();
  return local - offsetMillis(m[8]);
}

function offsetMillis(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
}
