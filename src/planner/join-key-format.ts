/**
 * The key format of a join, and which sides must be repartitioned to reach
 * it, after ksqlDB (KLIP-33): the join's key format is the key format of the
 * first side, left before right, that keeps its source's key (an earlier join
 * of an n-way join offers its own choice), else the first source key format
 * that is not NONE, else the default key format. A side is then repartitioned
 * into that format when it is re-keyed anyway, when the format reads its
 * schema from a registry (key schema ids of the two sources may differ, so
 * equal keys could have different bytes; an earlier join's output is not a
 * source: the format passes down to its sides; a windowed stream keeps its windows, a
 * windowed table is refused), or when its own key format differs.
 * Foreign-key joins keep their sides as they are.
 */
import type { FormatInfo } from '../catalog/data-source.js';
import { statementError } from '../common/errors.js';
import { lookupFormat, validateFormat } from '../formats/index.js';
import type { Join, JoinSideStep, StreamSource } from './steps.js';

export function resolveJoinKeyFormats(join: Join, defaultKeyFormat: string): Join {
  // A foreign-key join looks its right rows up by value: neither side needs the other's key format.
  if (join.kind === 'ForeignKeyTableTableJoin') return join;
  const format = preferredKeyFormat(join) ?? firstSourceKeyFormat(join) ?? { format: defaultKeyFormat, properties: {}, features: [] };
  return withKeyFormat(join, format, defaultKeyFormat);
}

function isJoin(step: StreamSource | Join): step is Join {
  return step.kind !== 'StreamSource' && step.kind !== 'TableSource';
}

function preferredKeyFormat(join: Join): FormatInfo | undefined {
  return sidePreference(join.left) ?? sidePreference(join.right);
}

function sidePreference(side: JoinSideStep): FormatInfo | undefined {
  if (side.repartition) return undefined;
  return isJoin(side.source) ? preferredKeyFormat(side.source) : side.source.keyFormat;
}

function firstSourceKeyFormat(join: Join): FormatInfo | undefined {
  for (const side of [join.left, join.right]) {
    const found = isJoin(side.source) ? firstSourceKeyFormat(side.source) : side.source.keyFormat;
    if (found !== undefined && found.format !== 'NONE') return found;
  }
  return undefined;
}

function withKeyFormat(join: Join, format: FormatInfo, defaultKeyFormat: string): Join {
  const side = (s: JoinSideStep): JoinSideStep => {
    // An earlier join's rows are keyed in this format already (its own sides are repartitioned into it).
    const registry = lookupFormat(format.format).supportsSchemaInference === true && !isJoin(s.source);
    // A windowed stream is repartitioned with its windows; a windowed table cannot be repartitioned.
    if (registry && !isJoin(s.source) && s.source.window !== undefined && s.source.kind === 'TableSource') throw windowedTableRepartitionError();
    if (s.repartition || registry) {
      return { ...s, repartition: true, source: isJoin(s.source) ? resolveJoinKeyFormats(s.source, defaultKeyFormat) : s.source };
    }
    if (isJoin(s.source)) {
      const preferred = preferredKeyFormat(s.source);
      if (preferred === undefined || sameFormat(preferred, format)) return { ...s, source: withKeyFormat(s.source, format, defaultKeyFormat) };
      return { ...s, repartition: true, source: resolveJoinKeyFormats(s.source, defaultKeyFormat) };
    }
    return sameFormat(s.source.keyFormat, format) ? s : { ...s, repartition: true };
  };
  const resolved = { ...join, keyFormat: format, left: side(join.left), right: side(join.right) };
  // A repartition writes the join key in the join's key format, which must be able to hold it.
  if (resolved.left.repartition || resolved.right.repartition) {
    validateFormat({ format: format.format, target: 'key', columns: join.schema.key, properties: format.properties, features: format.features });
  }
  return resolved;
}

function windowedTableRepartitionError(): Error {
  return statementError(
    'Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385. ' +
      'As a result, ksqlDB does not support joins on windowed sources with Schema-Registry-enabled key formats (AVRO, JSON_SR, PROTOBUF) at this time. ' +
      'Please repartition your sources to use a different key format before performing the join.',
  );
}

function sameFormat(a: FormatInfo, b: FormatInfo): boolean {
  const properties = (f: FormatInfo): string => JSON.stringify(Object.entries(f.properties).sort(([x], [y]) => (x < y ? -1 : 1)));
  return a.format === b.format && properties(a) === properties(b) && [...a.features].sort().join() === [...b.features].sort().join();
}
