/** Shared helpers for the parser tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A deep copy without `text` and positions (`location`, `…Location`), so trees from different texts compare. */
export function stripLocations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripLocations);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'location' || k.endsWith('Location') || k === 'text') continue;
      out[k] = stripLocations(v);
    }
    return out;
  }
  return value;
}

/** ksqlDB's query-validation tests in ../shared beside the project (this file runs from dist/test/parser); override with KSQLITE_QTT_DIR. */
export const QTT_DIR = process.env['KSQLITE_QTT_DIR'] ?? fileURLToPath(new URL('../../../../shared/conformance/qtt', import.meta.url));

export interface QttCase {
  readonly file: string;
  readonly name: string;
  readonly statements: readonly string[];
  readonly parseFailure: { readonly message: string } | undefined;
}

/** Every QTT test with its statements ({FORMAT} read as JSON). */
export function loadQttCases(): QttCase[] {
  const cases: QttCase[] = [];
  for (const file of readdirSync(QTT_DIR).filter((f) => f.endsWith('.json')).sort()) {
    const doc = JSON.parse(readFileSync(join(QTT_DIR, file), 'utf8')) as {
      tests?: { name: string; statements?: string[]; expectedException?: { type?: string; message?: string } }[];
    };
    for (const t of doc.tests ?? []) {
      const ex = t.expectedException;
      cases.push({
        file,
        name: t.name,
        statements: (t.statements ?? []).map((s) => s.replaceAll('{FORMAT}', 'JSON')),
        parseFailure: ex?.type?.endsWith('ParseFailedException') ? { message: ex.message ?? '' } : undefined,
      });
    }
  }
  return cases;
}
