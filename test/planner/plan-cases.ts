/**
 * Representative persistent queries whose planned graphs the golden tests
 * pin (plan-golden.test.ts): each case declares its sources, then runs one
 * CREATE ... AS SELECT or INSERT INTO whose query id is `queryId`. Push
 * queries (PUSH_PLAN_CASES) are pinned as EXPLAIN plans them.
 */
export interface PlanCase {
  readonly name: string;
  readonly setup: string;
  readonly statement: string;
  readonly queryId: string;
}

const S = "CREATE STREAM S (ID INT KEY, A INT, B STRING, ARR ARRAY<INT>) WITH (KAFKA_TOPIC='s', PARTITIONS=2, VALUE_FORMAT='JSON');";
const S2 = "CREATE STREAM S2 (ID INT KEY, C STRING) WITH (KAFKA_TOPIC='s2', PARTITIONS=2, VALUE_FORMAT='JSON');";
const T = "CREATE TABLE T (ID INT PRIMARY KEY, NAME STRING, REGION STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=2, VALUE_FORMAT='JSON');";
const T2 = "CREATE TABLE T2 (ID INT PRIMARY KEY, SCORE INT) WITH (KAFKA_TOPIC='t2', PARTITIONS=2, VALUE_FORMAT='JSON');";
const FK_TABLES = "CREATE TABLE L (L_ID INT PRIMARY KEY, FK STRING, NAME STRING) WITH (KAFKA_TOPIC='l', PARTITIONS=3, VALUE_FORMAT='JSON');"
  + " CREATE TABLE R (R_ID STRING PRIMARY KEY, CITY STRING) WITH (KAFKA_TOPIC='r', PARTITIONS=4, VALUE_FORMAT='JSON');";
const ONE_PARTITION_TABLES = "CREATE TABLE ORDERS (OID INT PRIMARY KEY, CID INT, AMOUNT INT) WITH (KAFKA_TOPIC='orders', PARTITIONS=1, VALUE_FORMAT='JSON');"
  + " CREATE TABLE CUSTOMERS (CID INT PRIMARY KEY, NAME STRING) WITH (KAFKA_TOPIC='customers', PARTITIONS=1, VALUE_FORMAT='JSON');";

export const PLAN_CASES: readonly PlanCase[] = [
  { name: 'csas-filter-project', setup: S, statement: "CREATE STREAM OUT AS SELECT ID, A * 2 AS A2, UCASE(B) AS B, CASE WHEN A > 10 THEN 'big' ELSE 'small' END AS KIND FROM S WHERE A > 1 AND B LIKE 'x%';", queryId: 'CSAS_OUT_0' },
  { name: 'partition-by', setup: S, statement: 'CREATE STREAM OUT AS SELECT * FROM S PARTITION BY B;', queryId: 'CSAS_OUT_0' },
  { name: 'group-by-non-key', setup: S, statement: 'CREATE TABLE OUT AS SELECT B, COUNT(*) AS C, SUM(A) AS TOTAL FROM S GROUP BY B;', queryId: 'CTAS_OUT_0' },
  { name: 'windowed-aggregate', setup: S, statement: 'CREATE TABLE OUT AS SELECT ID, COUNT(*) AS C, MAX(A) AS M FROM S WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 10 SECONDS) GROUP BY ID HAVING COUNT(*) > 1;', queryId: 'CTAS_OUT_0' },
  { name: 'table-group-by', setup: T, statement: 'CREATE TABLE OUT AS SELECT REGION, COUNT(*) AS C FROM T GROUP BY REGION;', queryId: 'CTAS_OUT_0' },
  { name: 'stream-table-join-non-key', setup: S + T, statement: 'CREATE STREAM OUT AS SELECT S.A AS A, S.ID AS SID, T.NAME FROM S JOIN T ON S.A = T.ID;', queryId: 'CSAS_OUT_0' },
  { name: 'stream-stream-join', setup: S + S2, statement: 'CREATE STREAM OUT AS SELECT S.ID AS ID, S.B, S2.C FROM S LEFT JOIN S2 WITHIN 1 MINUTE ON S.ID = S2.ID;', queryId: 'CSAS_OUT_0' },
  { name: 'table-table-join', setup: T + T2, statement: 'CREATE TABLE OUT AS SELECT T.ID AS ID, T.NAME, T2.SCORE FROM T JOIN T2 ON T.ID = T2.ID;', queryId: 'CTAS_OUT_0' },
  { name: 'n-way-join', setup: S + T + T2, statement: 'CREATE STREAM OUT AS SELECT S.A AS A, S.ID AS SID, T.NAME, T2.SCORE FROM S JOIN T ON S.A = T.ID JOIN T2 ON T.ID = T2.ID;', queryId: 'CSAS_OUT_0' },
  { name: 'foreign-key-join', setup: ONE_PARTITION_TABLES, statement: 'CREATE TABLE OUT AS SELECT O.OID AS OID, O.AMOUNT, C.NAME FROM ORDERS O JOIN CUSTOMERS C ON O.CID = C.CID;', queryId: 'CTAS_OUT_0' },
  { name: 'foreign-key-join-partitions', setup: FK_TABLES, statement: 'CREATE TABLE OUT AS SELECT L_ID, NAME, CITY FROM L LEFT JOIN R ON FK = R_ID;', queryId: 'CTAS_OUT_0' },
  { name: 'explode', setup: S, statement: 'CREATE STREAM OUT AS SELECT ID, EXPLODE(ARR) AS V, B FROM S;', queryId: 'CSAS_OUT_0' },
  { name: 'insert-into', setup: S + "CREATE STREAM TARGET (ID INT KEY, B STRING) WITH (KAFKA_TOPIC='target', PARTITIONS=2, VALUE_FORMAT='JSON');", statement: "INSERT INTO TARGET WITH (QUERY_ID='INSERT_1') SELECT ID, CONCAT(B, '!') AS B FROM S;", queryId: 'INSERT_1' },
];

/** Push queries: no sink, so the last sub-topology's rows go to the client. */
export const PUSH_PLAN_CASES: readonly Omit<PlanCase, 'queryId'>[] = [
  { name: 'push-stream-table-join', setup: S + T, statement: 'SELECT S.ID, T.NAME FROM S JOIN T ON S.A = T.ID EMIT CHANGES;' },
  { name: 'push-foreign-key-join', setup: FK_TABLES, statement: 'SELECT L_ID, NAME, CITY FROM L JOIN R ON FK = R_ID EMIT CHANGES;' },
];
