/**
 * The test-only statements of ksqlDB's SQL test files, over the test driver:
 *
 * - ASSERT VALUES source [(columns)] VALUES (...): the source's topic's next
 *   record (each topic is read once, in order, across the test) has these
 *   values in the named columns (all columns when none are named; ROWTIME is
 *   compared only when named). Values are converted to the columns' types as
 *   INSERT VALUES converts them.
 * - ASSERT NULL VALUES source [(key columns)] KEY (...): the next record is a
 *   tombstone for this key.
 * - ASSERT STREAM|TABLE name [(elements)] [WITH (...)]: the source exists, is
 *   of that kind, and has the schema the elements declare and the topic,
 *   formats and timestamp settings the WITH clause names, compared with what
 *   a CREATE of that text would declare.
 *
 * Record mismatches throw TestAssertionError with a table of the expected
 * and actual records; source mismatches throw a KsqlError, as in ksqlDB.
 */
import { bindExpression } from '../analyzer/bind-expression.js';
import { KsqlError } from '../common/errors.js';
import type { DataSource } from '../catalog/data-source.js';
import { coerceInsertValue } from '../engine/insert-coercion.js';
import { checkDuplicateColumns, declareSource, formattedValueColumns } from '../engine/source-ddl.js';
import { evaluateConstant } from '../expr/compile-expression.js';
import type { CreateStream, CreateTable, Property, StatementOfKind } from '../parser/ast/statement.js';
import { formatLogicalSchema, type Column } from '../schema/logical-schema.js';
import { quoteIdentifier } from '../schema/sql-type.js';
import { valuesEqual } from '../schema/value-compare.js';
import { renderRecordTable, tableColumns, type TableRow } from './record-table.js';
import { TestAssertionError } from './test-assertion-error.js';
import type { SourceRecord, TestDriver } from './test-driver.js';

/** How many records of each topic the test's assertions have read. */
export type TopicCursors = Map<string, number>;

export function assertValues(driver: TestDriver, stmt: StatementOfKind<'AssertValues'>, cursors: TopicCursors): void {
  assertRecord(driver, stmt.source, stmt.columns, stmt.values, false, cursors);
}

export function assertTombstone(driver: TestDriver, stmt: StatementOfKind<'AssertTombstone'>, cursors: TopicCursors): void {
  assertRecord(driver, stmt.source, stmt.columns, stmt.keyValues, true, cursors);
}

function requireSource(driver: TestDriver, name: string): DataSource {
  const source = driver.engine.metastore.getSource(name);
  if (source === undefined) throw new KsqlError('BAD_STATEMENT', `${quoteIdentifier(name)} does not exist.`);
  return source;
}

function assertRecord(
  driver: TestDriver, name: string, columnNames: readonly string[] | undefined, values: StatementOfKind<'AssertValues'>['values'],
  tombstone: boolean, cursors: TopicCursors,
): void {
  const source = requireSource(driver, name);
  const valueColumns = formattedValueColumns(source.schema);
  const columns = tableColumns(source.schema.key, valueColumns);
  const names = columnNames ?? (tombstone ? source.schema.key : [...source.schema.key, ...valueColumns]).map((c) => c.name);
  if (names.length !== values.length) {
    throw new KsqlError('BAD_STATEMENT', `Expected a value for each column. Expected Columns: [${names.join(', ')}]. Got [${values.map(() => '?').join(', ')}]`);
  }
  const engine = driver.engine;
  const scope = { columns: [], sourceNames: [], windowed: false, clause: 'VALUES', functions: engine.functions, lookupType: (n: string) => engine.metastore.getType(n) };
  const expected: unknown[] = columns.map(() => undefined);
  names.forEach((columnName, i) => {
    const index = columns.findIndex((c) => c.name === columnName);
    if (index < 0) throw new KsqlError('BAD_STATEMENT', `Column name ${quoteIdentifier(columnName)} does not exist.`);
    if (tombstone && index >= 1 + source.schema.key.length) throw new TestAssertionError('Unexpected value columns specified in ASSERT NULL VALUES.');
    const bound = bindExpression(values[i]!, scope);
    expected[index] = coerceInsertValue(evaluateConstant(bound), bound.type, columns[index]!.type, `Failed to insert values into '${source.name}'.`, columnName);
  });
  // A tombstone's value columns read NULL.
  const keyEnd = 1 + source.schema.key.length;
  const expectedRow: TableRow = { label: 'EXPECTED', cells: tombstone ? expected.map((v, i) => (i >= keyEnd ? null : v)) : expected };

  const records = driver.sourceRecords(source);
  const position = cursors.get(source.topic) ?? 0;
  const actual = records[position];
  if (actual === undefined) {
    const read = records.map((r) => actualRow(r, valueColumns.length));
    throw new TestAssertionError(`Expected another record, but all records have already been read:\n${renderRecordTable(columns, [expectedRow, ...read])}`);
  }
  cursors.set(source.topic, position + 1);
  const row = actualRow(actual, valueColumns.length);
  const differences = columns.flatMap((c, i) => {
    const want = expected[i];
    if (want === undefined) return [];
    const got = row.cells[i];
    return (want === null) === (got === null) && (want === null || valuesEqual(want, got)) ? [] : [c.name];
  });
  if (tombstone && actual.value !== null) differences.push('the value (a tombstone was expected)');
  if (differences.length > 0) {
    throw new TestAssertionError(`Expected record does not match actual.\n${renderRecordTable(columns, [expectedRow, row])}\nDiffering: ${differences.join(', ')}`);
  }
}

