// Splits SQL text into tokens for highlighting, completion and statement
// splitting: strings, quoted identifiers, comments, numbers, words,
// variables (${name}) and punctuation. Every character belongs to one token,
// so the tokens' texts joined give the text back.

const PATTERNS = [
  ['comment', /--[^\n]*/y],
  ['comment', /\/\*[\s\S]*?(?:\*\/|$)/y],
  ['string', /'(?:[^']|'')*(?:'|$)/y],
  ['quoted', /"(?:[^"]|"")*(?:"|$)/y],
  ['quoted', /`(?:[^`]|``)*(?:`|$)/y],
  ['variable', /\$\{[^}\n]*\}?/y],
  ['number', /(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?/y],
  ['word', /[A-Za-z_][A-Za-z0-9_@]*/y],
  ['space', /\s+/y],
  ['punct', /[\s\S]/y],
];

/** @returns {{type: string, text: string, start: number}[]} */
export function tokenize(text) {
  const tokens = [];
  let at = 0;
  while (at < text.length) {
    for (const [type, pattern] of PATTERNS) {
      pattern.lastIndex = at;
      const m = pattern.exec(text);
      if (m !== null && m[0].length > 0) {
        tokens.push({ type, text: m[0], start: at });
        at += m[0].length;
        break;
      }
    }
  }
  return tokens;
}

/**
 * The statements of a text, each with its offset in the text, split at
 * semicolons outside strings, identifiers and comments; the semicolon stays
 * with its statement. Blank pieces are left out.
 * @returns {{text: string, start: number}[]}
 */
export function splitStatements(text) {
  const statements = [];
  let start = 0;
  const push = (end) => {
    const piece = text.slice(start, end);
    const lead = piece.length - piece.trimStart().length;
    if (tokenize(piece).some((t) => t.type !== 'space' && t.type !== 'comment' && t.text !== ';')) {
      statements.push({ text: piece.trim(), start: start + lead });
    }
    start = end;
  };
  for (const token of tokenize(text)) if (token.text === ';') push(token.start + 1);
  push(text.length);
  return statements;
}
