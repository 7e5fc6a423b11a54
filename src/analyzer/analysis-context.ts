/** What an analysis reads of the catalog: sources, types and functions, and the sink it writes. */
import type { FunctionRegistry } from '../functions/registry.js';
import type { SqlType } from '../schema/sql-type.js';
import type { SourceInfo } from './analyzed-source.js';

export interface AnalysisContext {
  readonly lookupSource: (name: string) => SourceInfo | undefined;
  readonly lookupType: (name: string) => SqlType | undefined;
  readonly functions: FunctionRegistry;
  /** The sink's name for CREATE ... AS and INSERT INTO; undefined for transient queries. */
  readonly sinkName: string | undefined;
  /** The format names the sink's WITH clause gives (FORMAT, KEY_FORMAT, VALUE_FORMAT): each must be a known format. */
  readonly sinkFormatNames?: readonly string[];
  /** The TIMESTAMP column the sink's WITH clause names: it must be one of the projected columns. */
  readonly sinkTimestampColumn?: string;
  /** `ksql.suppress.enabled` (default true): whether EMIT FINAL may be planned. */
  readonly suppressEnabled?: boolean;
  /** `ksql.new.query.planner.enabled`: ksqlDB's experimental planner plans persistent queries (projections of a stream only). */
  readonly newPlanner?: boolean;
  /** Over a join's rewrite: its PARTITION BY expressions as written, each column qualified by its source. */
  readonly partitionByText?: readonly string[];
}
