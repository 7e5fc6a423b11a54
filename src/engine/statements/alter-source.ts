/** ALTER STREAM|TABLE ... ADD COLUMN: the source is declared again with the new value columns. */
import { describeSourceKind } from '../../catalog/data-source.js';
import { andThen, type MaybeAsync } from '../../common/maybe-async.js';
import type { StatementOfKind } from '../../parser/ast/statement.js';
import type { EnginePorts } from '../engine-ports.js';
import { currentStatus, type KsqlEntity } from '../entities.js';
import { alterSource } from '../source-ddl.js';

export function alterSourceStatement(stmt: StatementOfKind<'AlterSource'>, { catalog, log }: Pick<EnginePorts, 'catalog' | 'log'>): MaybeAsync<KsqlEntity> {
  const source = alterSource(stmt, catalog.metastore);
  const kind = describeSourceKind(source.kind);
  return andThen(log.commit({ kind: 'CreateSource', statement: stmt.text, source }),
    (seq) => currentStatus(stmt.text, `${kind}/\`${source.name}\`/alter`, `${kind === 'stream' ? 'Stream' : 'Table'} ${source.name} altered.`, seq));
}
