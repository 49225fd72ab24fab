/**
 * Plumbing shared by the streaming transforms (`balancedBatches`, `remix`,
 * `rebalancedMixup`, `mixup`):
 *
 * - `RowReader` / `readBatchElement` read `{xs, ys}` elements from a source
 *   iterator into plain typed arrays, validating feature values (NaN /
 *   Infinity), label values and shapes, and disposing every tensor they read;
 * - `buildBatch` turns the typed arrays of one output batch into tensors with
 *   one `tf.tensor` call per field;
 * - `EpochDataset` is a `tf.data.Dataset` whose every `iterator()` call starts
 *   a new epoch with its own seeded `Random` (fitDataset calls `iterator()`
 *   once per epoch);
 * - `allocateCounts` splits a batch between classes (exact or multinomial).
 *
 * Nothing here is part of the public API except the `BatchElement` type.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfd from '@tensorflow/tfjs-data';
import {ImbalancedInputError} from '../errors';
import {Random} from '../core/random';
import {checkNumber, isArrayLike} from '../core/validate';

/**
 * One output batch of the transforms: features `[B, ...featureShape]` and
 * float32 labels `[B, numClasses]` (one-hot for `balance`, soft for the mixing
 * transforms; every row sums to 1).
 */
export type BatchElement = {xs: tf.Tensor; ys: tf.Tensor2D};

/** The part of a tf.data iterator the transforms use. */
export interface SourceIterator {
  next(): Promise<IteratorResult<unknown>>;
}

/** Anything with `iterator()` and an optional `size`, e.g. a `tf.data.Dataset`. */
export interface SourceDataset {
  iterator(): Promise<SourceIterator>;
  readonly size?: number | null;
}

/** Values and shape of one field of an element. */
interface Values {
  values: ArrayLike<number>;
  shape: number[];
}

/** Rows read from one source element; valid until the next `RowReader.next()` call. */
export interface RowChunk {
  /** n · featureSize feature values, row-major. */
  x: ArrayLike<number>;
  /** n class indices. */
  labels: Int32Array;
  /** Number of rows. */
  n: number;
}

function isTensor(v: unknown): v is tf.Tensor {
  return v instanceof tf.Tensor;
}

function disposeIfTensor(v: unknown): void {
  if (isTensor(v) && !v.isDisposed) v.dispose();
}

function shapeText(shape: number[]): string {
  return `shape [${shape.join(', ')}]`;
}

/** Shape of a (possibly nested) array of numbers, from its first entries. */
function nestedShape(v: unknown[]): number[] {
  const shape: number[] = [];
  let cur: unknown = v;
  while (isArrayLike(cur)) {
    const arr = cur as ArrayLike<unknown>;
    shape.push(arr.length);
    if (arr.length === 0) break;
    cur = arr[0];
  }
  return shape;
}

function sizeOf(shape: number[]): number {
  let s = 1;
  for (const v of shape) s *= v;
  return s;
}

/**
 * Backends whose tensors live in CPU memory: reading them with `dataSync` is
 * cheap (about 1 µs against 5 µs for `await data()` per small tensor) and
 * blocks nothing. Other backends (webgl, webgpu) are read with `await data()`.
 */
const SYNC_READ_BACKENDS = new Set(['cpu', 'wasm', 'tensorflow']);

/** True when tensors on the current backend can be read synchronously without a GPU stall. */
export function canReadSync(): boolean {
  return SYNC_READ_BACKENDS.has(tf.getBackend());
}

/**
 * Reads a tensor, number, typed array or nested array of numbers (disposal is
 * the caller's job). Synchronous except for tensors when `sync` is false.
 */
