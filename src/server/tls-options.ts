/**
 * The TLS settings of an `https://` listener, with ksqlDB's (Kafka's) names:
 * `ssl.keystore.location` and `ssl.keystore.password` for the server's key
 * and certificate chain, `ssl.keystore.type` PKCS12 or PEM (Kafka's KIP-651
 * PEM keystore: one file with the private key and the certificate chain;
 * `ssl.key.password` decrypts an encrypted key), or, without a file, the PEM
 * text itself in `ssl.keystore.key` and `ssl.keystore.certificate.chain`.
 * Left out, the type is read from the file: PEM text or else PKCS12. A JKS
 * keystore cannot be read by Node: it is refused with the keytool command
 * that converts it. `ssl.enabled.protocols` (TLSv1.2, TLSv1.3) bounds the
 * protocol versions. Keystore aliases (`ssl.keystore.alias`), client certificates (`ssl.client.authentication`,
 * `ssl.client.auth`) and `ssl.cipher.suites` (Java's cipher names) are not
 * supported: set, they refuse the start rather than be ignored.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContextOptions } from 'node:tls';

export const TLS_PROPERTIES = [
  'ssl.keystore.location',
  'ssl.keystore.password',
  'ssl.keystore.type',
  'ssl.keystore.alias',
  'ssl.key.password',
  'ssl.keystore.key',
  'ssl.keystore.certificate.chain',
  'ssl.enabled.protocols',
  'ssl.protocol',
  'ssl.client.authentication',
  'ssl.client.auth',
  'ssl.cipher.suites',
  'ssl.truststore.location',
  'ssl.truststore.password',
  'ssl.truststore.type',
  'ssl.endpoint.identification.algorithm',
] as const;

const JKS_MAGIC = 0xfeedfeed;

/** The secure context options for node's TLS server; throws a clear error when the settings cannot be used. */
export function loadTlsOptions(properties: Readonly<Record<string, string>>): SecureContextOptions {
  const get = (name: string): string | undefined => {
    const value = properties[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const clientAuth = get('ssl.client.authentication') ?? (get('ssl.client.auth') === 'true' ? 'REQUIRED' : undefined);
  if (clientAuth !== undefined && clientAuth.toUpperCase() !== 'NONE') {
    throw new Error(`ssl.client.authentication=${clientAuth} is not supported: ksqlite does not check client certificates`);
  }
  if (get('ssl.keystore.alias') !== undefined) throw new Error('ssl.keystore.alias is not supported: use a keystore that holds one key');
  if (get('ssl.cipher.suites') !== undefined) throw new Error('ssl.cipher.suites is not supported: leave it out to use Node\'s default ciphers');
  const versions = protocolVersions(get('ssl.enabled.protocols'));
  const keyPassword = get('ssl.key.password');
  const location = get('ssl.keystore.location');
  let keystore: SecureContextOptions;
  if (location === undefined) {
    const key = get('ssl.keystore.key');
    const cert = get('ssl.keystore.certificate.chain');
    if (key === undefined || cert === undefined) {
      throw new Error('An https listener needs ssl.keystore.location (a PKCS12 or PEM keystore), or ssl.keystore.key and ssl.keystore.certificate.chain');
    }
    keystore = { key, cert, ...(keyPassword === undefined ? {} : { passphrase: keyPassword }) };
  } else {
    let bytes: Buffer;
    try {
      bytes = readFileSync(location);
    } catch (error) {
      throw new Error(`Cannot read ssl.keystore.location '${location}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const type = (get('ssl.keystore.type') ?? (bytes.includes('-----BEGIN') ? 'PEM' : bytes.length >= 4 && bytes.readUInt32BE(0) === JKS_MAGIC ? 'JKS' : 'PKCS12')).toUpperCase();
    if (type === 'JKS') {
      throw new Error(`ssl.keystore.location '${location}' is a JKS keystore, which Node cannot read: convert it with `
        + '`keytool -importkeystore -srckeystore <jks> -destkeystore <p12> -deststoretype PKCS12` and set ssl.keystore.type=PKCS12');
    }
    if (type === 'PKCS12') {
      const passphrase = get('ssl.keystore.password') ?? keyPassword;
      keystore = { pfx: bytes, ...(passphrase === undefined ? {} : { passphrase }) };
    } else if (type === 'PEM') {
      keystore = { key: bytes, cert: bytes, ...(keyPassword === undefined ? {} : { passphrase: keyPassword }) };
    } else throw new Error(`Unsupported ssl.keystore.type '${type}': expected PKCS12 or PEM`);
  }
  const options: SecureContextOptions = { ...keystore, ...versions };
  try {
    createSecureContext(options);
  } catch (error) {
    throw new Error(`Cannot use the TLS keystore${location === undefined ? '' : ` '${location}'`}: ${(error as Error).message}`);
  }
  return options;
}

type TlsVersion = 'TLSv1.2' | 'TLSv1.3';

function protocolVersions(text: string | undefined): Pick<SecureContextOptions, 'minVersion' | 'maxVersion'> {
  if (text === undefined) return {};
  const known: readonly TlsVersion[] = ['TLSv1.2', 'TLSv1.3'];
  const listed = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const v of listed) if (!known.includes(v as TlsVersion)) throw new Error(`Unsupported protocol '${v}' in ssl.enabled.protocols: expected TLSv1.2 or TLSv1.3`);
  const chosen = known.filter((v) => listed.includes(v));
  if (chosen.length === 0) return {};
  return { minVersion: chosen[0]!, maxVersion: chosen[chosen.length - 1]! };
}
