/**
 * Reading and writing metric state. Typed arrays in JSON: the little-endian bytes
 * as base64 (4 characters per 3 bytes), so 1M float32 scores become a 1.33 MB
 * string instead of ~10 MB of decimal numbers, and decode back to exactly the
 * same values. Browser-safe: no Buffer, no btoa (which needs a binary string).
 */
import {ImbalancedInputError} from '../../errors';

/** Element types a state array may have. */
export type ArrayDType = 'float32' | 'float64' | 'int32' | 'uint8' | 'uint16';

/** A typed array in JSON: dtype, element count, little-endian bytes as base64. */
export interface EncodedArray {
  /** Element type. */
  dtype: ArrayDType;
  /** Number of elements. */
  length: number;
  /** The elements' little-endian bytes, base64 (RFC 4648, with padding). */
  base64: string;
}

type AnyTypedArray = Float32Array | Float64Array | Int32Array | Uint8Array | Uint16Array;

const CONSTRUCTORS = {
  float32: Float32Array, float64: Float64Array, int32: Int32Array, uint8: Uint8Array, uint16: Uint16Array,
} as const;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENCODE = Uint8Array.from(ALPHABET, c => c.charCodeAt(0));
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) DECODE[ALPHABET.charCodeAt(i)] = i;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function dtypeOf(values: AnyTypedArray): ArrayDType {
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Float64Array) return 'float64';
  if (values instanceof Int32Array) return 'int32';
  if (values instanceof Uint16Array) return 'uint16';
  return 'uint8';
}

/** The bytes of `values` in little-endian order (a view on little-endian machines, a swapped copy otherwise). */
function littleEndianBytes(values: AnyTypedArray): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const width = values.BYTES_PER_ELEMENT;
  if (LITTLE_ENDIAN || width === 1) return bytes;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += width) for (let b = 0; b < width; b++) out[i + b] = bytes[i + width - 1 - b];
  return out;
}

/** Base64 of bytes. */
export function toBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = ENCODE[v >>> 18];
    out[o++] = ENCODE[(v >>> 12) & 63];
    out[o++] = ENCODE[(v >>> 6) & 63];
    out[o++] = ENCODE[v & 63];
  }
  if (i < n) {
    const v = (bytes[i] << 16) | (i + 1 < n ? bytes[i + 1] << 8 : 0);
    out[o++] = ENCODE[v >>> 18];
    out[o++] = ENCODE[(v >>> 12) & 63];
    out[o++] = i + 1 < n ? ENCODE[(v >>> 6) & 63] : 61; // '='
    out[o++] = 61;
  }
  // ASCII bytes: decoding them as UTF-8 gives the same characters.
  return new TextDecoder().decode(out);
}

/** Bytes of a base64 string; null if it is not valid base64. */
export function fromBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0) return null;
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const n = (text.length / 4) * 3 - pad;
  const out = new Uint8Array(n);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let v = 0;
    for (let j = 0; j < 4; j++) {
      const c = text.charCodeAt(i + j);
      const d = c < 128 ? DECODE[c] : -1;
      if (d < 0) {
        if (c !== 61 || i + 4 < text.length || j < 4 - pad) return null;
        v <<= 6;
      } else {
        v = (v << 6) | d;
      }
    }
    if (o < n) out[o++] = (v >>> 16) & 255;
    if (o < n) out[o++] = (v >>> 8) & 255;
    if (o < n) out[o++] = v & 255;
  }
  return out;
}

/** A typed array as JSON. */
export function encodeArray(values: AnyTypedArray): EncodedArray {
  return {dtype: dtypeOf(values), length: values.length, base64: toBase64(littleEndianBytes(values))};
}

/** Decodes `encodeArray` output; throws ImbalancedInputError naming `parameter` if it is malformed or of another dtype. */
export function decodeArray(parameter: string, json: unknown, dtypes: readonly ArrayDType[]): AnyTypedArray {
  const e = json as EncodedArray;
  if (e === null || typeof e !== 'object' || !dtypes.includes(e.dtype) || !Number.isInteger(e.length) || e.length < 0 || typeof e.base64 !== 'string') {
    throw new ImbalancedInputError(parameter, `an encoded array {dtype: ${dtypes.map(d => `'${d}'`).join(' | ')}, length, base64}`, json);
  }
  const Ctor = CONSTRUCTORS[e.dtype];
  const bytes = fromBase64(e.base64);
  if (bytes === null || bytes.length !== e.length * Ctor.BYTES_PER_ELEMENT) {
    throw new ImbalancedInputError(`${parameter}.base64`, `base64 of ${e.length} ${e.dtype} values (${e.length * Ctor.BYTES_PER_ELEMENT} bytes)`, `a string of ${e.base64.length} characters`);
  }
  const le = new Ctor(bytes.buffer as ArrayBuffer, 0, e.length);
  return LITTLE_ENDIAN ? le : new Ctor(littleEndianBytes(le).buffer as ArrayBuffer);
}

/** A list of `length` non-negative integers (counts in a saved state). */
export function countArray(parameter: string, json: unknown, length: number): number[] {
  if (!Array.isArray(json) || json.length !== length || !json.every(v => Number.isSafeInteger(v) && v >= 0)) {
    throw new ImbalancedInputError(parameter, `${length} non-negative integer counts`, json);
  }
  return json as number[];
}
