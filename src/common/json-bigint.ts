/**
 * JSON text for internal records (commands, plans) that may hold bigints
 * (BIGINT literals in expression ASTs): a bigint is written as
 * {"$bigint": "digits"} and read back as a bigint.
 */
export function stringifyWithBigInt(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v));
}

export function parseWithBigInt(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && typeof (v as { $bigint?: unknown }).$bigint === 'string'
      ? BigInt((v as { $bigint: string }).$bigint)
      : v,
  );
}
