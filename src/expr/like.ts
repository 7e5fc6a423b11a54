/**
 * SQL LIKE patterns: `%` matches any run of characters, `_` exactly one,
 * everything else itself; an optional escape character makes the next
 * character literal (and may not end the pattern). Compiled to an anchored
 * regular expression; as in ksqlDB (Java's `.`), the wildcards do not match
 * line terminators.
 */
import { KsqlError } from '../common/errors.js';

const cache = new Map<string, RegExp>();

const ANY_BUT_LINE_TERMINATOR = '[^\\n\\r\\u0085\\u2028\\u2029]';

export function compileLikePattern(pattern: string, escape: string | undefined): RegExp {
  const key = `${escape ?? ''}\u0000${pattern}`;
  let re = cache.get(key);
  if (re !== undefined) return re;
  if (escape !== undefined && escape.length !== 1) {
    throw new KsqlError('BAD_STATEMENT', `LIKE escape must be a single character, got '${escape}'`);
  }
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (escape !== undefined && c === escape) {
      if (i + 1 === pattern.length) throw new KsqlError('BAD_STATEMENT', 'LIKE pattern must not end with escape character');
      source += escapeRegExp(pattern[++i]!);
    } else if (c === '%') {
      source += `${ANY_BUT_LINE_TERMINATOR}*`;
    } else if (c === '_') {
      source += ANY_BUT_LINE_TERMINATOR;
    } else {
      source += escapeRegExp(c);
    }
  }
  re = new RegExp(`^${source}$`, 'u');
  if (cache.size > 1000) cache.clear();
  cache.set(key, re);
  return re;
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
