/** The part of snappyjs (a pure-JavaScript snappy block codec, shipped without types) the batch codec uses. */
declare module 'snappyjs' {
  /** Uncompresses one raw snappy block; throws when it is invalid or would exceed `maxLength` bytes. */
  export function uncompress<T extends Uint8Array>(compressed: T, maxLength?: number): T;
  export function compress<T extends Uint8Array>(uncompressed: T): T;
}
