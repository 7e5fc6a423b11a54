/**
 * A directory on a size-limited file system, made without root: a tmpfs of
 * `sizeMb` mounted in a user and mount namespace (`unshare -rm`) held open
 * by a sleeping process. Servers run inside it through `nsenter`; the test
 * reaches its files through `/proc/<pid>/root`. `UNSHARE_MISSING` says why
 * it cannot be made here (no user namespaces), or is null.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

function checkUnshare(): string | null {
  try {
    execFileSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=1m none /tmp'], { stdio: 'ignore', timeout: 10_000 });
    return null;
  } catch (error) {
    return `cannot mount a tmpfs in a user namespace (unshare -rm): ${(error as Error).message}`;
  }
}

export const UNSHARE_MISSING = checkUnshare();

export interface SizeLimitedDir {
  /** The mount point, as processes inside the namespace see it. */
  readonly inside: string;
  /** The same directory as this process reaches it. */
  readonly outside: string;
  /** The command prefix that runs a program inside the namespace. */
  readonly wrapper: readonly string[];
  close(): Promise<void>;
}

/** Mounts a tmpfs of `sizeMb` on `mountPoint` (an existing empty directory) in a new namespace. */
export async function mountSizeLimitedDir(mountPoint: string, sizeMb: number): Promise<SizeLimitedDir> {
  const holder: ChildProcess = spawn('unshare', ['-rm', 'sh', '-c', `mount -t tmpfs -o size=${sizeMb}m none '${mountPoint}' && echo ready && exec sleep 100000`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  holder.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  while (!out.includes('ready')) {
    if (holder.exitCode !== null) throw new Error(`unshare exited with ${holder.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const pid = holder.pid!;
  return {
    inside: mountPoint,
    outside: `/proc/${pid}/root${mountPoint}`,
    wrapper: ['nsenter', '-t', String(pid), '-U', '-m', '--preserve-credentials'],
    async close() {
      if (holder.exitCode === null && holder.signalCode === null) {
        holder.kill('SIGKILL');
        await once(holder, 'exit');
      }
    },
  };
}
