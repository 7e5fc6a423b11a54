import test from 'ava';
import fc from 'fast-check';
import { KsqlError } from '../../src/common/errors.js';
import { isDeepStrictEqual } from 'node:util';
import { parseExpression, parseStatements, printStatement } from '../../src/parser/index.js';
import { loadQttCases, stripLocations } from './helpers.js';

const SAMPLES = loadQttCases()
  .filter((c) => c.parseFailure === undefined)
  .flatMap((c) => c.statements)
  .filter((_, i) => i % 7 === 0);

// Build the shared parser before any timing starts.
parseStatements('SHOW STREAMS;');

const PIECES = [
  'SELECT', 'FROM', 'WHERE', '(', ')', ',', ';', "'", '"', '`', '->', '=>', ':=', '[', ']', '*', '-', '1', '1.5', '2e9',
  'AS', 'JOIN', 'ON', 'WITHIN', 'WINDOW', 'TUMBLING', 'GROUP BY', 'EMIT', 'CHANGES', 'CREATE', 'STREAM', 'TABLE', 'KEY',
  'NULL', 'CASE', 'WHEN', 'END', 'NOT', 'IN', 'BETWEEN', 'AND', 'IS', 'LIKE', 'ESCAPE', 'STRUCT', 'MAP', 'ARRAY', '<', '>',
  '/*', '*/', '--', '\n', '${x}', 'x', '"a b"', "'s'", 'X\'0\'', 'DATE', 'ASSERT', 'EXPLAIN', 'DESCRIBE', '.', '||',
];

/** Parses, returning normally or by a KsqlError only; anything else fails the property. */
function onlyKsqlErrors(run: () => unknown): boolean {
  const started = performance.now();
  try {
    run();
  } catch (e) {
    if (!(e instanceof KsqlError)) throw e;
  }
  const elapsed = performance.now() - started;
  if (elapsed > 2000) throw new Error(`parse took ${elapsed.toFixed(0)} ms`);
  return true;
}

test('random token soup never makes the parser throw anything but a KsqlError', (t) => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }), fc.boolean(), (pieces, testMode) =>
      onlyKsqlErrors(() => parseStatements(pieces.join(' '), { testStatements: testMode })),
    ),
    { numRuns: 600 },
  );
  t.pass();
});

test('random text never makes the parser throw anything but a KsqlError', (t) => {
  fc.assert(
    fc.property(fc.string({ maxLength: 80 }), (text) => onlyKsqlErrors(() => parseStatements(text)) && onlyKsqlErrors(() => parseExpression(text))),
    { numRuns: 600 },
  );
  t.pass();
});

const mutation = fc.record({
  sample: fc.integer({ min: 0, max: SAMPLES.length - 1 }),
  at: fc.nat(),
  cut: fc.nat({ max: 12 }),
  insert: fc.constantFrom(...PIECES, ''),
});

function mutate(mutations: readonly { sample: number; at: number; cut: number; insert: string }[]): string {
  let text = SAMPLES[mutations[0]!.sample]!;
  for (const m of mutations) {
    const at = m.at % (text.length + 1);
    text = text.slice(0, at) + m.insert + text.slice(at + m.cut);
  }
  return text;
}

test('mutated statements that still parse print back to the same trees', (t) => {
  let parsed = 0;
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 2 }), (mutations) => {
      let statements;
      try {
        statements = parseStatements(mutate(mutations));
      } catch (e) {
        if (e instanceof KsqlError) return true;
        throw e;
      }
      parsed++;
      for (const s of statements) {
        const again = parseStatements(printStatement(s));
        if (again.length !== 1 || !isDeepStrictEqual(stripLocations(again[0]), stripLocations(s))) return false;
      }
      return true;
    }),
    { numRuns: 400 },
  );
  t.log(`${parsed} of 400 mutated texts parsed and round-tripped`);
  t.true(parsed > 20);
});

test('mutated QTT statements never make the parser throw anything but a KsqlError', (t) => {
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => onlyKsqlErrors(() => parseStatements(mutate(mutations)))),
    { numRuns: 500 },
  );
  t.pass();
});
