/**
 * The shell's `--config-file` holds, as ksqlDB's CLI reads it, two kinds of
 * settings: `ssl.*` ones configure the shell's own connection to an https
 * server and are never sent to it; every other one is a query property, as
 * if SET. The server is trusted when a public authority vouches for it, or
 * one of the PEM certificates `ssl.truststore.location` names; a client
 * certificate comes from `ssl.keystore.location` (PEM or PKCS12, with
 * `ssl.keystore.password` and `ssl.key.password`), read as the server reads
 * its own keystore.
 */
import type { ConnectionOptions } from 'node:tls';
import { readPemTruststore } from '../server/pem-truststore.js';
import { loadTlsOptions } from '../server/tls-options.js';

export interface ConfigFileSettings {
  /** The query properties: the session's first SETs. */
  readonly properties: Record<string, string>;
  /** How the shell connects over TLS; undefined when the file sets none of it. */
  readonly tls: ConnectionOptions | undefined;
}

export function splitConfigFile(entries: Readonly<Record<string, string>>): ConfigFileSettings {
  const properties: Record<string, string> = {};
  const ssl: Record<string, string> = {};
  for (const [name, value] of Object.entries(entries)) {
    if (name.startsWith('ssl.')) ssl[name] = value;
    else properties[name] = value;
  }
  if (Object.keys(ssl).length === 0) return { properties, tls: undefined };
  const ca = readPemTruststore(ssl['ssl.truststore.location'], ssl['ssl.truststore.type'], ssl['ssl.truststore.certificates'], 'truststore');
  const { 'ssl.truststore.location': _l, 'ssl.truststore.password': _p, 'ssl.truststore.type': _t, 'ssl.truststore.certificates': _c, ...keystore } = ssl;
  const client = keystore['ssl.keystore.location'] === undefined && keystore['ssl.keystore.key'] === undefined ? {} : loadTlsOptions(keystore);
  return { properties, tls: { ...client, ...(ca === undefined ? {} : { ca }) } };
}
