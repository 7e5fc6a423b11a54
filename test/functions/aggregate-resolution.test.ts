import test from 'ava';
import { KsqlError } from '../../src/common/errors.js';
import { FunctionRegistry } from '../../src/functions/registry.js';
import { BIGINT, BOOLEAN, DOUBLE, INTEGER, STRING, arrayType, decimalType, mapType, structType } from '../../src/schema/sql-type.js';
import { col, fold, lit, registry } from './aggregate-helper.js';

function errorOf(fn: () => unknown): KsqlError {
  try {
    fn();
  } catch (e) {
    if (e instanceof KsqlError) return e;
    throw e;
  }
  throw new Error('expected a throw');
}

test('aggregates and table functions are listed with their kinds and categories', (t) => {
  const list = registry.list();
  t.deepEqual(list.find((f) => f.name === 'COUNT'), { name: 'COUNT', category: 'AGGREGATE', kind: 'aggregate' });
  t.deepEqual(list.find((f) => f.name === 'EXPLODE'), { name: 'EXPLODE', category: 'TABLE', kind: 'table' });
  for (const name of ['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX', 'COLLECT_LIST', 'COLLECT_SET', 'TOPK', 'TOPKDISTINCT',
    'HISTOGRAM', 'EARLIEST_BY_OFFSET', 'LATEST_BY_OFFSET', 'STDDEV_SAMP', 'STDDEV_SAMPLE', 'CORRELATION', 'ATTR']) {
    t.true(registry.isAggregate(name.toLowerCase()), name);
  }
  t.false(registry.isAggregate('ABS'));
  t.false(registry.isAggregate('NOPE'));
  t.true(registry.isTableFunction('explode'));
  t.true(registry.isTableFunction('CUBE_EXPLODE'));
  t.false(registry.isTableFunction('COUNT'));
});

test('a scalar function is not resolved as an aggregate, nor an aggregate as a scalar', (t) => {
  t.is(errorOf(() => registry.resolveAggregate('ABS', [col(INTEGER)])).code, 'BAD_STATEMENT');
  t.is(errorOf(() => registry.resolve('SUM', [INTEGER])).code, 'BAD_STATEMENT');
  t.is(errorOf(() => registry.resolveAggregate('WONT_FIND', [])).message, "Can't find any functions with the name 'WONT_FIND'");
});

test('a call gives its column arguments, their casts, and its return and intermediate types', (t) => {
  const call = registry.resolveAggregate('CORRELATION', [col(INTEGER), col(BIGINT)]);
  t.deepEqual(call.columnArgs, [0, 1]);
  t.deepEqual(call.paramTypes, [DOUBLE, DOUBLE]);
  t.deepEqual(call.returnType, DOUBLE);
  t.is(call.intermediateType.kind, 'STRUCT');
  t.true(call.supportsTables);
  t.is(typeof call.createAggregator().undo, 'function');
});

test('literal parameters are read at resolve time and are not column arguments', (t) => {
  const call = registry.resolveAggregate('TOPK', [col(INTEGER), lit(INTEGER, 2)]);
  t.deepEqual(call.columnArgs, [0]);
  t.deepEqual(call.returnType, arrayType(INTEGER));
  t.false(call.supportsTables);
  t.is(call.createAggregator().undo, undefined);
  const early = registry.resolveAggregate('EARLIEST_BY_OFFSET', [col(STRING), lit(INTEGER, 2), lit(BOOLEAN, false)]);
  t.deepEqual(early.columnArgs, [0]);
  t.deepEqual(early.returnType, arrayType(STRING));
});

test('a non-literal where a literal is needed is refused in ksqlDB words', (t) => {
  const e = errorOf(() => registry.resolveAggregate('EARLIEST_BY_OFFSET', [{ type: INTEGER, text: 'F0' }, { type: INTEGER, text: 'F0' }]));
  t.is(e.code, 'BAD_STATEMENT');
  t.is(e.message, "Parameter 2 passed to function EARLIEST_BY_OFFSET must be a literal constant, but was expression: 'F0'");
});

