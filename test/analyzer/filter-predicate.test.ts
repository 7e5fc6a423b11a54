import test from 'ava';
import { analyzeSinkQuery } from './analyze-sink-query.js';

function analyze(sql: string): void {
  analyzeSinkQuery(sql, 'N');
}

test('a type error inside a WHERE predicate is framed as an error in the WHERE expression', (t) => {
  t.throws(() => analyze('CREATE STREAM OUT AS SELECT * FROM S WHERE V > N;'),
    { message: 'Error in WHERE expression: Cannot compare V (INTEGER) to N (STRING) with GREATER_THAN.' });
  t.throws(() => analyze('CREATE STREAM OUT AS SELECT * FROM S WHERE NO_SUCH_FUNCTION(V);'),
    { message: /^Error in WHERE expression: Can't find any functions with the name 'NO_SUCH_FUNCTION'/ });
});

test('a type error inside a HAVING predicate is framed as an error in the HAVING expression', (t) => {
  t.throws(() => analyze('CREATE TABLE OUT AS SELECT K, COUNT(*) AS C FROM S GROUP BY K HAVING COUNT(*) > ARRAY[1];'),
    { message: /^Error in HAVING expression: Cannot compare .* \(BIGINT\) to ARRAY\[1\] \(ARRAY<INTEGER>\) with GREATER_THAN\.$/ });
});

test('an unknown column in a WHERE keeps the resolution message, without the type-check framing', (t) => {
  t.throws(() => analyze('CREATE STREAM OUT AS SELECT * FROM S WHERE BOB > 1;'), { message: "Line: 1, Col: 44: WHERE column 'BOB' cannot be resolved." });
});

test('a predicate that is not BOOLEAN names its full type', (t) => {
  t.throws(() => analyze('CREATE STREAM OUT AS SELECT * FROM S WHERE ARRAY[V];'),
    { message: 'Type error in WHERE expression: Should evaluate to boolean but is ARRAY[V] (ARRAY<INTEGER>) instead.' });
});
