/** SET, UNSET, DEFINE, UNDEFINE, SHOW PROPERTIES and SHOW VARIABLES: the session's own state. */
import type { StatementOfKind } from '../../parser/ast/statement.js';
import { normalizePropertyName, parseOverride } from '../config.js';
import type { EnginePorts } from '../engine-ports.js';
import type { KsqlEntity } from '../entities.js';
import type { Session } from '../session.js';

export function setProperty(stmt: StatementOfKind<'SetProperty'>, _ports: unknown, session: Session): KsqlEntity {
  const name = normalizePropertyName(stmt.name);
  session.properties[name] = parseOverride(name, stmt.value);
  return { '@type': 'empty', statementText: stmt.text };
}

export function unsetProperty(stmt: StatementOfKind<'UnsetProperty'>, _ports: unknown, session: Session): KsqlEntity {
  delete session.properties[normalizePropertyName(stmt.name)];
  return { '@type': 'empty', statementText: stmt.text };
}

export function defineVariable(stmt: StatementOfKind<'DefineVariable'>, _ports: unknown, session: Session): KsqlEntity {
  session.variables.set(stmt.name.toUpperCase(), stmt.value);
  return { '@type': 'empty', statementText: stmt.text };
}

export function undefineVariable(stmt: StatementOfKind<'UndefineVariable'>, _ports: unknown, session: Session): KsqlEntity {
  if (!session.variables.delete(stmt.name.toUpperCase())) {
    return { '@type': 'warning_entity', statementText: stmt.text, message: `Cannot undefine variable '${stmt.name}' which was never defined`, warnings: [] };
  }
  return { '@type': 'empty', statementText: stmt.text };
}

export function listProperties(stmt: StatementOfKind<'ListProperties'>, { config: server }: Pick<EnginePorts, 'config'>, session: Session): KsqlEntity {
  const config = server.withOverrides(session.properties);
  return {
    '@type': 'properties', statementText: stmt.text, warnings: [],
    properties: config.entries().map(([name, value]) => ({ name, scope: 'KSQL', value: value === null ? '' : String(value) })),
    overwrittenProperties: Object.keys(session.properties),
    defaultProperties: [],
  };
}

export function listVariables(stmt: StatementOfKind<'ListVariables'>, _ports: unknown, session: Session): KsqlEntity {
  return {
    '@type': 'variables', statementText: stmt.text, warnings: [],
    variables: [...session.variables].map(([name, value]) => ({ name, value })),
  };
}