test('wrong argument types list the valid alternatives', (t) => {
  const e = errorOf(() => registry.resolveAggregate('HISTOGRAM', [col(INTEGER)]));
  t.true(e.message.startsWith("Function 'HISTOGRAM' does not accept parameters (INTEGER).\nValid alternatives are:\nHISTOGRAM(STRING col)"));
  t.is(errorOf(() => registry.resolveAggregate('SUM', [col(STRING)])).code, 'BAD_STATEMENT');
  t.is(errorOf(() => registry.resolveAggregate('MIN', [col(BOOLEAN)])).code, 'BAD_STATEMENT');
  t.is(errorOf(() => registry.resolveAggregate('CORRELATION', [col(DOUBLE)])).code, 'BAD_STATEMENT');
});

test('a generic aggregate keeps its argument type, structs and collections included', (t) => {
  const s = structType([{ name: 'A', type: STRING }]);
  t.deepEqual(registry.resolveAggregate('COLLECT_LIST', [col(s)]).returnType, arrayType(s));
  t.deepEqual(registry.resolveAggregate('LATEST_BY_OFFSET', [col(mapType(STRING, DOUBLE))]).returnType, mapType(STRING, DOUBLE));
  t.deepEqual(registry.resolveAggregate('ATTR', [col(decimalType(4, 2))]).returnType, decimalType(4, 2));
});

test('a user-defined aggregate with a variadic parameter in the middle resolves by argument count', (t) => {
  const r = new FunctionRegistry();
  r.registerAggregate({
    name: 'MID',
    description: 'sums longs and string lengths, plus a literal',
    variants: [
      {
        params: 'BIGINT a, STRING... b, literal INTEGER c',
        returns: 'BIGINT',
        create: (ctx) => ({
          initialize: () => BigInt(ctx.literals[0] as number),
          add: (acc: bigint, args: readonly unknown[]) =>
            args.reduce<bigint>((s, x) => s + (typeof x === 'string' ? BigInt(x.length) : typeof x === 'bigint' ? x : 0n), acc),
          merge: (x: bigint, y: bigint) => x + y,
          result: (acc: bigint) => acc,
        }),
      },
    ],
  });
  t.true(r.isAggregate('mid'));
  const call = r.resolveAggregate('MID', [col(BIGINT), col(STRING), col(STRING), lit(INTEGER, 5)]);
  t.deepEqual(call.columnArgs, [0, 1, 2]);
  const agg = call.createAggregator();
  t.is(agg.result(agg.add(agg.initialize(), [1n, 'ab', 'c'])), 9n);
  t.deepEqual(r.resolveAggregate('MID', [col(BIGINT), lit(INTEGER, 1)]).columnArgs, [0]);
  const e = errorOf(() => r.resolveAggregate('MID', [col(BIGINT), col(INTEGER), lit(INTEGER, 1)]));
  t.true(e.message.startsWith("Function 'MID' does not accept parameters (BIGINT, INTEGER, INTEGER)."));
  t.true(e.message.includes('MID(BIGINT a, STRING... b, INTEGER c)'));
  t.deepEqual(r.describe('MID').variants[0]!.arguments.map((a) => a.variadic), [false, true, false]);
});

test('collection limits come from the config, with ksqlDB defaults', (t) => {
  const rows = Array.from({ length: 1005 }, (_, i) => [i]);
  t.is((fold('COLLECT_LIST', [col(INTEGER)], rows).results.at(-1) as unknown[]).length, 1000);
  t.deepEqual(fold('COLLECT_LIST', [col(INTEGER)], rows.slice(0, 3), { 'ksql.functions.collect_list.limit': 1 }).results, [[0], [0], [0]]);
  t.deepEqual(fold('COLLECT_SET', [col(INTEGER)], rows.slice(0, 3), { 'ksql.functions.collect_set.limit': '2' }).results, [[0], [0, 1], [0, 1]]);
  t.is((fold('COLLECT_SET', [col(INTEGER)], rows, { 'ksql.functions.collect_set.limit': -1 }).results.at(-1) as unknown[]).length, 1005);
});

test('the config may be anything with a get, such as the engine config', (t) => {
  const config = { get: (name: string) => (name === 'ksql.functions.collect_list.limit' ? 2 : null) };
  t.deepEqual(fold('COLLECT_LIST', [col(INTEGER)], [[1], [2], [3]], config).results.at(-1), [1, 2]);
  t.is((fold('COLLECT_SET', [col(INTEGER)], Array.from({ length: 1001 }, (_, i) => [i]), config).results.at(-1) as unknown[]).length, 1000);
});
