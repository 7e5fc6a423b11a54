/**
 * Test helper: the Kafka-protocol cluster the Kafka client tests run against.
 * With `KSQLITE_TEST_KAFKA=host:port` that cluster (a real Kafka, Redpanda...);
 * otherwise ksqlite's own server in a separate process, its Kafka listener on
 * a free port (with `properties` written to its config file, e.g. to turn on
 * SASL). Names are unique per run, so a shared cluster's leftovers never clash.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startServerProcess, type ServerProcess } from '../../helpers/server-process.js';
import { makeTempDir, removeDir } from '../../helpers/temp-dir.js';

export const EXTERNAL_KAFKA = process.env.KSQLITE_TEST_KAFKA;

export interface KafkaTarget {
  /** `bootstrap.servers` of the cluster. */
  readonly bootstrap: string;
  /** Kills the listener's process at once (SIGKILL); ksqlite's own listener only. */
  kill(): Promise<void>;
  /** Starts the killed listener again on its data directory and port; ksqlite's own listener only. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts ksqlite's Kafka listener in its own process, or names the external cluster. */
export async function startKafkaTarget(properties: Readonly<Record<string, string>> = {}): Promise<KafkaTarget> {
  if (EXTERNAL_KAFKA !== undefined) {
    return {
      bootstrap: EXTERNAL_KAFKA,
      kill: () => Promise.reject(new Error('an external cluster is not killed by the tests')),
      restart: () => Promise.reject(new Error('an external cluster is not restarted by the tests')),
      stop: async () => undefined,
    };
  }
  const dir = makeTempDir('ksqlite-kafka-client-');
  const port = await freePort();
  const config = join(dir, 'server.properties');
  writeFileSync(config, Object.entries(properties).map(([name, value]) => `${name}=${value}\n`).join(''));
  let server: ServerProcess;
  const start = (): Promise<ServerProcess> => startServerProcess(join(dir, 'data'), ['--kafka-port', String(port), '--config', config]);
  try {
    server = await start();
  } catch (error) {
    removeDir(dir);
    throw error;
  }
  return {
    bootstrap: `127.0.0.1:${port}`,
    async kill() {
      await server.stop('SIGKILL');
    },
    async restart() {
      server = await start();
    },
    async stop() {
      await server.stop('SIGTERM');
      removeDir(dir);
    },
  };
}

let counter = 0;
const RUN = `${process.pid}-${Date.now().toString(36)}`;

/** A name nothing else on the cluster uses. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${RUN}-${counter}`;
}
