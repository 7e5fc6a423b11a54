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

export interface RegistryThreadOptions {
  /** 0 (the default) picks a free one. */
  readonly port?: number;
  /** `user:password`: HTTP Basic credentials every request must carry. */
  readonly userInfo?: string;
  /** PEM key and certificate: the registry serves https. */
  readonly tls?: { readonly key: string; readonly cert: string };
}

export async function startRegistryThread(dataDir: string, options: RegistryThreadOptions = {}): Promise<RegistryThread> {
  const workerData = { dataDir, port: options.port ?? 0, userInfo: options.userInfo, tls: options.tls };
  const worker = new Worker(new URL('./registry-thread-main.js', import.meta.url), { workerData });
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
