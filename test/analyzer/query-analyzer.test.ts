import test from 'ava';
import { analyzeQuery } from '../../src/analyzer/query-analyzer.js';
import type { AnalysisContext } from '../../src/analyzer/analysis-context.js';
import { createFunctionRegistry } from '../../src/functions/builtin-functions.js';
import { parseStatements } from '../../src/parser/index.js';
import { formatLogicalSchema } from '../../src/schema/logical-schema.js';
import type { Query } from '../../src/parser/ast/query.js';

const INT = { kind: 'INTEGER' } as const;
const context: AnalysisContext = {
  lookupSource: (name) => name === 'S'
    ? {
        name: 'S', kind: 'STREAM', windowed: false,
        schema: {
          key: [{ name: 'K', type: INT, namespace: 'KEY' }, { name: 'K2', type: INT, namespace: 'KEY' }],
          value: [{ name: 'V', type: INT, namespace: 'VALUE' }, { name: 'W', type: INT, namespace: 'VALUE' }],
        },
      }
    : undefined,
  lookupType: () => undefined,
  functions: createFunctionRegistry(),
  sinkName: 'OUT',
};

function outputOf(select: string): string {
  const [statement] = parseStatements(`CREATE STREAM OUT AS ${select};`);
  if (statement?.kind !== 'CreateStreamAsSelect') throw new Error('not a CSAS');
  return formatLogicalSchema(analyzeQuery(statement.query as Query, context).outputSchema);
}

test('with PARTITION BY a column, * lists the values first and the former keys after them', (t) => {
  t.is(outputOf('SELECT * FROM S PARTITION BY K'), '`K` INTEGER KEY, `V` INTEGER, `W` INTEGER, `K2` INTEGER');
  t.is(outputOf('SELECT * FROM S PARTITION BY V'), '`V` INTEGER KEY, `W` INTEGER, `K` INTEGER, `K2` INTEGER');
});

test('with PARTITION BY an expression or a pseudo column, * includes the new key column', (t) => {
  t.is(outputOf('SELECT * FROM S PARTITION BY V + 1'), '`KSQL_COL_0` INTEGER KEY, `V` INTEGER, `W` INTEGER, `K` INTEGER, `K2` INTEGER');
  t.is(outputOf('SELECT * FROM S PARTITION BY ROWOFFSET'), '`ROWOFFSET` BIGINT KEY, `V` INTEGER, `W` INTEGER, `K` INTEGER, `K2` INTEGER');
});

test('a TIMESTAMP column the projection lacks is reported before a missing key column', (t) => {
  const [statement] = parseStatements('CREATE STREAM OUT AS SELECT V FROM S;');
  if (statement?.kind !== 'CreateStreamAsSelect') throw new Error('not a CSAS');
  t.throws(() => analyzeQuery(statement.query as Query, { ...context, sinkTimestampColumn: 'TS' }),
    { message: "The TIMESTAMP column set in the WITH clause does not exist in the schema: 'TS'" });
});

test('a SELECT expression left out of the GROUP BY is named in the error without back-quotes', (t) => {
  const [statement] = parseStatements('CREATE TABLE OUT AS SELECT SUBSTRING(CAST(V AS STRING), 1, 1) AS X, COUNT(*) FROM S GROUP BY W;');
  if (statement?.kind !== 'CreateTableAsSelect') throw new Error('not a CTAS');
  t.throws(() => analyzeQuery(statement.query as Query, context), {
    message: /^Non-aggregate SELECT expression\(s\) not part of GROUP BY: SUBSTRING\(CAST\(V AS STRING\), 1, 1\)/,
  });
});

test('an aggregate parameter that must be a literal names the expression written in its place', (t) => {
  const [statement] = parseStatements('CREATE TABLE OUT AS SELECT K, K2, EARLIEST_BY_OFFSET(V, W + 1) FROM S GROUP BY K, K2;');
  if (statement?.kind !== 'CreateTableAsSelect') throw new Error('not a CTAS');
  t.throws(() => analyzeQuery(statement.query as Query, context), {
    message: "Parameter 2 passed to function EARLIEST_BY_OFFSET must be a literal constant, but was expression: '(W + 1)'",
  });
});

