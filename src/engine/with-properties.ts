/**
 * The WITH clause of CREATE and INSERT statements: ksqlDB's property names,
 * checked and read into typed values.
 */
import { statementError } from '../common/errors.js';
import type { Literal } from '../parser/ast/expression.js';
import type { Property } from '../parser/ast/statement.js';

const STRING_PROPERTIES = [
  'KAFKA_TOPIC', 'KEY_FORMAT', 'VALUE_FORMAT', 'FORMAT', 'TIMESTAMP', 'TIMESTAMP_FORMAT', 'KEY_DELIMITER',
  'VALUE_DELIMITER', 'WINDOW_TYPE', 'WINDOW_SIZE', 'KEY_SCHEMA_FULL_NAME', 'VALUE_SCHEMA_FULL_NAME',
  'VALUE_AVRO_SCHEMA_FULL_NAME', 'KEY_PROTOBUF_NULLABLE_REPRESENTATION', 'VALUE_PROTOBUF_NULLABLE_REPRESENTATION',
  'QUERY_ID', 'SOURCE_CONNECTOR',
] as const;
const INTEGER_PROPERTIES = ['PARTITIONS', 'REPLICAS', 'KEY_SCHEMA_ID', 'VALUE_SCHEMA_ID', 'RETENTION_MS'] as const;
const BOOLEAN_PROPERTIES = ['WRAP_SINGLE_VALUE'] as const;

type StringProperty = (typeof STRING_PROPERTIES)[number];
type IntegerProperty = (typeof INTEGER_PROPERTIES)[number];
type BooleanProperty = (typeof BOOLEAN_PROPERTIES)[number];

const KNOWN = new Set<string>([...STRING_PROPERTIES, ...INTEGER_PROPERTIES, ...BOOLEAN_PROPERTIES]);

export class WithProperties {
  private readonly values: ReadonlyMap<string, Literal>;

  constructor(properties: readonly Property[]) {
    const unknown = properties.map((p) => p.name).filter((n) => !KNOWN.has(n));
    if (unknown.length > 0) throw statementError(`Invalid config variable(s) in the WITH clause: ${unknown.join(',')}`);
    this.values = new Map(properties.map((p) => [p.name, p.value]));
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  names(): string[] {
    return [...this.values.keys()];
  }

  getString(name: StringProperty): string | undefined {
    const v = this.values.get(name);
    if (v === undefined || v.kind === 'NullLiteral') return undefined;
    switch (v.kind) {
      case 'StringLiteral':
        return v.value;
      case 'IntegerLiteral':
      case 'BooleanLiteral':
        return String(v.value);
      case 'BigIntLiteral':
        return v.value.toString();
      case 'DecimalLiteral':
      case 'DoubleLiteral':
        return v.text;
      default:
        throw statementError(`Invalid value for ${name}: expected a string`);
    }
  }

  getInteger(name: IntegerProperty): number | undefined {
    const v = this.values.get(name);
    if (v === undefined || v.kind === 'NullLiteral') return undefined;
    const n = v.kind === 'IntegerLiteral' ? v.value : v.kind === 'StringLiteral' ? Number(v.value) : NaN;
    if (!Number.isInteger(n)) throw statementError(`Invalid value for ${name}: expected an integer`);
    return n;
  }

  getBoolean(name: BooleanProperty): boolean | undefined {
    const v = this.values.get(name);
    if (v === undefined || v.kind === 'NullLiteral') return undefined;
    if (v.kind === 'BooleanLiteral') return v.value;
    if (v.kind === 'StringLiteral' && /^(true|false)$/i.test(v.value)) return v.value.toLowerCase() === 'true';
    throw statementError(`Invalid value for ${name}: expected true or false`);
  }
}
