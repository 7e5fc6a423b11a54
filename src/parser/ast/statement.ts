/**
 * The statement AST. Each statement carries `text`, its exact source slice
 * (without the closing ';'), and `location`. Names are normalized identifiers.
 */
import type { Duration } from './duration.js';
import type { Expression, Literal } from './expression.js';
import type { SourceLocation } from './location.js';
import type { Query } from './query.js';
import type { TypeNode } from './type-node.js';

interface StatementBase {
  readonly text: string;
  readonly location: SourceLocation;
}

/**
 * `name = literal` in a WITH clause. `name` is upper-cased whether it was
 * written as an identifier or a string (ksqlDB property names ignore case).
 */
export interface Property {
  readonly kind: 'Property';
  readonly name: string;
  readonly value: Literal;
  readonly location: SourceLocation;
}

/** KEY (streams), PRIMARY KEY (tables), HEADERS (all headers), HEADER('k') (one header). */
export type ColumnConstraint = 'KEY' | 'PRIMARY KEY' | 'HEADERS' | 'HEADER';

export interface TableElement {
  readonly kind: 'TableElement';
  readonly name: string;
  readonly type: TypeNode;
  readonly constraint: ColumnConstraint | undefined;
  /** The header key of a HEADER('k') column. */
  readonly headerKey: string | undefined;
  readonly location: SourceLocation;
}

export interface CreateSourceFields extends StatementBase {
  readonly orReplace: boolean;
  /** CREATE SOURCE STREAM/TABLE: read-only, materialized for pull queries. */
  readonly isSource: boolean;
  readonly ifNotExists: boolean;
  readonly name: string;
  readonly elements: readonly TableElement[];
  readonly properties: readonly Property[];
}

export interface CreateStream extends CreateSourceFields {
  readonly kind: 'CreateStream';
}

export interface CreateTable extends CreateSourceFields {
  readonly kind: 'CreateTable';
}

export interface CreateAsSelectFields extends StatementBase {
  readonly orReplace: boolean;
  readonly ifNotExists: boolean;
  readonly name: string;
  readonly properties: readonly Property[];
  readonly query: Query;
}

export interface CreateStreamAsSelect extends CreateAsSelectFields {
  readonly kind: 'CreateStreamAsSelect';
}

export interface CreateTableAsSelect extends CreateAsSelectFields {
  readonly kind: 'CreateTableAsSelect';
}

export interface InsertInto extends StatementBase {
  readonly kind: 'InsertInto';
  readonly target: string;
  /** Where the target's name is written. */
  readonly targetLocation: SourceLocation;
  readonly properties: readonly Property[];
  readonly query: Query;
}

export interface InsertValues extends StatementBase {
  readonly kind: 'InsertValues';
  readonly target: string;
  /** Undefined when no column list was written (all columns, in order). */
  readonly columns: readonly string[] | undefined;
  readonly values: readonly Expression[];
}

/** DELETE FROM table WHERE ... (beyond ksqlDB): writes the tombstone of the key the WHERE fixes. */
export interface DeleteFrom extends StatementBase {
  readonly kind: 'DeleteFrom';
  readonly target: string;
  readonly where: Expression;
}

/** A SELECT on its own: a push query (with EMIT) or a pull query. */
export interface QueryStatement extends StatementBase {
  readonly kind: 'QueryStatement';
  readonly query: Query;
}

export interface ListStreams extends StatementBase {
  readonly kind: 'ListStreams';
  readonly extended: boolean;
}

export interface ListTables extends StatementBase {
  readonly kind: 'ListTables';
  readonly extended: boolean;
}

export interface ListTopics extends StatementBase {
  readonly kind: 'ListTopics';
  /** SHOW ALL TOPICS: internal topics too. */
  readonly all: boolean;
  readonly extended: boolean;
}

export interface ListQueries extends StatementBase {
  readonly kind: 'ListQueries';
  readonly extended: boolean;
}

export interface ListFunctions extends StatementBase {
  readonly kind: 'ListFunctions';
}