test('the table functions of a SELECT become synthetic columns that the projection reads', (t) => {
  const [statement] = parseStatements('CREATE STREAM OUT AS SELECT K, K2, EXPLODE(ARRAY[V, W]) AS X, EXPLODE(ARRAY[V, W]) + 1 AS Y FROM S;');
  if (statement?.kind !== 'CreateStreamAsSelect') throw new Error('not a CSAS');
  const analysis = analyzeQuery(statement.query as Query, context);
  t.deepEqual(analysis.tableFunctions.map((f) => [f.name, f.functionName, f.type.kind]), [['KSQL_SYNTH_0', 'EXPLODE', 'INTEGER']]);
  t.is(formatLogicalSchema(analysis.outputSchema), '`K` INTEGER KEY, `K2` INTEGER KEY, `X` INTEGER, `Y` INTEGER');
});

test('window bounds in the WHERE of a query over an unwindowed source are unknown columns, even inside an aggregate call', (t) => {
  const [statement] = parseStatements('CREATE TABLE OUT AS SELECT K, COUNT(*) AS C FROM S WINDOW TUMBLING (SIZE 1 SECOND) WHERE MIN(WINDOWEND) < 5 GROUP BY K;');
  if (statement?.kind !== 'CreateTableAsSelect') throw new Error('not a CTAS');
  t.throws(() => analyzeQuery(statement.query as Query, context), { message: 'Error in WHERE expression: Unknown column WINDOWEND.' });
});

test('a key column projected more than once names its aliases in alphabetical order, with ksqlDB advice', (t) => {
  const [statement] = parseStatements('CREATE STREAM OUT AS SELECT K, K AS A, K2, V FROM S;');
  if (statement?.kind !== 'CreateStreamAsSelect') throw new Error('not a CSAS');
  t.throws(() => analyzeQuery(statement.query as Query, context), {
    message: 'The projection contains a key column (`K`) more than once, aliased as: A and K.\n'
      + 'Each key column must only be in the projection once. If you intended to copy the key into the value, '
      + 'then consider using the AS_VALUE function to indicate which key reference should be copied.',
  });
});

test('PARTITION BY several expressions names each unprojected expression with the next generated name', (t) => {
  t.is(outputOf('SELECT * FROM S PARTITION BY V, W + 1'), '`V` INTEGER KEY, `KSQL_COL_0` INTEGER KEY, `W` INTEGER, `K` INTEGER, `K2` INTEGER');
});

test('GROUP BY errors name nested aggregates by their names and advise a WHERE for stray HAVING columns', (t) => {
  const nested = parseStatements('CREATE TABLE OUT AS SELECT K, SUM(COUNT(V) + 1) AS X FROM S GROUP BY K;')[0];
  if (nested?.kind !== 'CreateTableAsSelect') throw new Error('not a CTAS');
  t.throws(() => analyzeQuery(nested.query as Query, context), { message: 'Aggregate functions can not be nested: SUM(COUNT())' });
  const having = parseStatements('CREATE TABLE OUT AS SELECT K, COUNT(*) AS C FROM S GROUP BY K HAVING W > 1;')[0];
  if (having?.kind !== 'CreateTableAsSelect') throw new Error('not a CTAS');
  t.throws(() => analyzeQuery(having.query as Query, context), {
    message: 'Non-aggregate HAVING expression not part of GROUP BY: W\nConsider switching the HAVING clause to a WHERE clause before the GROUP BY.',
  });
});

test('a window RETENTION shorter than its size (or gap) plus grace is refused, the default grace of a day included', (t) => {
  const analyzeCtas = (sql: string): unknown => {
    const [statement] = parseStatements(`CREATE TABLE OUT AS SELECT K, K2, COUNT(*) AS C FROM S ${sql} GROUP BY K, K2;`);
    if (statement?.kind !== 'CreateTableAsSelect') throw new Error('not a CTAS');
    return analyzeQuery(statement.query as Query, context);
  };
  t.throws(() => analyzeCtas('WINDOW TUMBLING (SIZE 1 SECOND, RETENTION 2 SECONDS, GRACE PERIOD 5 SECONDS)'), {
    message: 'The retention period of the window store Aggregate-Aggregate-Materialize must be no smaller than its window size plus the grace period. '
      + 'Got size=[1000], grace=[5000], retention=[2000]',
  });
  t.throws(() => analyzeCtas('WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 5 SECONDS, RETENTION 1 HOUR)'), {
    message: /window size plus the grace period\. Got size=\[10000\], grace=\[86390000\], retention=\[3600000\]$/,
  });
  t.throws(() => analyzeCtas('WINDOW SESSION (30 SECONDS, RETENTION 40 SECONDS, GRACE PERIOD 20 SECONDS)'), {
    message: 'The retention period of the session store Aggregate-Aggregate-Materialize must be no smaller than the session inactivity gap plus the grace period. '
      + 'Got gap=[30000], grace=[20000], retention=[40000]',
  });
  t.notThrows(() => analyzeCtas('WINDOW TUMBLING (SIZE 1 SECOND, RETENTION 6 SECONDS, GRACE PERIOD 5 SECONDS)'));
});

