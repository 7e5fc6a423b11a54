/** The parts of a SELECT: select items, relations and joins, windows. */
import type { Duration } from './duration.js';
import type { Expression } from './expression.js';
import type { SourceLocation } from './location.js';

/** `expr [AS alias]`. */
export interface SelectColumn {
  readonly kind: 'SelectColumn';
  readonly expression: Expression;
  readonly alias: string | undefined;
  readonly location: SourceLocation;
}

/** `*`, or `src.*` when `source` is set. */
export interface SelectAll {
  readonly kind: 'SelectAll';
  readonly source: string | undefined;
  readonly location: SourceLocation;
}

/** `struct->*`: every field of a struct as its own column. */
export interface SelectStructAll {
  readonly kind: 'SelectStructAll';
  readonly base: Expression;
  readonly location: SourceLocation;
}

export type SelectItem = SelectColumn | SelectAll | SelectStructAll;

/** A source named in FROM or JOIN, with its optional alias. */
export interface AliasedSource {
  readonly kind: 'AliasedSource';
  readonly name: string;
  readonly alias: string | undefined;
  readonly location: SourceLocation;
}

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';

/**
 * `WITHIN n unit` (`before` = `after`, `symmetric` true) or
 * `WITHIN (before, after)`, with an optional GRACE PERIOD.
 */
export interface JoinWindow {
  readonly kind: 'JoinWindow';
  readonly before: Duration;
  readonly after: Duration;
  readonly symmetric: boolean;
  readonly grace: Duration | undefined;
  readonly location: SourceLocation;
}

/** One `[type] JOIN source [WITHIN ...] ON condition`. */
export interface JoinedSource {
  readonly kind: 'JoinedSource';
  readonly joinType: JoinType;
  readonly source: AliasedSource;
  readonly within: JoinWindow | undefined;
  readonly on: Expression;
  readonly location: SourceLocation;
}

/** `left JOIN a ... JOIN b ...`: n-way joins in written order (ksqlDB plans them left-deep). */
export interface Join {
  readonly kind: 'Join';
  readonly left: AliasedSource;
  readonly joins: readonly JoinedSource[];
  readonly location: SourceLocation;
}

export type Relation = AliasedSource | Join;

export interface TumblingWindow {
  readonly kind: 'TumblingWindow';
  readonly size: Duration;
  readonly retention: Duration | undefined;
  readonly grace: Duration | undefined;
  /** Beyond ksqlDB: TIMEZONE = 'zone', windows aligned to its local days. */
  readonly timeZone?: string;
  readonly location: SourceLocation;
}

export interface HoppingWindow {
  readonly kind: 'HoppingWindow';
  readonly size: Duration;
  readonly advance: Duration;
  readonly retention: Duration | undefined;
  readonly grace: Duration | undefined;
  /** Beyond ksqlDB: TIMEZONE = 'zone', windows aligned to its local days. */
  readonly timeZone?: string;
  readonly location: SourceLocation;
}

export interface SessionWindow {
  readonly kind: 'SessionWindow';
  readonly gap: Duration;
  readonly retention: Duration | undefined;
  readonly grace: Duration | undefined;
  /** Beyond ksqlDB: TIMEZONE = 'zone', windows aligned to its local days. */
  readonly timeZone?: string;
  readonly location: SourceLocation;
}

export type WindowExpression = TumblingWindow | HoppingWindow | SessionWindow;

/** EMIT CHANGES (push), EMIT FINAL (push, on window close), or none (pull, unless in CREATE ... AS / INSERT INTO). */
export type EmitMode = 'CHANGES' | 'FINAL';

export interface Query {
  readonly kind: 'Query';
  readonly select: readonly SelectItem[];
  readonly from: Relation;
  readonly window: WindowExpression | undefined;
  readonly where: Expression | undefined;
  /** Undefined without GROUP BY; `[]` for `GROUP BY ()`. */
  readonly groupBy: readonly Expression[] | undefined;
  /** Undefined without PARTITION BY; `[]` for `PARTITION BY ()`. */
  readonly partitionBy: readonly Expression[] | undefined;
  readonly having: Expression | undefined;
  readonly emit: EmitMode | undefined;
  /** ORDER BY items, `[]` without ORDER BY (pull queries only: beyond ksqlDB). */
  readonly orderBy: readonly SortItem[];
  readonly limit: number | undefined;
  /** LIMIT n OFFSET m: rows skipped before the limit (pull queries only). */
  readonly offset: number | undefined;
  readonly location: SourceLocation;
}

/** `expression [ASC|DESC] [NULLS FIRST|LAST]`; `nullsFirst` undefined: as SQL's default for the direction. */
export interface SortItem {
  readonly expression: Expression;
  readonly descending: boolean;
  readonly nullsFirst: boolean | undefined;
  readonly location: SourceLocation;
}
