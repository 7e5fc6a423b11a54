/**
 * Serialization formats for record keys and values.
 *
 * Public API (the runtime, test driver and REST API code against this):
 *   createSerde({ format, target: 'key' | 'value', columns, properties?, features?, topic? }): Serde
 *     Serde.serialize(values: readonly unknown[] | null): Buffer | null
 *     Serde.deserialize(bytes: Buffer | null): unknown[] | null   (throws DeserializationError)
 *   validateFormat({ format, target, columns, properties?, features? }): FormatDefinition
 *   validateFormatProperties(format, target, properties): the checks that need no columns
 *   resolveSerdeFeatures({ format, target, columnCount, wrapSingleValue?, defaultWrapSingleValues? }): SerdeFeature[]
 *   lookupFormat(name) / registerFormat(definition) / isKnownFormat(name) / listFormats()
 *   createWindowedKeySerde({ format, columns, window, ... }): keys of windowed sources (key bytes + window)
 *   appendWindow(keyBytes, bounds, type) / splitWindow(bytes, window): that layout on raw key bytes
 *   parseDelimiter(text, propertyName?): the DELIMITED separator from KEY_/VALUE_DELIMITER
 *   jsonToValue(node, type) / valueToJsonText(value, type): JSON rendering rules on their own
 *   parseJsonText(text): JSON.parse, lossless for long numbers (LosslessNumber)
 *
 * Values are in the runtime representation of src/schema/sql-type.ts.
 * Format properties use ksqlDB's internal names: `delimiter` (DELIMITER_PROPERTY)
 * carries KEY_DELIMITER for keys and VALUE_DELIMITER for values.
 */
export * from './serde.js';
export { PRINT_ORDER, type PrintDecode, type RecordPrinter } from './record-printer.js';
export { subjectOf, type ReferencedSchema, type RegisteredSchema, type SchemaReferenceSpec, type SchemaRegistryClient } from './schema-registry-client.js';
export { sandboxRegistryClient } from './sandbox-registry-client.js';
export { DeserializationError, NumberRangeError, SerializationError } from './serde-errors.js';
export { createSerde, isKnownFormat, listFormats, lookupFormat, registerFormat } from './format-registry.js';
export type { CreateSerdeOptions } from './format-registry.js';
export { resolveSerdeFeatures, validateFormat, validateFormatProperties } from './validate-format.js';
export type { FeatureResolution, FormatValidation } from './validate-format.js';
export { appendWindow, createWindowedKeySerde, splitWindow } from './windowed-key.js';
export type { CreateWindowedKeySerdeOptions, KeyWindow, KeyWindowBounds, KeyWindowType, WindowedKey, WindowedKeySerde } from './windowed-key.js';
export { DEFAULT_DELIMITER, parseDelimiter } from './delimited/delimiter.js';
export { compileJsonReader, jsonToValue, type JsonReader } from './json/json-reader.js';
export { compileJsonWriter, valueToJsonText, type JsonWriter } from './json/json-writer.js';
export { LosslessNumber, parseJsonLossless, parseJsonText } from './json/lossless-json.js';
export { createJsonSerde } from './json/json-format.js';
export { avroType } from './avro/avro-types.js';
export { jsonToAvro } from './avro/avro-from-json.js';
export { frame as confluentFrame } from './avro/confluent-wire.js';
export { NULLABLE_REPRESENTATION_PROPERTY } from './protobuf/protobuf-format.js';
export { parseProtoFile, chooseMessage, messageIndexes, ProtoSchemaError, type ProtoFile, type ProtoImport } from './protobuf/proto-root.js';
export { toProtoObject } from './protobuf/proto-values.js';
export { frameMessage as confluentProtobufFrame } from './protobuf/proto-wire.js';
export { formatJavaDouble } from '../schema/java-text.js';
