// A tab's session, as ksqlDB's CLI keeps one: SET/UNSET query properties and
// DEFINE/UNDEFINE variables are handled here and sent with every later
// statement of the tab; SHOW VARIABLES lists the tab's variables.

const QUOTED = String.raw`'((?:[^']|'')*)'`;
const NAME = String.raw`([A-Za-z_][A-Za-z0-9_]*)`;
const unquote = (text) => text.replaceAll("''", "'");

const COMMANDS = [
  [new RegExp(String.raw`^SET\s+${QUOTED}\s*=\s*${QUOTED}$`, 'is'), (s, m) => {
    s.properties[unquote(m[1])] = unquote(m[2]);
    return `Successfully changed local property '${unquote(m[1])}' to '${unquote(m[2])}'. Use the UNSET command to revert your change.`;
  }],
  [new RegExp(String.raw`^UNSET\s+${QUOTED}$`, 'is'), (s, m) => {
    const name = unquote(m[1]);
    const had = name in s.properties;
    delete s.properties[name];
    return had ? `Successfully unset local property '${name}'.` : `Property '${name}' was not set.`;
  }],
  [new RegExp(String.raw`^DEFINE\s+${NAME}\s*=\s*${QUOTED}$`, 'is'), (s, m) => {
    s.variables[m[1].toUpperCase()] = unquote(m[2]);
    return `Defined variable ${m[1].toUpperCase()}.`;
  }],
  [new RegExp(String.raw`^UNDEFINE\s+${NAME}$`, 'is'), (s, m) => {
    const name = m[1].toUpperCase();
    if (!(name in s.variables)) return `Variable '${name}' is undefined`;
    delete s.variables[name];
    return `Undefined variable ${name}.`;
  }],
];

export class TabSession {
  constructor() {
    this.properties = {};
    this.variables = {};
  }

  /** Runs a statement the tab handles itself and answers its message, or undefined for one the server runs. */
  handle(statement) {
    const text = statement.replace(/;\s*$/, '').trim();
    for (const [pattern, apply] of COMMANDS) {
      const m = pattern.exec(text);
      if (m !== null) return apply(this, m);
    }
    return undefined;
  }

  /** Whether the statement is SHOW VARIABLES, which lists this tab's variables. */
  static isShowVariables(statement) {
    return /^(?:SHOW|LIST)\s+VARIABLES\s*;?\s*$/is.test(statement);
  }
}
