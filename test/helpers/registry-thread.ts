/**
 * Test helper: an external Schema Registry for a server under test. It runs
 * in a worker thread, so it answers while the test's thread is blocked in a
 * synchronous registry call (a registry on the test's own event loop could
 * not).
 */
import { Worker } from 'node:worker_threads';

export interface RegistryThread {
  readonly url: string;
  readonly port: number;
  /** Stops the registry and closes its log; the directory stays. */
  stop(): Promise<void>;
}

/** `port`: 0 picks a free one; `userInfo` (`user:password`): HTTP Basic credentials every request must carry. */
export async function startRegistryThread(dataDir: string, options: { port?: number; userInfo?: string } = {}): Promise<RegistryThread> {
  const worker = new Worker(new URL('./registry-thread-main.js', import.meta.url), { workerData: { dataDir, port: options.port ?? 0, userInfo: options.userInfo } });
  const started = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    ...started,
    async stop() {
      const stopped = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage('stop');
      await stopped;
      await worker.terminate();
    },
  };
}
