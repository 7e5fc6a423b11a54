/**
 * Jetty's property-file user store, which ksqlDB's JAAS realm reads: one user
 * a line, `user: credential[,role ...]` (a Java properties file). The
 * credential is the password in plain text, `OBF:` (Jetty's reversible
 * obfuscation) or `MD5:` (hex digest of the password). `CRYPT:` (Unix DES
 * crypt) has no implementation in Node's crypto: such a user is kept but can
 * never log in, and the server says so at start (`unusableUsers`).
 * Comparisons are in constant time: both sides are hashed to one length.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { parseProperties } from './properties-file.js';

export interface StoredUser {
  readonly name: string;
  readonly roles: readonly string[];
  /** Checks a password against the stored credential. */
  readonly check: (password: string) => boolean;
  /** Why no password can match (an unsupported credential), if so. */
  readonly unusable?: string;
}

export class PasswordFile {
  private readonly users: ReadonlyMap<string, StoredUser>;

  constructor(text: string) {
    const users = new Map<string, StoredUser>();
    for (const [name, value] of Object.entries(parseProperties(text))) {
      const comma = value.indexOf(',');
      const credential = (comma < 0 ? value : value.slice(0, comma)).trim();
      const roles = comma < 0 ? [] : value.slice(comma + 1).split(',').map((r) => r.trim()).filter((r) => r !== '');
      users.set(name, { name, roles, ...credentialCheck(credential) });
    }
    this.users = users;
  }

  /** The user whose name and password match, else undefined; the work done is the same either way. */
  authenticate(name: string, password: string): StoredUser | undefined {
    const user = this.users.get(name);
    if (user === undefined) {
      equalInConstantTime(password, '\u0000no such user');
      return undefined;
    }
    return user.check(password) ? user : undefined;
  }

  /** Users whose credential cannot be checked, with the reason. */
  unusableUsers(): { name: string; reason: string }[] {
    return [...this.users.values()].filter((u) => u.unusable !== undefined).map((u) => ({ name: u.name, reason: u.unusable! }));
  }
}

function credentialCheck(credential: string): Pick<StoredUser, 'check' | 'unusable'> {
  if (credential.startsWith('MD5:')) {
    const digest = credential.slice(4).toLowerCase();
    return { check: (password) => equalInConstantTime(createHash('md5').update(password, 'latin1').digest('hex'), digest) };
  }
  if (credential.startsWith('OBF:')) {
    const plain = deobfuscate(credential.slice(4));
    return { check: (password) => equalInConstantTime(password, plain) };
  }
  if (credential.startsWith('CRYPT:')) {
    return { check: () => false, unusable: 'CRYPT: (Unix DES crypt) passwords are not supported; use MD5:, OBF: or plain text' };
  }
  return { check: (password) => equalInConstantTime(password, credential) };
}

/** Compares two secrets in a time that does not depend on where they differ. */
export function equalInConstantTime(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

/**
 * Jetty's `OBF:` text back to the password: groups of four base-36 digits,
 * each giving one byte; a group led by `U` carries the byte in its high half.
 */
export function deobfuscate(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 4) {
    if (text[i] === 'U') {
      i++;
      bytes.push((parseInt(text.slice(i, i + 4), 36) >> 8) & 0xff);
    } else {
      const n = parseInt(text.slice(i, i + 4), 36);
      bytes.push(((Math.floor(n / 256) + (n % 256) - 254) / 2) & 0xff);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