function readValues(v: unknown, name: string, sync: boolean): Values | Promise<Values> {
  if (isTensor(v)) {
    if (v.dtype === 'string' || v.dtype === 'complex64') {
      throw new ImbalancedInputError(name, 'a numeric tensor (float32, int32 or bool)', `a ${v.dtype} tensor`);
    }
    const shape = v.shape.slice();
    if (sync) return {values: v.dataSync() as ArrayLike<number>, shape};
    return v.data().then(values => ({values: values as ArrayLike<number>, shape}));
  }
  if (typeof v === 'number') return {values: [v], shape: []};
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    return {values: v as unknown as ArrayLike<number>, shape: [(v as unknown as ArrayLike<number>).length]};
  }
  if (Array.isArray(v)) {
    if (v.length === 0 || !isArrayLike(v[0])) return {values: v as number[], shape: [v.length]};
    const shape = nestedShape(v);
    const flat = tf.util.flatten(v as number[][]) as number[];
    if (flat.length !== sizeOf(shape)) {
      throw new ImbalancedInputError(name, `a rectangular nested array (first rows give ${shapeText(shape)})`, `${flat.length} values`);
    }
    return {values: flat, shape};
  }
  throw new ImbalancedInputError(name, 'a tensor, a number or a (nested) array of numbers', v);
}

/** Both fields of an element; a Promise only when a tensor must be read asynchronously. */
function readFields(el: {xs: unknown; ys: unknown}): {xs: Values; ys: Values} | Promise<{xs: Values; ys: Values}> {
  const sync = canReadSync();
  const ys = readValues(el.ys, 'ys', sync);
  const xs = readValues(el.xs, 'xs', sync);
  if (ys instanceof Promise || xs instanceof Promise) return Promise.all([xs, ys]).then(([x, y]) => ({xs: x, ys: y}));
  return {xs, ys};
}

function checkElement(el: unknown, what: string): {xs: unknown; ys: unknown} {
  if (el === null || typeof el !== 'object' || !('xs' in el) || !('ys' in el)) {
    throw new ImbalancedInputError(what, 'elements of the form {xs, ys}', el);
  }
  return el as {xs: unknown; ys: unknown};
}

/** Throws on the first NaN / ±Infinity among `values` (row numbers are global). */
function checkFiniteRows(values: ArrayLike<number>, rowSize: number, firstRow: number): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // typeof guards plain arrays holding strings or booleans.
    if (typeof v !== 'number' || v - v !== 0) {
      const row = firstRow + Math.floor(i / Math.max(rowSize, 1));
      throw new ImbalancedInputError(`xs (row ${row})`, 'finite feature values', v);
    }
  }
}

/**
 * Reads rows (one feature vector and one hard label each) from a stream of
 * `{xs, ys}` elements.
 *
 * An element is either one row — `xs` of any shape, `ys` a class index
 * (number, scalar or [1]) or a one-hot vector [C] — or a batch of rows when
 * `ys` has rank 2 (`[b, 1]` class indices or `[b, C]` one-hot rows; then `xs`
 * is `[b, ...featureShape]`). A rank-1 `ys` is always one row's label, so a
 * batch of class indices must be `[b, 1]`, not `[b]`.
 */
export class RowReader {
  /** Shape of one row's features, known after the first element. */
  featureShape: number[] | null = null;
  /** Number of values in one row. */
  featureSize = 0;
  /** numClasses as given, or the one-hot width once seen. */
  numClasses: number | undefined;
  /** Rows read so far. */
  rowsRead = 0;
  /** Largest class index seen so far (−1 before any row). */
  maxLabel = -1;
  /** True once an element held several rows (rank-2 ys). */
  sawBatchedElement = false;

  constructor(private readonly iterator: SourceIterator, numClasses: number | undefined, private readonly what = 'dataset') {
    this.numClasses = numClasses;
  }

  /** The next element's rows, or null at the end of the stream. */
  async next(): Promise<RowChunk | null> {
    const r = await this.iterator.next();
    if (r.done) return null;
    const el = checkElement(r.value, this.what);
    try {
      const read = readFields(el);
      const {xs, ys} = read instanceof Promise ? await read : read;
      return this.rows(xs, ys);
    } finally {
      disposeIfTensor(el.xs);
      disposeIfTensor(el.ys);
    }
  }

