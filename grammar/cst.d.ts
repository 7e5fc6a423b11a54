import type { CstNode, ICstVisitor, IToken } from "chevrotain";

export interface IdentifierCstNode extends CstNode {
  name: "identifier";
  children: IdentifierCstChildren;
}

export type IdentifierCstChildren = {
  Identifier?: IToken[];
  QuotedIdentifier?: IToken[];
  BackQuotedIdentifier?: IToken[];
  DigitIdentifier?: IToken[];
  NonReserved?: IToken[];
};

export interface ResourceNameCstNode extends CstNode {
  name: "resourceName";
  children: ResourceNameCstChildren;
}

export type ResourceNameCstChildren = {
  identifier?: IdentifierCstNode[];
  StringLiteral?: IToken[];
};

export interface NumberCstNode extends CstNode {
  name: "number";
  children: NumberCstChildren;
}

export type NumberCstChildren = {
  Minus?: IToken[];
  DecimalValue?: IToken[];
  FloatingPointValue?: IToken[];
  IntegerValue?: IToken[];
};

export interface LiteralCstNode extends CstNode {
  name: "literal";
  children: LiteralCstChildren;
}

export type LiteralCstChildren = {
  NULL?: IToken[];
  TRUE?: IToken[];
  FALSE?: IToken[];
  StringLiteral?: IToken[];
  number?: NumberCstNode[];
};

export interface TypeCstNode extends CstNode {
  name: "type";
  children: TypeCstChildren;
}

export type TypeCstChildren = {
  ARRAY?: IToken[];
  Lt?: (IToken)[];
  element?: TypeCstNode[];
  Gt?: (IToken)[];
  MAP?: IToken[];
  mapKey?: TypeCstNode[];
  Comma?: (IToken)[];
  mapValue?: TypeCstNode[];
  STRUCT?: IToken[];
  structTypeField?: (StructTypeFieldCstNode)[];
  DECIMAL?: IToken[];
  LParen?: (IToken)[];
  precision?: IToken[];
  scale?: IToken[];
  RParen?: (IToken)[];
  baseType?: IdentifierCstNode[];
  typeParameter?: (TypeParameterCstNode)[];
};

export interface StructTypeFieldCstNode extends CstNode {
  name: "structTypeField";
  children: StructTypeFieldCstChildren;
}

export type StructTypeFieldCstChildren = {
  identifier: IdentifierCstNode[];
  type: TypeCstNode[];
};

export interface TypeParameterCstNode extends CstNode {
  name: "typeParameter";
  children: TypeParameterCstChildren;
}

export type TypeParameterCstChildren = {
  IntegerValue?: IToken[];
  STRING?: IToken[];
};

export interface WindowUnitCstNode extends CstNode {
  name: "windowUnit";
  children: WindowUnitCstChildren;
}

export type WindowUnitCstChildren = {
  DAY?: IToken[];
  HOUR?: IToken[];
  MINUTE?: IToken[];
  SECOND?: IToken[];
  MILLISECOND?: IToken[];
  DAYS?: IToken[];
  HOURS?: IToken[];
  MINUTES?: IToken[];
  SECONDS?: IToken[];
  MILLISECONDS?: IToken[];
};

export interface DurationCstNode extends CstNode {
  name: "duration";
  children: DurationCstChildren;
}

export type DurationCstChildren = {
  IntegerValue: IToken[];
  windowUnit: WindowUnitCstNode[];
};

export interface GracePeriodCstNode extends CstNode {
  name: "gracePeriod";
  children: GracePeriodCstChildren;
}

export type GracePeriodCstChildren = {
  GRACE: IToken[];
  PERIOD: IToken[];
  duration: DurationCstNode[];
};

export interface RetentionCstNode extends CstNode {
  name: "retention";
  children: RetentionCstChildren;
}

export type RetentionCstChildren = {
  RETENTION: IToken[];
  duration: DurationCstNode[];
};

export interface TablePropertiesCstNode extends CstNode {
  name: "tableProperties";
  children: TablePropertiesCstChildren;
}

