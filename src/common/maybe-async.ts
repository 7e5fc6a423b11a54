/**
 * A value now or later. The log's batch-boundary calls return one: the
 * embedded log answers at once, a remote log (Kafka) later. Callers chain on
 * it with `andThen`, which stays synchronous for a value that is already
 * there, so the embedded path allocates no promise at all.
 */
export type MaybeAsync<T> = T | Promise<T>;

export function isPromise<T>(value: MaybeAsync<T>): value is Promise<T> {
  return value instanceof Promise;
}

/** `next(value)`, at once when `value` is there, else when it arrives. */
export function andThen<T, U>(value: MaybeAsync<T>, next: (value: T) => MaybeAsync<U>): MaybeAsync<U> {
  return isPromise(value) ? value.then(next) : next(value);
}

/** Every value, at once when none is pending, else when all have arrived. */
export function allOf<T>(values: readonly MaybeAsync<T>[]): MaybeAsync<T[]> {
  return values.some(isPromise) ? Promise.all(values) : (values as T[]);
}

/** `run()`; when it throws or rejects, `undo()` runs and then that error goes on (not one of `undo`'s). */
export function undoOnFailure<T>(run: () => MaybeAsync<T>, undo: () => MaybeAsync<void>): MaybeAsync<T> {
  const rethrow = (error: unknown): MaybeAsync<never> => {
    let undone: MaybeAsync<void>;
    try {
      undone = undo();
    } catch {
      throw error;
    }
    const fail = (): never => {
      throw error;
    };
    return isPromise(undone) ? undone.then(fail, fail) : fail();
  };
  let value: MaybeAsync<T>;
  try {
    value = run();
  } catch (error) {
    return rethrow(error);
  }
  return isPromise(value) ? value.catch(rethrow) : value;
}
