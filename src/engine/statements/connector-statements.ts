/**
 * The connector statements (CREATE/DROP/DESCRIBE CONNECTOR, SHOW CONNECTORS,
 * SHOW CONNECTOR PLUGINS). ksqlite has no Kafka Connect client, so each
 * answers what ksqlDB answers when its Connect cluster (`ksql.connect.url`,
 * by default http://localhost:8083) cannot be reached: a server error whose
 * message is the chain of its client's exceptions, the connection failure
 * last, wrapped at 80 columns as ksqlDB's error text wraps its causes.
 */
import { KsqlError } from '../../common/errors.js';
import type { EnginePorts } from '../engine-ports.js';
import type { Session } from '../session.js';

const CONNECTION_FAILURE = 'Caused by: Could not connect to the server. Please check the server details are\n\tcorrect and that the server is running.';

export function connectorStatement(_stmt: unknown, ports: Pick<EnginePorts, 'config'>, session: Session): never {
  const config = ports.config.withOverrides(session.properties);
  const url = config.getString('ksql.connect.url') ?? 'http://localhost:8083';
  throw new KsqlError(
    'CONNECT_UNREACHABLE',
    `io.confluent.ksql.util.KsqlServerException: org.apache.hc.client5.http.HttpHostConnectException: Connect to ${url} failed: Connection refused\n${CONNECTION_FAILURE}`,
  );
}
