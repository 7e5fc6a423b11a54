/**
 * Test helper: consumers of the Debian packages `python3-kafka` (kafka-python)
 * and `python3-confluent-kafka` (librdkafka), run by the system Python
 * (`/usr/bin/python3`, where Debian installs them). `pythonClientMissing`
 * names why a client's tests are skipped, or is null when it imports.
 */
import { execFile, execFileSync } from 'node:child_process';

const PYTHON = '/usr/bin/python3';

export type PythonClient = 'kafka-python' | 'confluent-kafka';

const MODULE: Record<PythonClient, { readonly module: string; readonly apt: string }> = {
  'kafka-python': { module: 'kafka', apt: 'python3-kafka' },
  'confluent-kafka': { module: 'confluent_kafka', apt: 'python3-confluent-kafka' },
};

export function pythonClientMissing(client: PythonClient): string | null {
  const { module, apt } = MODULE[client];
  try {
    execFileSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' });
    return null;
  } catch {
    return `${PYTHON} cannot import ${module} (apt-get install -y ${apt})`;
  }
}

// Each script joins group argv[3], reads topic argv[2] from the earliest offset until it has argv[4] records
// (or 20 s pass), commits synchronously, prints the values as a JSON list and leaves the group.
const SCRIPTS: Record<PythonClient, string> = {
  'kafka-python': `
import json, sys, time
from kafka import KafkaConsumer
bootstrap, topic, group, expected = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, client_id='kafka-python-test',
    auto_offset_reset='earliest', enable_auto_commit=False, session_timeout_ms=6000, heartbeat_interval_ms=500)
seen = []
deadline = time.time() + 20
while len(seen) < expected and time.time() < deadline:
    for records in consumer.poll(timeout_ms=200).values():
        seen.extend(r.value.decode() for r in records)
consumer.commit()
print(json.dumps(seen))
consumer.close()
`,
  'confluent-kafka': `
import json, sys, time
from confluent_kafka import Consumer
bootstrap, topic, group, expected = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': group, 'client.id': 'confluent-kafka-test',
    'auto.offset.reset': 'earliest', 'enable.auto.commit': False, 'session.timeout.ms': 6000})
consumer.subscribe([topic])
seen = []
deadline = time.time() + 20
while len(seen) < expected and time.time() < deadline:
    record = consumer.poll(0.2)
    if record is None:
        continue
    if record.error():
        print(record.error(), file=sys.stderr)
        continue
    seen.append(record.value().decode())
consumer.commit(asynchronous=False)
print(json.dumps(seen))
consumer.close()
`,
};

/** Runs `client`'s group consumer against the listener on `port`; resolves the values it read. */
export function consumeInGroup(client: PythonClient, port: number, topic: string, group: string, expected: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, ['-c', SCRIPTS[client], `127.0.0.1:${port}`, topic, group, String(expected)], { timeout: 40_000 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`${client} consumer failed: ${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as string[]);
    });
  });
}
