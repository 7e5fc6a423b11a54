/**
 * The WITH clause of CREATE, CREATE ... AS SELECT and INSERT INTO statements:
 * ksqlDB's property names and types, checked as ksqlDB checks them when it
 * prepares a statement, and read into typed values.
 *
 * Checks run in ksqlDB's order: each known property's type and value, in the
 * order ksqlDB defines them (KAFKA_TOPIC is required by CREATE); unknown
 * names; FORMAT given with KEY_FORMAT or VALUE_FORMAT, and both value schema
 * names; window type and size (CREATE). Every failure reads "Failed to
 * prepare statement: <reason>", except CLEANUP_POLICY, which ksqlDB refuses
 * later, when it creates the topic.
 */
import { statementError } from '../common/errors.js';
import { parseDelimiter } from '../formats/index.js';
import { javaPatternError } from '../functions/index.js';
import type { Literal } from '../parser/ast/expression.js';
import type { Property } from '../parser/ast/statement.js';
import { parseDurationText } from './duration-text.js';

/** Which statement the clause belongs to: it decides the properties allowed. */
export type WithClauseKind = 'CREATE' | 'CREATE_AS' | 'INSERT' | 'ANY';

type PropertyType = 'STRING' | 'INT' | 'SHORT' | 'LONG' | 'BOOLEAN';

interface PropertyDefinition {
  readonly name: string;
  readonly type: PropertyType;
  /** Throws an Error whose message is the whole reason (ksqlDB's validator text). */
  readonly validate?: (value: string) => void;
}

const WINDOW_TYPES = ['SESSION', 'HOPPING', 'TUMBLING'] as const;
export type WindowTypeName = (typeof WINDOW_TYPES)[number];

const CREATE_ONLY: readonly PropertyDefinition[] = [
  {
    name: 'WINDOW_TYPE',
    type: 'STRING',
    validate: (v) => {
      if (!(WINDOW_TYPES as readonly string[]).includes(v.toUpperCase())) {
        throw invalidValue(v, 'WINDOW_TYPE', `String must be one of: ${WINDOW_TYPES.join(', ')}`);
      }
    },
  },
  { name: 'WINDOW_SIZE', type: 'STRING', validate: (v) => void parseDurationText(v, 'WINDOW_SIZE') },
  { name: 'SOURCE_CONNECTOR', type: 'STRING' },
];

/** The properties of every CREATE statement, in ksqlDB's definition order. */
const COMMON: readonly PropertyDefinition[] = [
  { name: 'KAFKA_TOPIC', type: 'STRING', validate: (v) => { if (v === '') throw invalidValue(v, 'KAFKA_TOPIC', 'String must be non-empty'); } },
  { name: 'PARTITIONS', type: 'INT' },
  { name: 'REPLICAS', type: 'SHORT' },
  { name: 'RETENTION_MS', type: 'LONG' },
  { name: 'VALUE_FORMAT', type: 'STRING' },
  { name: 'TIMESTAMP', type: 'STRING' },
  {
    name: 'TIMESTAMP_FORMAT', type: 'STRING', validate: (v) => {
      const reason = javaPatternError(v);
      if (reason !== undefined) throw new Error(`Invalid datatime format for config:TIMESTAMP_FORMAT, reason:${reason}`);
    },
  },
  { name: 'WRAP_SINGLE_VALUE', type: 'BOOLEAN' },
  { name: 'VALUE_AVRO_SCHEMA_FULL_NAME', type: 'STRING' },
  { name: 'KEY_SCHEMA_FULL_NAME', type: 'STRING' },
  { name: 'VALUE_SCHEMA_FULL_NAME', type: 'STRING' },
  { name: 'KEY_DELIMITER', type: 'STRING', validate: (v) => void parseDelimiter(v, 'KEY_DELIMITER') },
  { name: 'VALUE_DELIMITER', type: 'STRING', validate: (v) => void parseDelimiter(v, 'VALUE_DELIMITER') },
  { name: 'KEY_FORMAT', type: 'STRING' },
  { name: 'FORMAT', type: 'STRING' },
  { name: 'KEY_SCHEMA_ID', type: 'INT' },
  { name: 'VALUE_SCHEMA_ID', type: 'INT' },
  { name: 'KEY_PROTOBUF_NULLABLE_REPRESENTATION', type: 'STRING' },
  { name: 'VALUE_PROTOBUF_NULLABLE_REPRESENTATION', type: 'STRING' },
  { name: 'CLEANUP_POLICY', type: 'STRING' },
];

