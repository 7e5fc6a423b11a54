/**
 * The four text encodings ksqlDB's ENCODE, TO_BYTES and FROM_BYTES know:
 * hex, utf8, ascii and base64. Unknown encodings and undecodable text give null.
 */

export type TextEncodingName = 'hex' | 'utf8' | 'ascii' | 'base64';

export function normalizeEncoding(name: string): TextEncodingName | null {
  const n = name.toLowerCase();
  return n === 'hex' || n === 'utf8' || n === 'ascii' || n === 'base64' ? n : null;
}

/** Hex text as ksqlDB reads it: plain (even length), 0x-prefixed (odd allowed), or X'..' quoted. */
function decodeHex(text: string): Buffer | null {
  let digits = text;
  let oddAllowed = false;
  if (/^0x/i.test(digits)) {
    digits = digits.slice(2);
    oddAllowed = true;
  } else if (/^x'/i.test(digits)) {
    if (digits.length < 3 || !digits.endsWith("'")) return null;
    digits = digits.slice(2, -1);
  }
  if (!/^[0-9a-fA-F]*$/.test(digits)) return null;
  if (digits.length % 2 === 1) {
    if (!oddAllowed) return null;
    digits = '0' + digits;
  }
  return Buffer.from(digits, 'hex');
}

/** Text to bytes in the named encoding; null when it cannot be decoded or the encoding is unknown. */
export function decodeText(text: string, encoding: string): Buffer | null {
  switch (normalizeEncoding(encoding)) {
    case 'hex':
      return decodeHex(text);
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'ascii': {
      const out = Buffer.alloc(text.length);
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        out[i] = c < 0x80 ? c : 0x3f;
      }
      return out;
    }
    case 'base64':
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
      return Buffer.from(text, 'base64');
    default:
      return null;
  }
}

/** Bytes to text in the named encoding; null for an unknown encoding. */
export function encodeText(bytes: Buffer, encoding: string): string | null {
  switch (normalizeEncoding(encoding)) {
    case 'hex':
      return bytes.toString('hex');
    case 'utf8':
      return bytes.toString('utf8');
    case 'ascii': {
      let out = '';
      for (const b of bytes) out += b < 0x80 ? String.fromCharCode(b) : '\ufffd';
      return out;
    }
    case 'base64':
      return bytes.toString('base64');
    default:
      return null;
  }
}
