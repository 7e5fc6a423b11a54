/** Durations written as text in WITH clauses, e.g. WINDOW_SIZE='30 SECONDS'. */
import { statementError } from '../common/errors.js';
import { durationToMillis, parseTimeUnit } from '../parser/ast/duration.js';

export function parseDurationText(text: string, property: string): number {
  const m = /^\s*(\d+)\s+(\S+)\s*$/.exec(text);
  if (!m) throw statementError(`Configuration ${property} is invalid: Invalid duration: '${text}'. Expected '<number> <unit>'`);
  const unit = parseTimeUnit(m[2]!);
  if (unit === undefined) {
    throw statementError(`Configuration ${property} is invalid: Invalid duration: '${text}'. Unknown time unit: '${m[2]!.toUpperCase()}'`);
  }
  return durationToMillis({ value: Number(m[1]), unit });
}
