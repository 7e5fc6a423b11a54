/**
 * The shell's persisted line history: one entry per line in a text file,
 * oldest first (node:readline keeps its history newest first). The file is
 * ~/.ksqlite_history unless KSQLITE_HISTORY_FILE names another.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const HISTORY_SIZE = 1000;

export function historyFilePath(env: NodeJS.ProcessEnv): string {
  return env.KSQLITE_HISTORY_FILE ?? join(homedir(), '.ksqlite_history');
}

/** The saved entries, newest first, as node:readline wants them ([] when there is no file yet). */
export function loadHistory(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '').reverse().slice(0, HISTORY_SIZE);
  } catch {
    return [];
  }
}

/** Saves readline's entries (newest first); a history that cannot be written is not worth failing the shell for. */
export function saveHistory(path: string, newestFirst: readonly string[]): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${[...newestFirst].slice(0, HISTORY_SIZE).reverse().join('\n')}\n`);
  } catch {
    // keep going without a persisted history
  }
}
