import test from 'ava';
import { isKnownFormat, KsqlError, listFormats, lookupFormat, resolveSerdeFeatures, validateFormat } from './imports.js';
import {
  arrayType, BOOLEAN, decimalType, DOUBLE, INTEGER, mapType, STRING, structType,
} from '../../src/schema/sql-type.js';
import { keyColumn, valueColumn } from './columns.js';

function statementError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof KsqlError && error.code === 'BAD_STATEMENT') return error.message;
    throw error;
  }
  throw new Error('no error');
}

test('formats are found by name in any case and unknown names are refused', (t) => {
  t.is(lookupFormat('json').name, 'JSON');
  t.is(lookupFormat('Delimited').name, 'DELIMITED');
  t.true(isKnownFormat('kafka'));
  t.false(isKnownFormat('FOO'));
  t.deepEqual(listFormats().sort(), ['AVRO', 'DELIMITED', 'JSON', 'JSON_SR', 'KAFKA', 'NONE', 'PROTOBUF', 'PROTOBUF_NOSR']);
  t.is(statementError(() => lookupFormat('foo')), 'Unknown format: FOO');
  t.is(statementError(() => validateFormat({ format: 'FOO', target: 'value', columns: [] })), 'Unknown format: FOO');
});

test('KAFKA keys and values take one column of INT, BIGINT, DOUBLE, STRING or BYTES', (t) => {
  t.notThrows(() => validateFormat({ format: 'KAFKA', target: 'key', columns: [keyColumn('K', STRING)] }));
  t.is(
    statementError(() => validateFormat({ format: 'KAFKA', target: 'key', columns: [keyColumn('K', BOOLEAN)] })),
    "Key format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`K` BOOLEAN KEY], features=[]}\n" +
      "reason: The 'KAFKA' format does not support type 'BOOLEAN'",
  );
  t.is(
    statementError(() => validateFormat({ format: 'kafka', target: 'key', columns: [keyColumn('K', decimalType(21, 19))] })),
    "Key format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`K` DECIMAL(21, 19) KEY], features=[]}\n" +
      "reason: The 'KAFKA' format does not support type 'DECIMAL'",
  );
  t.regex(
    statementError(() =>
      validateFormat({ format: 'KAFKA', target: 'value', columns: [valueColumn('V0', INTEGER), valueColumn('V1', STRING)] }),
    ),
    /^Value format does not support schema\.\n.*\nreason: The 'KAFKA' format only supports a single field\. Got: \[`V0` INTEGER, `V1` STRING\]$/s,
  );
  t.regex(
    statementError(() => validateFormat({ format: 'KAFKA', target: 'value', columns: [valueColumn('FOO', structType([{ name: 'F1', type: DOUBLE }]))] })),
    /The 'KAFKA' format does not support type 'STRUCT'$/,
  );
});

test('DELIMITED refuses complex types, naming the column', (t) => {
  t.is(
    statementError(() => validateFormat({ format: 'DELIMITED', target: 'key', columns: [keyColumn('K', arrayType(DOUBLE))] })),
    "Key format does not support schema.\nformat: DELIMITED\nschema: Persistence{columns=[`K` ARRAY<DOUBLE> KEY], features=[]}\n" +
      "reason: The 'DELIMITED' format does not support type 'ARRAY', column: `K`",
  );
  t.regex(
    statementError(() => validateFormat({ format: 'DELIMITED', target: 'value', columns: [valueColumn('FOO', mapType(STRING, INTEGER))], features: ['UNWRAP_SINGLES'] })),
    /features=\[UNWRAP_SINGLES\]\}\nreason: The 'DELIMITED' format does not support type 'MAP', column: `FOO`$/,
  );
  t.notThrows(() => validateFormat({ format: 'DELIMITED', target: 'key', columns: [keyColumn('K1', STRING), keyColumn('K2', decimalType(6, 4))] }));
});

test('key columns containing a map are refused before any format check', (t) => {
  for (const format of ['JSON', 'DELIMITED', 'KAFKA']) {
    t.is(
      statementError(() => validateFormat({ format, target: 'key', columns: [keyColumn('K', arrayType(mapType(INTEGER, DOUBLE)))] })),
      'Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to ' +
        'inconsistent serialization. Key column name: `K`. Column type: ARRAY<MAP<INTEGER, DOUBLE>>. ' +
        'See https://github.com/confluentinc/ksql/issues/6621 for more.',
    );
  }
});

test('JSON maps need STRING keys', (t) => {
  t.regex(
    statementError(() => validateFormat({ format: 'JSON', target: 'value', columns: [valueColumn('FOO', mapType(INTEGER, DOUBLE))] })),
    /reason: JSON only supports MAP types with STRING keys$/,
  );
  t.notThrows(() => validateFormat({ format: 'JSON', target: 'value', columns: [valueColumn('FOO', mapType(STRING, DOUBLE))] }));
});