export type TablePropertiesCstChildren = {
  LParen: IToken[];
  tableProperty: (TablePropertyCstNode)[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface TablePropertyCstNode extends CstNode {
  name: "tableProperty";
  children: TablePropertyCstChildren;
}

export type TablePropertyCstChildren = {
  identifier?: IdentifierCstNode[];
  StringLiteral?: IToken[];
  RETENTION?: IToken[];
  Eq: IToken[];
  literal: LiteralCstNode[];
};

export interface ColumnListCstNode extends CstNode {
  name: "columnList";
  children: ColumnListCstChildren;
}

export type ColumnListCstChildren = {
  LParen: IToken[];
  identifier: (IdentifierCstNode)[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface ExpressionCstNode extends CstNode {
  name: "expression";
  children: ExpressionCstChildren;
}

export type ExpressionCstChildren = {
  andExpression: (AndExpressionCstNode)[];
  OR?: IToken[];
};

export interface AndExpressionCstNode extends CstNode {
  name: "andExpression";
  children: AndExpressionCstChildren;
}

export type AndExpressionCstChildren = {
  notExpression: (NotExpressionCstNode)[];
  AND?: IToken[];
};

export interface NotExpressionCstNode extends CstNode {
  name: "notExpression";
  children: NotExpressionCstChildren;
}

export type NotExpressionCstChildren = {
  NOT?: IToken[];
  notExpression?: NotExpressionCstNode[];
  predicated?: PredicatedCstNode[];
};

export interface PredicatedCstNode extends CstNode {
  name: "predicated";
  children: PredicatedCstChildren;
}

export type PredicatedCstChildren = {
  valueExpression: ValueExpressionCstNode[];
  predicate?: PredicateCstNode[];
};

export interface PredicateCstNode extends CstNode {
  name: "predicate";
  children: PredicateCstChildren;
}

export type PredicateCstChildren = {
  comparisonOperator?: ComparisonOperatorCstNode[];
  right?: (ValueExpressionCstNode)[];
  NOT?: (IToken)[];
  BETWEEN?: IToken[];
  low?: ValueExpressionCstNode[];
  AND?: IToken[];
  high?: ValueExpressionCstNode[];
  IN?: IToken[];
  LParen?: IToken[];
  expression?: (ExpressionCstNode)[];
  Comma?: IToken[];
  RParen?: IToken[];
  LIKE?: IToken[];
  pattern?: ValueExpressionCstNode[];
  ESCAPE?: IToken[];
  StringLiteral?: IToken[];
  IS?: IToken[];
  NULL?: IToken[];
  DISTINCT?: IToken[];
  FROM?: IToken[];
};

export interface ComparisonOperatorCstNode extends CstNode {
  name: "comparisonOperator";
  children: ComparisonOperatorCstChildren;
}

export type ComparisonOperatorCstChildren = {
  Eq?: IToken[];
  Neq?: IToken[];
  Lte?: IToken[];
  Gte?: IToken[];
  Lt?: IToken[];
  Gt?: IToken[];
};

export interface ValueExpressionCstNode extends CstNode {
  name: "valueExpression";
  children: ValueExpressionCstChildren;
}

export type ValueExpressionCstChildren = {
  additiveExpression: (AdditiveExpressionCstNode)[];
  Concat?: IToken[];
};

export interface AdditiveExpressionCstNode extends CstNode {
  name: "additiveExpression";
  children: AdditiveExpressionCstChildren;
}

export type AdditiveExpressionCstChildren = {
  multiplicativeExpression: (MultiplicativeExpressionCstNode)[];
  Plus?: IToken[];
  Minus?: IToken[];
};

export interface MultiplicativeExpressionCstNode extends CstNode {
  name: "multiplicativeExpression";
  children: MultiplicativeExpressionCstChildren;
}

export type MultiplicativeExpressionCstChildren = {
  unaryExpression: (UnaryExpressionCstNode)[];
  Asterisk?: IToken[];
  Slash?: IToken[];
  Percent?: IToken[];
};

export interface UnaryExpressionCstNode extends CstNode {
  name: "unaryExpression";
  children: UnaryExpressionCstChildren;
}

export type UnaryExpressionCstChildren = {
  primaryExpression?: PrimaryExpressionCstNode[];
  Minus?: IToken[];
  Plus?: IToken[];
  unaryExpression?: UnaryExpressionCstNode[];
};

export interface PrimaryExpressionCstNode extends CstNode {
  name: "primaryExpression";
  children: PrimaryExpressionCstChildren;
}

export type PrimaryExpressionCstChildren = {
  primaryTerm: PrimaryTermCstNode[];
  LBracket?: IToken[];
  valueExpression?: ValueExpressionCstNode[];
  RBracket?: IToken[];
  Arrow?: IToken[];
  identifier?: IdentifierCstNode[];
};

export interface PrimaryTermCstNode extends CstNode {
  name: "primaryTerm";
  children: PrimaryTermCstChildren;
}

export type PrimaryTermCstChildren = {
  literal?: LiteralCstNode[];
  typedLiteral?: TypedLiteralCstNode[];
  caseExpression?: CaseExpressionCstNode[];
  castExpression?: CastExpressionCstNode[];
  arrayConstructor?: ArrayConstructorCstNode[];
  mapConstructor?: MapConstructorCstNode[];
  structConstructor?: StructConstructorCstNode[];
  functionCall?: FunctionCallCstNode[];
  columnReference?: ColumnReferenceCstNode[];
  LParen?: IToken[];
  expression?: ExpressionCstNode[];
  RParen?: IToken[];
};

export interface TypedLiteralCstNode extends CstNode {
  name: "typedLiteral";
  children: TypedLiteralCstChildren;
}

export type TypedLiteralCstChildren = {
  DECIMAL?: IToken[];
  identifier?: IdentifierCstNode[];
  StringLiteral: IToken[];
};

export interface CaseExpressionCstNode extends CstNode {
  name: "caseExpression";
  children: CaseExpressionCstChildren;
}

export type CaseExpressionCstChildren = {
  CASE: IToken[];
  operand?: ValueExpressionCstNode[];
  whenClause: WhenClauseCstNode[];
  ELSE?: IToken[];
  otherwise?: ExpressionCstNode[];
  END: IToken[];
};

export interface WhenClauseCstNode extends CstNode {
  name: "whenClause";
  children: WhenClauseCstChildren;
}

export type WhenClauseCstChildren = {
  WHEN: IToken[];
  condition: ExpressionCstNode[];
  THEN: IToken[];
  result: ExpressionCstNode[];
};

export interface CastExpressionCstNode extends CstNode {
  name: "castExpression";
  children: CastExpressionCstChildren;
}

export type CastExpressionCstChildren = {
  CAST: IToken[];
  LParen: IToken[];
  expression: ExpressionCstNode[];
  AS: IToken[];
  type: TypeCstNode[];
  RParen: IToken[];
};

export interface ArrayConstructorCstNode extends CstNode {
  name: "arrayConstructor";
  children: ArrayConstructorCstChildren;
}

export type ArrayConstructorCstChildren = {
  ARRAY: IToken[];
  LBracket: IToken[];
  expression?: (ExpressionCstNode)[];
  Comma?: IToken[];
  RBracket: IToken[];
};

export interface MapConstructorCstNode extends CstNode {
  name: "mapConstructor";
  children: MapConstructorCstChildren;
}

export type MapConstructorCstChildren = {
  MAP: IToken[];
  LParen: IToken[];
  mapEntry?: (MapEntryCstNode)[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface MapEntryCstNode extends CstNode {
  name: "mapEntry";
  children: MapEntryCstChildren;
}

export type MapEntryCstChildren = {
  key: ExpressionCstNode[];
  Assign: IToken[];
  value: ExpressionCstNode[];
};

export interface StructConstructorCstNode extends CstNode {
  name: "structConstructor";
  children: StructConstructorCstChildren;
}

export type StructConstructorCstChildren = {
  STRUCT: IToken[];
  LParen: IToken[];
  structField?: (StructFieldCstNode)[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface StructFieldCstNode extends CstNode {
  name: "structField";
  children: StructFieldCstChildren;
}

export type StructFieldCstChildren = {
  identifier: IdentifierCstNode[];
  Assign: IToken[];
  expression: ExpressionCstNode[];
};

export interface FunctionCallCstNode extends CstNode {
  name: "functionCall";
  children: FunctionCallCstChildren;
}

export type FunctionCallCstChildren = {
  identifier: IdentifierCstNode[];
  LParen: IToken[];
  Asterisk?: IToken[];
  functionArgument?: (FunctionArgumentCstNode)[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface FunctionArgumentCstNode extends CstNode {
  name: "functionArgument";
  children: FunctionArgumentCstChildren;
}

export type FunctionArgumentCstChildren = {
  lambdaExpression?: LambdaExpressionCstNode[];
  windowUnit?: WindowUnitCstNode[];
  expression?: ExpressionCstNode[];
};

export interface LambdaExpressionCstNode extends CstNode {
  name: "lambdaExpression";
  children: LambdaExpressionCstChildren;
}

export type LambdaExpressionCstChildren = {
  identifier?: (IdentifierCstNode)[];
  LParen?: IToken[];
  Comma?: IToken[];
  RParen?: IToken[];
  Lambda: IToken[];
  expression: ExpressionCstNode[];
};

export interface ColumnReferenceCstNode extends CstNode {
  name: "columnReference";
  children: ColumnReferenceCstChildren;
}

export type ColumnReferenceCstChildren = {
  identifier: IdentifierCstNode[];
  Dot?: IToken[];
  column?: IdentifierCstNode[];
};

export interface QueryCstNode extends CstNode {
  name: "query";
  children: QueryCstChildren;
}

export type QueryCstChildren = {
  SELECT: IToken[];
  selectItem: (SelectItemCstNode)[];
  Comma?: (IToken)[];
  FROM: IToken[];
  relation: RelationCstNode[];
  WINDOW?: IToken[];
  windowExpression?: WindowExpressionCstNode[];
  WHERE?: IToken[];
  where?: ExpressionCstNode[];
  GROUP?: IToken[];
  BY?: (IToken)[];
  groupBy?: GroupingListCstNode[];
  PARTITION?: IToken[];
  partitionBy?: GroupingListCstNode[];
  HAVING?: IToken[];
  having?: ExpressionCstNode[];
  EMIT?: IToken[];
  CHANGES?: IToken[];
  FINAL?: IToken[];
  ORDER?: IToken[];
  sortItem?: (SortItemCstNode)[];
  LIMIT?: IToken[];
  limit?: IToken[];
  OFFSET?: IToken[];
  offset?: IToken[];
};

export interface SortItemCstNode extends CstNode {
  name: "sortItem";
  children: SortItemCstChildren;
}

export type SortItemCstChildren = {
  expression: ExpressionCstNode[];
  ASC?: IToken[];
  DESC?: IToken[];
  NULLS?: IToken[];
  FIRST?: IToken[];
  LAST?: IToken[];
};

export interface SelectItemCstNode extends CstNode {
  name: "selectItem";
  children: SelectItemCstChildren;
}

export type SelectItemCstChildren = {
  Asterisk?: IToken[];
  source?: IdentifierCstNode[];
  Dot?: IToken[];
  sourceAll?: IToken[];
  expression?: ExpressionCstNode[];
  Arrow?: IToken[];
  structAll?: IToken[];
  AS?: IToken[];
  alias?: IdentifierCstNode[];
};

export interface RelationCstNode extends CstNode {
  name: "relation";
  children: RelationCstChildren;
}

export type RelationCstChildren = {
  aliasedRelation: AliasedRelationCstNode[];
  joinedSource?: JoinedSourceCstNode[];
};

export interface AliasedRelationCstNode extends CstNode {
  name: "aliasedRelation";
  children: AliasedRelationCstChildren;
}

export type AliasedRelationCstChildren = {
  name: IdentifierCstNode[];
  AS?: IToken[];
  alias?: IdentifierCstNode[];
};

export interface JoinedSourceCstNode extends CstNode {
  name: "joinedSource";
  children: JoinedSourceCstChildren;
}

export type JoinedSourceCstChildren = {
  joinType?: JoinTypeCstNode[];
  JOIN: IToken[];
  aliasedRelation: AliasedRelationCstNode[];
  WITHIN?: IToken[];
  joinWindow?: JoinWindowCstNode[];
  ON: IToken[];
  expression: ExpressionCstNode[];
};

export interface JoinTypeCstNode extends CstNode {
  name: "joinType";
  children: JoinTypeCstChildren;
}

export type JoinTypeCstChildren = {
  INNER?: IToken[];
  FULL?: IToken[];
  OUTER?: (IToken)[];
  LEFT?: IToken[];
  RIGHT?: IToken[];
};

export interface JoinWindowCstNode extends CstNode {
  name: "joinWindow";
  children: JoinWindowCstChildren;
}

export type JoinWindowCstChildren = {
  LParen?: IToken[];
  before?: DurationCstNode[];
  Comma?: IToken[];
  after?: DurationCstNode[];
  RParen?: IToken[];
  single?: DurationCstNode[];
  gracePeriod?: GracePeriodCstNode[];
};

export interface WindowExpressionCstNode extends CstNode {
  name: "windowExpression";
  children: WindowExpressionCstChildren;
}

export type WindowExpressionCstChildren = {
  windowName?: IToken[];
  tumblingWindow?: TumblingWindowCstNode[];
  hoppingWindow?: HoppingWindowCstNode[];
  sessionWindow?: SessionWindowCstNode[];
};

export interface TumblingWindowCstNode extends CstNode {
  name: "tumblingWindow";
  children: TumblingWindowCstChildren;
}

export type TumblingWindowCstChildren = {
  TUMBLING: IToken[];
  LParen: IToken[];
  SIZE: IToken[];
  duration: DurationCstNode[];
  windowOptions: WindowOptionsCstNode[];
  RParen: IToken[];
};

export interface HoppingWindowCstNode extends CstNode {
  name: "hoppingWindow";
  children: HoppingWindowCstChildren;
}

export type HoppingWindowCstChildren = {
  HOPPING: IToken[];
  LParen: IToken[];
  SIZE: IToken[];
  size: DurationCstNode[];
  Comma: IToken[];
  ADVANCE: IToken[];
  BY: IToken[];
  advance: DurationCstNode[];
  windowOptions: WindowOptionsCstNode[];
  RParen: IToken[];
};

export interface SessionWindowCstNode extends CstNode {
  name: "sessionWindow";
  children: SessionWindowCstChildren;
}

export type SessionWindowCstChildren = {
  SESSION: IToken[];
  LParen: IToken[];
  duration: DurationCstNode[];
  windowOptions: WindowOptionsCstNode[];
  RParen: IToken[];
};

export interface WindowOptionsCstNode extends CstNode {
  name: "windowOptions";
  children: WindowOptionsCstChildren;
}

export type WindowOptionsCstChildren = {
  Comma?: (IToken)[];
  Identifier?: IToken[];
  Eq?: IToken[];
  timeZone?: IToken[];
  retention?: RetentionCstNode[];
  gracePeriod?: GracePeriodCstNode[];
};

export interface GroupingListCstNode extends CstNode {
  name: "groupingList";
  children: GroupingListCstChildren;
}

export type GroupingListCstChildren = {
  LParen?: IToken[];
  valueExpression?: (ValueExpressionCstNode)[];
  Comma?: (IToken)[];
  RParen?: IToken[];
};

export interface CreateStatementCstNode extends CstNode {
  name: "createStatement";
  children: CreateStatementCstChildren;
}

export type CreateStatementCstChildren = {
  CREATE: IToken[];
  OR?: IToken[];
  REPLACE?: IToken[];
  TYPE?: IToken[];
  ifNotExists?: (IfNotExistsCstNode)[];
  name?: (IdentifierCstNode)[];
  AS?: (IToken)[];
  type?: TypeCstNode[];
  connectorSource?: IToken[];
  SINK?: IToken[];
  CONNECTOR?: IToken[];
  WITH?: (IToken)[];
  tableProperties?: (TablePropertiesCstNode)[];
  SOURCE?: IToken[];
  STREAM?: IToken[];
  TABLE?: IToken[];
  tableElements?: TableElementsCstNode[];
  query?: QueryCstNode[];
};

export interface IfNotExistsCstNode extends CstNode {
  name: "ifNotExists";
  children: IfNotExistsCstChildren;
}

export type IfNotExistsCstChildren = {
  IF?: IToken[];
  NOT?: IToken[];
  EXISTS?: IToken[];
};

export interface IfExistsCstNode extends CstNode {
  name: "ifExists";
  children: IfExistsCstChildren;
}

export type IfExistsCstChildren = {
  IF?: IToken[];
  EXISTS?: IToken[];
};

export interface TableElementsCstNode extends CstNode {
  name: "tableElements";
  children: TableElementsCstChildren;
}

export type TableElementsCstChildren = {
  LParen: IToken[];
  tableElement: (TableElementCstNode)[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface TableElementCstNode extends CstNode {
  name: "tableElement";
  children: TableElementCstChildren;
}

export type TableElementCstChildren = {
  identifier: IdentifierCstNode[];
  type: TypeCstNode[];
  PRIMARY?: IToken[];
  primaryKey?: IToken[];
  KEY?: IToken[];
  HEADERS?: IToken[];
  HEADER?: IToken[];
  LParen?: IToken[];
  StringLiteral?: IToken[];
  RParen?: IToken[];
};

export interface InsertStatementCstNode extends CstNode {
  name: "insertStatement";
  children: InsertStatementCstChildren;
}

export type InsertStatementCstChildren = {
  INSERT: IToken[];
  INTO: IToken[];
  target: IdentifierCstNode[];
  WITH?: IToken[];
  tableProperties?: TablePropertiesCstNode[];
  query?: QueryCstNode[];
  columnList?: ColumnListCstNode[];
  VALUES?: IToken[];
  valuesList?: ValuesListCstNode[];
};

export interface ValuesListCstNode extends CstNode {
  name: "valuesList";
  children: ValuesListCstChildren;
}

export type ValuesListCstChildren = {
  LParen: IToken[];
  valueExpression?: (ValueExpressionCstNode)[];
  Comma?: IToken[];
  RParen: IToken[];
};

export interface AlterStatementCstNode extends CstNode {
  name: "alterStatement";
  children: AlterStatementCstChildren;
}

export type AlterStatementCstChildren = {
  ALTER: IToken[];
  SYSTEM?: IToken[];
  name?: IToken[];
  Eq?: IToken[];
  value?: IToken[];
  STREAM?: IToken[];
  TABLE?: IToken[];
  sourceName?: IdentifierCstNode[];
  alterOption?: (AlterOptionCstNode)[];
  Comma?: IToken[];
};

export interface AlterOptionCstNode extends CstNode {
  name: "alterOption";
  children: AlterOptionCstChildren;
}

export type AlterOptionCstChildren = {
  ADD: IToken[];
  COLUMN?: IToken[];
  identifier: IdentifierCstNode[];
  type: TypeCstNode[];
};

export interface DropStatementCstNode extends CstNode {
  name: "dropStatement";
  children: DropStatementCstChildren;
}

export type DropStatementCstChildren = {
  DROP: IToken[];
  STREAM?: IToken[];
  TABLE?: IToken[];
  ifExists?: (IfExistsCstNode)[];
  name?: (IdentifierCstNode)[];
  DELETE?: IToken[];
  TOPIC?: IToken[];
  TYPE?: IToken[];
  CONNECTOR?: IToken[];
};

export interface AssertStatementCstNode extends CstNode {
  name: "assertStatement";
  children: AssertStatementCstChildren;
}

export type AssertStatementCstChildren = {
  ASSERT: IToken[];
  NOT?: IToken[];
  EXISTS?: IToken[];
  TOPIC?: IToken[];
  topic?: ResourceNameCstNode[];
  WITH?: (IToken)[];
  tableProperties?: (TablePropertiesCstNode)[];
  timeout?: (TimeoutCstNode)[];
  SCHEMA?: IToken[];
  SUBJECT?: IToken[];
  subject?: ResourceNameCstNode[];
  ID?: IToken[];
  schemaId?: IToken[];
  VALUES?: (IToken)[];
  sourceName?: (IdentifierCstNode)[];
  columnList?: (ColumnListCstNode)[];
  valuesList?: (ValuesListCstNode)[];
  NULL?: IToken[];
  KEY?: IToken[];
  STREAM?: IToken[];
  TABLE?: IToken[];
  tableElements?: TableElementsCstNode[];
};

export interface TimeoutCstNode extends CstNode {
  name: "timeout";
  children: TimeoutCstChildren;
}

export type TimeoutCstChildren = {
  TIMEOUT: IToken[];
  duration: DurationCstNode[];
};

export interface StatementsCstNode extends CstNode {
  name: "statements";
  children: StatementsCstChildren;
}

export type StatementsCstChildren = {
  statement?: StatementCstNode[];
  Semicolon?: IToken[];
};

export interface DeleteStatementCstNode extends CstNode {
  name: "deleteStatement";
  children: DeleteStatementCstChildren;
}

export type DeleteStatementCstChildren = {
  DELETE: IToken[];
  FROM: IToken[];
  target: IdentifierCstNode[];
  WHERE: IToken[];
  where: ExpressionCstNode[];
};

export interface SingleExpressionCstNode extends CstNode {
  name: "singleExpression";
  children: SingleExpressionCstChildren;
}

export type SingleExpressionCstChildren = {
  expression: ExpressionCstNode[];
};

export interface StatementCstNode extends CstNode {
  name: "statement";
  children: StatementCstChildren;
}

export type StatementCstChildren = {
  query?: QueryCstNode[];
  createStatement?: CreateStatementCstNode[];
  insertStatement?: InsertStatementCstNode[];
  deleteStatement?: DeleteStatementCstNode[];
  listStatement?: ListStatementCstNode[];
  describeStatement?: DescribeStatementCstNode[];
  printStatement?: PrintStatementCstNode[];
  queryControlStatement?: QueryControlStatementCstNode[];
  setStatement?: SetStatementCstNode[];
  unsetStatement?: UnsetStatementCstNode[];
  alterStatement?: AlterStatementCstNode[];
  defineStatement?: DefineStatementCstNode[];
  undefineStatement?: UndefineStatementCstNode[];
  dropStatement?: DropStatementCstNode[];
  explainStatement?: ExplainStatementCstNode[];
  assertStatement?: AssertStatementCstNode[];
  runScriptStatement?: RunScriptStatementCstNode[];
};

export interface ListStatementCstNode extends CstNode {
  name: "listStatement";
  children: ListStatementCstChildren;
}

export type ListStatementCstChildren = {
  LIST?: IToken[];
  SHOW?: IToken[];
  PROPERTIES?: IToken[];
  ALL?: IToken[];
  TOPICS?: IToken[];
  EXTENDED?: (IToken)[];
  STREAMS?: IToken[];
  TABLES?: IToken[];
  QUERIES?: IToken[];
  FUNCTIONS?: IToken[];
  TYPES?: IToken[];
  VARIABLES?: IToken[];
  SOURCE?: IToken[];
  SINK?: IToken[];
  CONNECTORS?: IToken[];
  CONNECTOR?: IToken[];
  PLUGINS?: IToken[];
};

export interface DescribeStatementCstNode extends CstNode {
  name: "describeStatement";
  children: DescribeStatementCstChildren;
}

export type DescribeStatementCstChildren = {
  DESCRIBE: IToken[];
  STREAMS?: IToken[];
  EXTENDED?: (IToken)[];
  TABLES?: IToken[];
  FUNCTION?: IToken[];
  functionName?: IdentifierCstNode[];
  CONNECTOR?: IToken[];
  connectorName?: IdentifierCstNode[];
  sourceName?: IdentifierCstNode[];
};

export interface PrintStatementCstNode extends CstNode {
  name: "printStatement";
  children: PrintStatementCstChildren;
}

export type PrintStatementCstChildren = {
  PRINT: IToken[];
  resourceName: ResourceNameCstNode[];
  FROM?: IToken[];
  BEGINNING?: IToken[];
  INTERVAL?: IToken[];
  SAMPLE?: IToken[];
  interval?: IToken[];
  LIMIT?: IToken[];
  limit?: IToken[];
};

export interface QueryControlStatementCstNode extends CstNode {
  name: "queryControlStatement";
  children: QueryControlStatementCstChildren;
}

export type QueryControlStatementCstChildren = {
  TERMINATE?: IToken[];
  PAUSE?: IToken[];
  RESUME?: IToken[];
  ALL?: IToken[];
  queryId?: IdentifierCstNode[];
};

export interface SetStatementCstNode extends CstNode {
  name: "setStatement";
  children: SetStatementCstChildren;
}

export type SetStatementCstChildren = {
  SET: IToken[];
  name: IToken[];
  Eq: IToken[];
  value: IToken[];
};

export interface UnsetStatementCstNode extends CstNode {
  name: "unsetStatement";
  children: UnsetStatementCstChildren;
}

export type UnsetStatementCstChildren = {
  UNSET: IToken[];
  name: IToken[];
};

export interface DefineStatementCstNode extends CstNode {
  name: "defineStatement";
  children: DefineStatementCstChildren;
}

export type DefineStatementCstChildren = {
  DEFINE: IToken[];
  Identifier: IToken[];
  Eq: IToken[];
  StringLiteral: IToken[];
};

export interface UndefineStatementCstNode extends CstNode {
  name: "undefineStatement";
  children: UndefineStatementCstChildren;
}

export type UndefineStatementCstChildren = {
  UNDEFINE: IToken[];
  Identifier: IToken[];
};

export interface ExplainStatementCstNode extends CstNode {
  name: "explainStatement";
  children: ExplainStatementCstChildren;
}

export type ExplainStatementCstChildren = {
  EXPLAIN: IToken[];
  queryId?: IdentifierCstNode[];
  statement?: StatementCstNode[];
};

export interface RunScriptStatementCstNode extends CstNode {
  name: "runScriptStatement";
  children: RunScriptStatementCstChildren;
}

export type RunScriptStatementCstChildren = {
  RUN: IToken[];
  SCRIPT: IToken[];
  StringLiteral: IToken[];
};

export interface ICstNodeVisitor<IN, OUT> extends ICstVisitor<IN, OUT> {
  identifier(children: IdentifierCstChildren, param?: IN): OUT;
  resourceName(children: ResourceNameCstChildren, param?: IN): OUT;
  number(children: NumberCstChildren, param?: IN): OUT;
  literal(children: LiteralCstChildren, param?: IN): OUT;
  type(children: TypeCstChildren, param?: IN): OUT;
  structTypeField(children: StructTypeFieldCstChildren, param?: IN): OUT;
  typeParameter(children: TypeParameterCstChildren, param?: IN): OUT;
  windowUnit(children: WindowUnitCstChildren, param?: IN): OUT;
  duration(children: DurationCstChildren, param?: IN): OUT;
  gracePeriod(children: GracePeriodCstChildren, param?: IN): OUT;
  retention(children: RetentionCstChildren, param?: IN): OUT;
  tableProperties(children: TablePropertiesCstChildren, param?: IN): OUT;
  tableProperty(children: TablePropertyCstChildren, param?: IN): OUT;
  columnList(children: ColumnListCstChildren, param?: IN): OUT;
  expression(children: ExpressionCstChildren, param?: IN): OUT;
  andExpression(children: AndExpressionCstChildren, param?: IN): OUT;
  notExpression(children: NotExpressionCstChildren, param?: IN): OUT;
  predicated(children: PredicatedCstChildren, param?: IN): OUT;
  predicate(children: PredicateCstChildren, param?: IN): OUT;
  comparisonOperator(children: ComparisonOperatorCstChildren, param?: IN): OUT;
  valueExpression(children: ValueExpressionCstChildren, param?: IN): OUT;
  additiveExpression(children: AdditiveExpressionCstChildren, param?: IN): OUT;
  multiplicativeExpression(children: MultiplicativeExpressionCstChildren, param?: IN): OUT;
  unaryExpression(children: UnaryExpressionCstChildren, param?: IN): OUT;
  primaryExpression(children: PrimaryExpressionCstChildren, param?: IN): OUT;
  primaryTerm(children: PrimaryTermCstChildren, param?: IN): OUT;
  typedLiteral(children: TypedLiteralCstChildren, param?: IN): OUT;
  caseExpression(children: CaseExpressionCstChildren, param?: IN): OUT;
  whenClause(children: WhenClauseCstChildren, param?: IN): OUT;
  castExpression(children: CastExpressionCstChildren, param?: IN): OUT;
  arrayConstructor(children: ArrayConstructorCstChildren, param?: IN): OUT;
  mapConstructor(children: MapConstructorCstChildren, param?: IN): OUT;
  mapEntry(children: MapEntryCstChildren, param?: IN): OUT;
  structConstructor(children: StructConstructorCstChildren, param?: IN): OUT;
  structField(children: StructFieldCstChildren, param?: IN): OUT;
  functionCall(children: FunctionCallCstChildren, param?: IN): OUT;
  functionArgument(children: FunctionArgumentCstChildren, param?: IN): OUT;
  lambdaExpression(children: LambdaExpressionCstChildren, param?: IN): OUT;
  columnReference(children: ColumnReferenceCstChildren, param?: IN): OUT;
  query(children: QueryCstChildren, param?: IN): OUT;
  sortItem(children: SortItemCstChildren, param?: IN): OUT;
  selectItem(children: SelectItemCstChildren, param?: IN): OUT;
  relation(children: RelationCstChildren, param?: IN): OUT;
  aliasedRelation(children: AliasedRelationCstChildren, param?: IN): OUT;
  joinedSource(children: JoinedSourceCstChildren, param?: IN): OUT;
  joinType(children: JoinTypeCstChildren, param?: IN): OUT;
  joinWindow(children: JoinWindowCstChildren, param?: IN): OUT;
  windowExpression(children: WindowExpressionCstChildren, param?: IN): OUT;
  tumblingWindow(children: TumblingWindowCstChildren, param?: IN): OUT;
  hoppingWindow(children: HoppingWindowCstChildren, param?: IN): OUT;
  sessionWindow(children: SessionWindowCstChildren, param?: IN): OUT;
  windowOptions(children: WindowOptionsCstChildren, param?: IN): OUT;
  groupingList(children: GroupingListCstChildren, param?: IN): OUT;
  createStatement(children: CreateStatementCstChildren, param?: IN): OUT;
  ifNotExists(children: IfNotExistsCstChildren, param?: IN): OUT;
  ifExists(children: IfExistsCstChildren, param?: IN): OUT;
  tableElements(children: TableElementsCstChildren, param?: IN): OUT;
  tableElement(children: TableElementCstChildren, param?: IN): OUT;
  insertStatement(children: InsertStatementCstChildren, param?: IN): OUT;
  valuesList(children: ValuesListCstChildren, param?: IN): OUT;
  alterStatement(children: AlterStatementCstChildren, param?: IN): OUT;
  alterOption(children: AlterOptionCstChildren, param?: IN): OUT;
  dropStatement(children: DropStatementCstChildren, param?: IN): OUT;
  assertStatement(children: AssertStatementCstChildren, param?: IN): OUT;
  timeout(children: TimeoutCstChildren, param?: IN): OUT;
  statements(children: StatementsCstChildren, param?: IN): OUT;
  deleteStatement(children: DeleteStatementCstChildren, param?: IN): OUT;
  singleExpression(children: SingleExpressionCstChildren, param?: IN): OUT;
  statement(children: StatementCstChildren, param?: IN): OUT;
  listStatement(children: ListStatementCstChildren, param?: IN): OUT;
  describeStatement(children: DescribeStatementCstChildren, param?: IN): OUT;
  printStatement(children: PrintStatementCstChildren, param?: IN): OUT;
  queryControlStatement(children: QueryControlStatementCstChildren, param?: IN): OUT;
  setStatement(children: SetStatementCstChildren, param?: IN): OUT;
  unsetStatement(children: UnsetStatementCstChildren, param?: IN): OUT;
  defineStatement(children: DefineStatementCstChildren, param?: IN): OUT;
  undefineStatement(children: UndefineStatementCstChildren, param?: IN): OUT;
  explainStatement(children: ExplainStatementCstChildren, param?: IN): OUT;
  runScriptStatement(children: RunScriptStatementCstChildren, param?: IN): OUT;
}
