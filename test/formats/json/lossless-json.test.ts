import test from 'ava';
import fc from 'fast-check';
import { LosslessNumber, parseJsonLossless, parseJsonText } from '../../../src/formats/index.js';
import { mayLoseDigits } from '../../../src/formats/json/lossless-json.js';

test('long number literals are kept as their text; short ones are plain numbers', (t) => {
  const parsed = parseJsonLossless('{"a":12345678901234567890,"b":[1.5,-0.1234567890123456789],"c":"s","d":true,"e":null}');
  t.deepEqual(parsed, {
    a: new LosslessNumber('12345678901234567890'),
    b: [1.5, new LosslessNumber('-0.1234567890123456789')],
    c: 's',
    d: true,
    e: null,
  });
});

test('the lossless parser agrees with JSON.parse on ordinary documents', (t) => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => {
      const text = JSON.stringify(value);
      const expected = JSON.parse(text) as unknown;
      const actual = parseJsonLossless(text);
      // Long literals differ by design; compare after rendering them back through numbers.
      t.deepEqual(JSON.parse(JSON.stringify(actual, (_k, v: unknown) => (v instanceof LosslessNumber ? Number(v.text) : v))), expected);
    }),
    { numRuns: 200 },
  );
});

test('escapes, white space and __proto__ keys parse as JSON.parse does', (t) => {
  const text = ' { "s" : "a\\"b\\u00e9\\n" , "__proto__" : 1 } ';
  const parsed = parseJsonLossless(text) as Record<string, unknown>;
  t.is(parsed.s, 'a"bé\n');
  t.true(Object.hasOwn(parsed, '__proto__'));
  t.is(Object.getPrototypeOf(parsed), Object.prototype);
});

test('malformed JSON is refused', (t) => {
  for (const text of ['{', '[1,]', '{"a" 1}', '01', '1.', '-', 'tru', '"abc', '{"a":1} x', '"\u0001"']) {
    t.throws(() => parseJsonLossless(text), { instanceOf: SyntaxError }, text);
  }
});

test('only texts with 16 or more digits in a row take the slow path', (t) => {
  t.false(mayLoseDigits('{"a":123456789012345,"b":1.25}'));
  t.true(mayLoseDigits('{"a":1234567890123456}'));
  t.true(mayLoseDigits('{"a":0.123456789012345}'));
  t.deepEqual(parseJsonText('{"a":1}'), { a: 1 });
  t.deepEqual(parseJsonText('[9007199254740993]'), [new LosslessNumber('9007199254740993')]);
});

test('the strided probe finds exactly the runs of 16 digits or dots that a full scan finds', (t) => {
  const alphabet = fc.constantFrom('1', '2', '.', '"', ',', 'a', ':');
  fc.assert(
    fc.property(fc.array(alphabet, { maxLength: 80 }), (chars) => {
      const text = chars.join('');
      return mayLoseDigits(text) === /[0-9.]{16}/.test(text);
    }),
    { numRuns: 2000 },
  );
  t.true(mayLoseDigits('x'.repeat(31) + '1234567890123456'));
  t.false(mayLoseDigits('x'.repeat(31) + '123456789012345'));
});

test('text nested 200,000 levels deep with a long number is read without recursion', (t) => {
  const depth = 200_000;
  const arrays = parseJsonLossless(`${'['.repeat(depth)}12345678901234567890${']'.repeat(depth)}`);
  let inner: unknown = arrays;
  for (let i = 0; i < depth; i++) inner = (inner as unknown[])[0];
  t.deepEqual(inner, new LosslessNumber('12345678901234567890'));
  const objects = parseJsonLossless(`${'{"a":'.repeat(depth)}12345678901234567890${'}'.repeat(depth)}`);
  t.truthy(objects);
  t.throws(() => parseJsonLossless(`${'['.repeat(depth)}12345678901234567890`), { instanceOf: SyntaxError, message: 'Unexpected end of JSON input' });
});

test('containers, keys, empty containers and separators read as JSON.parse reads them', (t) => {
  const text = '{"a":[1,{},[],{"b":[true,false,null,"x\\"y"]}],"__proto__":{"c":1.5e3},"n":12345678901234567890}';
  const value = parseJsonLossless(text) as Record<string, unknown>;
  t.deepEqual({ ...value, n: String(value.n) }, { ...(JSON.parse(text) as Record<string, unknown>), n: '12345678901234567890' });
  t.true(Object.prototype.hasOwnProperty.call(value, '__proto__'));
  for (const bad of ['[1,]', '{"a":1,}', '{"a" 1}', '[1 2]', '{1:2}', '[', '{"a":1]']) t.throws(() => parseJsonLossless(bad), { instanceOf: SyntaxError }, bad);
});
