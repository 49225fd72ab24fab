import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import {fashionMnist, longTailCounts, parseIdx, readIdxFile, subsetByClass} from '../../src/node/datasets';
import {ImbalancedInputError} from '../../src/errors';

/** An IDX file: 0, 0, type, rank, big-endian dims, then the payload. */
function idx(type: number, dims: number[], payload: Buffer): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = type;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, payload]);
}

describe('IDX parsing', () => {
  it('reads ubyte, int and float arrays', () => {
    const raw = idx(0x08, [2, 3], Buffer.from([1, 2, 3, 4, 5, 255]));
    const a = parseIdx(raw);
    expect(a.dims).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 255]);
    expect(a.data).toBeInstanceOf(Uint8Array);
    const ints = Buffer.alloc(8);
    ints.writeInt32BE(-7, 0);
    ints.writeInt32BE(70000, 4);
    expect(Array.from(parseIdx(idx(0x0c, [2], ints)).data)).toEqual([-7, 70000]);
    const floats = Buffer.alloc(4);
    floats.writeFloatBE(1.5, 0);
    expect(Array.from(parseIdx(idx(0x0d, [1], floats)).data)).toEqual([1.5]);
  });

  it('refuses gzipped bytes with a hint (the browser-safe parser has no zlib); readIdxFile inflates them', () => {
    const raw = idx(0x08, [2, 3], Buffer.from([1, 2, 3, 4, 5, 255]));
    expect(() => parseIdx(zlib.gzipSync(raw), 'x.gz')).toThrow(/x.gz: expected raw IDX bytes \(inflate gzipped files first/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idx-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.gz'), zlib.gzipSync(raw));
      fs.writeFileSync(path.join(dir, 'bad.gz'), Buffer.from([0x1f, 0x8b, 0, 0, 0]));
      expect(Array.from(readIdxFile(path.join(dir, 'a.gz')).data)).toEqual([1, 2, 3, 4, 5, 255]);
      expect(() => readIdxFile(path.join(dir, 'bad.gz'))).toThrow(/valid gzip/);
    } finally {
      fs.rmSync(dir, {recursive: true, force: true});
    }
  });

  it('rejects bad magic numbers and truncated data', () => {
    expect(() => parseIdx(Buffer.from([1, 2, 3, 4]), 'x.idx')).toThrow(/x.idx: expected an IDX file/);
    expect(() => parseIdx(idx(0x08, [2, 3], Buffer.from([1, 2, 3])))).toThrow(/6 bytes of ubyte data for dimensions \[2, 3\], got 3 bytes/);
  });
});

describe('fashionMnist loader (synthetic files)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fmnist-'));
    // 3 images of 2 x 2 pixels, labels 9, 0, 4; the test split uncompressed.
    const images = idx(0x08, [3, 2, 2], Buffer.from([0, 1, 2, 3, 10, 11, 12, 13, 200, 201, 202, 203]));
    const labels = idx(0x08, [3], Buffer.from([9, 0, 4]));
    fs.writeFileSync(path.join(dir, 'train-images-idx3-ubyte.gz'), zlib.gzipSync(images));
    fs.writeFileSync(path.join(dir, 'train-labels-idx1-ubyte.gz'), zlib.gzipSync(labels));
    fs.writeFileSync(path.join(dir, 't10k-images-idx3-ubyte'), images);
    fs.writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte'), idx(0x08, [2], Buffer.from([1, 2])));
  });
  afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

  it('loads images, labels and shape', () => {
    const ds = fashionMnist({dir});
    expect([ds.count, ds.rows, ds.cols]).toEqual([3, 2, 2]);
    expect(Array.from(ds.labels)).toEqual([9, 0, 4]);
    expect(Array.from(ds.images.subarray(8))).toEqual([200, 201, 202, 203]);
    expect(ds.classNames[9]).toBe('Ankle boot');
  });

  it('says how to install the data when files are missing, and checks label counts', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'fmnist-empty-'));
    try {
      expect(() => fashionMnist({dir: empty})).toThrow(ImbalancedInputError);
      expect(() => fashionMnist({dir: empty})).toThrow(/^dir: .*apt-get install dataset-fashion-mnist/);
    } finally {
      fs.rmSync(empty, {recursive: true, force: true});
    }
    expect(() => fashionMnist({dir, split: 'test'})).toThrow(/3 labels \(one per image\), got 2 labels/);
    expect(() => fashionMnist({dir, split: 'val' as never})).toThrow(/^split:/);
  });
});

describe('long-tailed subsets (csl.md §4)', () => {
  it('n_k = floor(n_max μ^k): the CIFAR-10-LT sizes', () => {
    const p50 = longTailCounts(5000, 10, 50);
    expect(p50).toEqual([5000, 3237, 2096, 1357, 878, 568, 368, 238, 154, 100]);
    expect(p50.reduce((a, b) => a + b, 0)).toBe(13996);
    expect(longTailCounts(5000, 10, 100).reduce((a, b) => a + b, 0)).toBe(12406);
    expect(longTailCounts(500, 100, 100).reduce((a, b) => a + b, 0)).toBe(10847);
    expect(() => longTailCounts(5000, 10, 0.5)).toThrow(/imbalance/);
  });

  it('draws the requested counts per class, deterministically, avoiding excluded indices', () => {
    const labels = Array.from({length: 300}, (_, i) => i % 3);
    const idx1 = subsetByClass(labels, [50, 10, 2], 7);
    expect(idx1).toEqual(subsetByClass(labels, [50, 10, 2], 7));
    expect(idx1).not.toEqual(subsetByClass(labels, [50, 10, 2], 8));
    expect([0, 1, 2].map(c => idx1.filter(i => labels[i] === c).length)).toEqual([50, 10, 2]);
    const idx2 = subsetByClass(labels, [100, 100, 100], 7, new Set(idx1));
    expect(idx2.some(i => idx1.includes(i))).toBe(false);
    expect(idx2.length).toBe(300 - 62);
  });
});
