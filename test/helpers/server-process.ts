/**
 * Test helper: the real server (`ksqlite-server`, dist/src/server/main.js) as
 * a child process on a data directory and a free port, started and stopped
 * the way a user or an init system does: a signal, then waiting for the exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The server's entry point, as `ksqlite-server` runs it. */
export const SERVER_MAIN = fileURLToPath(new URL('../../src/server/main.js', import.meta.url));

/** A port nothing listens on now (the kernel's pick, released), for flags where 0 means something else or a test needs the number first. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** How long a start may take before the harness gives up on it. */
const START_TIMEOUT_MS = 30_000;

/** How much of the server's log a process keeps, for failure messages. */
const KEPT_LOG_CHARS = 20_000;

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  readonly child: ChildProcess;
  /** Where the server said it listens, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Resolves when the process has exited (at once if it already has). */
  readonly exited: Promise<ProcessExit>;
  /** The end of what the server logged (stdout and stderr), for diagnostics. */
  log(): string;
  /** Sends `signal` and waits for the process to exit. */
  stop(signal: NodeJS.Signals): Promise<ProcessExit>;
}

/**
 * Starts the server on `dataDir` (through `wrapper` when given), listening on a free port of 127.0.0.1, and
 * resolves once it logged the URL it serves on. Rejects with the server's log
 * when it exits or does not come up in time.
 */
export function startServerProcess(dataDir: string, extraArgs: readonly string[] = [], wrapper: readonly string[] = []): Promise<ServerProcess> {
  // No embedded Schema Registry or Kafka listener on their fixed default ports unless `extraArgs` asks: tests run side by side.
  const args = [SERVER_MAIN, '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--schema-registry-port', '0', '--kafka-port', '0', ...extraArgs];
  // `wrapper`: a command that runs the server, e.g. nsenter into a namespace (it must exec, so the child is the server).
  const [command, ...commandArgs] = [...wrapper, process.execPath, ...args];
  const child = spawn(command!, commandArgs, {
    env: { ...process.env, KSQLITE_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString()).slice(-KEPT_LOG_CHARS);
  };
  child.stderr.on('data', keep);
  const exited = new Promise<ProcessExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within ${START_TIMEOUT_MS} ms: ${log}`));
    }, START_TIMEOUT_MS);
    const onStdout = (chunk: Buffer): void => {
      keep(chunk);
      out += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (match === null) return;
      child.stdout.off('data', onStdout);
      child.stdout.on('data', keep);
      clearTimeout(timer);
      resolve({
        child,
        url: match[1]!,
        exited,
        log: () => log,
        stop(signal) {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout.on('data', onStdout);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the server exited while starting (code ${code}, signal ${signal}): ${log}`));
    });
  });
}
