/**
 * The client settings of an external Schema Registry, with ksqlDB's names:
 * `ksql.schema.registry.url` (several base URLs, comma-separated),
 * `ksql.schema.registry.basic.auth.credentials.source` USER_INFO (with
 * `ksql.schema.registry.basic.auth.user.info`, `user:password`) or URL (the
 * URL's own `user:password@`, Confluent's default), and for https the
 * authorities to trust: `ksql.schema.registry.ssl.truststore.location`, or
 * the shared `ssl.truststore.location` (the prefixed name wins, as ksqlDB
 * documents), a PEM file, or the PEM text in `ssl.truststore.certificates`.
 * What ksqlite cannot honour refuses the start rather than be ignored:
 * SASL_INHERIT credentials, client certificates (a keystore), JKS and PKCS12
 * truststores (Node reads only PEM authorities).
 */
import type { HttpRegistryOptions } from '../schema-registry/http-registry-client.js';
import { readPemTruststore } from './pem-truststore.js';

export const SCHEMA_REGISTRY_URL_PROPERTY = 'ksql.schema.registry.url';
const PREFIX = 'ksql.schema.registry.';

/** The external registry's client options, or undefined when `ksql.schema.registry.url` is not set. */
export function schemaRegistryClientOptions(properties: Readonly<Record<string, string>>): HttpRegistryOptions | undefined {
  const get = (name: string): string | undefined => {
    const value = properties[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const shared = (name: string): string | undefined => get(PREFIX + name) ?? get(name);
  const urlText = get(SCHEMA_REGISTRY_URL_PROPERTY);
  if (urlText === undefined) return undefined;
  const urls = urlText.split(',').map((u) => u.trim()).filter((u) => u !== '').map(parseUrl);
  const userInfo = credentials(get(`${PREFIX}basic.auth.credentials.source`) ?? 'URL', get(`${PREFIX}basic.auth.user.info`), urls);
  for (const name of ['ssl.keystore.location', 'ssl.keystore.key', 'ssl.keystore.certificate.chain']) {
    if (get(PREFIX + name) !== undefined) {
      throw new Error(`${PREFIX}${name} is not supported: ksqlite does not present a client certificate to the Schema Registry`);
    }
  }
  // Only an https registry reads the truststore: the shared names may hold Kafka's (JKS) one for plain http.
  const ca = urls.some((u) => u.protocol === 'https:')
    ? readPemTruststore(shared('ssl.truststore.location'), shared('ssl.truststore.type'), shared('ssl.truststore.certificates'), 'Schema Registry truststore')
    : undefined;
  return {
    urls: urls.map((u) => stripUserInfo(u).toString()),
    ...(userInfo === undefined ? {} : { userInfo }),
    ...(ca === undefined ? {} : { ca }),
  };
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${SCHEMA_REGISTRY_URL_PROPERTY}: '${text}' is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${SCHEMA_REGISTRY_URL_PROPERTY}: '${text}' must be an http or https URL`);
  }
  return url;
}

function credentials(source: string, userInfo: string | undefined, urls: readonly URL[]): string | undefined {
  switch (source.toUpperCase()) {
    case 'USER_INFO':
      if (userInfo === undefined || !userInfo.includes(':')) {
        throw new Error(`${PREFIX}basic.auth.credentials.source=USER_INFO needs ${PREFIX}basic.auth.user.info as user:password`);
      }
      return userInfo;
    case 'URL': {
      const withCredentials = urls.find((u) => u.username !== '');
      return withCredentials === undefined
        ? undefined
        : `${decodeURIComponent(withCredentials.username)}:${decodeURIComponent(withCredentials.password)}`;
    }
    case 'SASL_INHERIT':
      throw new Error(`${PREFIX}basic.auth.credentials.source=SASL_INHERIT is not supported: ksqlite has no SASL settings to inherit; use USER_INFO`);
    default:
      throw new Error(`${PREFIX}basic.auth.credentials.source must be USER_INFO or URL, not '${source}'`);
  }
}

function stripUserInfo(url: URL): URL {
  const copy = new URL(url);
  copy.username = '';
  copy.password = '';
  return copy;
}

