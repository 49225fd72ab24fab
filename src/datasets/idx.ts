/**
 * The IDX array format (LeCun et al.'s MNIST files, also used by Fashion-MNIST),
 * parsed from bytes. Browser-safe: the bytes may come from `fetch` or a file
 * input; gzipped files must be inflated first (`DecompressionStream('gzip')` in
 * a browser; the Node entry's `readIdxFile` does it with zlib).
 */
import {ImbalancedInputError} from '../errors';
import {sizeOf} from '../core/inputs';

/** An IDX array: its dimensions and its values (row-major). */
export interface IdxArray {
  /** Size of each dimension, outermost first. */
  dims: number[];
  /** The values, row-major, in the file's element type. */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

/** IDX type codes (third byte of the magic number) and their element sizes. */
const IDX_TYPES: {[code: number]: {bytes: number; name: string}} = {
  0x08: {bytes: 1, name: 'ubyte'},
  0x09: {bytes: 1, name: 'byte'},
  0x0b: {bytes: 2, name: 'short'},
  0x0c: {bytes: 4, name: 'int'},
  0x0d: {bytes: 4, name: 'float'},
  0x0e: {bytes: 8, name: 'double'},
};

/** True when `bytes` start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Parses an IDX file's bytes (LeCun's format: 0, 0, type, rank, then rank
 * big-endian uint32 dimensions, then big-endian values). `source` names the
 * file in error messages. Gzipped bytes are refused with a hint: inflate them
 * first (the Node entry's `readIdxFile` does).
 */
export function parseIdx(bytes: Uint8Array, source = 'IDX data'): IdxArray {
  const buf = bytes;
  if (isGzip(buf)) {
    throw new ImbalancedInputError(
      source,
      "raw IDX bytes (inflate gzipped files first: DecompressionStream('gzip') in a browser, readIdxFile from 'tfjs-imbalanced/node' in Node)",
      'gzipped bytes',
    );
  }
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0 || !(buf[2] in IDX_TYPES)) {
    throw new ImbalancedInputError(source, 'an IDX file (magic number 0x0000TTRR)', `bytes [${Array.from(buf.subarray(0, 4)).join(', ')}]`);
  }
  const type = IDX_TYPES[buf[2]];
  const rank = buf[3];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 4 + 4 * rank) throw new ImbalancedInputError(source, `${rank} dimensions after the magic number`, 'a truncated header');
  const dims = Array.from({length: rank}, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = sizeOf(dims);
  const offset = 4 + 4 * rank;
  if (buf.length !== offset + count * type.bytes) {
    throw new ImbalancedInputError(
      source,
      `${count * type.bytes} bytes of ${type.name} data for dimensions [${dims.join(', ')}]`,
      `${buf.length - offset} bytes`,
    );
  }
  let data: IdxArray['data'];
  switch (type.name) {
    case 'ubyte': data = Uint8Array.from(buf.subarray(offset)); break;
    case 'byte': data = Int8Array.from(buf.subarray(offset), v => (v << 24) >> 24); break;
    case 'short': data = Int16Array.from({length: count}, (_, i) => view.getInt16(offset + 2 * i, false)); break;
    case 'int': data = Int32Array.from({length: count}, (_, i) => view.getInt32(offset + 4 * i, false)); break;
    case 'float': data = Float32Array.from({length: count}, (_, i) => view.getFloat32(offset + 4 * i, false)); break;
    default: data = Float64Array.from({length: count}, (_, i) => view.getFloat64(offset + 8 * i, false));
  }
  return {dims, data};
}

