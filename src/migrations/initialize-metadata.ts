/**
 * `initialize-metadata`: creates the metadata stream (one partition, JSON,
 * ksqlDB's columns) and the table of each version key's latest row.
 */
import type { KsqlClient } from '../cli/ksql-client.js';
import type { MigrationConfig } from './migration-config.js';
import { MigrationError } from './migration-error.js';
import type { Output } from './output.js';

export async function initializeMetadata(config: MigrationConfig, client: KsqlClient, out: Output): Promise<void> {
  const serviceId = (await client.info()).ksqlServiceId;
  const stream = config.streamName;
  const table = config.tableName;
  const createStream = [
    `CREATE STREAM ${stream} (`,
    '  VERSION_KEY  STRING KEY,',
    '  VERSION      STRING,',
    '  NAME         STRING,',
    '  STATE        STRING,',
    '  CHECKSUM     STRING,',
    '  STARTED_ON   STRING,',
    '  COMPLETED_ON STRING,',
    '  PREVIOUS     STRING,',
    '  ERROR_REASON STRING',
    `) WITH (KAFKA_TOPIC='${config.streamTopic(serviceId)}', VALUE_FORMAT='JSON', PARTITIONS=1, REPLICAS=${config.replicas});`,
  ].join('\n');
  const latest = ['VERSION', 'NAME', 'STATE', 'CHECKSUM', 'STARTED_ON', 'COMPLETED_ON', 'PREVIOUS', 'ERROR_REASON'].map((column) => `  LATEST_BY_OFFSET(${column}) AS ${column}`);
  const createTable = [
    `CREATE TABLE ${table} WITH (KAFKA_TOPIC='${config.tableTopic(serviceId)}') AS SELECT`,
    '  VERSION_KEY,',
    latest.join(',\n'),
    `FROM ${stream}`,
    'GROUP BY VERSION_KEY;',
  ].join('\n');
  for (const [kind, name, sql] of [['stream', stream, createStream], ['table', table, createTable]] as const) {
    out.info(`Creating ${kind}: ${name}`);
    const result = await client.execute(sql, { properties: {}, variables: {} });
    if (result.kind === 'error') throw new MigrationError(`Failed to create ${kind} ${name}: ${result.error.message}`);
  }
  out.info('Migrations metadata initialized successfully');
}
