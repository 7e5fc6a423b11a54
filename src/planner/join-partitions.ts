/**
 * The partition check of a join: a join task reads partition N of every
 * side's topic, so the sources must have as many partitions each (ksqlDB's
 * message when they do not). A foreign key may name a right key in any
 * partition, so a foreign-key join (at any level of an n-way join) needs
 * single-partition sources, or rows would silently miss their match.
 */
import { statementError } from '../common/errors.js';
import type { AnalyzedJoin } from '../analyzer/analyzed-source.js';
import type { DataSource } from '../catalog/data-source.js';

/** `sources` are the join's sources in written order; `partitions` gives each one's partition count. */
export function checkJoinPartitions(join: AnalyzedJoin, sources: readonly DataSource[], partitions: (source: DataSource) => number): void {
  const [left] = sources;
  const leftAlias = join.sources[0]!.alias;
  if (hasForeignKeyJoin(join) && sources.some((s) => partitions(s) > 1)) {
    throw statementError('Foreign-key joins of tables with more than one partition are not supported yet: '
      + join.sources.map((s, i) => `\`${s.alias}\` partitions = ${partitions(sources[i]!)}`).join('; ') + '.');
  }
  sources.forEach((s, i) => {
    if (partitions(s) === partitions(left!)) return;
    const alias = join.sources[i]!.alias;
    throw statementError(`Can't join \`${leftAlias}\` with \`${alias}\` since the number of partitions don't match. `
      + `\`${leftAlias}\` partitions = ${partitions(left!)}; \`${alias}\` partitions = ${partitions(s)}. `
      + 'Please repartition either one so that the number of partitions match.');
  });
}

/** Whether a join, or an earlier join of an n-way join, is a foreign-key join. */
function hasForeignKeyJoin(join: AnalyzedJoin): boolean {
  return join.kind === 'ForeignKeyTableTableJoin' || (join.left.join !== undefined && hasForeignKeyJoin(join.left.join));
}
