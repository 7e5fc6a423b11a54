/**
 * The import graph of `src`: every relative import of every module, type-only
 * imports included (`import`/`export ... from`, side-effect imports and
 * `import('...')` in types or code; the project ends every import with `;`); its
 * strongly connected components (cycles); and the Layers table of
 * docs/architecture.md, so the test reads the rule from the document itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export type ImportGraph = Map<string, string[]>;

/** Paths relative to the project root, with `/` separators. */
function projectPath(root: string, absolute: string): string {
  return relative(root, absolute).split(sep).join('/');
}

function listModules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listModules(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const STATIC_IMPORT = /^\s*(?:import|export)\s[^;]*?\bfrom\s*['"]([^'"]+)['"]/gm;
const SIDE_EFFECT_IMPORT = /^\s*import\s*['"]([^'"]+)['"]/gm;
const IMPORT_CALL = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importSpecifiers(text: string): string[] {
  return [STATIC_IMPORT, SIDE_EFFECT_IMPORT, IMPORT_CALL].flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1]!));
}

/** Every module under `root/src` and the modules of `src` it imports. */
export function readImportGraph(root: string): ImportGraph {
  const graph: ImportGraph = new Map();
  const modules = listModules(join(root, 'src'));
  const known = new Set(modules);
  for (const file of modules) {
    const targets = new Set<string>();
    for (const fileName of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (!fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), fileName).replace(/\.js$/, '.ts');
      if (known.has(target)) targets.add(projectPath(root, target));
    }
    graph.set(projectPath(root, file), [...targets].sort());
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one module, or a module importing itself. */
export function findCycles(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (;;) {
      const member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
      if (member === node) break;
    }
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort());
  }
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles;
}

/** One path around a component, to print: from its first module back to it. */
export function cyclePath(graph: ImportGraph, component: readonly string[]): string[] {
  const members = new Set(component);
  const start = component[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = previous.get(at)) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [...component];
}

/** The folders of the Layers table, top (imported by all) first. */
export function readLayers(architectureDoc: string): string[] {
  const section = architectureDoc.split(/^## Layers\s*$/m)[1];
  if (section === undefined) throw new Error('docs/architecture.md has no "## Layers" section');
  const body = section.split(/^## /m)[0]!;
  const layers = [...body.matchAll(/^\|\s*`([^`]+)`\s*\|/gm)].map((m) => m[1]!.replace(/\/$/, ''));
  if (layers.length === 0) throw new Error('the Layers section of docs/architecture.md has no table of folders');
  return layers;
}

/** The layer of a module: the longest folder of the table that holds it. */
export function layerOf(layers: readonly string[], module: string): number | undefined {
  let best: number | undefined;
  for (const [i, folder] of layers.entries()) {
    if (module.startsWith(`${folder}/`) && (best === undefined || folder.length > layers[best]!.length)) best = i;
  }
  return best;
}
