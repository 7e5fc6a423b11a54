import test from 'ava';
import { INTEGER, STRING, arrayType, decimalType, mapType, structType, type SqlType } from '../../src/schema/sql-type.js';
import type { ParamType } from '../../src/functions/param-type.js';
import type { ArgumentType } from '../../src/functions/resolve-variant.js';
import { registry } from './call-helper.js';

/** A concrete argument type for a parameter pattern (generics become INTEGER). */
function sampleArg(p: ParamType): ArgumentType {
  switch (p.kind) {
    case 'GENERIC':
      return INTEGER;
    case 'DECIMAL':
      return decimalType(10, 2);
    case 'STRUCT':
      return structType([{ name: 'A', type: STRING }]);
    case 'ANY':
      return STRING;
    case 'ARRAY':
      return arrayType(sampleArg(p.element) as SqlType);
    case 'MAP':
      return mapType(sampleArg(p.key) as SqlType, sampleArg(p.value) as SqlType);
    case 'LAMBDA':
      return { kind: 'LAMBDA', arity: p.params.length, returnType: p.returns.kind === 'GENERIC' ? INTEGER : (sampleArg(p.returns) as SqlType) };
    default:
      return { kind: p.kind };
  }
}

test('every variant of every built-in function resolves to itself with a return type', (t) => {
  let variants = 0;
  for (const summary of registry.list()) {
    if (summary.kind !== 'scalar') continue;
    const def = registry.lookup(summary.name)!;
    t.true(def.description.length > 0, def.name);
    for (const variant of def.variants) {
      const args = variant.params.map((p) => sampleArg(p.type));
      const call = registry.resolve(def.name, args);
      t.is(call.variant as unknown, variant as unknown, `${def.name}(${args.map((a) => (a === null ? 'null' : a.kind)).join(', ')})`);
      t.not(call.returnType, undefined, def.name);
      t.is(typeof call.implementation, 'function');
      variants++;
    }
  }
  t.true(variants > 200);
});

test('the catalogue holds the functions ksqlDB documents', (t) => {
  const names = new Set(registry.list().map((f) => f.name));
  for (const name of [
    'ABS', 'CEIL', 'FLOOR', 'ROUND', 'TRUNC', 'SQRT', 'LN', 'LOG', 'EXP', 'POWER', 'RANDOM', 'SIGN', 'GREATEST', 'LEAST',
    'LCASE', 'UCASE', 'TRIM', 'LEN', 'SUBSTRING', 'CONCAT', 'CONCAT_WS', 'REPLACE', 'REGEXP_EXTRACT', 'REGEXP_REPLACE',
    'SPLIT', 'SPLIT_TO_MAP', 'INSTR', 'INITCAP', 'LPAD', 'RPAD', 'MASK', 'ENCODE', 'MD5', 'UUID', 'CHR', 'ELT', 'FIELD',
    'COALESCE', 'IFNULL', 'NULLIF', 'EXTRACTJSONFIELD', 'JSON_ARRAY_CONTAINS', 'JSON_CONCAT', 'TO_JSON_STRING',
    'UNIX_DATE', 'UNIX_TIMESTAMP', 'DATETOSTRING', 'STRINGTODATE', 'TIMESTAMPTOSTRING', 'STRINGTOTIMESTAMP',
    'FORMAT_DATE', 'PARSE_DATE', 'FORMAT_TIME', 'PARSE_TIME', 'FORMAT_TIMESTAMP', 'PARSE_TIMESTAMP', 'CONVERT_TZ',
    'DATEADD', 'DATESUB', 'TIMEADD', 'TIMESUB', 'TIMESTAMPADD', 'TIMESTAMPSUB', 'FROM_UNIXTIME', 'FROM_DAYS',
    'ARRAY_CONTAINS', 'ARRAY_DISTINCT', 'ARRAY_EXCEPT', 'ARRAY_INTERSECT', 'ARRAY_UNION', 'ARRAY_JOIN', 'ARRAY_LENGTH',
    'ARRAY_MAX', 'ARRAY_MIN', 'ARRAY_REMOVE', 'ARRAY_SORT', 'ARRAY_CONCAT', 'SLICE', 'GENERATE_SERIES', 'AS_MAP',
    'MAP_KEYS', 'MAP_VALUES', 'MAP_UNION', 'ENTRIES', 'TRANSFORM', 'FILTER', 'REDUCE', 'URL_EXTRACT_HOST',
    'URL_ENCODE_PARAM', 'URL_DECODE_PARAM', 'TO_BYTES', 'FROM_BYTES', 'GEO_DISTANCE',
  ]) {
    t.true(names.has(name), name);
  }
});

test('functions whose results vary between calls are marked non-deterministic', (t) => {
  const varying = registry.list().filter((f) => !registry.lookup(f.name)!.deterministic).map((f) => f.name);
  t.deepEqual(varying.sort(), ['RANDOM', 'UNIX_DATE', 'UNIX_TIMESTAMP', 'UUID']);
});
