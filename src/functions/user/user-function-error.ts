/**
 * An exception thrown by a user function, named after it. Operators send
 * the record to the processing log with this message and go on; built-in
 * aggregates keep their own rule (an exception stops the query).
 */
export class UserFunctionError extends Error {
  constructor(readonly functionName: string, cause: unknown) {
    super(`Error in user function ${functionName}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'UserFunctionError';
  }
}
