/**
 * Runs the real `ksqlite-migrations` (dist/src/migrations/main.js) as a child
 * process, and reads a server's state through its REST API the way a user
 * checks what the tool did.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const MIGRATIONS_MAIN = fileURLToPath(new URL('../../src/migrations/main.js', import.meta.url));

export interface ToolRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runMigrations(args: readonly string[]): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MIGRATIONS_MAIN, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs statements on /ksql and returns the entities, failing on an error answer. */
export async function ksql(url: string, sql: string): Promise<any[]> {
  const res = await fetch(`${url}/ksql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql: sql }) });
  const body = await res.json();
  if (!res.ok) throw new Error(`${sql}: ${JSON.stringify(body)}`);
  return body as any[];
}

/** The rows of a pull query, or of a push query with a LIMIT, as arrays. */
export async function queryRows(url: string, sql: string, properties: Record<string, string> = {}): Promise<unknown[][]> {
  const res = await fetch(`${url}/query-stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/vnd.ksqlapi.delimited.v1' },
    body: JSON.stringify({ sql, properties }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${sql}: ${text}`);
  return text.split('\n').filter((line) => line.startsWith('[')).map((line) => JSON.parse(line) as unknown[]);
}