function actualRow(r: SourceRecord, valueCount: number): TableRow {
  return { label: 'ACTUAL', cells: [BigInt(r.timestamp), ...r.key, ...(r.value ?? Array.from({ length: valueCount }, () => null))] };
}

/** ksqlDB's ASSERT STREAM/TABLE: what a CREATE of this text would declare, against the source. */
export function assertSource(driver: TestDriver, stmt: StatementOfKind<'AssertSource'>): void {
  const source = requireSource(driver, stmt.name);
  const given = new Set(stmt.properties.map((p) => p.name));
  const compare = (property: string, expected: string, actual: string): void => {
    if (expected !== actual) {
      throw new KsqlError('BAD_STATEMENT', `Expected ${property} does not match actual for source ${source.name}.\n\tExpected: ${expected}\n\tActual: ${actual}`);
    }
  };
  compare('type', stmt.sourceKind, source.kind);
  // The topic and formats default to the source's, so a statement naming none still declares.
  const defaults: Property[] = [];
  const literal = (name: string, value: string): Property => ({ kind: 'Property', name, value: { kind: 'StringLiteral', value } as Property['value'], location: stmt.location });
  if (!given.has('KAFKA_TOPIC')) defaults.push(literal('KAFKA_TOPIC', source.topic));
  if (!given.has('FORMAT') && !given.has('KEY_FORMAT') && source.schema.key.length > 0) defaults.push(literal('KEY_FORMAT', source.keyFormat.format));
  if (!given.has('FORMAT') && !given.has('VALUE_FORMAT')) defaults.push(literal('VALUE_FORMAT', source.valueFormat.format));
  const create: CreateStream | CreateTable = {
    kind: stmt.sourceKind === 'TABLE' ? 'CreateTable' : 'CreateStream',
    text: stmt.text, location: stmt.location, orReplace: false, isSource: false, ifNotExists: false,
    name: stmt.name, elements: stmt.elements, properties: [...stmt.properties, ...defaults],
  };
  checkDuplicateColumns(create);
  const declared = declareSource(create, driver.engine.metastore, driver.engine.config, driver.engine.schemaRegistry).source;
  if (stmt.elements.length > 0) {
    const text = (key: readonly Column[], value: readonly Column[]): string => formatLogicalSchema({ key, value }, { primaryKey: source.kind === 'TABLE' });
    compare('schema', text(declared.schema.key, declared.schema.value), text(source.schema.key, source.schema.value));
  }
  compare('kafka topic', declared.topic, source.topic);
  if (given.has('FORMAT') || given.has('KEY_FORMAT')) compare('key format', declared.keyFormat.format, source.keyFormat.format);
  if (given.has('FORMAT') || given.has('VALUE_FORMAT')) compare('value format', declared.valueFormat.format, source.valueFormat.format);
  if (given.has('VALUE_DELIMITER') || given.has('VALUE_AVRO_SCHEMA_FULL_NAME')) {
    compare('delimiter', JSON.stringify(declared.valueFormat.properties), JSON.stringify(source.valueFormat.properties));
  }
  if (given.has('WRAP_SINGLE_VALUE')) compare('value serde features', JSON.stringify(declared.valueFormat.features), JSON.stringify(source.valueFormat.features));
  compare('timestamp column', declared.timestampColumn?.column ?? 'none', source.timestampColumn?.column ?? 'none');
  compare('timestamp format', declared.timestampColumn?.format ?? 'none', source.timestampColumn?.format ?? 'none');
}