  private rows(xs: Values, ys: Values): RowChunk {
    let n: number;
    let width: number;
    let rowShape: number[];
    if (ys.shape.length === 2) {
      n = ys.shape[0];
      width = ys.shape[1];
      if (xs.shape.length < 1 || xs.shape[0] !== n) {
        throw new ImbalancedInputError('xs', `a batch [${n}, ...] matching ys ${shapeText(ys.shape)}`, shapeText(xs.shape));
      }
      rowShape = xs.shape.slice(1);
      this.sawBatchedElement = true;
    } else if (ys.shape.length <= 1) {
      n = 1;
      width = ys.shape.length === 0 ? 1 : ys.shape[0];
      rowShape = xs.shape;
    } else {
      throw new ImbalancedInputError('ys', 'a class index, a one-hot vector [C], or a batch [b, 1] / [b, C]', shapeText(ys.shape));
    }
    if (this.featureShape === null) {
      this.featureShape = rowShape;
      this.featureSize = sizeOf(rowShape);
    } else if (rowShape.length !== this.featureShape.length || rowShape.some((s, i) => s !== (this.featureShape as number[])[i])) {
      throw new ImbalancedInputError(`xs (row ${this.rowsRead})`, `features of ${shapeText(this.featureShape)} like the first row`, shapeText(rowShape));
    }
    checkFiniteRows(xs.values, this.featureSize, this.rowsRead);
    const labels = new Int32Array(n);
    if (width === 1) {
      for (let i = 0; i < n; i++) labels[i] = this.classIndex(ys.values[i], this.rowsRead + i);
    } else {
      if (this.numClasses === undefined) this.numClasses = width;
      if (width !== this.numClasses) {
        throw new ImbalancedInputError(
          'ys',
          `a class index, [1] or a one-hot vector of width numClasses = ${this.numClasses} per element ` +
            '(a batched element needs ys [b, 1] or [b, numClasses]: a rank-1 ys is one row\'s one-hot label)',
          shapeText(ys.shape),
        );
      }
      for (let i = 0; i < n; i++) labels[i] = oneHotIndex(ys.values, i * width, width, this.rowsRead + i);
    }
    for (let i = 0; i < n; i++) if (labels[i] > this.maxLabel) this.maxLabel = labels[i];
    this.rowsRead += n;
    return {x: xs.values, labels, n};
  }

  private classIndex(v: number, row: number): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new ImbalancedInputError(`ys (row ${row})`, 'a class index (an integer >= 0) or a one-hot row', v);
    }
    if (this.numClasses !== undefined && v >= this.numClasses) {
      throw new ImbalancedInputError(`ys (row ${row})`, `a class index below numClasses = ${this.numClasses}`, v);
    }
    return v;
  }
}

/** Index of the 1 in `values[offset .. offset + width)`, or −1 unless that row is exactly one 1 and zeros. */
function hotIndex(values: ArrayLike<number>, offset: number, width: number): number {
  let hot = -1;
  for (let k = 0; k < width; k++) {
    const v = values[offset + k];
    if (v === 0) continue;
    if (v !== 1 || hot !== -1) return -1; // not 0/1 (NaN included), or a second 1
    hot = k;
  }
  return hot;
}

/** Index of the 1 in a one-hot row; throws unless the row is exactly one 1 and zeros. */
function oneHotIndex(values: ArrayLike<number>, offset: number, width: number, row: number): number {
  const hot = hotIndex(values, offset, width);
  if (hot < 0) {
    const shown = Array.from({length: width}, (_, k) => values[offset + k]);
    throw new ImbalancedInputError(`ys (row ${row})`, 'a one-hot row (one 1, the rest 0) or a class index', shown);
  }
  return hot;
}

/** One batched element read for the batch-level transforms (mixup, rebalancedMixup). */
export interface ReadBatch {
  /** b · featureSize feature values. */
  x: ArrayLike<number>;
  /** Shape of one row's features. */
  rowShape: number[];
  /** Number of rows. */
  n: number;
  /** n · numClasses label values (one-hot for class indices; soft rows copied). */
  y: Float32Array;
  /** Hard class of each row, or null when some row is not one-hot. */
  classes: Int32Array | null;
  /** Label width. */
  numClasses: number;
}

/**
 * Reads one batched `{xs, ys}` element: `xs` `[b, ...]`, `ys` `[b]` / `[b, 1]`
 * class indices (needs `numClasses`) or `[b, C]` one-hot or soft rows
 * (values in [0, 1]). Disposes the element's tensors.
 */
