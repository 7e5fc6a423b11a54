/**
 * Test helper: runs Python scripts against a Kafka listener with the Debian
 * packages `python3-kafka` (kafka-python) and `python3-confluent-kafka`. They
 * install into the system interpreter's dist-packages, so the interpreter is
 * the first of `python3` on PATH and Debian's own that can import the module.
 */
import { execFile, execFileSync } from 'node:child_process';

/** `python3` on PATH may be another interpreter (pyenv) that lacks Debian's packages. */
const INTERPRETERS = ['python3', '/usr/bin/python3'];

export interface PythonModule {
  /** The interpreter that imports the module, or null when none does. */
  readonly python: string | null;
  /** Why tests of this module are skipped, or null. */
  readonly missing: string | null;
}

/** The interpreter that can import `module` (a Python module name), or why none can. */
export function findPythonModule(module: string, debianPackage: string): PythonModule {
  for (const python of INTERPRETERS) {
    try {
      execFileSync(python, ['-c', `import ${module}`], { stdio: 'ignore', timeout: 20_000 });
      return { python, missing: null };
    } catch {
      // Not this interpreter: try the next.
    }
  }
  return { python: null, missing: `no python3 imports ${module} (apt-get install -y ${debianPackage})` };
}

export interface PythonResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `script` with `args` (sys.argv[1:]), killed after `timeoutMs`. */
export function runPython(python: string, script: string, args: readonly string[], timeoutMs = 30_000): Promise<PythonResult> {
  return new Promise((resolve) => {
    execFile(python, ['-c', script, ...args], { timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}
