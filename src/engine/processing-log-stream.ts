/**
 * `ksql.logging.processing.stream.auto.create`: when the server starts and
 * no source has the processing log stream's name, it declares that stream
 * over the processing log topic with ksqlDB's schema of the records
 * (processing-log.ts writes them), through the command log like any
 * statement. As in ksqlDB, a failure is logged and the server starts anyway.
 */
import { createLogger } from '../common/logger.js';
import type { KsqlEngine } from './engine.js';

const log = createLogger('processing-log-stream');

const CAUSE = 'cause ARRAY<VARCHAR>';
const MESSAGE_TYPE = 'STRUCT<'
  + 'type INT, '
  + `deserializationError STRUCT<target VARCHAR, errorMessage VARCHAR, recordB64 VARCHAR, ${CAUSE}, \`topic\` VARCHAR>, `
  + `recordProcessingError STRUCT<errorMessage VARCHAR, record VARCHAR, ${CAUSE}>, `
  + 'productionError STRUCT<errorMessage VARCHAR>, '
  + `serializationError STRUCT<target VARCHAR, errorMessage VARCHAR, record VARCHAR, ${CAUSE}, \`topic\` VARCHAR>, `
  + `kafkaStreamsThreadError STRUCT<errorMessage VARCHAR, threadName VARCHAR, ${CAUSE}>`
  + '>';

/** The statement that declares the processing log stream `name` over `topic`. */
export function processingLogStreamStatement(name: string, topic: string): string {
  return `CREATE STREAM ${name} (logger VARCHAR, level VARCHAR, time BIGINT, message ${MESSAGE_TYPE}) `
    + `WITH(KAFKA_TOPIC='${topic.replace(/'/g, "''")}', VALUE_FORMAT='JSON', KEY_FORMAT='KAFKA');`;
}

export async function maybeCreateProcessingLogStream(engine: KsqlEngine): Promise<void> {
  const { config } = engine;
  if (config.getBoolean('ksql.logging.processing.stream.auto.create') !== true) return;
  const name = config.getString('ksql.logging.processing.stream.name') ?? 'KSQL_PROCESSING_LOG';
  if (engine.metastore.listSources().some((s) => s.name === name.toUpperCase())) return;
  try {
    await engine.executeAsync(processingLogStreamStatement(name, config.processingLogTopic));
    log.info({ stream: name }, 'created the processing log stream');
  } catch (error) {
    log.warn({ err: error, stream: name }, 'could not create the processing log stream');
  }
}