export async function readBatchElement(el: unknown, numClasses: number | undefined, rowOffset: number, transform: string): Promise<ReadBatch> {
  const e = checkElement(el, 'dataset');
  try {
    const {xs, ys} = await readFields(e);
    if (ys.shape.length === 0 || ys.shape.length > 2) {
      throw new ImbalancedInputError(
        'ys',
        `a batch of labels [b], [b, 1] or [b, C] (${transform} mixes whole batches: call ds.batch(n) first)`,
        shapeText(ys.shape),
      );
    }
    const n = ys.shape[0];
    if (xs.shape.length < 1 || xs.shape[0] !== n) {
      throw new ImbalancedInputError('xs', `a batch [${n}, ...] matching ys ${shapeText(ys.shape)}`, shapeText(xs.shape));
    }
    const rowShape = xs.shape.slice(1);
    checkFiniteRows(xs.values, sizeOf(rowShape), rowOffset);
    const width = ys.shape.length === 2 ? ys.shape[1] : 1;
    if (width === 1) {
      if (numClasses === undefined) {
        throw new ImbalancedInputError('numClasses', 'the number of classes (required when labels are class indices)', undefined);
      }
      const classes = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = ys.values[i];
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= numClasses) {
          throw new ImbalancedInputError(`ys (row ${rowOffset + i})`, `a class index in [0, ${numClasses})`, v);
        }
        classes[i] = v;
      }
      return {x: xs.values, rowShape, n, y: oneHotRows(classes, n, numClasses), classes, numClasses};
    }
    if (numClasses !== undefined && width !== numClasses) {
      throw new ImbalancedInputError('ys', `label rows of width numClasses = ${numClasses}`, shapeText(ys.shape));
    }
    const y = new Float32Array(n * width);
    let classes: Int32Array | null = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < width; k++) {
        const v = ys.values[i * width + k];
        // `!(v >= 0 && v <= 1)` also catches NaN and non-numbers.
        if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
          throw new ImbalancedInputError(`ys (row ${rowOffset + i})`, 'label values in [0, 1] (one-hot or soft rows)', v);
        }
        y[i * width + k] = v;
      }
      if (classes !== null) {
        const hot = hotIndex(ys.values, i * width, width);
        if (hot >= 0) classes[i] = hot;
        else classes = null;
      }
    }
    return {x: xs.values, rowShape, n, y, classes, numClasses: width};
  } finally {
    disposeIfTensor(e.xs);
    disposeIfTensor(e.ys);
  }
}

/** Copies `size` values from `src[srcOff..]` into `dst[dstOff..]` (fast path for typed arrays). */
export function copyValues(src: ArrayLike<number>, srcOff: number, dst: Float32Array, dstOff: number, size: number): void {
  if (ArrayBuffer.isView(src)) {
    dst.set((src as unknown as Float32Array).subarray(srcOff, srcOff + size), dstOff);
  } else {
    for (let k = 0; k < size; k++) dst[dstOff + k] = src[srcOff + k];
  }
}

/** One-hot float rows [n, C] for class indices. */
export function oneHotRows(labels: ArrayLike<number>, n: number, numClasses: number): Float32Array {
  const y = new Float32Array(n * numClasses);
  for (let i = 0; i < n; i++) y[i * numClasses + labels[i]] = 1;
  return y;
}

/** The output batch tensors: one `tf.tensor` call per field. */
export function buildBatch(x: Float32Array, featureShape: number[], y: Float32Array, n: number, numClasses: number): BatchElement {
  return {xs: tf.tensor(x, [n, ...featureShape], 'float32'), ys: tf.tensor2d(y, [n, numClasses], 'float32')};
}

/**
 * Mixes rows (ReMix Alg. 1 steps 3–5, mixup eq. 1): for each row i with
 * partner j = perm[i], out = λ·row_i + (1−λ)·row_j. Computed in float64 and
 * stored in float32, so the result is the same on every backend.
 */
export function mixRows(src: ArrayLike<number>, rowSize: number, n: number, lambda: number, perm: ArrayLike<number>, out: Float32Array): Float32Array {
  const m = 1 - lambda;
  for (let i = 0; i < n; i++) {
    const a = i * rowSize;
    const b = perm[i] * rowSize;
    for (let k = 0; k < rowSize; k++) out[a + k] = lambda * src[a + k] + m * src[b + k];
  }
  return out;
}