export interface ListTypes extends StatementBase {
  readonly kind: 'ListTypes';
}

export interface ListProperties extends StatementBase {
  readonly kind: 'ListProperties';
}

export interface ListVariables extends StatementBase {
  readonly kind: 'ListVariables';
}

export interface ListConnectors extends StatementBase {
  readonly kind: 'ListConnectors';
  readonly scope: 'ALL' | 'SOURCE' | 'SINK';
}

export interface ListConnectorPlugins extends StatementBase {
  readonly kind: 'ListConnectorPlugins';
}

/** DESCRIBE source [EXTENDED]. */
export interface DescribeSource extends StatementBase {
  readonly kind: 'DescribeSource';
  readonly name: string;
  readonly extended: boolean;
}

/** DESCRIBE STREAMS|TABLES [EXTENDED]. */
export interface DescribeSources extends StatementBase {
  readonly kind: 'DescribeSources';
  readonly sourceKind: 'STREAMS' | 'TABLES';
  readonly extended: boolean;
}

export interface DescribeFunction extends StatementBase {
  readonly kind: 'DescribeFunction';
  readonly name: string;
}

export interface DescribeConnector extends StatementBase {
  readonly kind: 'DescribeConnector';
  readonly name: string;
}

/**
 * PRINT topic. `topic` is the name as written (without its quotes), also for
 * a bare identifier: as in ksqlDB, topic names are case-sensitive.
 */
export interface PrintTopic extends StatementBase {
  readonly kind: 'PrintTopic';
  readonly topic: string;
  /** Whether the name was a string or a quoted identifier. */
  readonly quoted: boolean;
  readonly fromBeginning: boolean;
  readonly interval: number | undefined;
  readonly limit: number | undefined;
}

/** TERMINATE / PAUSE / RESUME: `queryId` undefined means ALL. */
export interface TerminateQuery extends StatementBase {
  readonly kind: 'TerminateQuery';
  readonly queryId: string | undefined;
}

export interface PauseQuery extends StatementBase {
  readonly kind: 'PauseQuery';
  readonly queryId: string | undefined;
}

export interface ResumeQuery extends StatementBase {
  readonly kind: 'ResumeQuery';
  readonly queryId: string | undefined;
}

/** SET 'name' = 'value' (session property). */
export interface SetProperty extends StatementBase {
  readonly kind: 'SetProperty';
  readonly name: string;
  readonly value: string;
}

export interface UnsetProperty extends StatementBase {
  readonly kind: 'UnsetProperty';
  readonly name: string;
}

/** ALTER SYSTEM 'name' = 'value'. */
export interface AlterSystemProperty extends StatementBase {
  readonly kind: 'AlterSystemProperty';
  readonly name: string;
  readonly value: string;
}

/** DEFINE name = 'value'; the name keeps its case (variables match ignoring case). */
export interface DefineVariable extends StatementBase {
  readonly kind: 'DefineVariable';
  readonly name: string;
  readonly value: string;
}

export interface UndefineVariable extends StatementBase {
  readonly kind: 'UndefineVariable';
  readonly name: string;
}

export interface DropSourceFields extends StatementBase {
  readonly ifExists: boolean;
  readonly name: string;
  readonly deleteTopic: boolean;
}

export interface DropStream extends DropSourceFields {
  readonly kind: 'DropStream';
}

export interface DropTable extends DropSourceFields {
  readonly kind: 'DropTable';
}

export interface DropType extends StatementBase {
  readonly kind: 'DropType';
  readonly ifExists: boolean;
  readonly name: string;
}

export interface DropConnector extends StatementBase {
  readonly kind: 'DropConnector';
  readonly ifExists: boolean;
  readonly name: string;
}

/** EXPLAIN statement, or EXPLAIN query-id (then `statement` is undefined). */
export interface Explain extends StatementBase {
  readonly kind: 'Explain';
  readonly statement: Statement | undefined;
  readonly queryId: string | undefined;
}

