/**
 * The grammar reference, generated from the parser itself so it can never
 * drift: railroad diagrams (Chevrotain's HTML), a plain-text EBNF of every
 * rule, and the typed CST declarations. `npm run grammar` writes them to
 * grammar/; a test fails when the checked-in copies are stale.
 */
import { createSyntaxDiagramsCode, generateCstDts, type ISerializedGast } from 'chevrotain';
import { getParser } from '../parse.js';
import { NON_RESERVED_KEYWORDS, RESERVED_KEYWORDS } from './keywords.js';

interface GastNode extends ISerializedGast {
  readonly name?: string;
  readonly label?: string;
  readonly separator?: GastNode;
}

function terminal(node: GastNode): string {
  return node.label ?? node.name ?? '?';
}

function sequence(nodes: readonly GastNode[] | undefined): string {
  return (nodes ?? []).map(printNode).filter((s) => s !== '').join(' ');
}

function group(body: string, suffix: string): string {
  return `( ${body} )${suffix}`;
}

function printNode(node: GastNode): string {
  switch (node.type) {
    case 'Terminal':
      return terminal(node);
    case 'NonTerminal':
      return node.name ?? '?';
    case 'Alternative':
      return sequence(node.definition as GastNode[]);
    case 'Alternation':
      return group((node.definition as GastNode[]).map((alt) => printNode(alt) || 'ε').join(' | '), '');
    case 'Option':
      return group(sequence(node.definition as GastNode[]), '?');
    case 'Repetition':
      return group(sequence(node.definition as GastNode[]), '*');
    case 'RepetitionMandatory':
      return group(sequence(node.definition as GastNode[]), '+');
    case 'RepetitionWithSeparator':
    case 'RepetitionMandatoryWithSeparator': {
      const body = sequence(node.definition as GastNode[]);
      const sep = node.separator === undefined ? ',' : terminal(node.separator);
      const list = `${body} ( ${sep} ${body} )*`;
      return node.type === 'RepetitionWithSeparator' ? group(list, '?') : list;
    }
    default:
      return sequence(node.definition as GastNode[]);
  }
}

function printRule(rule: GastNode): string {
  const body = rule.definition as GastNode[];
  const only = body.length === 1 ? body[0]! : undefined;
  if (only !== undefined && only.type === 'Alternation') {
    const alts = (only.definition as GastNode[]).map((alt) => printNode(alt) || 'ε');
    return `${rule.name}\n  : ${alts.join('\n  | ')}\n  ;`;
  }
  return `${rule.name}\n  : ${sequence(body) || 'ε'}\n  ;`;
}

function wrap(words: readonly string[]): string {
  const lines: string[] = [];
  let line = '';
  for (const w of [...words].sort()) {
    if (line.length + w.length > 96) {
      lines.push(line.trimEnd());
      line = '';
    }
    line += w + ' ';
  }
  if (line !== '') lines.push(line.trimEnd());
  return lines.map((l) => '  ' + l).join('\n');
}

/** The plain-text grammar: every rule in EBNF, then the keyword lists. */
export function renderGrammarText(): string {
  const rules = getParser().getSerializedGastProductions() as GastNode[];
  return [
    '# ksqlite SQL grammar',
    '#',
    '# Generated from the parser by `npm run grammar`; do not edit.',
    "# Notation: 'X' keyword or symbol, NAME token class, ( )? optional, ( )* any number,",
    '# ( )+ at least one, | alternatives, ε nothing. Gates (extra lookahead checks) are',
    '# not shown: see the rule comments in src/parser/grammar/.',
    '',
    ...rules.map(printRule).join('\n\n').split('\n'),
    '',
    '# Reserved keywords (usable as names only when quoted):',
    wrap(RESERVED_KEYWORDS),
    '',
    '# Non-reserved keywords (also usable as names):',
    wrap(NON_RESERVED_KEYWORDS),
    '',
  ].join('\n');
}

/** Railroad diagrams of every rule, as one self-contained HTML page (scripts load from a CDN). */
export function renderSyntaxDiagrams(): string {
  return createSyntaxDiagramsCode(getParser().getSerializedGastProductions());
}

/** TypeScript declarations of the CST the parser builds. */
export function renderCstDeclarations(): string {
  return generateCstDts(getParser().getGAstProductions());
}

/** File name under grammar/ -> content. */
export function renderGrammarFiles(): Record<string, string> {
  return {
    'ksql-grammar.txt': renderGrammarText(),
    'syntax-diagrams.html': renderSyntaxDiagrams(),
    'cst.d.ts': renderCstDeclarations(),
  };
}
