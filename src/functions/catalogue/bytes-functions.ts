/** The CONVERSIONS functions: BYTES to and from STRING or numbers, and BOOLEAN to INTEGER. */
import { defineScalar, type ScalarFunction, type ScalarVariantInput } from '../function-definition.js';
import { decodeText, encodeText, normalizeEncoding } from './text-encoding.js';
import { strict, valueError } from './value-support.js';

function requireEncoding(functionName: string, encoding: string): string {
  if (normalizeEncoding(encoding) === null) {
    throw valueError(functionName, `Supported encodings are: hex, utf8, ascii and base64; got '${encoding}'`);
  }
  return encoding;
}

type Order = 'BIG_ENDIAN' | 'LITTLE_ENDIAN';

function fromBytesVariants<T>(size: number, read: (b: Buffer, little: boolean) => T, returns: string): ScalarVariantInput[] {
  const convert = (b: Buffer, order: string): T | null => {
    const o = order.toUpperCase() as Order;
    if (o !== 'BIG_ENDIAN' && o !== 'LITTLE_ENDIAN') return null;
    if (b.length !== size) return null;
    return read(b, o === 'LITTLE_ENDIAN');
  };
  return [
    { params: 'BYTES bytes', returns, impl: strict((b: Buffer) => convert(b, 'BIG_ENDIAN')) },
    { params: 'BYTES bytes, STRING byteOrder', returns, impl: strict(convert) },
  ];
}

export const BYTES_FUNCTIONS: readonly ScalarFunction[] = [
  defineScalar({
    name: 'TO_BYTES',
    category: 'CONVERSIONS',
    description: 'Converts a STRING in an encoding (hex, utf8, ascii, base64) to BYTES.',
    variants: [
      {
        params: 'STRING str, STRING encoding',
        returns: 'BYTES',
        impl: strict((s: string, enc: string) => {
          const bytes = decodeText(s, requireEncoding('TO_BYTES', enc));
          if (bytes === null) throw valueError('TO_BYTES', `'${s}' is not valid ${enc} text`);
          return bytes;
        }),
      },
    ],
  }),
  defineScalar({
    name: 'FROM_BYTES',
    category: 'CONVERSIONS',
    description: 'Converts BYTES to a STRING in an encoding (hex, utf8, ascii, base64).',
    variants: [
      {
        params: 'BYTES bytes, STRING encoding',
        returns: 'STRING',
        impl: strict((b: Buffer, enc: string) => encodeText(b, requireEncoding('FROM_BYTES', enc))),
      },
    ],
  }),
  defineScalar({
    name: 'INT_FROM_BYTES',
    category: 'CONVERSIONS',
    description: 'Reads 4 bytes as an INTEGER (BIG_ENDIAN by default); NULL for other lengths or orders.',
    variants: fromBytesVariants(4, (b, little) => (little ? b.readInt32LE(0) : b.readInt32BE(0)), 'INTEGER'),
  }),
  defineScalar({
    name: 'BIGINT_FROM_BYTES',
    category: 'CONVERSIONS',
    description: 'Reads 8 bytes as a BIGINT (BIG_ENDIAN by default); NULL for other lengths or orders.',
    variants: fromBytesVariants(8, (b, little) => (little ? b.readBigInt64LE(0) : b.readBigInt64BE(0)), 'BIGINT'),
  }),
  defineScalar({
    name: 'DOUBLE_FROM_BYTES',
    category: 'CONVERSIONS',
    description: 'Reads 8 bytes as a DOUBLE (BIG_ENDIAN by default); NULL for other lengths or orders.',
    variants: fromBytesVariants(8, (b, little) => (little ? b.readDoubleLE(0) : b.readDoubleBE(0)), 'DOUBLE'),
  }),
  defineScalar({
    name: 'INT_FROM_BOOLEAN',
    category: 'CONVERSIONS',
    description: 'Converts a BOOLEAN to an INTEGER: 1 for true, 0 for false.',
    variants: [{ params: 'BOOLEAN bool', returns: 'INTEGER', impl: strict((b: boolean) => (b ? 1 : 0)) }],
  }),
];
