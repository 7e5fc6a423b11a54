/** `ksqlite/udf`: the API extension modules use to define functions (see user-function-api.ts). */
export {
  defineAggregate,
  defineFunction,
  defineTableFunction,
  type AggregateFunctionSpec,
  type AggregateOverload,
  type ScalarFunctionSpec,
  type ScalarOverload,
  type TableFunctionSpec,
  type TableOverload,
  type UserFunction,
  type UserFunctionInfo,
  type UserParam,
} from './user-function-api.js';