const QUERY_ID: PropertyDefinition = { name: 'QUERY_ID', type: 'STRING' };

/** Beyond ksqlDB: how long a non-windowed aggregation keeps a key that receives no record. */
const STATE_RETENTION: PropertyDefinition = { name: 'RETENTION', type: 'STRING', validate: (v) => void parseDurationText(v, 'RETENTION') };

const DEFINITIONS: Readonly<Record<WithClauseKind, readonly PropertyDefinition[]>> = {
  CREATE: [...CREATE_ONLY, ...COMMON],
  CREATE_AS: [...COMMON, STATE_RETENTION],
  INSERT: [QUERY_ID],
  ANY: [...CREATE_ONLY, ...COMMON, STATE_RETENTION, QUERY_ID],
};

type StringProperty =
  | 'KAFKA_TOPIC' | 'KEY_FORMAT' | 'VALUE_FORMAT' | 'FORMAT' | 'TIMESTAMP' | 'TIMESTAMP_FORMAT' | 'KEY_DELIMITER'
  | 'VALUE_DELIMITER' | 'WINDOW_TYPE' | 'WINDOW_SIZE' | 'KEY_SCHEMA_FULL_NAME' | 'VALUE_SCHEMA_FULL_NAME'
  | 'VALUE_AVRO_SCHEMA_FULL_NAME' | 'KEY_PROTOBUF_NULLABLE_REPRESENTATION' | 'VALUE_PROTOBUF_NULLABLE_REPRESENTATION'
  | 'QUERY_ID' | 'SOURCE_CONNECTOR' | 'RETENTION' | 'CLEANUP_POLICY';
type IntegerProperty = 'PARTITIONS' | 'REPLICAS' | 'KEY_SCHEMA_ID' | 'VALUE_SCHEMA_ID' | 'RETENTION_MS';
type BooleanProperty = 'WRAP_SINGLE_VALUE';

export class WithProperties {
  /** Checked values by property name; a property set to NULL is absent. */
  private readonly values = new Map<string, string | number | boolean>();
  private readonly given: ReadonlySet<string>;

