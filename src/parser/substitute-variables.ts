/**
 * ksqlDB's variable substitution, done on the text before parsing:
 * `${name}` becomes the variable's value wherever it appears (inside strings
 * too), names match ignoring case, and `$${name}` escapes to a literal
 * `${name}`. A reference to an undefined variable is left as written, so the
 * parser rejects it where it cannot stand. With `maxLength`, a text that
 * grows past it is refused as it grows (a few short references to a long
 * value would otherwise make a text of any size).
 */
import { checkLength, type ParseLimits } from './parse-limits.js';

const REFERENCE = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Variables by name; any case is accepted on both sides. */
export type Variables = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

function normalize(vars: Variables): Map<string, string> {
  const entries = vars instanceof Map ? [...vars.entries()] : Object.entries(vars);
  return new Map(entries.map(([k, v]) => [k.toUpperCase(), v]));
}

export function substituteVariables(sql: string, vars: Variables, limits?: ParseLimits): string {
  if (!sql.includes('${')) return sql;
  const byName = normalize(vars);
  let length = sql.length;
  return sql.replace(REFERENCE, (whole: string, escape: string, name: string) => {
    const replacement = escape === '$' ? whole.slice(1) : byName.get(name.toUpperCase()) ?? whole;
    length += replacement.length - whole.length;
    if (limits !== undefined && length > limits.maxLength) checkLength({ length }, limits);
    return replacement;
  });
}
