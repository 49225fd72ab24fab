/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017; MIT licence) read from IDX files,
 * gzipped or not, and the long-tailed subsets the CSL paper builds (csl.md §4:
 * n_k = floor(n_max·μ^k), μ = p^(−1/(C−1)), p = n_max / n_min). Node only (reads
 * files, uses zlib). Debian ships the data in `dataset-fashion-mnist`
 * (/usr/share/datasets/fashion-mnist); nothing is downloaded.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import {ImbalancedInputError} from '../errors';
import {checkNumber, checkOneOf} from '../core/validate';
import {Random} from '../core/random';

/** Where Debian's `dataset-fashion-mnist` package installs the files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Class names, index = label. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

/** An IDX array: its dimensions and its values (row-major). */
export interface IdxArray {
  dims: number[];
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

/**
 * Parses an IDX file's bytes (LeCun's format: 0, 0, type, rank, then rank
 * big-endian uint32 dimensions, then big-endian values). Gzipped input (magic
 * 1f 8b) is inflated first. `source` names the file in error messages.
 */
export function parseIdx(bytes: Uint8Array, source = 'IDX data'): IdxArray {
  let buf = bytes;
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = zlib.gunzipSync(buf);
    } catch (e) {
      throw new ImbalancedInputError(source, 'a valid gzip file', `a corrupt one (${(e as Error).message})`);
    }
  }
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0 || !(buf[2] in IDX_TYPES)) {
    throw new ImbalancedInputError(source, 'an IDX file (magic number 0x0000TTRR)', `bytes [${Array.from(buf.subarray(0, 4)).join(', ')}]`);
  }
  const type = IDX_TYPES[buf[2]];
  const rank = buf[3];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 4 + 4 * rank) throw new ImbalancedInputError(source, `${rank} dimensions after the magic number`, 'a truncated header');
  const dims = Array.from({length: rank}, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
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

/** Reads and parses one IDX file (`.gz` or raw). */
export function readIdxFile(file: string): IdxArray {
  return parseIdx(fs.readFileSync(file), file);
}

/** One split of an image dataset: uint8 pixels, row-major [count, rows, cols]. */
export interface ImageDataset {
  /** Pixel values 0-255, length count·rows·cols. */
  images: Uint8Array;
  /** Labels 0..C−1. */
  labels: Uint8Array;
  /** Number of images. */
  count: number;
  /** Image height in pixels. */
  rows: number;
  /** Image width in pixels. */
  cols: number;
  /** Class names, index = label. */
  classNames: string[];
}

/** Finds `<split>-<kind>-ubyte(.gz)` in `dir`. */
function idxPath(dir: string, stem: string): string | null {
  for (const name of [`${stem}.gz`, stem]) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) return file;
  }
  return null;
}

/**
 * Loads the Fashion-MNIST `'train'` (60 000) or `'test'` (10 000, 1000 per class)
 * split from `dir` (default: Debian's /usr/share/datasets/fashion-mnist). Throws
 * ImbalancedInputError naming `dir` when the files are missing (install them with
 * `apt-get install dataset-fashion-mnist`) and when images and labels disagree.
 */
export function fashionMnist(options: {split?: 'train' | 'test'; dir?: string} = {}): ImageDataset {
  const split = checkOneOf('split', options.split ?? 'train', ['train', 'test'] as const);
  const dir = options.dir ?? FASHION_MNIST_DIR;
  const prefix = split === 'train' ? 'train' : 't10k';
  const imageFile = idxPath(dir, `${prefix}-images-idx3-ubyte`);
  const labelFile = idxPath(dir, `${prefix}-labels-idx1-ubyte`);
  if (imageFile === null || labelFile === null) {
    throw new ImbalancedInputError(
      'dir',
      `a directory holding ${prefix}-images-idx3-ubyte.gz and ${prefix}-labels-idx1-ubyte.gz ` +
        `(Debian/Ubuntu: apt-get install dataset-fashion-mnist, which installs them in ${FASHION_MNIST_DIR})`,
      `${JSON.stringify(dir)}, where ${imageFile === null ? `${prefix}-images-idx3-ubyte(.gz)` : `${prefix}-labels-idx1-ubyte(.gz)`} is missing`,
    );
  }
  const images = readIdxFile(imageFile);
  const labels = readIdxFile(labelFile);
  if (images.dims.length !== 3 || !(images.data instanceof Uint8Array)) {
    throw new ImbalancedInputError(imageFile, 'ubyte images of shape [count, rows, cols]', `${images.dims.length} dimensions`);
  }
  if (labels.dims.length !== 1 || !(labels.data instanceof Uint8Array)) {
    throw new ImbalancedInputError(labelFile, 'ubyte labels of shape [count]', `${labels.dims.length} dimensions`);
  }
  if (labels.dims[0] !== images.dims[0]) {
    throw new ImbalancedInputError(labelFile, `${images.dims[0]} labels (one per image)`, `${labels.dims[0]} labels`);
  }
  const C = FASHION_MNIST_CLASSES.length;
  const bad = labels.data.findIndex(v => v >= C);
  if (bad >= 0) throw new ImbalancedInputError(`${labelFile}[${bad}]`, `a label in [0, ${C - 1}]`, labels.data[bad]);
  return {
    images: images.data,
    labels: labels.data,
    count: images.dims[0],
    rows: images.dims[1],
    cols: images.dims[2],
    classNames: FASHION_MNIST_CLASSES.slice(),
  };
}

/**
 * Long-tailed class sizes (Cui et al. 2019; csl.md §4): n_k = floor(n_max·μ^k),
 * μ = imbalance^(−1/(C−1)), k = 0..C−1, so n_0 = n_max and n_{C−1} ≈ n_max / imbalance.
 * CIFAR-10 (n_max 5000, imbalance 50) gives 5000/3237/2096/1357/878/568/368/238/154/100.
 */
export function longTailCounts(nMax: number, numClasses: number, imbalance: number): number[] {
  checkNumber('nMax', nMax, {min: 1, integer: true});
  checkNumber('numClasses', numClasses, {min: 2, integer: true});
  checkNumber('imbalance', imbalance, {min: 1});
  const mu = Math.pow(imbalance, -1 / (numClasses - 1));
  // The 1e-9 keeps exact products (e.g. n_max·μ^(C−1) = n_min) from flooring one below.
  return Array.from({length: numClasses}, (_, k) => Math.max(1, Math.floor(nMax * Math.pow(mu, k) + 1e-9)));
}

/**
 * Indices of a class-wise subset: for each class c, the first `counts[c]` of its
 * samples after a seeded shuffle (all of them if it has fewer). `exclude` (a set
 * of indices) is skipped, e.g. to draw a validation set disjoint from a training
 * subset. Returned in a seeded random order.
 */
export function subsetByClass(labels: ArrayLike<number>, counts: number[], seed: number, exclude?: Set<number>): number[] {
  const rng = new Random(seed);
  const order = Array.from(rng.permutation(labels.length));
  const taken = counts.map(() => 0);
  const out: number[] = [];
  for (const i of order) {
    const c = labels[i];
    if (exclude?.has(i) || c >= counts.length || taken[c] >= counts[c]) continue;
    taken[c] += 1;
    out.push(i);
  }
  return out;
}
