/**
 * The partition check of a join: a join task reads partition N of both
 * sides' topics, so a join's right source must have as many partitions as
 * the left source, which partitions its result (ksqlDB's message when it
 * does not). A foreign-key join reaches its right table through
 * subscription topics (plan-graph.ts), so its right source may have any.
 */
import { statementError } from '../common/errors.js';
import type { AnalyzedJoin } from '../analyzer/analyzed-source.js';
import type { DataSource } from '../catalog/data-source.js';

/** `sources` are the join's sources in written order; `partitions` gives each one's partition count. */
export function checkJoinPartitions(join: AnalyzedJoin, sources: readonly DataSource[], partitions: (source: DataSource) => number): void {
  const left = sources[0]!;
  const leftAlias = join.sources[0]!.alias;
  const check = (j: AnalyzedJoin): void => {
    if (j.left.join !== undefined) check(j.left.join);
    if (j.kind === 'ForeignKeyTableTableJoin') return;
    const i = join.sources.findIndex((s) => s.alias === j.right.alias);
    const right = sources[i]!;
    if (partitions(right) === partitions(left)) return;
    const alias = join.sources[i]!.alias;
    throw statementError(`Can't join \`${leftAlias}\` with \`${alias}\` since the number of partitions don't match. `
      + `\`${leftAlias}\` partitions = ${partitions(left)}; \`${alias}\` partitions = ${partitions(right)}. `
      + 'Please repartition either one so that the number of partitions match.');
  };
  check(join);
}
