/** A list in words, as ksqlDB's GrammaticalJoiner writes it: `A`, `A and B`, `A, B and C`. */
export function andList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
