/**
 * The CSV rules of ksqlDB's DELIMITED format (Apache Commons CSV, default
 * format with a chosen delimiter): fields in double quotes may hold
 * delimiters, quotes (doubled) and line breaks; empty lines are skipped; only
 * the first record of the text counts.
 */

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Splits the first record of `text` into raw field strings (quotes removed).
 * Returns an empty array when the text holds no record. Throws Error on a
 * malformed quoted field.
 */
export function parseCsvRecord(text: string, delimiter: string): string[] {
  const d = delimiter.charCodeAt(0);
  const dLen = delimiter.length;
  const n = text.length;
  let i = 0;
  // Empty lines before the record are skipped.
  while (i < n && (text.charCodeAt(i) === LF || text.charCodeAt(i) === CR)) i++;
  if (i >= n) return [];
  const fields: string[] = [];
  for (;;) {
    let field: string;
    if (text.charCodeAt(i) === QUOTE) {
      const start = i + 1;
      let parts = '';
      let from = start;
      i = start;
      for (;;) {
        if (i >= n) throw new Error('EOF reached before encapsulated token finished');
        if (text.charCodeAt(i) === QUOTE) {
          if (text.charCodeAt(i + 1) === QUOTE) {
            parts += text.slice(from, i + 1);
            i += 2;
            from = i;
            continue;
          }
          field = parts + text.slice(from, i);
          i++;
          break;
        }
        i++;
      }
      // Only white space may sit between the closing quote and the delimiter.
      while (i < n && !isDelimiterAt(text, i, d, delimiter, dLen)) {
        const c = text.charCodeAt(i);
        if (c === LF || c === CR) break;
        if (c !== 32 && c !== 9) throw new Error('invalid char between encapsulated token and delimiter');
        i++;
      }
    } else {
      const start = i;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === LF || c === CR || (c === d && isDelimiterAt(text, i, d, delimiter, dLen))) break;
        i++;
      }
      field = text.slice(start, i);
    }
    fields.push(field);
    if (i >= n) return fields;
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) return fields;
    i += dLen; // a delimiter: another field follows, possibly empty
    if (i >= n) {
      fields.push('');
      return fields;
    }
  }
}

function isDelimiterAt(text: string, i: number, d: number, delimiter: string, dLen: number): boolean {
  return text.charCodeAt(i) === d && (dLen === 1 || text.startsWith(delimiter, i));
}

/**
 * Quotes one field the way ksqlDB's CSV printer does (minimal quoting): when
 * the record's first field is empty or starts with a character other than an
 * ASCII letter or digit; when any field starts with a character up to '#',
 * holds a quote, the delimiter or a line break, or ends in a space or control
 * character. Inner quotes are doubled.
 */
export function quoteCsvField(value: string, first: boolean, delimiter: string): string {
  const n = value.length;
  let quote = false;
  if (n === 0) {
    quote = first;
  } else {
    const c = value.charCodeAt(0);
    if (first && !isAsciiAlphanumeric(c)) {
      quote = true;
    } else if (c <= 35 /* # */) {
      quote = true;
    } else {
      const d = delimiter.charCodeAt(0);
      for (let i = 0; i < n; i++) {
        const ch = value.charCodeAt(i);
        if (ch === LF || ch === CR || ch === QUOTE || ch === d) {
          quote = true;
          break;
        }
      }
      if (!quote && value.charCodeAt(n - 1) <= 32) quote = true;
    }
  }
  if (!quote) return value;
  return `"${value.indexOf('"') < 0 ? value : value.replace(/"/g, '""')}"`;
}

function isAsciiAlphanumeric(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
