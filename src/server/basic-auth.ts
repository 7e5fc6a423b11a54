/**
 * HTTP Basic authentication as ksqlDB configures it:
 * `authentication.method=BASIC` (default NONE), `authentication.realm` (named
 * in the `WWW-Authenticate` challenge), `authentication.roles` (a user must
 * hold one of them; `**` allows any role; `*` is dropped and the default is
 * no role, as in ksqlDB, so an unset list lets nobody in) and
 * `authentication.skip.paths` (comma-separated, `*` a wildcard). ksqlDB
 * always lets `/healthcheck`, `/v1/metadata` and `/v1/metadata/id` through;
 * every other path, `/info` and the `/ws/query` upgrade included, needs
 * credentials. ksqlDB finds users through a JAAS realm; ksqlite reads the
 * Jetty password file that realm would name, from
 * `authentication.basic.users.file`.
 */
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { KsqlError } from '../common/errors.js';
import { PasswordFile, type StoredUser } from './password-file.js';

export const AUTH_PROPERTIES = {
  method: 'authentication.method',
  realm: 'authentication.realm',
  roles: 'authentication.roles',
  skipPaths: 'authentication.skip.paths',
  usersFile: 'authentication.basic.users.file',
} as const;

/** The paths ksqlDB always lets through; the Schema Registry listener has none (Confluent's registry asks on every path). */
export const KSQLDB_ALWAYS_SKIPPED: readonly string[] = ['/healthcheck', '/v1/metadata', '/v1/metadata/id'];

/** Why a request may not go on: an error for the body, and the challenge for a 401. */
export interface AuthRefusal {
  readonly error: KsqlError;
  readonly challenge?: string;
}

export interface Authenticator {
  /** undefined: the request may go on. */
  check(path: string, headers: IncomingHttpHeaders): AuthRefusal | undefined;
  /** What the operator should hear at start: users that cannot log in, no allowed role. */
  readonly warnings: readonly string[];
}

/** The authenticator the properties ask for, or undefined when authentication is off. Throws on a bad setting. */
export function createAuthenticator(properties: Readonly<Record<string, string>>, alwaysSkipped = KSQLDB_ALWAYS_SKIPPED): Authenticator | undefined {
  const method = (properties[AUTH_PROPERTIES.method] ?? 'NONE').trim().toUpperCase();
  if (method === 'NONE') return undefined;
  if (method !== 'BASIC') throw new Error(`Unsupported ${AUTH_PROPERTIES.method} '${properties[AUTH_PROPERTIES.method]}': ksqlite supports NONE and BASIC`);
  const users = readPasswordFile(properties, `${AUTH_PROPERTIES.method}=BASIC`);
  const { roles, anyRole } = allowedRoles(properties);
  const skip = skipPattern([...alwaysSkipped, ...splitList(properties[AUTH_PROPERTIES.skipPaths])]);
  const challenge = `Basic realm="${(properties[AUTH_PROPERTIES.realm] ?? '').replace(/["\\]/g, '')}"`;
  const unauthorized: AuthRefusal = { error: new KsqlError('UNAUTHORIZED', 'Unauthorized'), challenge };
  return {
    warnings: [
      ...users.unusableUsers().map((u) => `user '${u.name}' cannot log in: ${u.reason}`),
      ...(anyRole || roles.length > 0 ? [] : [`${AUTH_PROPERTIES.roles} lists no role, so every user is refused (403), as in ksqlDB; ** allows any role`]),
    ],
    check(path, headers) {
      if (skip.test(path)) return undefined;
      const credentials = parseBasic(headers.authorization);
      if (credentials === undefined) return unauthorized;
      const user = users.authenticate(credentials.user, credentials.password);
      if (user === undefined) return unauthorized;
      if (!hasAllowedRole(user, { roles, anyRole })) return { error: new KsqlError('FORBIDDEN', 'Forbidden') };
      return undefined;
    },
  };
}

/** The users of `authentication.basic.users.file`; `needer` names the setting that needs it, for the error. */
export function readPasswordFile(properties: Readonly<Record<string, string>>, needer: string): PasswordFile {
  const file = properties[AUTH_PROPERTIES.usersFile];
  if (file === undefined || file.trim() === '') {
    throw new Error(`${needer} needs ${AUTH_PROPERTIES.usersFile}: the password file of users (user: password[,role ...])`);
  }
  let text: string;
  try {
    text = readFileSync(file.trim(), 'utf8');
  } catch (error) {
    throw new Error(`Cannot read ${AUTH_PROPERTIES.usersFile} '${file}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return new PasswordFile(text);
}

export interface AllowedRoles {
  readonly roles: readonly string[];
  readonly anyRole: boolean;
}

/** `authentication.roles` read as ksqlDB reads it: `*` dropped, `**` any role. */
export function allowedRoles(properties: Readonly<Record<string, string>>): AllowedRoles {
  const roles = splitList(properties[AUTH_PROPERTIES.roles]).filter((r) => r !== '*');
  return { roles, anyRole: roles.includes('**') };
}

export function hasAllowedRole(user: StoredUser, allowed: AllowedRoles): boolean {
  return allowed.anyRole || user.roles.some((r) => allowed.roles.includes(r));
}

function splitList(text: string | undefined): string[] {
  return (text ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** Whole-path match of any of the paths, `*` matching anything. */
function skipPattern(paths: readonly string[]): RegExp {
  const alternatives = paths.map((p) => p.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*'));
  return new RegExp(`^(?:${alternatives.join('|')})$`);
}

function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
