/** How ksqlDB's JSON deserializer (Jackson's readTree) reads text that JSON.parse refuses (jackson-read.ts). */
import test from 'ava';
import { jacksonRead } from '../../../src/formats/json/jackson-read.js';

const LIST = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
const AT = (line: number, column: number) => `[Source: REDACTED (\`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION\` disabled); line: ${line}, column: ${column}]`;

test('Jackson\'s message for the first thing wrong', (t) => {
  const cases: [string, string][] = [
    ['{bad', "Unexpected character ('b' (code 98)): was expecting double-quote to start field name"],
    ['abc', `Unrecognized token 'abc': was expecting ${LIST}`],
    ['nul', `Unrecognized token 'nul': was expecting ${LIST}`],
    ['truex', `Unrecognized token 'truex': was expecting ${LIST}`],
    ['{"a":1', `Unexpected end-of-input: expected close marker for Object (start marker at ${AT(1, 1)})`],
    ['{"a":\n[1,2', `Unexpected end-of-input: expected close marker for Array (start marker at ${AT(2, 1)})`],
    ['{"a":1,', 'Unexpected end-of-input within/between Object entries'],
    ['{"a":1,}', "Unexpected character ('}' (code 125)): was expecting double-quote to start field name"],
    ['[1,]', "Unexpected character (']' (code 93)): expected a value"],
    ['{"a":]', `Unexpected character (']' (code 93)): expected a valid value ${LIST}`],
    ['{"a" 1}', "Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value"],
    ['{"a":1 "b":2}', "Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries"],
    ['[1 2]', "Unexpected character ('2' (code 50)): was expecting comma to separate Array entries"],
    ['[1}', `Unexpected close marker '}': expected ']' (for Array starting at ${AT(1, 1)})`],
    ['}', `Unexpected close marker '}': expected ']' (for root starting at ${AT(1, 0)})`],
    ['01', 'Invalid numeric value: Leading zeroes not allowed'],
    ['-x', "Unexpected character ('x' (code 120)) in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value"],
    ['1.x', "Unexpected character ('x' (code 120)) in numeric value: Decimal point not followed by a digit"],
    ['1x', "Unexpected character ('x' (code 120)): Expected space separating root-level values"],
    ['"abc', 'Unexpected end-of-input: was expecting closing quote for a string value'],
    ['"a\\qb"', "Unrecognized character escape 'q' (code 113)"],
    ['"a\nb"', 'Illegal unquoted character ((CTRL-CHAR, code 10)): has to be escaped using backslash to be included in string value'],
    ['/* c */ {}', "Unexpected character ('/' (code 47)): maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)"],
    ['NaN', "Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"],
    ['['.repeat(1001), 'Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)'],
  ];
  for (const [text, message] of cases) t.deepEqual(jacksonRead(text), { kind: 'error', message }, text);
});

test('only the first value is read; blank text is a missing value', (t) => {
  t.deepEqual(jacksonRead('{"a":1} more'), { kind: 'value', end: 7 });
  t.deepEqual(jacksonRead(' 1 2'), { kind: 'value', end: 2 });
  t.deepEqual(jacksonRead('[1]]'), { kind: 'value', end: 3 });
  t.deepEqual(jacksonRead(' \n\t'), { kind: 'missing' });
  t.deepEqual(jacksonRead(''), { kind: 'missing' });
});
