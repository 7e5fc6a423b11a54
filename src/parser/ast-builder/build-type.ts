/** CST -> TypeNode, Duration and property literals. */
import type { CstNode, IToken } from 'chevrotain';
import { BIGINT, BOOLEAN, BYTES, DATE, DOUBLE, INTEGER, MAX_DECIMAL_PRECISION, STRING, TIME, TIMESTAMP, decimalType, type SqlType } from '../../schema/sql-type.js';
import { parseTimeUnit, type Duration } from '../ast/duration.js';
import type { SourceLocation } from '../ast/location.js';
import type { Literal } from '../ast/expression.js';
import { makeArrayType, makeMapType, makeStructType, namedType, type TypeNode } from '../ast/type-node.js';
import {
  buildIdentifier,
  firstChildKey,
  has,
  integerTokenValue,
  invalidAt,
  isQuotedIdentifier,
  nodeLocation,
  nodeOf,
  nodesOf,
  requiredNode,
  requiredToken,
  spanNodes,
  tokenLocation,
  tokenOf,
  unquoteString,
} from './cst-access.js';

const BUILT_IN_TYPES: ReadonlyMap<string, SqlType> = new Map([
  ['BOOLEAN', BOOLEAN],
  ['INT', INTEGER],
  ['INTEGER', INTEGER],
  ['BIGINT', BIGINT],
  ['DOUBLE', DOUBLE],
  ['STRING', STRING],
  ['VARCHAR', STRING],
  ['BYTES', BYTES],
  ['DATE', DATE],
  ['TIME', TIME],
  ['TIMESTAMP', TIMESTAMP],
]);

/** The SqlType of a built-in type name (INT, VARCHAR, ...), if it is one. */
export function builtInTypeNamed(name: string): SqlType | undefined {
  return BUILT_IN_TYPES.get(name);
}

export function buildType(node: CstNode): TypeNode {
  if (has(node, 'ARRAY')) return makeArrayType(buildType(requiredNode(node, 'element')));
  if (has(node, 'MAP')) return makeMapType(buildType(requiredNode(node, 'mapKey')), buildType(requiredNode(node, 'mapValue')));
  if (has(node, 'STRUCT')) {
    const fields = nodesOf(node, 'structTypeField').map((f) => ({
      name: buildIdentifier(requiredNode(f, 'identifier')),
      type: buildType(requiredNode(f, 'type')),
    }));
    const seen = new Set<string>();
    for (const f of fields) {
      if (seen.has(f.name)) throw invalidAt(nodeLocation(node), `Duplicate field names found in STRUCT: '${f.name}'`);
      seen.add(f.name);
    }
    return makeStructType(fields);
  }
  if (has(node, 'DECIMAL')) {
    const precision = integerTokenValue(requiredToken(node, 'precision'));
    const scale = integerTokenValue(requiredToken(node, 'scale'));
    const where = nodeLocation(node);
    if (precision < 1) throw invalidAt(where, `DECIMAL precision must be >= 1: DECIMAL(${precision}, ${scale})`);
    if (precision > MAX_DECIMAL_PRECISION) throw invalidAt(where, `DECIMAL precision must be <= ${MAX_DECIMAL_PRECISION}: DECIMAL(${precision}, ${scale})`);
    if (scale > precision) throw invalidAt(where, `DECIMAL scale must be less than or equal to precision: DECIMAL(${precision}, ${scale})`);
    return decimalType(precision, scale);
  }
  const base = requiredNode(node, 'baseType');
  const name = buildIdentifier(base);
  const builtIn = isQuotedIdentifier(base) ? undefined : BUILT_IN_TYPES.get(name);
  // ksqlDB accepts and ignores parameters on string types, e.g. VARCHAR(STRING).
  if (has(node, 'typeParameter') && builtIn !== STRING) throw invalidAt(nodeLocation(node), `Unexpected type parameters for type ${name}`);
  return builtIn ?? namedType(name);
}

export function buildDuration(node: CstNode): Duration {
  const amount = requiredToken(node, 'IntegerValue');
  const unitNode = requiredNode(node, 'windowUnit');
  const unitToken = (unitNode.children[firstChildKey(unitNode)] as IToken[])[0]!;
  const unit = parseTimeUnit(unitToken.image);
  if (unit === undefined) throw invalidAt(tokenLocation(unitToken), `Unknown time unit: '${unitToken.image}'`);
  return { kind: 'Duration', value: integerTokenValue(amount), unit, location: spanNodes(tokenLocation(amount), tokenLocation(unitToken)) };
}

export function buildOptionalDuration(parent: CstNode, key: string): Duration | undefined {
  const n = nodeOf(parent, key);
  if (n === undefined) return undefined;
  const d = nodeOf(n, 'duration');
  return d === undefined ? undefined : buildDuration(d);
}

const INT32_MIN = -2147483648n;
const INT32_MAX = 2147483647n;
const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

/** ksqlDB reports bad numeric literals one column to the right of the literal; its test suite pins that text. */
function ksqlLiteralErrorLocation(location: SourceLocation): SourceLocation {
  return { ...location, column: location.column + 1 };
}

/** A `number` rule node: INTEGER, BIGINT, DECIMAL or DOUBLE literal, with its sign folded in. */
export function buildNumber(node: CstNode): Literal {
  const minus = tokenOf(node, 'Minus');
  const sign = minus === undefined ? '' : '-';
  const integer = tokenOf(node, 'IntegerValue');
  const decimal = tokenOf(node, 'DecimalValue');
  const float = tokenOf(node, 'FloatingPointValue');
  const digits = (integer ?? decimal ?? float)!;
  const location = minus === undefined ? tokenLocation(digits) : spanNodes(tokenLocation(minus), tokenLocation(digits));
  const text = sign + digits.image;
  if (integer !== undefined) {
    const value = BigInt(text);
    if (value >= INT32_MIN && value <= INT32_MAX) return { kind: 'IntegerLiteral', value: Number(value), location };
    if (value >= INT64_MIN && value <= INT64_MAX) return { kind: 'BigIntLiteral', value, location };
    throw invalidAt(ksqlLiteralErrorLocation(location), `Invalid numeric literal: ${text}`);
  }
  if (decimal !== undefined) return { kind: 'DecimalLiteral', text, location };
  const value = Number(text);
  if (!Number.isFinite(value)) throw invalidAt(ksqlLiteralErrorLocation(location), `Number overflows DOUBLE: ${text}`);
  return { kind: 'DoubleLiteral', value, text, location };
}

/** A `literal` rule node (NULL, TRUE, FALSE, 'string', number). */
export function buildLiteral(node: CstNode): Literal {
  const location = nodeLocation(node);
  if (has(node, 'NULL')) return { kind: 'NullLiteral', location };
  if (has(node, 'TRUE')) return { kind: 'BooleanLiteral', value: true, location };
  if (has(node, 'FALSE')) return { kind: 'BooleanLiteral', value: false, location };
  const s = tokenOf(node, 'StringLiteral');
  if (s !== undefined) return { kind: 'StringLiteral', value: unquoteString(s), location };
  return buildNumber(requiredNode(node, 'number'));
}
