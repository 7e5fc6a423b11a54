/**
 * Where a node came from in the text given to the parser. `line` and `column`
 * are 1-based, `offset` is 0-based into the whole text, `length` counts UTF-16
 * code units (JavaScript string indices).
 */
export interface SourceLocation {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly length: number;
}

/** The location of nodes that the parser did not make (built by later passes). */
export const NO_LOCATION: SourceLocation = Object.freeze({ line: 0, column: 0, offset: 0, length: 0 });

/** The smallest location covering both `a` and `b` (`a` must start first). */
export function spanLocations(a: SourceLocation, b: SourceLocation): SourceLocation {
  const end = Math.max(a.offset + a.length, b.offset + b.length);
  return { line: a.line, column: a.column, offset: a.offset, length: end - a.offset };
}
