/** Small builders for format tests. */
import type { Column } from '../../src/schema/logical-schema.js';
import type { SqlType } from '../../src/schema/sql-type.js';

export function valueColumn(name: string, type: SqlType): Column {
  return { name, type, namespace: 'VALUE' };
}

export function keyColumn(name: string, type: SqlType): Column {
  return { name, type, namespace: 'KEY' };
}

export function bytesOf(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

export function textOf(bytes: Buffer | null): string | null {
  return bytes === null ? null : bytes.toString('utf8');
}
