/**
 * ksqlDB's generator of names for new columns (ColumnNames.columnAliasGenerator):
 * a struct field `s->f` is named after its field, other expressions
 * KSQL_COL_n. A name is split into a stem and a number (`F_2` is stem `F`,
 * number 2; `F` is number 0) and each stem counts up from 0 past the numbers
 * the given column names already use, a number 0 written as the bare stem
 * except for KSQL_COL. So a field `A` beside a column `A` becomes `A_1`.
 */
import type { Expression } from '../parser/ast/expression.js';

const GENERATED = 'KSQL_COL';

export interface ColumnAliasGenerator {
  /** The name for a new column holding `e`. */
  uniqueAliasFor(e: Expression): string;
}

export function columnAliasGenerator(usedNames: Iterable<string>): ColumnAliasGenerator {
  const used = new Map<string, Set<number>>();
  for (const name of usedNames) {
    const { stem, number } = splitNumber(name);
    const numbers = used.get(stem) ?? new Set<number>();
    numbers.add(number);
    used.set(stem, numbers);
  }
  const next = new Map<string, number>();
  const nextFor = (stem: string): string => {
    const taken = used.get(stem);
    let n = next.get(stem) ?? 0;
    while (taken?.has(n)) n++;
    next.set(stem, n + 1);
    return n === 0 && stem !== GENERATED ? stem : `${stem}_${n}`;
  };
  return {
    uniqueAliasFor: (e) => nextFor(e.kind === 'Dereference' ? splitNumber(e.field).stem : GENERATED),
  };
}

function splitNumber(name: string): { stem: string; number: number } {
  const m = /^(.*?)(?:_(\d+))?$/s.exec(name)!;
  return { stem: m[1]!, number: m[2] === undefined ? 0 : Number(m[2]) };
}
