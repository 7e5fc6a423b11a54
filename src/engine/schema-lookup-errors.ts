/**
 * ksqlDB's texts when the columns of a side cannot come from the Schema
 * Registry (its SchemaRegistryTopicSchemaSupplier): no schema under the
 * topic's subject or with the id the statement names, with the list of
 * possible causes, and a registered schema of another type than the format.
 */
import { statementError, type KsqlError } from '../common/errors.js';
import { subjectOf, type SerdeTarget } from '../formats/index.js';

const SR_DOCS = 'https://docs.confluent.io/current/schema-registry/docs/';

export function schemaNotFoundError(target: SerdeTarget, topic: string, schemaId?: number): KsqlError {
  const lines = [
    `Schema for message ${target === 'key' ? 'keys' : 'values'} on topic '${topic}' does not exist in the Schema Registry.`,
    `Subject: ${subjectOf(topic, target)}`,
    ...(schemaId === undefined ? [] : [`Schema Id: ${schemaId}`]),
    'Possible causes include:',
    '- The topic itself does not exist',
    '\t-> Use SHOW TOPICS; to check',
    '- Messages on the topic are not serialized using a format Schema Registry supports',
    `\t-> Use PRINT '${topic}' FROM BEGINNING; to verify`,
    '- Messages on the topic have not been serialized using a Confluent Schema Registry supported serializer',
    `\t-> See ${SR_DOCS}serializer-formatter.html`,
    '- The schema is registered on a different instance of the Schema Registry',
    `\t-> Use the REST API to list available subjects\t${SR_DOCS}api.html#get--subjects`,
    '- You do not have permissions to access the Schema Registry.',
    `\t-> See ${SR_DOCS}security.html`,
  ];
  return statementError(lines.join('\n'));
}

/** `expected`: the schema type the format reads (AVRO, PROTOBUF, JSON); `actual`: the registered one's. */
export function schemaFormatMismatchError(target: SerdeTarget, topic: string, schemaId: number | undefined, expected: string, actual: string): KsqlError {
  return statementError([
    `${target === 'key' ? 'Key' : 'Value'} schema is not in the expected format. You may want to set ${target === 'key' ? 'KEY_FORMAT' : 'VALUE_FORMAT'} to '${actual}'.`,
    `topic: ${topic}${schemaId === undefined ? '' : `, schema id: ${schemaId}`}`,
    `expected format: ${expected}`,
    `actual format from Schema Registry: ${actual}`,
  ].join('\n'));
}
