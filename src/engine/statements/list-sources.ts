/** SHOW STREAMS and SHOW TABLES (their EXTENDED forms are DESCRIBE STREAMS|TABLES EXTENDED, describe-source.ts). */
import type { StatementOfKind } from '../../parser/ast/statement.js';
import type { EnginePorts } from '../engine-ports.js';
import { summarizeSource, type KsqlEntity } from '../entities.js';

export function listSources(stmt: StatementOfKind<'ListStreams' | 'ListTables'>, { catalog }: Pick<EnginePorts, 'catalog'>): KsqlEntity {
  const kind = stmt.kind === 'ListStreams' ? 'STREAM' : 'TABLE';
  const list = catalog.metastore.listSources().filter((s) => s.kind === kind).map(summarizeSource);
  return kind === 'STREAM'
    ? { '@type': 'streams', statementText: stmt.text, streams: list, warnings: [] }
    : { '@type': 'tables', statementText: stmt.text, tables: list, warnings: [] };
}
