/**
 * Node-only dataset loaders: the CSVs shipped in the package's `data/`
 * directory and Fashion-MNIST IDX files (gzipped or not) from disk. Everything
 * browser-safe from the main entry's `datasets` namespace is re-exported, so
 * `import {datasets} from 'tfjs-imbalanced/node'` gives both.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import {ImbalancedInputError} from '../errors';
import {checkKeys, checkOneOf} from '../core/validate';
import {IdxArray, isGzip, parseIdx} from '../datasets/idx';
import {ImageDataset, imageDatasetFromIdx} from '../datasets/fashionMnist';
import {parseGlass, parseSatimage, SatimageOptions, SHIPPED_FILES, ShippedName} from '../datasets/shipped';
import {TabularDataset} from '../datasets/tabular';
import {moduleDir} from './moduleDir';

export * from '../datasets';

/** Where Debian's `dataset-fashion-mnist` package installs the files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

let cachedDataDir: string | null = null;

/**
 * The package's `data/` directory: the first ancestor of this module holding
 * `data/satimage.csv` (src/node, dist/cjs/node and dist/esm/node alike). Looked
 * up on first use, never at import time.
 */
export function dataDir(): string {
  if (cachedDataDir !== null) return cachedDataDir;
  let dir = moduleDir();
  for (;;) {
    if (fs.existsSync(path.join(dir, 'data', SHIPPED_FILES.satimage))) return (cachedDataDir = path.join(dir, 'data'));
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`tfjs-imbalanced: the shipped data/ directory was not found above ${moduleDir()}`);
    dir = parent;
  }
}

/** The text of a shipped CSV. */
export function readShipped(name: ShippedName): string {
  const file = checkOneOf('name', name, Object.keys(SHIPPED_FILES) as ShippedName[]);
  return fs.readFileSync(path.join(dataDir(), SHIPPED_FILES[file]), 'utf8');
}

/** UCI satimage from `data/satimage.csv` (see `parseSatimage` for the tasks). */
export function satimage(opts: SatimageOptions = {}): TabularDataset {
  checkKeys('satimage', opts, ['task']);
  return parseSatimage(readShipped('satimage'), opts);
}

/** UCI glass from `data/glass.csv` (see `parseGlass`). */
export function glass(): TabularDataset {
  return parseGlass(readShipped('glass'));
}

/** Reads and parses one IDX file (`.gz` or raw). */
export function readIdxFile(file: string): IdxArray {
  let bytes: Uint8Array = fs.readFileSync(file);
  if (isGzip(bytes)) {
    try {
      bytes = zlib.gunzipSync(bytes);
    } catch (e) {
      throw new ImbalancedInputError(file, 'a valid gzip file', `a corrupt one (${(e as Error).message})`);
    }
  }
  return parseIdx(bytes, file);
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
  checkKeys('fashionMnist', options, ['split', 'dir']);
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
  return imageDatasetFromIdx(readIdxFile(imageFile), readIdxFile(labelFile), undefined, {images: imageFile, labels: labelFile});
}
