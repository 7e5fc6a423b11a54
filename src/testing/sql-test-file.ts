/**
 * ksqlDB's SQL test files (run-ksql-test): tests separated by `--@test:
 * name` lines, each with optional `--@expected.error: class` and
 * `--@expected.message: text` directives, then its statements. Directives
 * are comments to the parser, so a test's text is parsed as it stands, with
 * the lines before it blanked so positions are the file's own.
 */
import { KsqlError } from '../common/errors.js';

export interface SqlTest {
  readonly name: string;
  /** The file and the 1-based line of the test's `--@test` directive. */
  readonly file: string;
  readonly line: number;
  readonly expectedError: string | undefined;
  readonly expectedMessage: string | undefined;
  /** The test's statements, preceded by blank lines up to its place in the file. */
  readonly sql: string;
}

const DIRECTIVE = /^\s*--@([A-Za-z.]+)\s*:\s*(.*?)\s*$/;

export function parseSqlTestFile(text: string, file: string): SqlTest[] {
  const lines = text.split(/\r?\n/);
  const tests: SqlTest[] = [];
  let current: { name: string; line: number; error?: string; message?: string; start: number } | undefined;
  const finish = (end: number): void => {
    if (current === undefined) return;
    tests.push({
      name: current.name,
      file,
      line: current.line,
      expectedError: current.error,
      expectedMessage: current.message,
      sql: '\n'.repeat(current.start) + lines.slice(current.start, end).join('\n'),
    });
  };
  lines.forEach((line, i) => {
    const directive = DIRECTIVE.exec(line);
    if (directive === null) {
      if (current === undefined && line.trim() !== '' && !line.trim().startsWith('--')) {
        throw new KsqlError('BAD_STATEMENT', `${file}:${i + 1}: statements before the first --@test directive`);
      }
      return;
    }
    const [, name, value] = directive as unknown as [string, string, string];
    switch (name.toLowerCase()) {
      case 'test':
        finish(i);
        current = { name: value, line: i + 1, start: i };
        break;
      case 'expected.error':
      case 'expected.message':
        if (current === undefined) throw new KsqlError('BAD_STATEMENT', `${file}:${i + 1}: --@${name} before the first --@test directive`);
        if (name.toLowerCase() === 'expected.error') current.error = value;
        else current.message = value;
        break;
      default:
        throw new KsqlError('BAD_STATEMENT', `${file}:${i + 1}: unknown directive --@${name}`);
    }
  });
  finish(lines.length);
  return tests;
}
