/**
 * Makes the server's data directory if it is missing, and checks that the
 * server may write in it, before anything else starts: a path that cannot
 * hold a log fails at once with the reason. The directories are made one
 * level at a time: node's recursive mkdir never returns on some paths
 * (under /proc, for one).
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export function prepareDataDir(dataDir: string): void {
  try {
    const missing: string[] = [];
    let at = dataDir;
    while (!exists(at)) {
      missing.unshift(at);
      const parent = dirname(at);
      if (parent === at) break;
      at = parent;
    }
    for (const dir of missing) mkdirSync(dir);
    if (!statSync(dataDir).isDirectory()) throw new Error('not a directory');
    accessSync(dataDir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(`Cannot use the data directory ${dataDir}: ${describe(reason)}`);
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function describe(code: string): string {
  switch (code) {
    case 'ENOENT': return 'it cannot be created there (ENOENT)';
    case 'EACCES':
    case 'EPERM': return `permission denied (${code})`;
    case 'ENOTDIR': return 'a part of the path is a file (ENOTDIR)';
    case 'EROFS': return 'the file system is read-only (EROFS)';
    case 'ENOSPC': return 'no space left on the device (ENOSPC)';
    default: return code;
  }
}
