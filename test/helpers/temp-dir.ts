/** Test helper: fresh temporary directories, removed afterwards. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Makes a new empty directory under the system's temporary directory. */
export function makeTempDir(prefix = 'ksqlite-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Removes a directory and everything in it; a missing one is fine. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Runs `body` with a fresh temporary directory and removes it afterwards, also when `body` throws or rejects. */
export function withTempDir<T>(body: (dir: string) => T, prefix?: string): T {
  const dir = makeTempDir(prefix);
  let result: T;
  try {
    result = body(dir);
  } catch (error) {
    removeDir(dir);
    throw error;
  }
  if (result instanceof Promise) return result.finally(() => removeDir(dir)) as T;
  removeDir(dir);
  return result;
}
