/** Runs the real `ksqlite-server` (src/server/main.ts) as a child process, for tests where signals matter. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/server/main.js', import.meta.url));

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Resolves with the exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  /** Everything the process wrote so far (its log lines). */
  output(): string;
}

/** Starts the server on a free port of 127.0.0.1 and resolves once it listens. */
export function spawnServer(dataDir: string, extraArgs: readonly string[] = []): Promise<ServerProcess> {
  const child = spawn(process.execPath, [MAIN, '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, ...extraArgs], {
    env: { ...process.env, KSQLITE_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (): void => {
      const match = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (match === null) return;
      child.stdout!.off('data', onData);
      resolve({ child, url: match[1]!, exited, output: () => out });
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}
