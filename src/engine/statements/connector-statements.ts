/**
 * CREATE, DROP and DESCRIBE CONNECTOR, SHOW CONNECTORS and SHOW CONNECTOR
 * PLUGINS. ksqlite has no Kafka Connect cluster to send them to: it answers
 * as ksqlDB does when its Connect cluster cannot be reached, with a server
 * error (50000) saying so.
 */
import { KsqlError } from '../../common/errors.js';
import type { StatementOfKind } from '../../parser/ast/statement.js';

type ConnectorStatement = StatementOfKind<'CreateConnector' | 'DropConnector' | 'DescribeConnector' | 'ListConnectors' | 'ListConnectorPlugins'>;

const WHAT: Readonly<Record<ConnectorStatement['kind'], string>> = {
  CreateConnector: 'create the connector',
  DropConnector: 'drop the connector',
  DescribeConnector: 'describe the connector',
  ListConnectors: 'list connectors',
  ListConnectorPlugins: 'list connector plugins',
};

export function connectorStatement(stmt: ConnectorStatement): never {
  throw new KsqlError('CONNECT_UNAVAILABLE',
    `Could not ${WHAT[stmt.kind]}: this server has no Kafka Connect cluster to connect to (connectors are not supported by ksqlite).`);
}
