/** ALTER STREAM|TABLE ... ADD COLUMN: the source is declared again with the new value columns. */
import { describeSourceKind } from '../../catalog/data-source.js';
import type { StatementOfKind } from '../../parser/ast/statement.js';
import type { EnginePorts } from '../engine-ports.js';
import { currentStatus, type KsqlEntity } from '../entities.js';
import { alterSource } from '../source-ddl.js';

export function alterSourceStatement(stmt: StatementOfKind<'AlterSource'>, { catalog, log }: Pick<EnginePorts, 'catalog' | 'log'>): KsqlEntity {
  const source = alterSource(stmt, catalog.metastore);
  const seq = log.commit({ kind: 'CreateSource', statement: stmt.text, source });
  const kind = describeSourceKind(source.kind);
  return currentStatus(stmt.text, `${kind}/\`${source.name}\`/alter`, `${kind === 'stream' ? 'Stream' : 'Table'} ${source.name} altered.`, seq);
}
