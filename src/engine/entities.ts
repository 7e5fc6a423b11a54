/**
 * What executing a statement returns: ksqlDB's REST entities, in the JSON
 * shape its `/ksql` endpoint answers with (discriminated by `@type`).
 */
import type { DataSource } from '../catalog/data-source.js';
import type { FunctionDescriptionEntity, FunctionNameListEntity } from './describe-function.js';
import type { SourceDescriptionEntity, SourceDescriptionListEntity } from './describe-source.js';
import type { QueryDescriptionEntity, QueryDescriptionListEntity } from './explain-query.js';
import type { QuerySummary } from './summarize-query.js';

export interface CurrentStatusEntity {
  readonly '@type': 'currentStatus';
  readonly statementText: string;
  readonly commandId: string;
  readonly commandStatus: { readonly status: 'SUCCESS'; readonly message: string; readonly queryId: string | null };
  readonly commandSequenceNumber: number;
  readonly warnings: readonly { readonly message: string }[];
}

export interface SourceListEntity {
  readonly '@type': 'streams' | 'tables';
  readonly statementText: string;
  readonly streams?: readonly SourceSummary[];
  readonly tables?: readonly SourceSummary[];
  readonly warnings: readonly { readonly message: string }[];
}

export interface SourceSummary {
  readonly type: 'STREAM' | 'TABLE';
  readonly name: string;
  readonly topic: string;
  readonly keyFormat: string;
  readonly valueFormat: string;
  readonly isWindowed: boolean;
}

export interface QueryListEntity {
  readonly '@type': 'queries';
  readonly statementText: string;
  readonly queries: readonly QuerySummary[];
  readonly warnings: readonly { readonly message: string }[];
}

export interface TopicListEntity {
  readonly '@type': 'kafka_topics';
  readonly statementText: string;
  readonly topics: readonly { readonly name: string; readonly replicaInfo: readonly number[] }[];
  readonly warnings: readonly { readonly message: string }[];
}

/** SHOW TOPICS EXTENDED: ksqlDB's count of assigned partitions (consumerCount) and of groups (consumerGroupCount) per topic. */
export interface TopicListExtendedEntity {
  readonly '@type': 'kafka_topics_extended';
  readonly statementText: string;
  readonly topics: readonly {
    readonly name: string;
    readonly replicaInfo: readonly number[];
    readonly consumerCount: number;
    readonly consumerGroupCount: number;
  }[];
  readonly warnings: readonly { readonly message: string }[];
}

export interface PropertiesEntity {
  readonly '@type': 'properties';
  readonly statementText: string;
  readonly properties: readonly { readonly name: string; readonly scope: string; readonly value: string }[];
  readonly overwrittenProperties: readonly string[];
  readonly defaultProperties: readonly string[];
  readonly warnings: readonly { readonly message: string }[];
}

export interface VariablesEntity {
  readonly '@type': 'variables';
  readonly statementText: string;
  readonly variables: readonly { readonly name: string; readonly value: string }[];
  readonly warnings: readonly { readonly message: string }[];
}

export interface TypeListEntity {
  readonly '@type': 'type_list';
  readonly statementText: string;
  readonly types: Readonly<Record<string, { readonly type: string; readonly memberSchema?: unknown }>>;
  readonly warnings: readonly { readonly message: string }[];
}

/** An ASSERT [NOT EXISTS] TOPIC that held. */
export interface AssertTopicEntity {
  readonly '@type': 'assert_topic';
  readonly statementText: string;
  readonly topicName: string;
  readonly exists: boolean;
  readonly warnings: readonly { readonly message: string }[];
}

/** An ASSERT [NOT EXISTS] SCHEMA that held; subject and id null when not given. */
export interface AssertSchemaEntity {
  readonly '@type': 'assert_schema';
  readonly statementText: string;
  readonly subject: string | null;
  readonly id: number | null;
  readonly exists: boolean;
  readonly warnings: readonly { readonly message: string }[];
}

/** A statement that did nothing, and says why (UNDEFINE of a variable never defined). */
export interface WarningEntity {
  readonly '@type': 'warning_entity';
  readonly statementText: string;
  readonly message: string;
  readonly warnings: readonly { readonly message: string }[];
}

/** A statement with no result to show (SET, DEFINE, ...). */
export interface EmptyEntity {
  readonly '@type': 'empty';
  readonly statementText: string;
}

export type KsqlEntity =
  | CurrentStatusEntity | SourceListEntity | QueryListEntity | TopicListEntity | TopicListExtendedEntity | PropertiesEntity | VariablesEntity
  | TypeListEntity | EmptyEntity | SourceDescriptionEntity | SourceDescriptionListEntity | FunctionNameListEntity
  | FunctionDescriptionEntity | QueryDescriptionEntity | QueryDescriptionListEntity | AssertTopicEntity | AssertSchemaEntity
  | WarningEntity;

export function currentStatus(statementText: string, commandId: string, message: string, sequence: number, queryId: string | null = null): CurrentStatusEntity {
  return {
    '@type': 'currentStatus', statementText, commandId,
    commandStatus: { status: 'SUCCESS', message, queryId }, commandSequenceNumber: sequence, warnings: [],
  };
}

export function summarizeSource(s: DataSource): SourceSummary {
  return {
    type: s.kind, name: s.name, topic: s.topic, keyFormat: s.keyFormat.format, valueFormat: s.valueFormat.format,
    isWindowed: s.window !== undefined,
  };
}