/** CREATE TYPE [IF NOT EXISTS] name AS type. */
export interface CreateType extends StatementBase {
  readonly kind: 'CreateType';
  readonly ifNotExists: boolean;
  readonly name: string;
  readonly type: TypeNode;
}

export interface AlterColumn {
  readonly kind: 'AlterColumn';
  readonly name: string;
  readonly type: TypeNode;
  readonly location: SourceLocation;
}

/** ALTER STREAM|TABLE name ADD [COLUMN] c type, ... */
export interface AlterSource extends StatementBase {
  readonly kind: 'AlterSource';
  readonly sourceKind: 'STREAM' | 'TABLE';
  readonly name: string;
  readonly columns: readonly AlterColumn[];
}

/** ASSERT [NOT EXISTS] TOPIC name [WITH (...)] [TIMEOUT n unit]. */
export interface AssertTopic extends StatementBase {
  readonly kind: 'AssertTopic';
  readonly exists: boolean;
  readonly topic: string;
  readonly properties: readonly Property[];
  readonly timeout: Duration | undefined;
}

/** ASSERT [NOT EXISTS] SCHEMA [SUBJECT name] [ID n] [TIMEOUT n unit]. */
export interface AssertSchema extends StatementBase {
  readonly kind: 'AssertSchema';
  readonly exists: boolean;
  readonly subject: string | undefined;
  readonly id: number | undefined;
  readonly timeout: Duration | undefined;
}

export interface CreateConnector extends StatementBase {
  readonly kind: 'CreateConnector';
  readonly connectorKind: 'SOURCE' | 'SINK';
  readonly ifNotExists: boolean;
  readonly name: string;
  readonly properties: readonly Property[];
}

// Statements of the test-script dialect only (parseStatements(sql, { testStatements: true })).

/** ASSERT VALUES source [(cols)] VALUES (...): the next output row is this one. */
export interface AssertValues extends StatementBase {
  readonly kind: 'AssertValues';
  readonly source: string;
  readonly columns: readonly string[] | undefined;
  readonly values: readonly Expression[];
}

/** ASSERT NULL VALUES source [(cols)] KEY (...): the next output row is a tombstone for this key. */
export interface AssertTombstone extends StatementBase {
  readonly kind: 'AssertTombstone';
  readonly source: string;
  readonly columns: readonly string[] | undefined;
  readonly keyValues: readonly Expression[];
}

/** ASSERT STREAM|TABLE name [(elements)] [WITH (...)]: the source has this shape. */
export interface AssertSource extends StatementBase {
  readonly kind: 'AssertSource';
  readonly sourceKind: 'STREAM' | 'TABLE';
  readonly name: string;
  readonly elements: readonly TableElement[];
  readonly properties: readonly Property[];
}

export interface RunScript extends StatementBase {
  readonly kind: 'RunScript';
  readonly path: string;
}

export type Statement =
  | CreateStream
  | CreateTable
  | CreateStreamAsSelect
  | CreateTableAsSelect
  | InsertInto
  | InsertValues
  | DeleteFrom
  | QueryStatement
  | ListStreams
  | ListTables
  | ListTopics
  | ListQueries
  | ListFunctions
  | ListTypes
  | ListProperties
  | ListVariables
  | ListConnectors
  | ListConnectorPlugins
  | DescribeSource
  | DescribeSources
  | DescribeFunction
  | DescribeConnector
  | PrintTopic
  | TerminateQuery
  | PauseQuery
  | ResumeQuery
  | SetProperty
  | UnsetProperty
  | AlterSystemProperty
  | DefineVariable
  | UndefineVariable
  | DropStream
  | DropTable
  | DropType
  | DropConnector
  | Explain
  | CreateType
  | AlterSource
  | AssertTopic
  | AssertSchema
  | CreateConnector
  | AssertValues
  | AssertTombstone
  | AssertSource
  | RunScript;

export type StatementKind = Statement['kind'];

export type StatementOfKind<K extends StatementKind> = Extract<Statement, { kind: K }>;
