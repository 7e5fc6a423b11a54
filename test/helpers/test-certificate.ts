/**
 * A self-signed certificate for localhost and 127.0.0.1, made with the
 * `openssl` command for a test: the PEM key and certificate, the two in one
 * PEM keystore, and a PKCS12 keystore with a password.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  /** Key and certificate in one file (Kafka's PEM keystore). */
  readonly pemKeystore: string;
  readonly pkcs12: string;
  readonly pkcs12Password: string;
  readonly cert: string;
}

export function makeTestCertificate(dir: string): TestCertificate {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  const pkcs12 = join(dir, 'keystore.p12');
  const pkcs12Password = 'keystore-secret';
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ], { stdio: 'pipe' });
  execFileSync('openssl', ['pkcs12', '-export', '-in', certFile, '-inkey', keyFile, '-out', pkcs12, '-passout', `pass:${pkcs12Password}`], { stdio: 'pipe' });
  const cert = readFileSync(certFile, 'utf8');
  const pemKeystore = join(dir, 'keystore.pem');
  writeFileSync(pemKeystore, readFileSync(keyFile, 'utf8') + cert);
  return { certFile, keyFile, pemKeystore, pkcs12, pkcs12Password, cert };
}
