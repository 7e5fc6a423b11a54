/** DROP STREAM and DROP TABLE [IF EXISTS] [DELETE TOPIC]. */
import { describeSourceKind } from '../../catalog/data-source.js';
import { statementError } from '../../common/errors.js';
import { andThen, type MaybeAsync } from '../../common/maybe-async.js';
import type { StatementOfKind } from '../../parser/ast/statement.js';
import { quoteIdentifier } from '../../schema/sql-type.js';
import type { EnginePorts } from '../engine-ports.js';
import { currentStatus, type KsqlEntity } from '../entities.js';
import { sourceNameHint } from '../source-name-hint.js';

export function dropSource(stmt: StatementOfKind<'DropStream'> | StatementOfKind<'DropTable'>, ports: Pick<EnginePorts, 'catalog' | 'log' | 'runner'>): MaybeAsync<KsqlEntity> {
  const kind = stmt.kind === 'DropStream' ? 'STREAM' : 'TABLE';
  const word = kind === 'STREAM' ? 'Stream' : 'Table';
  const commandId = `${describeSourceKind(kind)}/\`${stmt.name}\`/drop`;
  const source = ports.catalog.metastore.getSource(stmt.name);
  if (!source) {
    // ksqlDB runs the drop anyway, and its DDL answers for the missing source.
    if (stmt.ifExists) return currentStatus(stmt.text, commandId, `Source ${quoteIdentifier(stmt.name)} does not exist.`, -1);
    throw statementError(`${word} ${stmt.name} does not exist.${sourceNameHint(ports.catalog.metastore, stmt.name, kind)}`);
  }
  // DELETE TOPIC is checked first, as ksqlDB's TopicDeleteInjector does before the drop is planned.
  if (stmt.deleteTopic) {
    if (source.isSource) throw statementError(`Cannot delete topic for read-only source: ${source.name}`);
    const sharing = ports.catalog.metastore.sourcesOnTopic(source.topic).map((s) => s.name).filter((n) => n !== source.name).sort();
    if (sharing.length > 0) {
      throw statementError(`Refusing to delete topic. Found other data sources (${sharing.join(', ')}) using topic ${source.topic}`);
    }
  }
  if (source.kind !== kind) {
    throw statementError(`Incompatible data source type is ${describeSourceKind(source.kind)}, but statement was DROP ${describeSourceKind(kind)}`);
  }
  // As ksqlDB checks: first the INSERT INTO queries, then the CREATE ... AS SELECT sinks that read the source.
  const { readers, writers } = ports.runner.queriesUsing(source.name);
  const inserts = (ids: readonly string[]): string[] => ids.filter((id) => ports.runner.getQuery(id)?.command.sink === undefined).sort();
  if (inserts(readers).length > 0 || inserts(writers).length > 0) {
    throw statementError(
      `Cannot drop ${source.name}.\nThe following queries read from this source: [${inserts(readers).join(', ')}].\n` +
      `The following queries write into this source: [${inserts(writers).join(', ')}].\nYou need to terminate them before dropping ${source.name}.`,
    );
  }
  const readingSinks = ports.catalog.metastore.sourcesReading(source.name);
  if (readingSinks.length > 0) {
    throw statementError(
      `Cannot drop ${source.name}.\nThe following streams and/or tables read from this source: [${readingSinks.join(', ')}].\n` +
      `You need to drop them before dropping ${source.name}.`,
    );
  }
  return andThen(ports.log.commit({ kind: 'DropSource', statement: stmt.text, name: source.name, deleteTopic: stmt.deleteTopic }),
    (seq) => currentStatus(stmt.text, commandId, `Source \`${source.name}\` (topic: ${source.topic}) was dropped.`, seq));
}