  /**
   * Checks the clause for a statement kind. 'ANY' accepts every property
   * name any statement knows and requires none.
   */
  constructor(properties: readonly Property[], kind: WithClauseKind = 'ANY') {
    this.given = new Set(properties.map((p) => p.name));
    try {
      const literals = new Map(properties.map((p) => [p.name, p.value]));
      for (const definition of DEFINITIONS[kind]) {
        const literal = literals.get(definition.name);
        if (literal === undefined || literal.kind === 'NullLiteral') {
          if (kind === 'CREATE' && definition.name === 'KAFKA_TOPIC') {
            throw new Error('Missing required property "KAFKA_TOPIC" which has no default value.');
          }
          continue;
        }
        const value = parseValue(definition, literal);
        if (definition.validate !== undefined && typeof value === 'string') definition.validate(value);
        this.values.set(definition.name, value);
      }
      const known = new Set(DEFINITIONS[kind].map((d) => d.name));
      const unknown = [...this.given].filter((n) => !known.has(n));
      if (unknown.length > 0) throw new Error(`Invalid config variable(s) in the WITH clause: ${unknown.join(',')}`);
      this.checkFormats();
      if (kind === 'CREATE') this.checkWindow();
    } catch (error) {
      throw statementError(`Failed to prepare statement: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    // A known property that only ksqlDB may set: the topic's cleanup policy follows from the source's kind.
    if ((kind === 'CREATE' || kind === 'CREATE_AS') && this.values.has('CLEANUP_POLICY')) {
      throw statementError('Invalid config variable in the WITH clause: CLEANUP_POLICY.\n'
        + 'The CLEANUP_POLICY config is automatically inferred based on the type of source (STREAM or TABLE).\n'
        + "Users can't set the CLEANUP_POLICY config manually.");
    }
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  names(): string[] {
    return [...this.given];
  }

  getString(name: StringProperty): string | undefined {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : undefined;
  }

  getInteger(name: IntegerProperty): number | undefined {
    const v = this.values.get(name);
    return typeof v === 'number' ? v : undefined;
  }

  getBoolean(name: BooleanProperty): boolean | undefined {
    const v = this.values.get(name);
    return typeof v === 'boolean' ? v : undefined;
  }

  /** WINDOW_TYPE in upper case, when set. */
  getWindowType(): WindowTypeName | undefined {
    return this.getString('WINDOW_TYPE')?.toUpperCase() as WindowTypeName | undefined;
  }

  /** WINDOW_SIZE in milliseconds, when set. */
  getWindowSizeMs(): number | undefined {
    const text = this.getString('WINDOW_SIZE');
    return text === undefined ? undefined : parseDurationText(text, 'WINDOW_SIZE');
  }

  private checkFormats(): void {
    for (const other of ['KEY_FORMAT', 'VALUE_FORMAT']) {
      if (this.values.has('FORMAT') && this.values.has(other)) {
        throw new Error(
          `Cannot supply both '${other}' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. ` +
            "Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.",
        );
      }
    }
    if (this.values.has('VALUE_AVRO_SCHEMA_FULL_NAME') && this.values.has('VALUE_SCHEMA_FULL_NAME')) {
      throw new Error("Cannot supply both 'VALUE_AVRO_SCHEMA_FULL_NAME' and 'VALUE_SCHEMA_FULL_NAME' properties. Please only set 'VALUE_SCHEMA_FULL_NAME'.");
    }
  }

  private checkWindow(): void {
    const type = this.getWindowType();
    const hasSize = this.values.has('WINDOW_SIZE');
    const requiresSize = type !== undefined && type !== 'SESSION';
    if (requiresSize && !hasSize) {
      throw new Error(`${type} windows require 'WINDOW_SIZE' to be provided in the WITH clause. For example: 'WINDOW_SIZE'='10 SECONDS'`);
    }
    if (!requiresSize && hasSize) throw new Error("'WINDOW_SIZE' should not be set for SESSION windows.");
  }
}

/** A literal as the property's type, with the conversions and messages of Kafka's ConfigDef. */
function parseValue(definition: PropertyDefinition, literal: Literal): string | number | boolean {
  const { name, type } = definition;
  const shown = literalText(literal);
  switch (type) {
    case 'STRING':
      if (literal.kind !== 'StringLiteral') {
        throw invalidValue(shown, name, `Expected value to be a string, but it was a ${javaClassOf(literal)}`);
      }
      return literal.value.trim();
    case 'BOOLEAN':
      if (literal.kind === 'BooleanLiteral') return literal.value;
      if (literal.kind === 'StringLiteral') {
        const t = literal.value.trim().toLowerCase();
        if (t === 'true' || t === 'false') return t === 'true';
      }
      throw invalidValue(shown, name, 'Expected value to be either true or false');
    case 'INT':
    case 'SHORT':
    case 'LONG': {
      const bits = type === 'INT' ? 32 : type === 'SHORT' ? 16 : 64;
      let n: bigint | undefined;
      if (literal.kind === 'IntegerLiteral') n = BigInt(literal.value);
      else if (literal.kind === 'BigIntLiteral' && type === 'LONG') n = literal.value;
      else if (literal.kind === 'StringLiteral' && /^[+-]?\d+$/.test(literal.value.trim())) n = BigInt(literal.value.trim());
      else if (literal.kind === 'StringLiteral') throw invalidValue(shown, name, `Not a number of type ${type}`);
      if (n === undefined || BigInt.asIntN(bits, n) !== n) {
        if (literal.kind === 'StringLiteral') throw invalidValue(shown, name, `Not a number of type ${type}`);
        const what = type === 'INT' ? 'a 32-bit integer' : type === 'SHORT' ? 'a Short' : 'a 64-bit integer';
        throw invalidValue(shown, name, `Expected value to be ${what}, but it was a ${javaClassOf(literal)}`);
      }
      return Number(n);
    }
  }
}

function invalidValue(value: string, name: string, reason: string): Error {
  return new Error(`Invalid value ${value} for property ${name}: ${reason}`);
}

function literalText(literal: Literal): string {
  switch (literal.kind) {
    case 'StringLiteral':
      return literal.value;
    case 'IntegerLiteral':
    case 'BooleanLiteral':
      return String(literal.value);
    case 'BigIntLiteral':
      return literal.value.toString();
    case 'DecimalLiteral':
    case 'DoubleLiteral':
      return literal.text;
    default:
      return literal.kind;
  }
}

/** The Java class ksqlDB's messages name for a literal's value. */
function javaClassOf(literal: Literal): string {
  switch (literal.kind) {
    case 'IntegerLiteral':
      return 'java.lang.Integer';
    case 'BigIntLiteral':
      return 'java.lang.Long';
    case 'DoubleLiteral':
      return 'java.lang.Double';
    case 'DecimalLiteral':
      return 'java.math.BigDecimal';
    case 'BooleanLiteral':
      return 'java.lang.Boolean';
    case 'StringLiteral':
      return 'java.lang.String';
    default:
      return 'java.lang.Object';
  }
}
