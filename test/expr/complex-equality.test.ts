import test from 'ava';
import { bindExpression, type BindScope } from '../../src/analyzer/bind-expression.js';
import { compileExpression } from '../../src/expr/compile-expression.js';
import type { Row } from '../../src/expr/row.js';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import { parseExpression } from '../../src/parser/index.js';
import { arrayType, BIGINT, INTEGER, mapType, STRING, structType, type SqlType } from '../../src/schema/sql-type.js';

const COLUMNS: [string, SqlType, unknown][] = [
  ['AI', arrayType(INTEGER), [1, 2]],
  ['AB', arrayType(BIGINT), [1n, 2n]],
  ['ASTR', arrayType(STRING), ['1', '2']],
  ['EI', arrayType(INTEGER), []],
  ['ES', arrayType(STRING), []],
  ['MI', mapType(STRING, INTEGER), new Map([['a', 1]])],
  ['MB', mapType(STRING, BIGINT), new Map([['a', 1n]])],
  ['SI', structType([{ name: 'X', type: INTEGER }]), { X: 1 }],
  ['SB', structType([{ name: 'X', type: BIGINT }]), { X: 1n }],
];
const scope: BindScope = {
  columns: COLUMNS.map(([name, type], index) => ({ name, type, index, source: 'T' })),
  sourceNames: ['T'], windowed: false, clause: 'SELECT', functions: createFunctionRegistry(), lookupType: () => undefined,
};
const row: Row = { values: COLUMNS.map(([, , v]) => v), timestamp: 0, partition: 0, offset: 0, headers: [], window: null, nullValue: false };

const evaluate = (sql: string): unknown => compileExpression(bindExpression(parseExpression(sql), scope))(row);

test('ARRAYs, MAPs and STRUCTs of different types compare for equality as Java objects: no conversion, different element classes never match', (t) => {
  t.false(evaluate('AI = ASTR'));
  t.false(evaluate('AI = AB'));
  t.true(evaluate('AI <> AB'));
  t.true(evaluate('EI = ES'));
  t.false(evaluate('MI = MB'));
  t.false(evaluate('SI = SB'));
  t.true(evaluate('SI IS DISTINCT FROM SB'));
  t.true(evaluate('AI = AI'));
});

test('ARRAYs of different types still have no order', (t) => {
  t.throws(() => evaluate('AI < ASTR'), { message: 'Cannot compare AI (ARRAY<INTEGER>) to ASTR (ARRAY<STRING>) with LESS_THAN.' });
});
