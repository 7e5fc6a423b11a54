/**
 * ksqlDB's earlier test layout (ksql-test-runner): a folder holding
 * `statements.sql`, `input.json` (`{"inputs": [{topic, key, value,
 * timestamp}]}`, optional) and `output.json` (`{"outputs": [{topic, key,
 * value, timestamp?, window?}]}`). The statements run, the inputs are
 * written in order, and each topic's records must be the expected ones in
 * order: key and value compared as JSON, timestamp and window when given.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FunctionRegistry } from '../functions/registry.js';
import { TestDriver, type OutputRecord } from './test-driver.js';

export const STATEMENTS_FILE = 'statements.sql';
const INPUT_FILE = 'input.json';
const OUTPUT_FILE = 'output.json';

export interface FolderTest {
  readonly name: string;
  readonly dir: string;
}

export interface FolderTestOutcome {
  readonly passed: boolean;
  readonly message: string;
}

interface TopicRecord {
  readonly topic: string;
  readonly key?: unknown;
  readonly value?: unknown;
  readonly timestamp?: number;
  readonly window?: { readonly start: number; readonly end: number; readonly type?: string };
}

/** The folder test of `dir`, when it holds the statements and output files. */
export function folderTestOf(dir: string): FolderTest | undefined {
  return existsSync(join(dir, STATEMENTS_FILE)) && existsSync(join(dir, OUTPUT_FILE)) ? { name: basename(dir), dir } : undefined;
}

function readRecords(file: string, field: 'inputs' | 'outputs'): TopicRecord[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const records = parsed[field];
  if (!Array.isArray(records)) throw new Error(`${file}: expected an object with an array "${field}"`);
  for (const r of records) {
    if (typeof (r as TopicRecord | null)?.topic !== 'string') throw new Error(`${file}: every record needs a "topic"`);
  }
  return records as TopicRecord[];
}

export function runFolderTest(test: FolderTest, options: { readonly functions: FunctionRegistry; readonly tempDir?: string }): FolderTestOutcome {
  const driver = new TestDriver({}, { functions: options.functions, ...(options.tempDir === undefined ? {} : { tempDir: options.tempDir }) });
  try {
    const inputFile = join(test.dir, INPUT_FILE);
    const inputs = existsSync(inputFile) ? readRecords(inputFile, 'inputs') : [];
    const outputs = readRecords(join(test.dir, OUTPUT_FILE), 'outputs');
    driver.execute(readFileSync(join(test.dir, STATEMENTS_FILE), 'utf8'));
    for (const r of inputs) {
      driver.pipe({ topic: r.topic, key: jsonText(r.key), value: jsonText(r.value), timestamp: r.timestamp ?? 0, headers: [] });
    }
    const problems: string[] = [];
    for (const topic of [...new Set(outputs.map((o) => o.topic))]) {
      const expected = outputs.filter((o) => o.topic === topic);
      const actual = driver.read(topic);
      const lines: string[] = [];
      let differs = expected.length !== actual.length;
      for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
        const e = expected[i];
        const a = actual[i];
        const same = e !== undefined && a !== undefined && matches(e, a);
        if (!same) differs = true;
        if (e !== undefined) lines.push(`${same ? ' ' : '-'} expected ${describeExpected(e)}`);
        if (a !== undefined && !same) lines.push(`+ actual   ${describeActual(a, e)}`);
      }
      if (differs) problems.push(`Topic ${topic}: expected ${expected.length} records, got ${actual.length}:\n${lines.join('\n')}`);
    }
    return problems.length === 0 ? { passed: true, message: '' } : { passed: false, message: problems.join('\n\n') };
  } catch (error) {
    return { passed: false, message: error instanceof Error ? error.message : String(error) };
  } finally {
    driver.close();
  }
}

function jsonText(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

function parsed(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

function matches(e: TopicRecord, a: OutputRecord): boolean {
  if (!jsonEqual(e.key ?? null, parsed(a.key)) || !jsonEqual(e.value ?? null, parsed(a.value))) return false;
  if (e.timestamp !== undefined && e.timestamp !== a.timestamp) return false;
  if (e.window !== undefined && (a.window === undefined || e.window.start !== a.window.start || e.window.end !== a.window.end)) return false;
  return true;
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function describeExpected(e: TopicRecord): string {
  return `key=${JSON.stringify(e.key ?? null)} value=${JSON.stringify(e.value ?? null)}${e.timestamp === undefined ? '' : ` timestamp=${e.timestamp}`}${e.window === undefined ? '' : ` window=[${e.window.start}, ${e.window.end})`}`;
}

function describeActual(a: OutputRecord, e: TopicRecord | undefined): string {
  const showTime = e === undefined || e.timestamp !== undefined;
  return `key=${a.key ?? 'null'} value=${a.value ?? 'null'}${showTime ? ` timestamp=${a.timestamp}` : ''}${a.window === undefined ? '' : ` window=[${a.window.start}, ${a.window.end})`}`;
}
