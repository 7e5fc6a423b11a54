/**
 * The SQL parser: text in, typed immutable AST out; and canonical SQL back.
 *
 * Conventions the rest of the engine relies on:
 * - every node has `kind` (its type's name) and `location` ({line, column, offset, length});
 * - names are normalized: upper-cased unless written "quoted" or `back-quoted`;
 * - statements carry `text`, their exact source including the closing `;`;
 * - types are SqlType when fully built-in, TypeNode (NamedType inside) otherwise: resolveTypeNode;
 * - integer literals are INTEGER (number) within 32 bits, else BIGINT (bigint); `1.5` is DECIMAL
 *   (text kept), `1.5e0` DOUBLE; a minus sign written before a number belongs to the literal;
 * - every error is a KsqlError; the user's mistakes are BAD_STATEMENT with a position.
 */
export * from './ast/index.js';
export { parseStatements, parseExpression, type ParseOptions } from './parse.js';
export { checkLength, DEFAULT_PARSE_LIMITS, PARSE_LIMIT_PROPERTIES, type ParseLimits } from './parse-limits.js';
export { substituteVariables, type Variables } from './substitute-variables.js';
export { printStatement, printQuery } from './printer/print-statement.js';
export { printExpression, printType, printIdentifier } from './printer/print-expression.js';