test('PARTITION BY and SELECT name a struct field after the field, numbered past the names the source uses, as ksqlDB\'s alias generator does', (t) => {
  const struct = { kind: 'STRUCT', fields: [{ name: 'V', type: INT }, { name: 'X_2', type: INT }] } as const;
  const withStruct: AnalysisContext = {
    ...context,
    lookupSource: (name) => name === 'S'
      ? {
          name: 'S', kind: 'STREAM', windowed: false,
          schema: {
            key: [{ name: 'K', type: INT, namespace: 'KEY' }],
            value: [{ name: 'V', type: INT, namespace: 'VALUE' }, { name: 'V_1', type: INT, namespace: 'VALUE' }, { name: 'C', type: struct, namespace: 'VALUE' }],
          },
        }
      : undefined,
  };
  const output = (select: string): string => {
    const [statement] = parseStatements(`CREATE STREAM OUT AS ${select};`);
    if (statement?.kind !== 'CreateStreamAsSelect') throw new Error('not a CSAS');
    return formatLogicalSchema(analyzeQuery(statement.query as Query, withStruct).outputSchema);
  };
  t.is(output('SELECT * FROM S PARTITION BY C->V'),
    '`V_2` INTEGER KEY, `V` INTEGER, `V_1` INTEGER, `C` STRUCT<`V` INTEGER, `X_2` INTEGER>, `K` INTEGER');
  t.is(output('SELECT * FROM S PARTITION BY C->X_2'),
    '`X` INTEGER KEY, `V` INTEGER, `V_1` INTEGER, `C` STRUCT<`V` INTEGER, `X_2` INTEGER>, `K` INTEGER');
  t.is(output('SELECT K, C->X_2, C->V FROM S'), '`K` INTEGER KEY, `X` INTEGER, `V_2` INTEGER');
});

test('PARTITION BY on a table may only name its key column, as ksqlDB cannot repartition a table', (t) => {
  const table: AnalysisContext = {
    ...context,
    lookupSource: (name) => (name === 'T' || name === 'M')
      ? {
          name, kind: 'TABLE', windowed: false,
          schema: {
            key: name === 'T' ? [{ name: 'ID', type: INT, namespace: 'KEY' }] : [{ name: 'ID', type: INT, namespace: 'KEY' }, { name: 'ID2', type: INT, namespace: 'KEY' }],
            value: [{ name: 'A', type: INT, namespace: 'VALUE' }],
          },
        }
      : undefined,
  };
  const analyze = (select: string): unknown => {
    const [statement] = parseStatements(`CREATE TABLE OUT AS ${select};`);
    if (statement?.kind !== 'CreateTableAsSelect') throw new Error('not a CTAS');
    return analyzeQuery(statement.query as Query, table);
  };
  t.throws(() => analyze('SELECT * FROM T PARTITION BY A'), {
    message: "Cannot repartition a TABLE source. If this is a join, make sure that the criteria uses the TABLE's key column ID instead of [A]",
  });
  t.throws(() => analyze('SELECT * FROM M PARTITION BY ID'), {
    message: 'Cannot repartition a TABLE source. If this is a join, joins on tables with multiple columns is not yet supported.',
  });
  t.notThrows(() => analyze('SELECT * FROM T PARTITION BY ID'));
});

test('a PARTITION BY whose expressions the projection lacks names them as partitioning expressions, as written (ksqlDB\'s UserRepartitionNode)', (t) => {
  t.throws(() => outputOf('SELECT W FROM S PARTITION BY V'), {
    message: 'Key missing from projection (ie, SELECT). \nThe query used to build `OUT` must include the partitioning expression V in its projection (eg, SELECT V...).',
  });
  t.throws(() => outputOf('SELECT V, W FROM S PARTITION BY V, S.W + 1'), {
    message: 'Keys missing from projection (ie, SELECT). \nThe query used to build `OUT` must include the partitioning expressions V and (S.W + 1) in its projection (eg, SELECT V, (S.W + 1)...).',
  });
});

test('a projection of keys only is refused for its missing value columns before its missing keys, as ksqlDB checks', (t) => {
  t.throws(() => outputOf('SELECT K FROM S'), { message: 'The projection contains no value columns.' });
});
