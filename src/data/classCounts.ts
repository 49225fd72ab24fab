/**
 * Per-class sample counts, the input every class-weighted loss factory needs.
 * Compute them once from the training set, never per batch.
 */
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from '../errors';
import {checkNumber, isArrayLike} from '../core/validate';

/** Options of `classCounts`. */
export interface ClassCountsOptions {
  /** Number of classes; inferred from one-hot width or (max label + 1) when omitted. */
  numClasses?: number;
}

/** Anything `classCounts` reads labels from: a tensor, class indices, or rows ([index] or one-hot / soft). */
export type LabelSource = tf.Tensor | number[] | ArrayLike<number> | ArrayLike<ArrayLike<number>>;

/** A dataset of `{xs, ys}` elements, batched or not (tf.data.Dataset or anything with `iterator()`). */
export interface LabelledDataset {
  iterator(): Promise<{next(): Promise<IteratorResult<unknown>>}>;
}

/**
 * Counts of each class in `ys`: integer labels ([n] or [n, 1]) or one-hot rows
 * ([n, C]; soft rows count by argmax, first index on ties), as a tensor or
 * (nested) arrays. With a dataset of `{xs, ys}` elements it iterates once,
 * reading only `ys`, and returns a Promise; elements may be scalars
 * (unbatched class indices) or batches ([b], [b, 1], [b, C]). Batch an
 * unbatched one-hot dataset first: a rank-1 `ys` is read as a batch of class
 * indices.
 */
export function classCounts(ys: LabelSource, options?: ClassCountsOptions): number[];
export function classCounts(dataset: LabelledDataset, options?: ClassCountsOptions): Promise<number[]>;
export function classCounts(source: LabelSource | LabelledDataset, options: ClassCountsOptions = {}): number[] | Promise<number[]> {
  const numClasses = options.numClasses === undefined ? undefined : checkNumber('numClasses', options.numClasses, {min: 1, integer: true});
  if (isDataset(source)) return countDataset(source, numClasses);
  const read = labelsOf(source as LabelSource, 'ys');
  return finish(tally(read.labels, []), read.width, numClasses, 'ys');
}

function isDataset(x: unknown): x is LabelledDataset {
  return typeof x === 'object' && x !== null && typeof (x as LabelledDataset).iterator === 'function' && !(x instanceof tf.Tensor);
}

/**
 * Reads labels (a tensor, class indices, or rows: [index] / one-hot / soft) as
 * integers plus the one-hot width (if one-hot), validating values: class
 * indices must be integers >= 0, one-hot / soft rows finite (read by their
 * argmax, first index on ties). One read of a tensor's data.
 */
export function labelsOf(ys: LabelSource, name: string): {labels: Int32Array; width?: number} {
  if (ys instanceof tf.Tensor) {
    if (ys.rank === 2 && (ys.shape[1] as number) > 1) {
      const [n, width] = ys.shape as [number, number];
      return {labels: argmaxRows(ys.dataSync(), n, width, name), width};
    }
    if (ys.rank > 2 || (ys.rank === 2 && ys.shape[1] !== 1)) {
      throw new ImbalancedInputError(name, 'labels of shape [n], [n, 1] or one-hot [n, C]', ys);
    }
    return {labels: toIntLabels(ys.dataSync(), name)};
  }
  if (!isArrayLike(ys)) {
    throw new ImbalancedInputError(name, 'a tensor, an array of class indices or of label rows, or a dataset of {xs, ys}', ys);
  }
  const arr = ys as ArrayLike<unknown>;
  if (arr.length === 0 || !isArrayLike(arr[0])) return {labels: toIntLabels(arr as ArrayLike<number>, name)};
  // Rows: [index] or one-hot / soft rows, all as wide as the first.
  const n = arr.length;
  const width = (arr[0] as ArrayLike<number>).length;
  if (width === 0) throw new ImbalancedInputError(`${name}[0]`, 'a class index or a non-empty label row', arr[0]);
  const flat = new Array<number>(n * width);
  for (let i = 0; i < n; i++) {
    const row = arr[i];
    if (!isArrayLike(row) || row.length !== width) throw new ImbalancedInputError(`${name}[${i}]`, `a label row of length ${width} like row 0`, row);
    for (let k = 0; k < width; k++) flat[i * width + k] = (row as ArrayLike<number>)[k];
  }
  if (width === 1) return {labels: toIntLabels(flat, name)};
  return {labels: argmaxRows(flat, n, width, name), width};
}

/** Argmax (first index on ties) of each finite row of a row-major [n, width] array. */
function argmaxRows(values: ArrayLike<number>, n: number, width: number, name: string): Int32Array {
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = i * width;
    let best = 0;
    for (let k = 0; k < width; k++) {
      const v = values[row + k];
      if (!Number.isFinite(v)) throw new ImbalancedInputError(`${name}[${i}][${k}]`, 'a finite label value', v);
      if (v > values[row + best]) best = k;
    }
    labels[i] = best;
  }
  return labels;
}

function toIntLabels(values: ArrayLike<number>, name: string): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0) throw new ImbalancedInputError(`${name}[${i}]`, 'a class index (an integer >= 0)', v);
    out[i] = v;
  }
  return out;
}

/** Adds the labels to `counts` (grown as needed; holes are zero counts). */
function tally(labels: Int32Array, counts: number[]): number[] {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    counts[v] = (counts[v] ?? 0) + 1;
  }
  return counts;
}

function finish(counts: number[], width: number | undefined, numClasses: number | undefined, name: string): number[] {
  const C = numClasses ?? width ?? counts.length;
  if (width !== undefined && numClasses !== undefined && width !== numClasses) {
    throw new ImbalancedInputError(name, `one-hot rows of width numClasses = ${numClasses}`, `width ${width}`);
  }
  if (counts.length > C) throw new ImbalancedInputError(name, `class indices below numClasses = ${C}`, `a label ${counts.length - 1}`);
  return Array.from({length: C}, (_, c) => counts[c] ?? 0);
}

async function countDataset(ds: LabelledDataset, numClasses: number | undefined): Promise<number[]> {
  const it = await ds.iterator();
  const counts: number[] = [];
  let width: number | undefined;
  for (let r = await it.next(); !r.done; r = await it.next()) {
    const el = r.value as {ys?: unknown} | null;
    if (el === null || typeof el !== 'object' || !('ys' in el)) {
      throw new ImbalancedInputError('dataset', 'elements of the form {xs, ys}', el);
    }
    try {
      // A number or scalar is one unbatched label; rank 1 is a batch of class indices (batch one-hot datasets first).
      const read = labelsOf(typeof el.ys === 'number' ? [el.ys] : (el.ys as LabelSource), 'dataset ys');
      if (read.width !== undefined) {
        if (width !== undefined && read.width !== width) {
          throw new ImbalancedInputError('dataset ys', `one-hot rows of width ${width} in every element, as in the first`, `width ${read.width}`);
        }
        width = read.width;
      }
      tally(read.labels, counts);
    } finally {
      tf.dispose(el as tf.TensorContainer); // the consumer of an iterator owns its elements
    }
  }
  return finish(counts, width, numClasses, 'dataset ys');
}
