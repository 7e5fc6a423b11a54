/** SELECT and PRINT stream their results: /ksql refuses them and names the endpoint, as ksqlDB does. */
import { KsqlError } from '../../common/errors.js';
import type { StatementOfKind } from '../../parser/ast/statement.js';

export function queryEndpointOnly(_stmt: StatementOfKind<'QueryStatement' | 'PrintTopic'>): never {
  throw new KsqlError('QUERY_ENDPOINT', "The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT");
}
