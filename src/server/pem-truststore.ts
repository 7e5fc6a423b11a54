/**
 * A truststore as Node can use it: PEM certificates, in the file
 * `ssl.truststore.location` names, or as text (`ssl.truststore.certificates`).
 * JKS and PKCS12 truststores are Java's: refused, saying how to export them.
 */
import { readFileSync } from 'node:fs';

/** The PEM authorities to trust, or undefined when none are named; `what` names the truststore in errors. */
export function readPemTruststore(location: string | undefined, type: string | undefined, certificates: string | undefined, what: string): string | undefined {
  if (location === undefined) return certificates;
  let bytes: Buffer;
  try {
    bytes = readFileSync(location);
  } catch (error) {
    throw new Error(`Cannot read the ${what} '${location}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const text = bytes.toString('utf8');
  if ((type !== undefined && type.toUpperCase() !== 'PEM') || !text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(`The ${what} '${location}' must be PEM certificates (ssl.truststore.type=PEM): `
      + 'Node cannot read JKS or PKCS12 truststores; export them with `keytool -exportcert -rfc`');
  }
  return text;
}
