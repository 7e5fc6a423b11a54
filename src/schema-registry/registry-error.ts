/**
 * The Schema Registry's errors, with Confluent's codes: a separate table from
 * src/common/errors.ts because this API is Confluent's, not ksqlDB's, and its
 * clients read `{"error_code": ..., "message": ...}` with these numbers. The
 * HTTP status is the code's first three digits (409 stands alone).
 */
const REGISTRY_ERROR_CODES = {
  SUBJECT_NOT_FOUND: 40401,
  VERSION_NOT_FOUND: 40402,
  SCHEMA_NOT_FOUND: 40403,
  SUBJECT_SOFT_DELETED: 40404,
  SUBJECT_NOT_SOFT_DELETED: 40405,
  VERSION_SOFT_DELETED: 40406,
  VERSION_NOT_SOFT_DELETED: 40407,
  SUBJECT_LEVEL_CONFIG_NOT_CONFIGURED: 40408,
  INCOMPATIBLE_SCHEMA: 409,
  INVALID_SCHEMA: 42201,
  INVALID_VERSION: 42202,
  INVALID_COMPATIBILITY_LEVEL: 42203,
  REFERENCE_EXISTS: 42206,
  BAD_REQUEST: 400,
  STORE_ERROR: 50001,
} as const;

type RegistryErrorName = keyof typeof REGISTRY_ERROR_CODES;

export class RegistryError extends Error {
  readonly errorCode: number;

  constructor(reason: RegistryErrorName, message: string) {
    super(message);
    this.name = 'RegistryError';
    this.errorCode = REGISTRY_ERROR_CODES[reason];
  }

  get httpStatus(): number {
    return this.errorCode < 1000 ? this.errorCode : Math.floor(this.errorCode / 100);
  }

  toBody(): { error_code: number; message: string } {
    return { error_code: this.errorCode, message: this.message };
  }
}

export function isRegistryError(error: unknown): error is RegistryError {
  return error instanceof RegistryError;
}
