/**
 * URL functions, reading URLs the way java.net.URI does (RFC 3986 syntax;
 * text a URI would reject gives NULL) and encoding parameters the way
 * URLEncoder / URLDecoder do (application/x-www-form-urlencoded, UTF-8).
 */
import { defineScalar, type ScalarFunction } from '../function-definition.js';
import { strict, valueError } from './value-support.js';

interface UrlParts {
  readonly scheme: string | null;
  readonly authority: string | null;
  readonly path: string;
  readonly query: string | null;
  readonly fragment: string | null;
}

const URI_SHAPE = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;
const ILLEGAL = /[\s"<>\\^`{|}\u0000-\u001f\u007f]|%(?![0-9A-Fa-f]{2})/;

function parseUrl(text: string): UrlParts | null {
  if (ILLEGAL.test(text)) return null;
  const m = URI_SHAPE.exec(text);
  if (!m) return null;
  return { scheme: m[1] ?? null, authority: m[2] ?? null, path: m[3] ?? '', query: m[4] ?? null, fragment: m[5] ?? null };
}

/** URI-style decoding: %XX sequences as UTF-8, '+' kept. */
function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function hostAndPort(authority: string | null): { host: string | null; port: number | null } {
  if (authority === null) return { host: null, port: null };
  const at = authority.lastIndexOf('@');
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  if (!m) return { host: null, port: null };
  const host = m[1]!.length > 0 ? m[1]! : null;
  const port = m[2] !== undefined && m[2].length > 0 ? Number(m[2]) : null;
  return { host, port };
}

/** URLEncoder.encode(text, UTF-8). */
export function encodeParam(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-*_]/.test(c)) out += c;
    else if (byte === 0x20) out += '+';
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** URLDecoder.decode(text, UTF-8); malformed escapes are an error. */
export function decodeParam(text: string): string {
  const bytes: number[] = [];
  let out = '';
  const flush = () => {
    if (bytes.length > 0) {
      out += Buffer.from(bytes).toString('utf8');
      bytes.length = 0;
    }
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '%') {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw valueError('URL_DECODE_PARAM', `Illegal hex characters in escape (%) pattern: ${text}`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      flush();
      out += c === '+' ? ' ' : c;
    }
  }
  flush();
  return out;
}

/**
 * As ksqlDB: the query is decoded first (%XX only, '+' stays), then split on
 * '&' and each piece on its first '='; a name without '=' has the value ''.
 */
function extractParameter(url: string, name: string): string | null {
  const parts = parseUrl(url);
  if (parts === null || parts.query === null) return null;
  for (const pair of percentDecode(parts.query).split('&')) {
    const eq = pair.indexOf('=');
    if (eq < 0) {
      if (pair === name) return '';
    } else if (pair.slice(0, eq) === name) {
      return pair.slice(eq + 1);
    }
  }
  return null;
}

function urlPart(name: string, description: string, returns: 'STRING' | 'INTEGER', pick: (p: UrlParts) => string | number | null): ScalarFunction {
  return defineScalar({
    name,
    category: 'URL',
    description,
    variants: [
      {
        params: 'STRING input',
        returns,
        impl: strict((url: string) => {
          const parts = parseUrl(url);
          return parts === null ? null : pick(parts);
        }),
      },
    ],
  });
}

export const URL_FUNCTIONS: readonly ScalarFunction[] = [
  defineScalar({
    name: 'URL_ENCODE_PARAM',
    category: 'URL',
    description: 'Escapes a value for use in a URL query parameter (application/x-www-form-urlencoded).',
    variants: [{ params: 'STRING input', returns: 'STRING', impl: strict(encodeParam) }],
  }),
  defineScalar({
    name: 'URL_DECODE_PARAM',
    category: 'URL',
    description: 'Unescapes a URL query parameter value.',
    variants: [{ params: 'STRING input', returns: 'STRING', impl: strict(decodeParam) }],
  }),
  urlPart('URL_EXTRACT_FRAGMENT', 'The decoded fragment of a URL, or NULL.', 'STRING', (p) => (p.fragment === null ? null : percentDecode(p.fragment))),
  urlPart('URL_EXTRACT_HOST', 'The host of a URL, or NULL.', 'STRING', (p) => hostAndPort(p.authority).host),
  urlPart('URL_EXTRACT_PATH', 'The decoded path of a URL (empty when there is none).', 'STRING', (p) => percentDecode(p.path)),
  urlPart('URL_EXTRACT_PORT', 'The explicit port of a URL, or NULL.', 'INTEGER', (p) => hostAndPort(p.authority).port),
  urlPart('URL_EXTRACT_PROTOCOL', 'The scheme of a URL, or NULL.', 'STRING', (p) => p.scheme),
  urlPart('URL_EXTRACT_QUERY', 'The decoded query string of a URL, or NULL.', 'STRING', (p) => (p.query === null ? null : percentDecode(p.query))),
  defineScalar({
    name: 'URL_EXTRACT_PARAMETER',
    category: 'URL',
    description: "The value of a named parameter of the decoded query string: '' when it has none, NULL when absent.",
    variants: [{ params: 'STRING input, STRING paramToFind', returns: 'STRING', impl: strict(extractParameter) }],
  }),
];
