/** ksqlDB's prefix for an error at a place in the statement: `Line: 3, Col: 70: `. */
import type { SourcePosition } from '../common/errors.js';

export function locationPrefix(at: SourcePosition | undefined): string {
  return at === undefined ? '' : `Line: ${at.line}, Col: ${at.column}: `;
}
