// Writes the grammar reference (grammar/*) from the built parser. Run: npm run grammar
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderGrammarFiles } from '../dist/src/parser/grammar/grammar-reference.js';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'grammar');
mkdirSync(out, { recursive: true });
for (const [name, content] of Object.entries(renderGrammarFiles())) {
  writeFileSync(join(out, name), content);
  console.log(`wrote grammar/${name} (${content.length} characters)`);
}
