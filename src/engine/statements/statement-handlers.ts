/** The handler of every statement kind: a kind added to the parser does not compile until it is here. */
import { andThen } from '../../common/maybe-async.js';
import { deleteFrom } from '../delete-from.js';
import { describeFunction, listFunctions } from '../describe-function.js';
import { describeSource, describeSources } from '../describe-source.js';
import { analysisContext } from '../catalog-analysis-context.js';
import type { QueryCommand } from '../commands.js';
import type { EnginePorts } from '../engine-ports.js';
import { explainQuery } from '../explain-query.js';
import { explainStatement } from '../explain-statement.js';
import { insertValues } from '../insert-values.js';
import { listTopics } from '../list-topics.js';
import { alterSourceStatement } from './alter-source.js';
import { checkAssertionNow } from './assert-resource.js';
import { connectorStatement } from './connector-statements.js';
import { createAsSelect } from './create-as-select.js';
import { createSource } from './create-source.js';
import { dropSource } from './drop-source.js';
import { insertIntoSelect } from './insert-into.js';
import { listQueries } from './list-queries.js';
import { listSources } from './list-sources.js';
import { queryEndpointOnly } from './query-endpoint-statements.js';
import { defineVariable, listProperties, listVariables, setProperty, undefineVariable, unsetProperty } from './session-statements.js';
import type { Statement } from '../../parser/ast/statement.js';
import type { Session } from '../session.js';
import type { StatementHandler, StatementHandlers } from './statement-handler.js';
import { terminate } from './terminate-query.js';
import { createType, dropType, listTypes } from './type-statements.js';
import { alterSystemProperty, runScript, testFileStatement } from './unsupported-statements.js';
import { pauseOrResumeQuery } from './pause-resume-query.js';

export const STATEMENT_HANDLERS: StatementHandlers = {
  CreateStream: createSource,
  CreateTable: createSource,
  CreateStreamAsSelect: createAsSelect,
  CreateTableAsSelect: createAsSelect,
  InsertInto: insertIntoSelect,
  InsertValues: (stmt, ports) => andThen(insertValues(ports, stmt), () => ({ '@type': 'empty', statementText: stmt.text })),
  DeleteFrom: (stmt, ports) => andThen(deleteFrom(ports, stmt), () => ({ '@type': 'empty', statementText: stmt.text })),
  AlterSource: alterSourceStatement,
  DropStream: dropSource,
  DropTable: dropSource,
  TerminateQuery: terminate,
  CreateType: createType,
  DropType: dropType,
  ListTypes: listTypes,
  SetProperty: setProperty,
  UnsetProperty: unsetProperty,
  DefineVariable: defineVariable,
  UndefineVariable: undefineVariable,
  ListProperties: listProperties,
  ListVariables: listVariables,
  ListStreams: (stmt, ports) => (stmt.extended ? describeSources(ports, stmt, 'STREAM') : listSources(stmt, ports)),
  ListTables: (stmt, ports) => (stmt.extended ? describeSources(ports, stmt, 'TABLE') : listSources(stmt, ports)),
  ListQueries: listQueries,
  ListTopics: (stmt, ports) => listTopics(ports, stmt),
  DescribeSource: (stmt, ports) => describeSource(ports, stmt),
  DescribeSources: (stmt, ports) => describeSources(ports, stmt, stmt.sourceKind === 'STREAMS' ? 'STREAM' : 'TABLE'),
  ListFunctions: (stmt, { catalog }) => listFunctions(catalog.functions, stmt),
  DescribeFunction: (stmt, { catalog }) => describeFunction(catalog.functions, stmt),
  Explain: (stmt, ports, session) => (stmt.statement === undefined
    ? explainQuery(ports, stmt)
    : explainStatement(ports, stmt, stmt.statement, session, analysisContext(ports, undefined), (inner) => plannedCommand(inner, ports, session))),
  QueryStatement: queryEndpointOnly,
  PrintTopic: queryEndpointOnly,
  CreateConnector: connectorStatement,
  DropConnector: connectorStatement,
  DescribeConnector: connectorStatement,
  ListConnectors: connectorStatement,
  ListConnectorPlugins: connectorStatement,
  PauseQuery: pauseOrResumeQuery,
  ResumeQuery: pauseOrResumeQuery,
  AlterSystemProperty: alterSystemProperty,
  AssertTopic: (stmt, ports) => checkAssertionNow(ports, stmt),
  AssertSchema: (stmt, ports) => checkAssertionNow(ports, stmt),
  AssertValues: testFileStatement,
  AssertTombstone: testFileStatement,
  AssertSource: testFileStatement,
  RunScript: runScript,
};

/** The command a CREATE ... AS SELECT or INSERT INTO ... SELECT would commit, every check made and nothing changed (EXPLAIN). */
function plannedCommand(stmt: Statement, ports: EnginePorts, session: Session): QueryCommand | undefined {
  let planned: QueryCommand | undefined;
  const handler = STATEMENT_HANDLERS[stmt.kind] as StatementHandler<Statement['kind']>;
  handler(stmt, ports, { ...session, explain: (command) => {
    planned = command;
  } });
  return planned;
}
