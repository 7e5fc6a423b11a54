/**
 * INSERT INTO ... SELECT: a numeric literal projected into a DECIMAL column
 * of the sink is taken as a literal of that DECIMAL type when its digits fit
 * without loss (ksqlDB's ImplicitlyCastResolver), so `SELECT 1 AS C1` can
 * feed a DECIMAL(5,2) column; and a DECIMAL column fills a sink DECIMAL with
 * as many digits on each side of the point or more (ksqlDB's
 * compatibleSchema), cast to the sink's type so it is written in its scale.
 */
import type { AnalyzedQuery, SelectedColumn } from '../analyzer/query-analyzer.js';
import type { Expression } from '../parser/ast/expression.js';
import { formatJavaDouble } from '../schema/java-text.js';
import type { LogicalSchema } from '../schema/logical-schema.js';
import type { SqlType } from '../schema/sql-type.js';

export function castLiteralsToSink(analysis: AnalyzedQuery, sink: LogicalSchema): AnalyzedQuery {
  let changed = false;
  const values = analysis.values.map((v): SelectedColumn => {
    const to = sink.value.find((c) => c.name === v.name)?.type;
    if (to?.kind !== 'DECIMAL' || v.type.kind === 'DECIMAL' && v.type.precision === to.precision && v.type.scale === to.scale) return v;
    const digits = v.type.kind === 'DECIMAL' ? v.type : literalDigits(v.expression);
    if (digits === undefined || digits.scale > to.scale || digits.precision - digits.scale > to.precision - to.scale) return v;
    changed = true;
    return { ...v, type: to, expression: { kind: 'Cast', operand: v.expression, type: to as SqlType, location: v.expression.location } };
  });
  if (!changed) return analysis;
  return {
    ...analysis,
    values,
    outputSchema: { ...analysis.outputSchema, value: values.map((v) => ({ name: v.name, type: v.type, namespace: 'VALUE' as const })) },
  };
}

/** A numeric literal's SQL decimal precision and scale, as Java's BigDecimal of its value gives them. */
function literalDigits(e: Expression): { precision: number; scale: number } | undefined {
  let text: string;
  switch (e.kind) {
    case 'IntegerLiteral': text = String(e.value); break;
    case 'BigIntLiteral': text = e.value.toString(); break;
    case 'DecimalLiteral': text = e.text; break;
    case 'DoubleLiteral': text = formatJavaDouble(e.value); break;
    default: return undefined;
  }
  const m = /^-?(\d*)(?:\.(\d*))?$/.exec(text);
  if (m === null) return undefined;
  const scale = (m[2] ?? '').length;
  const unscaled = `${m[1]}${m[2] ?? ''}`.replace(/^0+(?=\d)/, '');
  // SQL counts the zeros after the point that BigDecimal's precision leaves out (0.005: precision 3).
  return { precision: Math.max(unscaled.length, scale), scale };
}
