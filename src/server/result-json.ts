/**
 * A query result row as JSON, as ksqlDB's REST API writes one: its Jackson
 * mapper (ApiJsonMapper) over the row's Java values. Every query endpoint
 * (push and pull; /query, both /query-stream framings, /ws/query) writes its
 * rows here, so the shell and clients read the same values everywhere:
 *   TIMESTAMP  "2020-01-01T00:00:00.000", UTC (java-date-text.ts)
 *   DATE       "2020-01-02" (LocalDate.toString)
 *   TIME       "01:00", "01:00:05": LocalTime.ofSecondOfDay(...).toString(),
 *              so seconds show only when not zero and milliseconds never
 *   BYTES as base64 and DECIMAL with its scale's digits (1.50), as the JSON
 *   format writes them; the same within ARRAY and MAP values.
 * A STRUCT is written by Kafka Connect's JsonConverter and read back by a plain
 * Jackson mapper before it is written out, so within a struct TIMESTAMP, DATE
 * and TIME stay numbers (as the JSON format writes them) and a DECIMAL with a
 * fraction becomes a double (1.50 -> 1.5).
 */
import { compileJsonWriter, type JsonWriter } from '../formats/index.js';
import type { ResultColumn } from '../engine/result-rows.js';
import type { Decimal } from '../schema/decimal.js';
import { formatIsoDate, formatIsoTime } from '../schema/iso-time-text.js';
import { formatJavaDateTime } from '../schema/java-date-text.js';
import { formatJavaDouble } from '../schema/java-text.js';
import type { SqlType } from '../schema/sql-type.js';

/** Writes one row's values, in the order of its query's columns, as a JSON array. */
export type RowJsonWriter = (values: readonly unknown[]) => string;

const rowWriters = new WeakMap<readonly ResultColumn[], RowJsonWriter>();

/** The row writer of a query's columns (built once per columns array, which cached pull queries share). */
export function resultRowWriter(columns: readonly ResultColumn[]): RowJsonWriter {
  let writer = rowWriters.get(columns);
  if (writer === undefined) {
    writer = compileRowWriter(columns.map((c) => c.type));
    rowWriters.set(columns, writer);
  }
  return writer;
}

function compileRowWriter(types: readonly SqlType[]): RowJsonWriter {
  const writers = types.map((type) => compileJsonWriter(type, restValue));
  return (values) => {
    let text = '[';
    for (let i = 0; i < writers.length; i++) text += (i > 0 ? ',' : '') + writers[i]!(values[i]);
    return `${text}]`;
  };
}

/** A value outside any struct: Jackson's serializers for the Java types; a struct is Connect's. */
function restValue(type: SqlType): JsonWriter | undefined {
  switch (type.kind) {
    case 'TIMESTAMP':
      return (v) => (v == null ? 'null' : `"${formatJavaDateTime(Number(v))}"`);
    case 'DATE':
      return (v) => (v == null ? 'null' : `"${formatIsoDate(v as number)}"`);
    case 'TIME':
      return (v) => (v == null ? 'null' : `"${formatIsoTime(Math.floor((v as number) / 1000) * 1000)}"`);
    case 'STRUCT':
      return compileJsonWriter(type, connectValue);
    default:
      return undefined;
  }
}

/** A value inside a struct: what JsonConverter writes, as Jackson reads it back (a DECIMAL with a fraction as a double). */
function connectValue(type: SqlType): JsonWriter | undefined {
  if (type.kind !== 'DECIMAL' || type.scale === 0) return undefined;
  return (v) => (v == null ? 'null' : formatJavaDouble(Number((v as Decimal).toString())));
}
