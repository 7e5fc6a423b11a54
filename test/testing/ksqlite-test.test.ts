import test from 'ava';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSqlTestFile } from '../../src/testing/sql-test-file.js';
import { makeTempDir, removeDir } from '../helpers/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'dist/src/testing/ksqlite-test.js');
const API = new URL('../../src/functions/user/index.js', import.meta.url).href;

function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, KSQLITE_LOG_LEVEL: 'silent' } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

test('the passing examples (ksqlDB\'s documented test file and a folder of the earlier layout among them) pass with exit code 0', async (t) => {
  const tempFolder = makeTempDir('ksqlite-test-tf-');
  try {
    const { code, stdout } = await run(['--test-directory', 'examples/sql-tests/passing', '--temp-folder', tempFolder]);
    t.is(code, 0, stdout);
    t.regex(stdout, /^--@test: Passing test\n>>> Test passed!\n--@test: Failing test\n>>> Test passed!\n/);
    t.regex(stdout, /--@test: pageviews\n>>> Test passed!\n/);
    t.regex(stdout, /10 of 10 tests passed/);
  } finally {
    removeDir(tempFolder);
  }
});

test('one assertion changed fails the documented example with exit code 1 and a table of expected and actual; a folder test shows the records that differ', async (t) => {
  const tempFolder = makeTempDir('ksqlite-test-tf-');
  const { code, stdout } = await run(['-td', 'examples/sql-tests/failing', '-tf', tempFolder]);
  removeDir(tempFolder);
  t.is(code, 1);
  t.true(stdout.includes([
    '--@test: Passing test',
    '>>>>> Test failed: Test failure for assert `ASSERT VALUES j (rowtime, s_id, foo, bar) VALUES (1, 1, 2, 7);` (Line: 11, Col: 1):',
    '\tExpected record does not match actual.',
    '+---------+--------+-----+----+----+',
    '|.        |ROWTIME |S_ID |FOO |BAR |',
    '+---------+--------+-----+----+----+',
    '|EXPECTED |1       |1    |2   |7   |',
    '|ACTUAL   |1       |1    |2   |1   |',
    '+---------+--------+-----+----+----+',
    'Differing: BAR',
  ].join('\n')), stdout);
  t.regex(stdout, /Differing: BAR\n\tfile:\/\/\/.*\/examples\/sql-tests\/failing\/app\.sql:11\n/);
  t.regex(stdout, /--@test: Failing test\n>>> Test passed!\n/);
  t.regex(stdout, /Expected another record, but all records have already been read:/);
  t.regex(stdout, /Expected the test to throw io\.confluent\.ksql\.util\.KsqlException, but every statement succeeded\./);
  t.regex(stdout, /Expected schema does not match actual for source S\.\n\tExpected: `ID` INTEGER KEY, `V` STRING\n\tActual: `ID` INTEGER KEY, `V` INTEGER/);
  t.true(stdout.includes([
    '--@test: pageviews',
    '>>>>> Test failed: Topic VIEWS_PER_USER: expected 3 records, got 3:',
    '  expected key="alice" value={"VIEWS":1} timestamp=1000',
    '  expected key="bob" value={"VIEWS":1} timestamp=2000',
    '- expected key="alice" value={"VIEWS":3} timestamp=3000',
    '+ actual   key="alice" value={"VIEWS":2} timestamp=3000',
  ].join('\n')), stdout);
  t.regex(stdout, /1 of 6 tests passed/);
});

test('bad arguments exit with 2 and the usage', async (t) => {
  const missing = await run([]);
  t.is(missing.code, 2);
  t.regex(missing.stderr, /--test-directory is required\nusage: ksqlite-test/);
  t.is((await run(['-td', 'a', '--bogus'])).code, 2);
});

test('user functions of --extension-dir are callable in the tests', async (t) => {
  const dir = makeTempDir('ksqlite-test-ext-');
  try {
    writeFileSync(join(dir, 'twice.mjs'), `import { defineFunction } from '${API}';
export default defineFunction({ name: 'twice', description: 'Doubles.', overloads: [{ params: [{ name: 'n', type: 'INTEGER' }], returns: 'INTEGER', implementation: (n) => n * 2 }] });
`);
    writeFileSync(join(dir, 'app.sql'), `--@test: twice
CREATE STREAM s (id INT KEY, v INT) WITH (kafka_topic='s', value_format='JSON');
CREATE STREAM d AS SELECT id, TWICE(v) AS v FROM s;
INSERT INTO s (id, v) VALUES (1, 21);
ASSERT VALUES d (id, v) VALUES (1, 42);
`);
    const { code, stdout } = await run(['-td', join(dir, 'app.sql'), '-e', dir]);
    t.is(code, 0, stdout);
  } finally {
    removeDir(dir);
  }
});

test('a test file splits on --@test with its directives, keeping the file\'s line numbers', (t) => {
  const tests = parseSqlTestFile('-- intro\n--@test: one\nSELECT 1;\n\n--@test: two\n--@expected.error: java.lang.AssertionError\n--@expected.message: boom\nSELECT 2;\n', 'f.sql');
  t.deepEqual(tests.map((x) => [x.name, x.line, x.expectedError, x.expectedMessage]), [
    ['one', 2, undefined, undefined],
    ['two', 5, 'java.lang.AssertionError', 'boom'],
  ]);
  t.is(tests[1]!.sql.split('\n').findIndex((l) => l === 'SELECT 2;'), 7);
  t.throws(() => parseSqlTestFile('--@tset: x\n', 'f.sql'), { message: /f\.sql:1: unknown directive --@tset/ });
  t.throws(() => parseSqlTestFile('SELECT 1;\n--@test: x\n', 'f.sql'), { message: /statements before the first --@test/ });
});
