/** CREATE STREAM and CREATE TABLE (with or without columns, SOURCE, OR REPLACE, IF NOT EXISTS). */
import { describeSourceKind } from '../../catalog/data-source.js';
import { alreadyExists, sourceExistsError } from '../../catalog/metastore.js';
import { statementError } from '../../common/errors.js';
import { andThen, type MaybeAsync } from '../../common/maybe-async.js';
import type { StatementOfKind } from '../../parser/ast/statement.js';
import type { EnginePorts } from '../engine-ports.js';
import { currentStatus, type KsqlEntity } from '../entities.js';
import { registerSourceSchemas } from '../schema-registration.js';
import type { Session } from '../session.js';
import { checkDuplicateColumns, declareSource } from '../source-ddl.js';
import { checkSourceUpgrade } from '../source-upgrade.js';

export function createSource(stmt: StatementOfKind<'CreateStream'> | StatementOfKind<'CreateTable'>, ports: Pick<EnginePorts, 'catalog' | 'log' | 'config'>, session: Session): MaybeAsync<KsqlEntity> {
  checkDuplicateColumns(stmt);
  const kind = stmt.kind === 'CreateStream' ? 'STREAM' : 'TABLE';
  const commandId = `${describeSourceKind(kind)}/\`${stmt.name}\`/create`;
  if (stmt.orReplace && stmt.isSource) {
    throw statementError(`Cannot add ${describeSourceKind(kind)} '${stmt.name}': CREATE OR REPLACE is not supported on source ${describeSourceKind(kind)}s.`);
  }
  const existing = ports.catalog.metastore.getSource(stmt.name);
  if (stmt.orReplace && (stmt.isSource || existing?.isSource === true)) {
    throw statementError(`Cannot add ${describeSourceKind(kind)} '${stmt.name}': CREATE OR REPLACE is not supported on source ${describeSourceKind(kind)}s.`);
  }
  if (existing !== undefined) {
    if (stmt.ifNotExists) {
      return currentStatus(stmt.text, commandId, alreadyExists(kind, existing), -1);
    }
    if (!stmt.orReplace) throw sourceExistsError(kind, existing, stmt.name);
  }
  const config = ports.config.withOverrides(session.properties);
  const declared = declareSource(stmt, ports.catalog.metastore, config, ports.catalog.schemaRegistry);
  const { topic } = declared;
  // A replaced source keeps the query that writes it, if any.
  const source = existing === undefined ? declared.source : { ...declared.source, writerQueryId: existing.writerQueryId };
  if (existing !== undefined) checkSourceUpgrade(existing, source);
  registerSourceSchemas(source, ports.catalog.schemaRegistry, declared.inferred, false);
  return andThen(ports.log.ensureTopic(topic.name, topic.partitions, topic.config, describeSourceKind(kind), stmt.name),
    () => andThen(ports.log.commit({ kind: 'CreateSource', statement: stmt.text, source }),
      (seq) => currentStatus(stmt.text, commandId, kind === 'STREAM' ? 'Stream created' : 'Table created', seq)));
}
