/**
 * Concrete SQL type text as user functions write return types:
 * `STRING`, `DECIMAL(10, 2)`, `ARRAY<INTEGER>`, `MAP<STRING, DOUBLE>`,
 * `STRUCT<NAME STRING, AGE INTEGER>`. Undefined for anything else (a
 * pattern with generics, such as `ARRAY<T>`, is the caller's next try).
 */
import { arrayType, decimalType, mapType, structType, type SqlType } from '../../schema/sql-type.js';

const PRIMITIVES: Readonly<Record<string, SqlType['kind']>> = {
  BOOLEAN: 'BOOLEAN', INT: 'INTEGER', INTEGER: 'INTEGER', BIGINT: 'BIGINT', DOUBLE: 'DOUBLE', STRING: 'STRING',
  VARCHAR: 'STRING', BYTES: 'BYTES', DATE: 'DATE', TIME: 'TIME', TIMESTAMP: 'TIMESTAMP',
};

export function parseSqlTypeText(text: string): SqlType | undefined {
  const tokens = text.match(/[A-Za-z_][A-Za-z0-9_]*|\d+|[<>(),]/g) ?? [];
  let i = 0;
  const next = (): string | undefined => tokens[i++];
  const expect = (t: string): void => {
    if (next() !== t) throw new Error(`expected ${t}`);
  };
  const readType = (): SqlType => {
    const word = (next() ?? '').toUpperCase();
    const primitive = PRIMITIVES[word];
    if (primitive !== undefined) return { kind: primitive } as SqlType;
    if (word === 'DECIMAL') {
      expect('(');
      const precision = Number(next());
      expect(',');
      const scale = Number(next());
      expect(')');
      if (!Number.isInteger(precision) || !Number.isInteger(scale)) throw new Error('bad DECIMAL');
      return decimalType(precision, scale);
    }
    if (word === 'ARRAY') {
      expect('<');
      const element = readType();
      expect('>');
      return arrayType(element);
    }
    if (word === 'MAP') {
      expect('<');
      const key = readType();
      expect(',');
      const value = readType();
      expect('>');
      return mapType(key, value);
    }
    if (word === 'STRUCT') {
      expect('<');
      const fields: { name: string; type: SqlType }[] = [];
      if (tokens[i] === '>') i++;
      else {
        for (;;) {
          const name = next();
          if (name === undefined || !/^[A-Za-z_]/.test(name)) throw new Error('expected a field name');
          fields.push({ name: name.toUpperCase(), type: readType() });
          const sep = next();
          if (sep === '>') break;
          if (sep !== ',') throw new Error('expected , or >');
        }
      }
      return structType(fields);
    }
    throw new Error(`unknown type ${word}`);
  };
  try {
    const type = readType();
    return i === tokens.length ? type : undefined;
  } catch {
    return undefined;
  }
}