test('NONE takes no columns', (t) => {
  t.notThrows(() => validateFormat({ format: 'NONE', target: 'key', columns: [] }));
  t.regex(
    statementError(() => validateFormat({ format: 'NONE', target: 'key', columns: [keyColumn('K', STRING)] })),
    /The 'NONE' format can only be used when no columns are defined\. Got: \[`K` STRING KEY\]$/,
  );
  t.regex(
    statementError(() => validateFormat({ format: 'NONE', target: 'value', columns: [valueColumn('FOO', INTEGER)] })),
    /The 'NONE' format can only be used when no columns are defined\. Got: \[`FOO` INTEGER\]$/,
  );
});

test('delimiters are checked and refused by formats that take none', (t) => {
  t.is(
    statementError(() => validateFormat({ format: 'JSON', target: 'value', columns: [], properties: { delimiter: '|' } })),
    'JSON does not support the following configs: [delimiter]',
  );
  t.is(
    statementError(() => validateFormat({ format: 'DELIMITED', target: 'value', columns: [], properties: { delimiter: '<~>' } })),
    "Configuration VALUE_DELIMITER is invalid: Invalid delimiter value: '<~>'. Delimiter must be a single character or TAB,SPACE\n" +
      "Example valid value: ';'",
  );
  for (const bad of ['', ' ', '\t']) {
    t.is(
      statementError(() => validateFormat({ format: 'DELIMITED', target: 'key', columns: [], properties: { delimiter: bad } })),
      "Configuration KEY_DELIMITER is invalid: Delimiter cannot be empty, if you meant to have a tab or space for delimiter, " +
        "please use the special values 'TAB' or 'SPACE'\nExample valid value: ';'",
    );
  }
  t.notThrows(() => validateFormat({ format: 'DELIMITED', target: 'value', columns: [], properties: { delimiter: 'TAB' } }));
});

test('single keys are unwrapped where the format can do both', (t) => {
  t.deepEqual(resolveSerdeFeatures({ format: 'JSON', target: 'key', columnCount: 1 }), ['UNWRAP_SINGLES']);
  t.deepEqual(resolveSerdeFeatures({ format: 'JSON', target: 'key', columnCount: 2 }), []);
  t.deepEqual(resolveSerdeFeatures({ format: 'KAFKA', target: 'key', columnCount: 1 }), []);
  t.deepEqual(resolveSerdeFeatures({ format: 'DELIMITED', target: 'key', columnCount: 1 }), []);
});

test('WRAP_SINGLE_VALUE is honoured only for one value column and where the format allows it', (t) => {
  t.deepEqual(resolveSerdeFeatures({ format: 'JSON', target: 'value', columnCount: 1, wrapSingleValue: false }), ['UNWRAP_SINGLES']);
  t.deepEqual(resolveSerdeFeatures({ format: 'JSON', target: 'value', columnCount: 1, wrapSingleValue: true }), ['WRAP_SINGLES']);
  t.deepEqual(resolveSerdeFeatures({ format: 'KAFKA', target: 'value', columnCount: 1, wrapSingleValue: false }), ['UNWRAP_SINGLES']);
  t.deepEqual(resolveSerdeFeatures({ format: 'JSON', target: 'value', columnCount: 1 }), []);
  t.is(
    statementError(() => resolveSerdeFeatures({ format: 'JSON', target: 'value', columnCount: 2, wrapSingleValue: true })),
    "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas",
  );
  t.is(
    statementError(() => resolveSerdeFeatures({ format: 'KAFKA', target: 'value', columnCount: 1, wrapSingleValue: true })),
    "Format 'KAFKA' does not support 'WRAP_SINGLE_VALUE' set to 'true'.",
  );
  t.is(
    statementError(() => resolveSerdeFeatures({ format: 'delimited', target: 'value', columnCount: 1, wrapSingleValue: true })),
    "Format 'DELIMITED' does not support 'WRAP_SINGLE_VALUE' set to 'true'.",
  );
});

test('WRAP_SINGLE_VALUE is checked against the format before the column count, as ksqlDB checks it', (t) => {
  t.is(
    statementError(() => resolveSerdeFeatures({ format: 'DELIMITED', target: 'value', columnCount: 2, wrapSingleValue: true })),
    "Format 'DELIMITED' does not support 'WRAP_SINGLE_VALUE' set to 'true'.",
  );
});

test('the configured wrapping default applies to single value columns where supported', (t) => {
  t.deepEqual(resolveSerdeFeatures({ format: 'JSON', target: 'value', columnCount: 1, defaultWrapSingleValues: false }), ['UNWRAP_SINGLES']);
  t.deepEqual(resolveSerdeFeatures({ format: 'JSON', target: 'value', columnCount: 2, defaultWrapSingleValues: false }), []);
  t.deepEqual(resolveSerdeFeatures({ format: 'KAFKA', target: 'value', columnCount: 1, defaultWrapSingleValues: true }), []);
});
