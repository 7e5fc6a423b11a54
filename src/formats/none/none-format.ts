/**
 * The NONE format: marks a key (or value) that is not deserialized at all.
 * It takes no columns; it writes null and ignores the bytes it reads
 * (a non-null payload reads as the empty row, null stays null).
 */
import { formatColumnList } from '../columns-text.js';
import type { FormatDefinition, Serde, SerdeFeature } from '../serde.js';

const FORMAT = 'NONE';

export const NONE_FORMAT: FormatDefinition = {
  name: FORMAT,
  supportedFeatures: new Set<SerdeFeature>(),
  supportedProperties: new Set<string>(),
  checkColumns(columns, target) {
    if (columns.length === 0) return undefined;
    return `The '${FORMAT}' format can only be used when no columns are defined. Got: ${formatColumnList(columns, target)}`;
  },
  createSerde() {
    return createVoidSerde();
  },
};

/** A serde for no columns: writes null, reads any payload as the empty row. */
export function createVoidSerde(): Serde {
  return {
    serialize: () => null,
    deserialize: (bytes) => (bytes === null ? null : []),
  };
}
