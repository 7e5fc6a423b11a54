/**
 * The checks ksqlDB makes when a source or sink is declared with a format:
 * known format, accepted properties, key columns without maps, columns the
 * format can carry, and WRAP_SINGLE_VALUE only where the format and schema
 * allow it. All failures are KsqlError('BAD_STATEMENT') with ksqlDB's wording.
 */
import { KsqlError } from '../common/errors.js';
import type { Column } from '../schema/logical-schema.js';
import { formatSqlType, quoteIdentifier } from '../schema/sql-type.js';
import { formatColumnList, typeContains } from './columns-text.js';
import { lookupFormat } from './format-registry.js';
import type { FormatDefinition, FormatProperties, SerdeFeature, SerdeTarget } from './serde.js';

export interface FormatValidation {
  /** The format name as written (any case). */
  readonly format: string;
  readonly target: SerdeTarget;
  readonly columns: readonly Column[];
  readonly properties?: FormatProperties;
  /** Resolved features, only shown in the error text. */
  readonly features?: readonly SerdeFeature[];
}

/**
 * Throws KsqlError('BAD_STATEMENT') if the columns cannot be stored in the
 * format; returns the format definition otherwise. Messages:
 * - "Unknown format: FOO"
 * - "JSON does not support the following configs: [delimiter]"
 * - "Configuration VALUE_DELIMITER is invalid: ..." (DELIMITED)
 * - "Map keys, including types that contain maps, are not supported ..." (keys)
 * - "Key format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[...],
 *   features=[...]}\nreason: The 'KAFKA' format does not support type 'BOOLEAN'"
 *   (and "Value format ..." alike), where the reason is the format's own.
 */
export function validateFormat(validation: FormatValidation): FormatDefinition {
  const { target, columns } = validation;
  const format = validateFormatProperties(validation.format, target, validation.properties ?? {});

  if (target === 'key') {
    for (const column of columns) {
      if (typeContains(column.type, (t) => t.kind === 'MAP')) {
        throw new KsqlError(
          'BAD_STATEMENT',
          'Map keys, including types that contain maps, are not supported as they may lead to unexpected ' +
            `behavior due to inconsistent serialization. Key column name: ${quoteIdentifier(column.name)}. ` +
            `Column type: ${formatSqlType(column.type)}. See https://github.com/confluentinc/ksql/issues/6621 for more.`,
        );
      }
    }
  }

  const reason = format.checkColumns(columns, target);
  if (reason !== undefined) {
    const features = validation.features ?? [];
    throw new KsqlError(
      'BAD_STATEMENT',
      `${target === 'key' ? 'Key' : 'Value'} format does not support schema.\n` +
        `format: ${format.name}\n` +
        `schema: Persistence{columns=${formatColumnList(columns, target)}, features=[${features.join(', ')}]}\n` +
        `reason: ${reason}`,
    );
  }
  return format;
}

/**
 * The checks that need no columns: a known format ("Unknown format: FOO"), and
 * properties it accepts ("JSON does not support the following configs:
 * [delimiter]") with valid values. Returns the format definition.
 */
export function validateFormatProperties(name: string, target: SerdeTarget, properties: FormatProperties): FormatDefinition {
  const format = lookupFormat(name);
  const unsupported = Object.keys(properties).filter((p) => !format.supportedProperties.has(p)).sort();
  if (unsupported.length > 0) {
    throw new KsqlError('BAD_STATEMENT', `${format.name} does not support the following configs: [${unsupported.join(', ')}]`);
  }
  format.checkProperties?.(properties, target);
  return format;
}

export interface FeatureResolution {
  readonly format: string;
  readonly target: SerdeTarget;
  readonly columnCount: number;
  /** WRAP_SINGLE_VALUE from the WITH clause, when given (values only). */
  readonly wrapSingleValue?: boolean;
  /** The `ksql.persistence.wrap.single.values` setting, when set. */
  readonly defaultWrapSingleValues?: boolean;
}

/**
 * ksqlDB's serde features for a key or value:
 * - keys: UNWRAP_SINGLES for one column when the format can both wrap and unwrap;
 * - values: an explicit WRAP_SINGLE_VALUE needs a format that supports it ("Format
 *   'KAFKA' does not support 'WRAP_SINGLE_VALUE' set to 'true'."), then exactly one column
 *   ("'WRAP_SINGLE_VALUE' is only valid for single-field value schemas"); otherwise the
 *   configured default applies where the format supports it; otherwise none.
 */
export function resolveSerdeFeatures(resolution: FeatureResolution): SerdeFeature[] {
  const format = lookupFormat(resolution.format);
  const single = resolution.columnCount === 1;
  const supports = (f: SerdeFeature) => format.supportedFeatures.has(f);
  if (resolution.target === 'key') {
    return single && supports('WRAP_SINGLES') && supports('UNWRAP_SINGLES') ? ['UNWRAP_SINGLES'] : [];
  }
  const explicit = resolution.wrapSingleValue;
  if (explicit !== undefined) {
    const feature: SerdeFeature = explicit ? 'WRAP_SINGLES' : 'UNWRAP_SINGLES';
    if (!supports(feature)) {
      throw new KsqlError(
        'BAD_STATEMENT',
        `Format '${format.name}' does not support 'WRAP_SINGLE_VALUE' set to '${String(explicit)}'.`,
      );
    }
    if (!single) throw new KsqlError('BAD_STATEMENT', "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas");
    return [feature];
  }
  const fallback = resolution.defaultWrapSingleValues;
  if (!single || fallback === undefined) return [];
  const feature: SerdeFeature = fallback ? 'WRAP_SINGLES' : 'UNWRAP_SINGLES';
  return supports(feature) ? [feature] : [];
}
