/**
 * `destroy-metadata`: terminates the query that fills the metadata table and
 * drops the table and the stream with their topics. What the migrations did
 * stays; a missing table or stream is skipped.
 */
import type { Entity, KsqlClient } from '../cli/ksql-client.js';
import type { MigrationConfig } from './migration-config.js';
import { MigrationError } from './migration-error.js';
import type { Output } from './output.js';

export async function destroyMetadata(config: MigrationConfig, client: KsqlClient, out: Output): Promise<void> {
  out.info('Cleaning migrations metadata stream and table from ksqlDB server');
  const table = config.tableName;
  if (await sourceExists(client, 'table', table)) {
    const description = await run(client, `DESCRIBE ${table};`, `Failed to describe metadata table '${table}'`);
    const writers = ((description[0]?.sourceDescription?.writeQueries ?? []) as { id: string }[]).map((query) => query.id);
    if (writers.length > 1) throw new MigrationError(`Found multiple queries writing to the metadata table. Query IDs: '${writers.join("', '")}'.`);
    if (writers.length === 0) out.info('Found 0 queries writing to the metadata table');
    else {
      const queryId = writers[0]!;
      out.info(`Found 1 query writing to the metadata table. Query ID: ${queryId}`);
      out.info(`Terminating query with ID: ${queryId}`);
      await run(client, `TERMINATE ${queryId};`, `Failed to terminate query populating metadata table. Query ID: ${queryId}`);
    }
    out.info(`Dropping migrations metadata table: ${table}`);
    await run(client, `DROP TABLE ${table} DELETE TOPIC;`, `Failed to drop metadata table '${table}'`);
  } else {
    out.info('Metadata table does not exist. Skipping cleanup.');
  }
  const stream = config.streamName;
  if (await sourceExists(client, 'stream', stream)) {
    out.info(`Dropping migrations metadata stream: ${stream}`);
    await run(client, `DROP STREAM ${stream} DELETE TOPIC;`, `Failed to drop metadata stream '${stream}'`);
  } else {
    out.info('Metadata stream does not exist. Skipping cleanup.');
  }
  out.info('Migrations metadata cleaned successfully');
}

async function sourceExists(client: KsqlClient, kind: 'stream' | 'table', name: string): Promise<boolean> {
  const entities = await run(client, kind === 'table' ? 'SHOW TABLES;' : 'SHOW STREAMS;', `Failed to check for presence of metadata ${kind} '${name}'`);
  const sources = (entities[0]?.[kind === 'table' ? 'tables' : 'streams'] ?? []) as { name: string }[];
  return sources.some((source) => source.name.toUpperCase() === name.toUpperCase());
}

async function run(client: KsqlClient, sql: string, failure: string): Promise<Entity[]> {
  const result = await client.execute(sql, { properties: {}, variables: {} });
  if (result.kind === 'error') throw new MigrationError(`${failure}: ${result.error.message}`);
  return result.entities;
}
