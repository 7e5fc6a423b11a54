/**
 * What the analyzer knows of a source: its name, kind, schema and window,
 * and for a join (which the rest of a query reads as one source) the shape
 * join-analyzer.ts worked out.
 */
import type { Expression } from '../parser/ast/expression.js';
import type { JoinType } from '../parser/ast/query.js';
import type { Column, LogicalSchema } from '../schema/logical-schema.js';

/** What the analyzer needs to know of a source. */
export interface SourceInfo {
  readonly name: string;
  readonly kind: 'STREAM' | 'TABLE';
  readonly schema: LogicalSchema;
  readonly windowed: boolean;
  /** The window's type and size, when windowed (for join checks). */
  readonly windowType?: string;
  readonly windowSizeMs?: number | undefined;
  /**
   * The key format reads its schema from a registry (AVRO, JSON_SR,
   * PROTOBUF): a join's sides are then repartitioned whatever their key,
   * windowed streams too (join-key-format.ts).
   */
  readonly keyFromRegistry?: boolean;
  /** Set when the source is a join (see join-analyzer.ts). */
  readonly join?: AnalyzedJoin;
}

export type JoinKind = 'StreamStreamJoin' | 'StreamTableJoin' | 'TableTableJoin' | 'ForeignKeyTableTableJoin';

/** One side of a join: its source, alias and join expression (over its own columns, unqualified). */
export interface JoinSide {
  readonly source: SourceInfo;
  readonly alias: string;
  readonly expression: Expression;
  /** Whether the join expression is not the source's key, so the side must be re-keyed and repartitioned. */
  readonly rekey: boolean;
  /** Set when this side is an earlier join of an n-way join (`source` is then that join's result). */
  readonly join?: AnalyzedJoin | undefined;
}

export interface JoinWindowSpec {
  readonly beforeMs: number;
  readonly afterMs: number;
  readonly graceMs: number | undefined;
}

export interface AnalyzedJoin {
  readonly kind: JoinKind;
  readonly joinType: JoinType;
  readonly left: JoinSide;
  readonly right: JoinSide;
  readonly window: JoinWindowSpec | undefined;
  /** The join's key column (a source column's ALIAS_NAME, or a synthetic ROWKEY). */
  readonly keyColumn: Column;
  readonly synthetic: boolean;
  /** Set for a foreign-key table-table join: the left table's alias (whose key the result keeps). */
  readonly foreignKeyOf?: string | undefined;
  /** The joined columns' names, in ksqlDB's order, that name the key when projected. */
  readonly keyAliases: readonly string[];
  /** The join expressions as written, for messages about a missing key. */
  readonly keyExpressionsText: readonly string[];
  /** The expressions over the joined columns whose value is the join key: a later join on one of them needs no repartition. */
  readonly keyExpressions: readonly Expression[];
  /** The joined schema: the key, then each side's (prefixed) key and value columns, the key column itself left out. */
  readonly schema: LogicalSchema;
  /** Every source joined, in written order. */
  readonly sources: readonly { readonly alias: string; readonly source: SourceInfo }[];
}
