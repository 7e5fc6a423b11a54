/**
 * Test helper: runs kcat (the Debian package `kcat`, librdkafka inside) against
 * a Kafka listener. `KCAT_MISSING` names why kcat tests are skipped, or is
 * null when kcat is on PATH.
 */
import { execFile, execFileSync } from 'node:child_process';

function findKcat(): string | null {
  try {
    execFileSync('kcat', ['-V'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'kcat is not on PATH (apt-get install -y kcat)';
  }
}

export const KCAT_MISSING = findKcat();

export interface KcatResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `kcat -b 127.0.0.1:port args...` with `input` on stdin. */
export function kcat(port: number, args: readonly string[], input = ''): Promise<KcatResult> {
  return new Promise((resolve) => {
    const child = execFile('kcat', ['-b', `127.0.0.1:${port}`, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
    child.stdin!.end(input);
  });
}

export interface KcatRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly tstype: string;
  readonly ts: number;
  readonly key: string | null;
  readonly payload: string | null;
}

/** Reads a topic from the beginning to its end with `kcat -C -J` (and `extraArgs`, e.g. `-X isolation.level=...`). */
export async function kcatConsume(port: number, topic: string, extraArgs: readonly string[] = []): Promise<KcatRecord[]> {
  const result = await kcat(port, ['-C', '-t', topic, '-o', 'beginning', '-e', '-J', '-q', ...extraArgs]);
  if (result.code !== 0) throw new Error(`kcat -C failed (${result.code}): ${result.stderr}`);
  return result.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as KcatRecord)
    .sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}
