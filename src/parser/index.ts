/** The SQL parser: text in, typed immutable AST out; and canonical SQL back. */
export * from './ast/index.js';
export { parseStatements, parseExpression, type ParseOptions } from './parse.js';
export { substituteVariables, type Variables } from './substitute-variables.js';
export { printStatement, printQuery } from './printer/print-statement.js';
export { printExpression, printType, printIdentifier } from './printer/print-expression.js';
