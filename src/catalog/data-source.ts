/** A stream or table in the metastore: its schema, topic, formats and origin. */
import type { FormatProperties, SerdeFeature } from '../formats/serde.js';
import type { LogicalSchema } from '../schema/logical-schema.js';

export type SourceKind = 'STREAM' | 'TABLE';

/** A key or value format with its options and resolved serde features. */
export interface FormatInfo {
  readonly format: string;
  readonly properties: FormatProperties;
  readonly features: readonly SerdeFeature[];
}

export type WindowType = 'TUMBLING' | 'HOPPING' | 'SESSION';

/** The window of a windowed source's keys. */
export interface WindowInfo {
  readonly type: WindowType;
  /** Window size in ms (TUMBLING and HOPPING). */
  readonly sizeMs: number | undefined;
  /** Beyond ksqlDB: windows of whole local days in this zone (their ends follow from their starts). */
  readonly timeZone?: string;
}

export interface TimestampColumn {
  readonly column: string;
  /** A java.time pattern for STRING timestamp columns. */
  readonly format: string | undefined;
}

export interface DataSource {
  readonly kind: SourceKind;
  readonly name: string;
  readonly schema: LogicalSchema;
  readonly topic: string;
  readonly keyFormat: FormatInfo;
  readonly valueFormat: FormatInfo;
  readonly window: WindowInfo | undefined;
  readonly timestampColumn: TimestampColumn | undefined;
  /** CREATE SOURCE STREAM/TABLE: read-only. */
  readonly isSource: boolean;
  /** The statement that created it, as written. */
  readonly statementText: string;
  /** The persistent query (CSAS/CTAS) that writes it, if any. */
  readonly writerQueryId: string | undefined;
}

export function describeSourceKind(kind: SourceKind): string {
  return kind === 'STREAM' ? 'stream' : 'table';
}
