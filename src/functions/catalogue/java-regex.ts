/**
 * Java regular expressions run on JS RegExp: the common syntax is shared; a
 * leading inline flag group such as (?i) becomes a RegExp flag, and Java
 * replacement strings ($1, ${name}, \$) are translated once per text.
 */
import { TextCache, valueError } from './value-support.js';

export interface CompiledRegex {
  /** Non-global: for the first match. */
  readonly first: RegExp;
  /** Global: for all matches, splitting and replacing (reset lastIndex before use). */
  readonly all: RegExp;
  /** The number of capturing groups (Java's Matcher.groupCount). */
  readonly groupCount: number;
  /** True when the pattern matches the empty string. */
  readonly matchesEmpty: boolean;
}

function compile(pattern: string): CompiledRegex | Error {
  let source = pattern;
  let flags = '';
  const inline = /^\(\?([imsux]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    for (const f of inline[1]!) if (f === 'i' || f === 'm' || f === 's') flags += f;
  }
  try {
    const first = new RegExp(source, flags);
    const whole = new RegExp(`^(?:${source})$`, flags);
    return {
      first,
      all: new RegExp(source, flags + 'g'),
      groupCount: new RegExp(`${source}|`, flags).exec('')!.length - 1,
      matchesEmpty: whole.test(''),
    };
  } catch (e) {
    return e as Error;
  }
}

const cache = new TextCache(compile);

export function compileJavaRegex(functionName: string, pattern: string): CompiledRegex {
  const compiled = cache.get(pattern);
  if (compiled instanceof Error) throw valueError(functionName, `Invalid regular expression '${pattern}': ${compiled.message}`);
  compiled.all.lastIndex = 0;
  return compiled;
}

function translateReplacement(java: string): string {
  let out = '';
  for (let i = 0; i < java.length; i++) {
    const c = java[i]!;
    if (c === '\\' && i + 1 < java.length) {
      const next = java[++i]!;
      out += next === '$' ? '$$' : next;
    } else if (c === '$' && java[i + 1] === '{') {
      const close = java.indexOf('}', i);
      out += '$<' + java.slice(i + 2, close) + '>';
      i = close;
    } else {
      out += c;
    }
  }
  return out;
}

const replacementCache = new TextCache(translateReplacement);

export function javaReplacement(java: string): string {
  return replacementCache.get(java);
}
