/** DROP STREAM and DROP TABLE [IF EXISTS] [DELETE TOPIC]. */
import { describeSourceKind } from '../../catalog/data-source.js';
import { statementError } from '../../common/errors.js';
import { andThen, type MaybeAsync } from '../../common/maybe-async.js';
import type { StatementOfKind } from '../../parser/ast/statement.js';
import type { EnginePorts } from '../engine-ports.js';
import { currentStatus, type KsqlEntity } from '../entities.js';

export function dropSource(stmt: StatementOfKind<'DropStream'> | StatementOfKind<'DropTable'>, ports: Pick<EnginePorts, 'catalog' | 'log' | 'runner'>): MaybeAsync<KsqlEntity> {
  const kind = stmt.kind === 'DropStream' ? 'STREAM' : 'TABLE';
  const word = kind === 'STREAM' ? 'Stream' : 'Table';
  const commandId = `${describeSourceKind(kind)}/\`${stmt.name}\`/drop`;
  const source = ports.catalog.metastore.getSource(stmt.name);
  if (!source) {
    // ksqlDB runs the drop command anyway, which answers in its own words.
    if (stmt.ifExists) return currentStatus(stmt.text, commandId, `Source \`${stmt.name}\` does not exist.`, -1);
    throw statementError(`${word} ${stmt.name} does not exist.`);
  }
  if (source.kind !== kind) {
    throw statementError(`Incompatible data source type is ${source.kind}, but statement was DROP ${kind}`);
  }
  if (stmt.deleteTopic && source.isSource) throw statementError(`Cannot delete topic for read-only source: ${source.name}`);
  const { readers, writers } = ports.runner.queriesUsing(source.name);
  const blocking = writers.filter((w) => w !== source.writerQueryId);
  if (readers.length > 0 || blocking.length > 0) {
    throw statementError(
      `Cannot drop ${source.name}.\nThe following queries read from this source: [${readers.join(', ')}].\n` +
      `The following queries write into this source: [${blocking.join(', ')}].\nYou need to terminate them before dropping ${source.name}.`,
    );
  }
  return andThen(ports.log.commit({ kind: 'DropSource', statement: stmt.text, name: source.name, deleteTopic: stmt.deleteTopic }),
    (seq) => currentStatus(stmt.text, commandId, `Source \`${source.name}\` (topic: ${source.topic}) was dropped.`, seq));
}
