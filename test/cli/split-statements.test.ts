import test from 'ava';
import { isBlank, splitStatements } from '../../src/cli/split-statements.js';

test('statements end at semicolons outside strings, quoted identifiers and comments', (t) => {
  const text = "SELECT 'a;b', \"c;d\", `e;f` FROM x -- g;h\n /* i;j */ WHERE y = 1; SHOW STREAMS;  ";
  t.deepEqual(splitStatements(text), {
    statements: ["SELECT 'a;b', \"c;d\", `e;f` FROM x -- g;h\n /* i;j */ WHERE y = 1;", 'SHOW STREAMS;'],
    rest: '',
  });
});

test('escaped quotes stay inside their literal', (t) => {
  t.deepEqual(splitStatements("INSERT INTO s VALUES ('it''s;');").statements, ["INSERT INTO s VALUES ('it''s;');"]);
});

test('comments before a statement are dropped and an unfinished statement is the rest', (t) => {
  t.deepEqual(splitStatements('-- first\n/* two */ SHOW TOPICS; CREATE STREAM s\n'), {
    statements: ['SHOW TOPICS;'],
    rest: 'CREATE STREAM s\n',
  });
});

test('an unclosed string or block comment keeps the input unfinished', (t) => {
  t.deepEqual(splitStatements("SELECT 'abc; ").statements, []);
  t.false(isBlank(splitStatements('/* not closed; ').rest));
});

test('blanks and comments alone are blank', (t) => {
  t.true(isBlank('  -- only a comment\n /* and another */ \n'));
  t.false(isBlank(' x '));
});