/** A seed for a transform: the given one, or a time-based one drawn once at construction. */
export function baseSeed(seed: number | undefined): number {
  if (seed === undefined) return new Random().nextUint32();
  return checkNumber('seed', seed);
}

/** The Random of epoch `epoch` (0, 1, ...) of a transform built with `seed`. */
export function epochRandom(seed: number, epoch: number): Random {
  // Hash (seed, epoch) into one 32-bit seed; Random's splitmix32 spreads it further.
  let h = (Math.floor(seed) ^ 0x5bd1e995) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  h = (h + Math.imul(epoch + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0x297a2d39) >>> 0;
  return new Random((h ^ (h >>> 16)) >>> 0);
}

/**
 * A `tf.data.Dataset` whose every `iterator()` is a new epoch. The epoch index
 * (0, 1, 2, ...) is assigned when an iterator is first read, not when it is
 * created, so the iterator that `fitDataset` creates before its epoch loop and
 * never reads does not use up an epoch. Epoch k of a transform built with
 * seed s always draws from `epochRandom(s, k)`.
 */
export class EpochDataset<T extends tf.TensorContainer> extends tfd.Dataset<T> {
  override size: number;
  private epochsStarted = 0;

  constructor(private readonly startEpoch: (epoch: number, done: (batches: number) => void) => AsyncIterator<T>, size: number | null, private readonly learnSize = false) {
    super();
    this.size = size as number;
  }

  override async iterator() {
    let it: AsyncIterator<T> | null = null;
    const lazy = {
      next: (): Promise<IteratorResult<T>> => {
        if (it === null) {
          it = this.startEpoch(this.epochsStarted++, batches => {
            // A complete epoch tells the number of batches (e.g. of a source whose elements are chunks).
            if (this.learnSize) this.size = batches;
          });
        }
        return it.next();
      },
    };
    return tfd.generator<T>(() => lazy as AsyncIterator<T>).iterator();
  }
}

/**
 * Splits `total` rows between classes in proportion to `weights` (≥ 0, not all 0).
 *
 * - `exact`: class c gets ⌊total·w_c/W⌋ rows; the remaining rows go to distinct
 *   classes, class c with probability equal to its fractional part (systematic
 *   sampling over a random class order), so E[count_c] = total·w_c/W exactly.
 *   With equal weights this is ReMix's literal Alg. 1 rule: ⌊B/C⌋ rows each and
 *   B mod C rows to distinct classes chosen uniformly at random.
 * - `multinomial`: every row's class is drawn independently ∝ w_c.
 */
export function allocateCounts(total: number, weights: ArrayLike<number>, rng: Random, mode: 'exact' | 'multinomial'): Int32Array {
  const C = weights.length;
  const counts = new Int32Array(C);
  let W = 0;
  for (let c = 0; c < C; c++) W += weights[c];
  if (mode === 'multinomial') {
    for (let i = 0; i < total; i++) {
      let u = rng.uniform() * W;
      let c = 0;
      while (c < C - 1 && (u >= weights[c] || weights[c] === 0)) {
        u -= weights[c];
        c++;
      }
      while (weights[c] === 0) c--; // float slop at the top end
      counts[c]++;
    }
    return counts;
  }
  const frac = new Float64Array(C);
  let assigned = 0;
  for (let c = 0; c < C; c++) {
    const q = (total * weights[c]) / W;
    const base = Math.floor(q + 1e-9);
    counts[c] = base;
    frac[c] = Math.max(0, q - base);
    assigned += base;
  }
  let remaining = total - assigned;
  if (remaining <= 0) return counts;
  const order = rng.permutation(C);
  const u = rng.uniform();
  let cum = 0;
  let picked = 0;
  for (let k = 0; k < C && picked < remaining; k++) {
    const c = order[k];
    cum += frac[c];
    if (u + picked < cum) {
      counts[c]++;
      picked++;
    }
  }
  // Float round-off can leave a row unassigned: give it to the classes with the largest fractions.
  remaining -= picked;
  while (remaining > 0) {
    let best = -1;
    for (let c = 0; c < C; c++) if (weights[c] > 0 && (best < 0 || frac[c] > frac[best])) best = c;
    counts[best]++;
    frac[best] = -1;
    remaining--;
  }
  return counts;
}
