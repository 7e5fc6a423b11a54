import test from 'ava';
import { columnRef, expressionChildren, parseExpression, printExpression, rewriteExpression, walkExpression } from '../../src/parser/index.js';

test('expressionChildren lists direct children in source order', (t) => {
  const e = parseExpression("CASE WHEN a THEN b ELSE c END");
  t.deepEqual(expressionChildren(e).map(printExpression), ['A', 'B', 'C']);
});

test('walkExpression visits every node, parents first', (t) => {
  const kinds: string[] = [];
  walkExpression(parseExpression('f(x + 1, y => y)'), (n) => kinds.push(n.kind));
  t.deepEqual(kinds, ['FunctionCall', 'ArithmeticBinary', 'ColumnRef', 'IntegerLiteral', 'Lambda', 'LambdaVariable']);
});

test('rewriteExpression replaces matching nodes and leaves the original untouched', (t) => {
  const original = parseExpression('a + b * a');
  const rewritten = rewriteExpression(original, (n) => (n.kind === 'ColumnRef' && n.name === 'A' ? columnRef('Z', 'S') : undefined));
  t.is(printExpression(rewritten), '(S.Z + (B * S.Z))');
  t.is(printExpression(original), '(A + (B * A))');
});
