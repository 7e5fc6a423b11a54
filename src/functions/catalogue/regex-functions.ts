/** Regular-expression string functions, with Java regex syntax mapped onto JS RegExp (see java-regex.ts). */
import { defineScalar, type ScalarFunction } from '../function-definition.js';
import { compileJavaRegex, javaReplacement } from './java-regex.js';
import { splitString } from './string-functions.js';
import { strict, valueError } from './value-support.js';

function regexpExtract(pattern: string, input: string, group: number): string | null {
  const match = compileJavaRegex('REGEXP_EXTRACT', pattern).first.exec(input);
  if (!match) return null;
  return match[group] ?? null;
}

/** NULL when the group does not exist in the pattern, as in ksqlDB. */
function regexpExtractAll(pattern: string, input: string, group: number): (string | null)[] | null {
  const regex = compileJavaRegex('REGEXP_EXTRACT_ALL', pattern);
  if (group > regex.groupCount) return null;
  const out: (string | null)[] = [];
  for (const match of input.matchAll(regex.all)) {
    if (group < 0) throw valueError('REGEXP_EXTRACT_ALL', `No group ${group}`);
    out.push(match[group] ?? null);
  }
  return out;
}

/**
 * ksqlDB splits like Guava's Splitter (every piece kept), except for a
 * pattern that matches the empty string, where it uses Java's Pattern.split:
 * a zero-width match at the start adds no piece and trailing empty pieces are dropped.
 */
function regexpSplit(input: string, pattern: string): string[] {
  if (pattern.length === 0) return splitString(input, '');
  const regex = compileJavaRegex('REGEXP_SPLIT_TO_ARRAY', pattern);
  const out: string[] = [];
  let start = 0;
  for (const match of input.matchAll(regex.all)) {
    if (regex.matchesEmpty && match.index === 0 && match[0].length === 0) continue;
    out.push(input.slice(start, match.index));
    start = match.index + match[0].length;
  }
  if (!regex.matchesEmpty) {
    out.push(input.slice(start));
    return out;
  }
  if (start === 0) return [input];
  out.push(input.slice(start));
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

export const REGEX_FUNCTIONS: readonly ScalarFunction[] = [
  defineScalar({
    name: 'REGEXP_EXTRACT',
    category: 'REGULAR EXPRESSION',
    description: 'The first match of a regular expression in a string, or one of its capturing groups.',
    variants: [
      { params: 'STRING pattern, STRING input', returns: 'STRING', impl: strict((p: string, s: string) => regexpExtract(p, s, 0)) },
      {
        params: 'STRING pattern, STRING input, INTEGER group',
        returns: 'STRING',
        impl: strict((p: string, s: string, g: number) => regexpExtract(p, s, g)),
      },
    ],
  }),
  defineScalar({
    name: 'REGEXP_EXTRACT_ALL',
    category: 'REGULAR EXPRESSION',
    description: 'Every match of a regular expression in a string, or of one of its capturing groups.',
    variants: [
      { params: 'STRING pattern, STRING input', returns: 'ARRAY<STRING>', impl: strict((p: string, s: string) => regexpExtractAll(p, s, 0)) },
      {
        params: 'STRING pattern, STRING input, INTEGER group',
        returns: 'ARRAY<STRING>',
        impl: strict((p: string, s: string, g: number) => regexpExtractAll(p, s, g)),
      },
    ],
  }),
  defineScalar({
    name: 'REGEXP_REPLACE',
    category: 'REGULAR EXPRESSION',
    description: 'Replaces every match of a regular expression.',
    variants: [
      {
        params: 'STRING input, STRING regex, STRING replacement',
        returns: 'STRING',
        impl: strict((s: string, p: string, r: string) => s.replace(compileJavaRegex('REGEXP_REPLACE', p).all, javaReplacement(r))),
      },
    ],
  }),
  defineScalar({
    name: 'REGEXP_SPLIT_TO_ARRAY',
    category: 'REGULAR EXPRESSION',
    description: 'Splits a string on the matches of a regular expression.',
    variants: [{ params: 'STRING input, STRING regex', returns: 'ARRAY<STRING>', impl: strict(regexpSplit) }],
  }),
];
