/**
 * Type rules the binder applies that need no scope: which types are times,
 * the result type of DECIMAL arithmetic, and which explicit CASTs ksqlDB
 * accepts.
 */
import { decimalType, isNumeric, isPrimitive, sqlTypesEqual, type SqlType } from '../schema/sql-type.js';

/** DATE or TIMESTAMP, which compare with each other as TIMESTAMPs. */
export function isTemporal(t: SqlType): boolean {
  return t.kind === 'TIMESTAMP' || t.kind === 'DATE';
}

/** DATE, TIME or TIMESTAMP, which any STRING may be compared with. */
export function isTimeOfSomeKind(t: SqlType): boolean {
  return t.kind === 'TIMESTAMP' || t.kind === 'DATE' || t.kind === 'TIME';
}

/** ksqlDB's result type for DECIMAL arithmetic (the SQL Server rules ksqlDB adopted). */
export function decimalResultType(op: string, l: SqlType, r: SqlType): SqlType {
  if (l.kind !== 'DECIMAL' || r.kind !== 'DECIMAL') throw new Error('decimal operands expected');
  const [p1, s1, p2, s2] = [l.precision, l.scale, r.precision, r.scale];
  let p: number;
  let s: number;
  switch (op) {
    case '+':
    case '-':
      s = Math.max(s1, s2);
      p = Math.max(p1 - s1, p2 - s2) + s + 1;
      break;
    case '*':
      p = p1 + p2 + 1;
      s = s1 + s2;
      break;
    case '/':
      s = Math.max(6, s1 + p2 + 1);
      p = p1 - s1 + s2 + s;
      break;
    default:
      s = Math.max(s1, s2);
      p = Math.min(p1 - s1, p2 - s2) + s;
  }
  return decimalType(Math.min(Math.max(p, 1), 1000), s);
}

/** Which CASTs ksqlDB accepts. */
export function isCastSupported(from: SqlType, to: SqlType): boolean {
  if (sqlTypesEqual(from, to)) return true;
  // Anything but BYTES has a text form; BYTES go through FROM_BYTES.
  if (to.kind === 'STRING') return from.kind !== 'BYTES';
  switch (from.kind) {
    case 'ARRAY':
      return to.kind === 'ARRAY' && isCastSupported(from.element, to.element);
    case 'MAP':
      return to.kind === 'MAP' && isCastSupported(from.key, to.key) && isCastSupported(from.value, to.value);
    case 'STRUCT':
      return to.kind === 'STRUCT' && to.fields.every((f) => {
        const g = from.fields.find((x) => x.name === f.name);
        return g === undefined || isCastSupported(g.type, f.type);
      });
    case 'STRING':
      return isPrimitive(to);
    case 'BOOLEAN':
      return to.kind === 'BOOLEAN';
    case 'BYTES':
      return to.kind === 'BYTES';
    case 'TIMESTAMP':
      return to.kind === 'DATE' || to.kind === 'TIME';
    case 'DATE':
      return to.kind === 'TIMESTAMP';
    case 'TIME':
      return false;
    default:
      return isNumeric(to);
  }
}
