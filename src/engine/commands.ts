/**
 * Commands: the effects of executed statements, appended to the command log
 * topic and applied again, in order, on every start. A command holds what a
 * statement decided (the checked source, the planned steps, the query id),
 * so replay never re-analyzes SQL and always rebuilds the same queries.
 */
import type { QueryPlan } from '../planner/steps.js';
import type { SqlType } from '../schema/sql-type.js';
import type { DataSource } from '../catalog/data-source.js';

export type Command =
  | { readonly kind: 'CreateSource'; readonly statement: string; readonly source: DataSource }
  /**
   * CSAS / CTAS (with the sink it declares) and INSERT INTO ... SELECT
   * (without). A plan whose query id is taken (CREATE OR REPLACE) replaces
   * that query in place: same consumer group, state stores and internal topics.
   */
  | {
      readonly kind: 'CreateQuery';
      readonly statement: string;
      readonly sink: DataSource | undefined;
      readonly plan: QueryPlan;
      /** The properties the query runs with (auto.offset.reset, ...). */
      readonly properties: Record<string, string | number | boolean>;
    }
  | { readonly kind: 'DropSource'; readonly statement: string; readonly name: string; readonly deleteTopic: boolean }
  | { readonly kind: 'TerminateQuery'; readonly statement: string; readonly queryId: string }
  /** PAUSE and RESUME of a persistent query: replayed too, so a paused query stays paused across restarts. */
  | { readonly kind: 'PauseQuery' | 'ResumeQuery'; readonly statement: string; readonly queryId: string }
  | { readonly kind: 'CreateType'; readonly statement: string; readonly name: string; readonly type: SqlType }
  | { readonly kind: 'DropType'; readonly statement: string; readonly name: string };

export type CommandKind = Command['kind'];

/** The command that starts a persistent query. */
export type QueryCommand = Extract<Command, { kind: 'CreateQuery' }>;
