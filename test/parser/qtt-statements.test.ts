import test from 'ava';
import { isDeepStrictEqual } from 'node:util';
import { KsqlError } from '../../src/common/errors.js';
import { parseStatements, printStatement } from '../../src/parser/index.js';
import { loadQttCases, stripLocations } from './helpers.js';

const cases = loadQttCases();

test('every QTT statement outside a parse-failure test parses', (t) => {
  let total = 0;
  const failures: string[] = [];
  for (const c of cases) {
    if (c.parseFailure !== undefined) continue;
    for (const s of c.statements) {
      total++;
      try {
        parseStatements(s);
      } catch (e) {
        failures.push(`${c.file} / ${c.name}: ${s}\n  ${(e as Error).message}`);
      }
    }
  }
  t.log(`parsed ${total - failures.length} / ${total} QTT statements`);
  t.true(total > 3000);
  t.deepEqual(failures, []);
});

test('every QTT test that expects a parse failure is rejected with its message', (t) => {
  let rejected = 0;
  const problems: string[] = [];
  for (const c of cases) {
    if (c.parseFailure === undefined) continue;
    try {
      parseStatements(c.statements.join('\n'));
      problems.push(`${c.file} / ${c.name}: parsed`);
    } catch (e) {
      if (!(e instanceof KsqlError) || e.code !== 'BAD_STATEMENT') problems.push(`${c.file} / ${c.name}: wrong error ${String(e)}`);
      else if (!e.message.includes(c.parseFailure.message)) {
        problems.push(`${c.file} / ${c.name}: message\n  ${e.message}\n  does not contain\n  ${c.parseFailure.message}`);
      } else rejected++;
    }
  }
  t.log(`rejected ${rejected} parse-failure tests with ksqlDB's message`);
  t.true(rejected >= 20);
  t.deepEqual(problems, []);
});

test('printing any QTT statement and parsing the result gives the same tree', (t) => {
  const mismatches: string[] = [];
  let total = 0;
  for (const c of cases) {
    if (c.parseFailure !== undefined) continue;
    for (const s of c.statements) {
      total++;
      const original = parseStatements(s)[0]!;
      const printed = printStatement(original);
      let again: unknown;
      try {
        again = parseStatements(printed)[0];
      } catch (e) {
        mismatches.push(`${s}\n  printed: ${printed}\n  ${(e as Error).message}`);
        continue;
      }
      if (!isDeepStrictEqual(stripLocations(again), stripLocations(original))) mismatches.push(`${s}\n  printed: ${printed}`);
    }
  }
  t.log(`round-tripped ${total - mismatches.length} / ${total}`);
  t.deepEqual(mismatches, []);
});
