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

/** `port`: 0 picks a free one; give the old port to start it again at the same URL. */
export async function startRegistryThread(dataDir: string, port = 0): Promise<RegistryThread> {
  const worker = new Worker(new URL('./registry-thread-main.js', import.meta.url), { workerData: { dataDir, port } });
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
