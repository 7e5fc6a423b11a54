import test from 'ava';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderGrammarFiles } from '../../src/parser/grammar/grammar-reference.js';

const GRAMMAR_DIR = fileURLToPath(new URL('../../../grammar/', import.meta.url));

test('the checked-in grammar reference matches the parser (run `npm run grammar` when this fails)', (t) => {
  for (const [name, content] of Object.entries(renderGrammarFiles())) {
    let stored: string;
    try {
      stored = readFileSync(GRAMMAR_DIR + name, 'utf8');
    } catch {
      t.fail(`grammar/${name} is missing`);
      continue;
    }
    t.true(stored === content, `grammar/${name} is stale`);
  }
});

test('the text grammar names every statement rule and both keyword lists', (t) => {
  const text = renderGrammarFiles()['ksql-grammar.txt']!;
  for (const rule of ['statements', 'createStatement', 'query', 'expression', 'type', 'joinWindow', 'assertStatement']) {
    t.regex(text, new RegExp(`^${rule}\\n  : `, 'm'), rule);
  }
  t.regex(text, /# Reserved keywords/);
  t.regex(text, /# Non-reserved keywords/);
});
