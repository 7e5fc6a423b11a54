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
export { formatTimestampText, parseTimestampText } from './catalogue/datetime-functions.js';
