/**
 * The extension directory (`ksql.extension.dir`): every `.js` or `.mjs`
 * file in it (and `.ts`/`.mts` where Node strips types) is an ES module whose
 * exports made by `defineFunction`, `defineAggregate` or `defineTableFunction`
 * are registered as user functions. The directory is loaded before the
 * engine replays its commands, and watched: a file that changes is imported
 * again (a new URL, so Node does not answer from its module cache), and its
 * functions replace the ones it gave before. Queries started before keep
 * theirs (each query holds a registry snapshot). A module that fails to load,
 * or a function that is refused, is logged and kept as a warning (SHOW
 * FUNCTIONS shows it); the file's last good version stays, and the other
 * files load as usual.
 */
import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLogger } from '../../common/logger.js';
import type { FunctionDefinition } from '../function-definition.js';
import type { FunctionOrigin, FunctionRegistry } from '../registry.js';
import { isUserFunction } from './user-function-api.js';
import { toFunctionDefinition } from './user-definition.js';

const log = createLogger('extensions');

/** Changes closer together than this are read as one. */
const DEBOUNCE_MS = 100;

/** Node 22.6+ says in `process.features.typescript` whether it strips types (then it imports .ts too). */
const typeStripping = Boolean((process.features as { typescript?: unknown }).typescript);
const MODULE_FILE = typeStripping ? /\.(m?js|m?ts)$/ : /\.m?js$/;

export class ExtensionDirectory {
  /** Per file: the modification time last imported. */
  private readonly loaded = new Map<string, number>();
  /** Per file: what is wrong with it now. */
  private readonly problems = new Map<string, string[]>();
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pending: Promise<void> = Promise.resolve();
  private imports = 0;

  private constructor(readonly dir: string, private readonly registry: FunctionRegistry) {}

  /** Loads every module of `dir` (a missing directory holds none) and, with `watchChanges`, follows its changes. */
  static async open(dir: string, registry: FunctionRegistry, watchChanges = true): Promise<ExtensionDirectory> {
    const extensions = new ExtensionDirectory(dir, registry);
    await extensions.reload();
    if (watchChanges) extensions.watch();
    return extensions;
  }

  /** The problems of the directory's modules, one line each. */
  get warnings(): string[] {
    return [...this.problems.values()].flat();
  }

  /** Reads the directory again: new and changed files are imported, removed files' functions removed. */
  reload(): Promise<void> {
    this.pending = this.pending.then(() => this.scan());
    return this.pending;
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private watch(): void {
    try {
      this.watcher = watch(this.dir, () => {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.reload(), DEBOUNCE_MS);
        this.timer.unref();
      });
      this.watcher.on('error', (error) => log.warn({ dir: this.dir, err: error }, 'extension directory: watching stopped'));
      this.watcher.unref();
    } catch (error) {
      // A directory that does not exist yet is not watched: user functions come only at start then.
      log.info({ dir: this.dir, err: error }, 'extension directory not watched');
    }
  }

  private async scan(): Promise<void> {
    const present = new Map<string, number>();
    for (const name of listModules(this.dir)) {
      const file = join(this.dir, name);
      try {
        present.set(file, statSync(file).mtimeMs);
      } catch {
        // Removed while listed: treated as gone.
      }
    }
    for (const file of this.loaded.keys()) {
      if (!present.has(file)) {
        this.loaded.delete(file);
        this.problems.delete(file);
        this.registry.replaceUserFunctions(file, []);
        log.info({ file }, 'user functions removed');
      }
    }
    for (const [file, mtime] of present) {
      if (this.loaded.get(file) === mtime) continue;
      this.loaded.set(file, mtime);
      await this.load(file);
    }
    this.registry.userFunctionWarnings = this.warnings;
  }

  private async load(file: string): Promise<void> {
    let exported: Record<string, unknown>;
    try {
      exported = await import(`${pathToFileURL(file).href}?load=${++this.imports}`) as Record<string, unknown>;
    } catch (error) {
      this.report(file, [`Could not load ${file}: ${error instanceof Error ? error.message : String(error)}`]);
      return;
    }
    const problems: string[] = [];
    const defs: { def: FunctionDefinition; origin: FunctionOrigin }[] = [];
    for (const value of new Set(Object.values(exported))) {
      if (!isUserFunction(value)) continue;
      try {
        defs.push({
          def: toFunctionDefinition(value),
          origin: { path: file, author: typeof value.author === 'string' ? value.author : '', version: typeof value.version === 'string' ? value.version : '' },
        });
      } catch (error) {
        problems.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const refused = this.registry.replaceUserFunctions(file, defs);
    problems.push(...refused.map((r) => `${file}: refused ${r.reason}`));
    this.report(file, problems);
    const refusedNames = new Set(refused.map((r) => r.name));
    log.info({ file, functions: defs.map((d) => d.def.name).filter((n) => !refusedNames.has(n)) }, 'user functions loaded');
  }

  private report(file: string, problems: string[]): void {
    if (problems.length === 0) this.problems.delete(file);
    else {
      this.problems.set(file, problems);
      for (const p of problems) log.warn({ file }, p);
    }
  }
}

function listModules(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile() && MODULE_FILE.test(e.name)).map((e) => e.name).sort();
  } catch {
    return [];
  }
}
