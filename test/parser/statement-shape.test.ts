import test from 'ava';
import fc from 'fast-check';
import { lexedShape, scannedShape, statementShape, type LiteralToken } from '../../src/parser/statement-shape.js';

/**
 * Pieces of text, joined in random orders with or without whitespace: words, numbers, strings and punctuation the
 * scanner reads, and (less often) what it leaves to the lexer: other number forms, comments, quoting, odd characters.
 */
const READ = [
  'SELECT', 'select', '*', 'FROM', 'KVT', 'kv_2', 'A1', 'a@b', '_x', 'WHERE', 'ID', '=', 'IN', '(', ')', ',', ';', 'AND', 'WINDOWSTART', '>=', '<=', '<>',
  '+', '-', '/', '%', '[', ']', '.', '<', '>', 'CONCAT', 'CAST', 'AS', 'STRING', '0', '42', '007', '2147483648', '1.5', '1.',
  "'a'", "''", "'it''s'", "'x\ny'", "'r\r\nn'", "'\r'", "'é'", 'X\'0\'',
];
const LEFT = [
  '!=', '!', ':=', ':', '||', '|', '->', '=>', '.5', '1.5.2', '2e9', '1E+5', '1.5e-3', '.5e2', '1e', '12abc', '1e5x', '3@', '9_',
  "'unterminated", "'a''", '-- note', '--', '/* c */', '/*', '*/', '"Q"', '"q""x"', '`b`', '$', '#', '@', 'é', '\u0001', '\\',
];
const SPACES = ['', ' ', '  ', '\t', '\n', '\r\n', '\r', '\f', ' \n '];

const piece = fc.oneof({ arbitrary: fc.constantFrom(...READ), weight: 30 }, { arbitrary: fc.constantFrom(...LEFT), weight: 1 });
const textOf = fc.array(fc.tuple(piece, fc.constantFrom(...SPACES)), { maxLength: 14 })
  .chain((parts) => fc.tuple(fc.constantFrom(...SPACES), fc.constant(parts)))
  .map(([lead, parts]) => lead + parts.map(([p, s]) => p + s).join(''));

/** A literal's image replaced by another of its kind. */
const otherImage = (literal: LiteralToken, n: number): string => {
  switch (literal.kind) {
    case 'IntegerValue':
      return String(n);
    case 'DecimalValue':
      return `${n}.${n % 7}`;
    case 'FloatingPointValue':
      return `${n}e${n % 5}`;
    case 'StringLiteral':
      return `'v${n}''${'\n'.repeat(n % 2)}'`;
  }
};

function replaceLiterals(text: string, literals: readonly LiteralToken[], n: number): string {
  let out = '';
  let at = 0;
  for (const [i, literal] of literals.entries()) {
    out += text.slice(at, literal.offset) + otherImage(literal, n + i);
    at = literal.offset + literal.image.length;
  }
  return out + text.slice(at);
}

test('the scanner reads what the lexer reads: the same literals (kind, image, position) and text, or gives up', (t) => {
  let scanned = 0;
  fc.assert(fc.property(textOf, (text) => {
    const fast = scannedShape(text);
    if (fast === null) return true;
    scanned++;
    const lexed = lexedShape(text);
    if (fast === undefined || lexed === undefined) return fast === lexed;
    return JSON.stringify(fast.literals) === JSON.stringify(lexed.literals) && fast.text === lexed.text;
  }), { numRuns: 3000, seed: 19 });
  // The property says something only if the scanner read many of the texts.
  t.true(scanned > 1000, `scanned ${scanned}`);
});

test('statements the scanner keys alike differ in literals alone: the lexer gives them the same other tokens', (t) => {
  fc.assert(fc.property(textOf, fc.nat(100_000), (text, n) => {
    const fast = scannedShape(text);
    if (fast === null || fast === undefined) return true;
    const variant = replaceLiterals(text, fast.literals, n);
    const again = scannedShape(variant);
    if (again === null || again === undefined || again.key !== fast.key) return false;
    return lexedShape(variant)?.key === lexedShape(text)?.key;
  }), { numRuns: 3000, seed: 7 });
  t.pass();
});

test("a statement's shape: its key without the literals, the literals with their positions", (t) => {
  const one = statementShape("SELECT * FROM T WHERE ID = 42 AND NAME = 'it''s';\n")!;
  const two = statementShape("SELECT * FROM T WHERE ID = 7 AND NAME = 'b';\n")!;
  t.is(one.key, two.key);
  t.is(one.text, "SELECT * FROM T WHERE ID = 42 AND NAME = 'it''s';");
  t.deepEqual(one.literals, [
    { kind: 'IntegerValue', image: '42', offset: 27, line: 1, column: 28 },
    { kind: 'StringLiteral', image: "'it''s'", offset: 41, line: 1, column: 42 },
  ]);
  t.not(statementShape('SELECT * FROM T WHERE ID = 4.2;')!.key, statementShape('SELECT * FROM T WHERE ID = 42;')!.key);
  t.not(statementShape('SELECT * FROM T WHERE ID = 42;')!.key, statementShape('SELECT * FROM U WHERE ID = 42;')!.key);
  // The lexer reads what the scanner leaves: a comment, an exponent.
  t.deepEqual(statementShape('SELECT * FROM T WHERE ID = 1e3; -- c')!.literals.map((l) => l.kind), ['FloatingPointValue']);
  t.is(statementShape('SELECT 1; SELECT 2;'), undefined);
  t.is(statementShape('  '), undefined);
});
