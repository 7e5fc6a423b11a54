/**
 * Reads a Java `.properties` file (ksqlDB's `ksql-server.properties`): `key=value`
 * or `key: value` lines, `#` and `!` comments, a trailing backslash continuing
 * a line. Values are kept as text; the config parses them by property.
 * Java also takes a line without `=` or `:` (`key value`, or a bare `key`);
 * with `strict` such a line is refused, naming it: in a server's settings it
 * is a typo or garbage, never a setting.
 */
export function parseProperties(text: string, options: { strict?: boolean; source?: string } = {}): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const first = i + 1;
    let line = lines[i]!.trimStart();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    while (endsWithContinuation(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + lines[++i]!.trimStart();
    }
    const match = /^((?:\\.|[^=:\s\\])+)(\s*[=:\s]\s*)(.*)$/.exec(line);
    if (options.strict === true && !(match !== null && /[=:]/.test(match[2]!))) {
      throw new Error(`${options.source ?? 'properties'} line ${first}: '${line.trimEnd()}' is not a setting: expected name=value`);
    }
    if (match) result[unescape(match[1]!)] = unescape(match[3]!.trimEnd());
    else result[unescape(line.trimEnd())] = '';
  }
  return result;
}

function endsWithContinuation(line: string): boolean {
  const trailing = /\\+$/.exec(line)?.[0].length ?? 0;
  return trailing % 2 === 1;
}

function unescape(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, c: string) => {
    if (c.length === 5) return String.fromCharCode(parseInt(c.slice(1), 16));
    return c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c === 'f' ? '\f' : c;
  });
}
