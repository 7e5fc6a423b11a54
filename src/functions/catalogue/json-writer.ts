/**
 * Builds, once per SQL type, a function writing values of that type as
 * compact JSON text, the way ksqlDB's TO_JSON_STRING does: DATE, TIME and
 * TIMESTAMP as ISO strings, BYTES as base64, DECIMAL at its scale, DOUBLE as
 * Java prints it (1.0, 1.0E10), STRUCT fields in declared order.
 */
import type { Decimal } from '../../schema/decimal.js';
import type { SqlType } from '../../schema/sql-type.js';
import { formatIsoDate, formatIsoTime, formatIsoTimestamp } from '../../schema/iso-time-text.js';
import { formatJavaDouble } from '../../schema/java-text.js';

export type JsonWriter = (value: unknown) => string;

export function buildJsonWriter(type: SqlType): JsonWriter {
  const write = buildNonNull(type);
  return (v) => (v === null ? 'null' : write(v));
}

function buildNonNull(type: SqlType): JsonWriter {
  switch (type.kind) {
    case 'BOOLEAN':
    case 'INTEGER':
    case 'BIGINT':
      return (v) => String(v);
    case 'DOUBLE':
      return (v) => formatJavaDouble(v as number);
    case 'DECIMAL': {
      const scale = type.scale;
      return (v) => (v as Decimal).toFixed(scale);
    }
    case 'STRING':
      return (v) => JSON.stringify(v);
    case 'BYTES':
      return (v) => JSON.stringify((v as Buffer).toString('base64'));
    case 'DATE':
      return (v) => JSON.stringify(formatIsoDate(v as number));
    case 'TIME':
      return (v) => JSON.stringify(formatIsoTime(v as number));
    case 'TIMESTAMP':
      return (v) => JSON.stringify(formatIsoTimestamp(v as number));
    case 'ARRAY': {
      const element = buildJsonWriter(type.element);
      return (v) => '[' + (v as unknown[]).map(element).join(',') + ']';
    }
    case 'MAP': {
      const value = buildJsonWriter(type.value);
      return (v) => {
        const parts: string[] = [];
        for (const [k, x] of v as Map<unknown, unknown>) parts.push(JSON.stringify(String(k)) + ':' + value(x));
        return '{' + parts.join(',') + '}';
      };
    }
    case 'STRUCT': {
      const fields = type.fields.map((f) => ({ name: f.name, key: JSON.stringify(f.name), write: buildJsonWriter(f.type) }));
      return (v) => {
        const o = v as Record<string, unknown>;
        return '{' + fields.map((f) => f.key + ':' + f.write(o[f.name] ?? null)).join(',') + '}';
      };
    }
  }
}
