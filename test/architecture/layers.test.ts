import test from 'ava';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cyclePath, findCycles, importSpecifiers, layerOf, readImportGraph, readLayers } from './import-graph.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const graph = readImportGraph(ROOT);
const layers = readLayers(readFileSync(new URL('../../../docs/architecture.md', import.meta.url), 'utf8'));

test('src has no import cycle, type imports included', (t) => {
  const cycles = findCycles(graph).map((component) => `${component.length} modules: ${component.join(', ')}\n  for one: ${cyclePath(graph, component).join(' -> ')}`);
  t.deepEqual(cycles, [], `import cycles:\n${cycles.join('\n\n')}`);
});

test('every module of src is in a folder of the Layers table of docs/architecture.md', (t) => {
  const outside = [...graph.keys()].filter((module) => layerOf(layers, module) === undefined);
  t.deepEqual(outside, []);
});

test('no module imports from a folder below its own in the Layers table', (t) => {
  const upward: string[] = [];
  for (const [module, targets] of graph) {
    const own = layerOf(layers, module);
    if (own === undefined) continue;
    for (const target of targets) {
      const theirs = layerOf(layers, target);
      if (theirs !== undefined && theirs > own) upward.push(`${module} (${layers[own]}) imports ${target} (${layers[theirs]})`);
    }
  }
  t.deepEqual(upward, [], upward.join('\n'));
});

test('the import graph sees type-only imports and the table its folders', (t) => {
  t.true(graph.size > 100);
  t.true(layers.includes('src/common') && layers.includes('src/engine'));
  const withTypeImport = [...graph.keys()].find((m) => /^import type .* from '\.\.?\//m.test(readFileSync(new URL(m, new URL('../../../', import.meta.url)), 'utf8')));
  t.truthy(withTypeImport);
  t.true((graph.get(withTypeImport!) ?? []).length > 0);
});

test('imports are found in every form a module writes them', (t) => {
  const text = [
    "import type { A } from './a.js';",
    "import {\n  B,\n  type C,\n} from '../b/c.js';",
    "export { D } from './d.js';",
    "export type * from './e.js';",
    "import './f.js';",
    "type G = import('./g.js').G;",
    "// not an import: from './h.js'",
  ].join('\n');
  t.deepEqual(importSpecifiers(text).sort(), ['../b/c.js', './a.js', './d.js', './e.js', './f.js', './g.js']);
});
