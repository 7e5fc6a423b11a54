/**
 * Compatibility levels and what each checks when a new schema joins a
 * subject. BACKWARD: the new schema reads data written with the latest one;
 * FORWARD: the latest reads data written with the new one; FULL: both. The
 * _TRANSITIVE variants check against every live version instead of the latest.
 */
import { readProblems, type ParsedSchema } from './parse-schema.js';

const COMPATIBILITY_LEVELS = ['NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE'] as const;

export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

export const DEFAULT_COMPATIBILITY_LEVEL: CompatibilityLevel = 'BACKWARD';

export function isCompatibilityLevel(value: unknown): value is CompatibilityLevel {
  return typeof value === 'string' && (COMPATIBILITY_LEVELS as readonly string[]).includes(value);
}

/**
 * Why `candidate` may not follow `previous` (the subject's live versions,
 * oldest first) under `level`; empty when it may.
 */
export function compatibilityProblems(level: CompatibilityLevel, candidate: ParsedSchema, previous: readonly ParsedSchema[]): string[] {
  if (level === 'NONE' || previous.length === 0) return [];
  const against = level.endsWith('_TRANSITIVE') ? previous : previous.slice(-1);
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  const problems: string[] = [];
  for (const old of against) {
    if (backward) problems.push(...readProblems(candidate, old));
    if (forward) problems.push(...readProblems(old, candidate));
  }
  return problems;
}
