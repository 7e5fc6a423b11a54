/**
 * A user function as the registry holds it: its overloads turned into the
 * registry's variants (the same signatures and resolution rules as the
 * built-ins), every call wrapped so an exception names the function.
 */
import type { SqlType } from '../../schema/sql-type.js';
import { defineAggregate, type Aggregator } from '../aggregate-function.js';
import { defineScalar, type FunctionDefinition, type ScalarImpl } from '../function-definition.js';
import { parseParamType } from '../param-type.js';
import { defineTableFunction } from '../table-function.js';
import { parseSqlTypeText } from './sql-type-text.js';
import type { UserFunction, UserParam } from './user-function-api.js';
import { UserFunctionError } from './user-function-error.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Throws an Error saying what is wrong with the definition. */
export function toFunctionDefinition(fn: UserFunction): FunctionDefinition {
  if (typeof fn.name !== 'string' || !NAME.test(fn.name)) throw new Error(`a function name must be an identifier: ${String(fn.name)}`);
  if (!Array.isArray(fn.overloads) || fn.overloads.length === 0) throw new Error(`function ${fn.name} has no overloads`);
  const name = fn.name.toUpperCase();
  const description = typeof fn.description === 'string' ? fn.description : '';
  switch (fn.ksqliteFunction) {
    case 'scalar':
      return defineScalar({
        name,
        category: 'OTHER',
        description,
        deterministic: fn.deterministic ?? true,
        variants: fn.overloads.map((o) => {
          const impl = requireFunction(o.implementation, name, 'implementation');
          return { params: paramText(o.params), returns: returnSpec(o.returns), description: o.description ?? description, impl: named(name, impl) };
        }),
      });
    case 'table':
      return defineTableFunction({
        name,
        description,
        variants: fn.overloads.map((o) => {
          const impl = requireFunction(o.implementation, name, 'implementation');
          return { params: paramText(o.params), returns: returnSpec(o.returns), description: o.description ?? description, impl: named(name, impl) };
        }),
      });
    case 'aggregate':
      return defineAggregate({
        name,
        description,
        variants: fn.overloads.map((o) => {
          for (const m of ['initialize', 'add', 'merge', 'result'] as const) requireFunction(o[m], name, m);
          return {
            params: o.params.map((p: UserParam & { readonly literal?: boolean }) => `${p.literal === true ? 'literal ' : ''}${paramPart(p)}`).join(', '),
            returns: returnSpec(o.returns),
            ...(o.intermediate === undefined ? {} : { intermediate: returnSpec(o.intermediate) }),
            description: o.description ?? description,
            table: typeof o.undo === 'function',
            create: (ctx): Aggregator => {
              const guard = <T>(f: () => T): T => {
                try {
                  return f();
                } catch (error) {
                  throw new UserFunctionError(name, error);
                }
              };
              const undo = o.undo;
              return {
                initialize: () => guard(() => o.initialize(...ctx.literals)),
                add: (acc, args) => guard(() => o.add(acc, ...args)),
                ...(undo === undefined ? {} : { undo: (acc: unknown, args: readonly unknown[]) => guard(() => undo.call(o, acc, ...args)) }),
                merge: (a, b) => guard(() => o.merge(a, b)),
                result: (acc) => guard(() => o.result(acc)),
              };
            },
          };
        }),
      });
  }
}

function paramPart(p: UserParam): string {
  if (typeof p.name !== 'string' || !NAME.test(p.name)) throw new Error(`a parameter name must be an identifier: ${String(p.name)}`);
  if (typeof p.type !== 'string') throw new Error(`parameter ${p.name} has no type`);
  return `${p.type}${p.variadic === true ? '...' : ''} ${p.name}`;
}

function paramText(params: readonly UserParam[]): string {
  return params.map(paramPart).join(', ');
}

/** A pattern (`STRING`, `ARRAY<T>`) as the built-ins write it; else a concrete type such as `DECIMAL(4, 2)`. */
function returnSpec(text: string): string | (() => SqlType) {
  if (typeof text !== 'string') throw new Error('a return type must be SQL type text');
  try {
    parseParamType(text);
    return text;
  } catch {
    const concrete = parseSqlTypeText(text);
    if (concrete === undefined) throw new Error(`unknown return type ${text}`);
    return () => concrete;
  }
}

function requireFunction<F>(f: F, name: string, what: string): F {
  if (typeof f !== 'function') throw new Error(`function ${name}: ${what} must be a function`);
  return f;
}

function named(name: string, impl: ScalarImpl): ScalarImpl {
  return (...args) => {
    try {
      return impl(...args);
    } catch (error) {
      throw new UserFunctionError(name, error);
    }
  };
}
