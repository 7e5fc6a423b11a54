/**
 * Parser throughput over every QTT statement: statements per second, against
 * a trivial baseline over the same texts in the same run (JSON round trip of
 * each statement string), so the ratio is comparable across machines.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseStatements } from '../src/parser/index.js';

/** ksqlDB's query-validation tests in ../shared beside the project (this file runs from dist/bench); override with KSQLITE_QTT_DIR. */
const QTT_DIR = process.env['KSQLITE_QTT_DIR'] ?? fileURLToPath(new URL('../../../shared/conformance/qtt', import.meta.url));

function loadStatements(): string[] {
  const out: string[] = [];
  for (const file of readdirSync(QTT_DIR).filter((f) => f.endsWith('.json'))) {
    const doc = JSON.parse(readFileSync(join(QTT_DIR, file), 'utf8')) as {
      tests?: { statements?: string[]; expectedException?: { type?: string } }[];
    };
    for (const t of doc.tests ?? []) {
      if (t.expectedException?.type?.endsWith('ParseFailedException')) continue;
      for (const s of t.statements ?? []) out.push(s.replaceAll('{FORMAT}', 'JSON'));
    }
  }
  return out;
}

/** Statements per second of `work` over `texts`, running whole passes for at least `minMs`. */
function measure(texts: readonly string[], work: (text: string) => unknown, minMs: number): number {
  let count = 0;
  let sink = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (const t of texts) {
      const r = work(t);
      if (r !== undefined) sink++;
    }
    count += texts.length;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  if (sink < 0) console.log(sink);
  return (count / elapsed) * 1000;
}

export function runParseBench(): void {
  const texts = loadStatements();
  const parse = (t: string) => parseStatements(t);
  const baseline = (t: string) => JSON.parse(JSON.stringify(t)) as unknown;
  measure(texts, parse, 500);
  measure(texts, baseline, 200);
  const value = measure(texts, parse, 3000);
  const limit = measure(texts, baseline, 1000);
  const f = (n: number) => n.toFixed(0);
  console.log(`statements: ${texts.length}`);
  console.log(`RESULT parse.qtt ${f(value)} statements/s limit=${f(limit)} ratio=${(value / limit).toFixed(4)}`);
}
