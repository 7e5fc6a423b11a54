/**
 * Test helper: group consumers of the Debian packages `python3-kafka`
 * (kafka-python) and `python3-confluent-kafka` (librdkafka), run by the
 * interpreter that imports them (see `python-kafka.ts`).
 * `pythonClientMissing` names why a client's tests are skipped, or is null
 * when it imports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { findPythonModule } from './python-kafka.js';

export type PythonClient = 'kafka-python' | 'confluent-kafka';

const MODULE: Record<PythonClient, { readonly module: string; readonly apt: string }> = {
  'kafka-python': { module: 'kafka', apt: 'python3-kafka' },
  'confluent-kafka': { module: 'confluent_kafka', apt: 'python3-confluent-kafka' },
};

export function pythonClientMissing(client: PythonClient): string | null {
  const { module, apt } = MODULE[client];
  return findPythonModule(module, apt).missing;
}

// Each script joins group argv[3] subscribed to topic argv[2] (earliest offset when the group has none, offsets
// auto-committed every 100 ms and on revocation and close), prints "assigned P,P..." after each assignment and
// "value V" per record, and leaves the group when a line arrives on stdin.
const SCRIPTS: Record<PythonClient, string> = {
  'kafka-python': `
import select, sys
from kafka import ConsumerRebalanceListener, KafkaConsumer
bootstrap, topic, group = sys.argv[1], sys.argv[2], sys.argv[3]
class Listener(ConsumerRebalanceListener):
    def on_partitions_revoked(self, revoked):
        pass
    def on_partitions_assigned(self, assigned):
        print('assigned ' + ','.join(str(tp.partition) for tp in sorted(assigned)), flush=True)
consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, client_id='kafka-python-test',
    auto_offset_reset='earliest', auto_commit_interval_ms=100, session_timeout_ms=6000, heartbeat_interval_ms=200)
consumer.subscribe([topic], listener=Listener())
while not select.select([sys.stdin], [], [], 0)[0]:
    for records in consumer.poll(timeout_ms=100).values():
        for record in records:
            print('value ' + record.value.decode(), flush=True)
consumer.close()
`,
  'confluent-kafka': `
import select, sys
from confluent_kafka import Consumer
bootstrap, topic, group = sys.argv[1], sys.argv[2], sys.argv[3]
consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': group, 'client.id': 'confluent-kafka-test',
    'auto.offset.reset': 'earliest', 'auto.commit.interval.ms': 100, 'session.timeout.ms': 6000, 'heartbeat.interval.ms': 200})
def assigned(_, partitions):
    print('assigned ' + ','.join(str(p.partition) for p in sorted(partitions, key=lambda p: p.partition)), flush=True)
consumer.subscribe([topic], on_assign=assigned)
while not select.select([sys.stdin], [], [], 0)[0]:
    record = consumer.poll(0.1)
    if record is None:
        continue
    if record.error():
        print(record.error(), file=sys.stderr, flush=True)
        continue
    print('value ' + record.value().decode(), flush=True)
consumer.close()
`,
};

/** A running group member: what it consumed, and the partitions its latest assignment gave it. */
export class PythonGroupMember {
  readonly values: string[] = [];
  assigned: number[] = [];
  assignments = 0;
  stderr = '';
  private readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('value ')) this.values.push(line.slice('value '.length));
      else if (line.startsWith('assigned ')) {
        const list = line.slice('assigned '.length);
        this.assigned = list === '' ? [] : list.split(',').map(Number);
        this.assignments += 1;
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += String(chunk);
    });
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  /** Starts `client`'s group member against the listener on `port`. */
  static start(client: PythonClient, port: number, topic: string, group: string): PythonGroupMember {
    const { module, apt } = MODULE[client];
    const { python, missing } = findPythonModule(module, apt);
    if (python === null) throw new Error(missing ?? `no python3 imports ${module}`);
    const child = spawn(python, ['-c', SCRIPTS[client], `127.0.0.1:${port}`, topic, group], { stdio: ['pipe', 'pipe', 'pipe'] });
    return new PythonGroupMember(child);
  }

  /** Leaves the group (committing what it consumed) and exits; resolves the exit code. */
  async stop(): Promise<number | null> {
    this.child.stdin!.end('stop\n');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}
