/**
 * The functions layer's public surface: the registry (see registry.ts for
 * how the analyzer and expression compiler use it), the definition helpers
 * for adding functions, and the type-pattern language.
 */
export { BUILTIN_SCALAR_FUNCTIONS, createFunctionRegistry } from './builtin-functions.js';
export {
  defineScalar,
  parseParamList,
  type BindContext,
  type FunctionCategory,
  type FunctionDefinition,
  type FunctionKind,
  type ParamSpec,
  type ReturnSpec,
  type ScalarFunction,
  type ScalarImpl,
  type ScalarVariant,
  type ScalarVariantInput,
  type VariantSignature,
} from './function-definition.js';
export {
  defineAggregate,
  readConfig,
  type AggregateBindContext,
  type AggregateConfig,
  type AggregateFunction,
  type AggregateFunctionInput,
  type AggregateVariant,
  type AggregateVariantInput,
  type Aggregator,
} from './aggregate-function.js';
export { AGGREGATE_FUNCTIONS } from './aggregates/index.js';
export { type AggregateArgument, type ResolvedAggregateCall } from './resolve-aggregate.js';
export {
  defineTableFunction,
  type ResolvedTableFunctionCall,
  type TableFunction,
  type TableFunctionInput,
} from './table-function.js';
export { TABLE_FUNCTIONS } from './table-functions.js';
export { formatParamType, parseParamType, type ParamType } from './param-type.js';
export {
  FunctionRegistry,
  type FunctionDescription,
  type FunctionSummary,
  type ResolvedScalarCall,
  type VariantDescription,
} from './registry.js';
export {
  canImplicitlyCast,
  resolveVariant,
  type ArgumentType,
  type LambdaArgument,
  type ResolvedVariant,
} from './resolve-variant.js';
export { formatTimestampText, javaPatternError, parseTimestampText } from './catalogue/datetime-functions.js';
