/**
 * Per-class sample counts, the input every class-weighted loss factory needs.
 * Compute them once from the training set, never per batch.
 */
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from '../errors';
import {checkNumber} from '../core/validate';

export interface ClassCountsOptions {
  /** Number of classes; inferred from one-hot width or (max label + 1) when omitted. */
  numClasses?: number;
}

/** Anything `classCounts` reads labels from. */
export type LabelSource = tf.Tensor | number[] | ArrayLike<number>;

/** A dataset of `{xs, ys}` elements, batched or not (tf.data.Dataset or anything with `iterator()`). */
export interface LabelledDataset {
  iterator(): Promise<{next(): Promise<IteratorResult<unknown>>}>;
}

/**
 * Counts of each class in `ys`: integer labels ([n] or [n, 1]) or one-hot rows
 * ([n, C]; soft rows count by argmax). With a dataset of `{xs, ys}` elements it
 * iterates once and returns a Promise; elements may be scalars (unbatched
 * class indices) or batches ([b], [b, 1], [b, C]). Batch an unbatched one-hot
 * dataset first: a rank-1 `ys` is read as a batch of class indices.
 */
export function classCounts(ys: LabelSource, options?: ClassCountsOptions): number[];
export function classCounts(dataset: LabelledDataset, options?: ClassCountsOptions): Promise<number[]>;
export function classCounts(source: LabelSource | LabelledDataset, options: ClassCountsOptions = {}): number[] | Promise<number[]> {
  const numClasses = options.numClasses === undefined ? undefined : checkNumber('numClasses', options.numClasses, {min: 1, integer: true});
  if (isDataset(source)) return countDataset(source, numClasses);
  return finish(labelsOf(source as LabelSource, 'ys'), numClasses, 'ys');
}

function isDataset(x: unknown): x is LabelledDataset {
  return typeof x === 'object' && x !== null && typeof (x as LabelledDataset).iterator === 'function' && !(x instanceof tf.Tensor);
}

/** Reads labels as integers plus the one-hot width (if one-hot), validating values. */
export function labelsOf(ys: LabelSource, name: string): {labels: Int32Array; width?: number} {
  if (ys instanceof tf.Tensor) {
    if (ys.rank === 2 && (ys.shape[1] as number) > 1) {
      const values = ys.dataSync();
      checkFinite(values, name);
      const labels = tf.tidy(() => tf.argMax(ys, 1).dataSync()) as Int32Array;
      return {labels: Int32Array.from(labels), width: ys.shape[1]};
    }
    if (ys.rank > 2 || (ys.rank === 2 && ys.shape[1] !== 1)) {
      throw new ImbalancedInputError(name, 'labels of shape [n], [n, 1] or one-hot [n, C]', ys);
    }
    return {labels: toIntLabels(ys.dataSync(), name)};
  }
  if (!Array.isArray(ys) && !ArrayBuffer.isView(ys)) {
    throw new ImbalancedInputError(name, 'a tensor, an array of class indices, or a dataset of {xs, ys}', ys);
  }
  return {labels: toIntLabels(ys as ArrayLike<number>, name)};
}

function checkFinite(values: ArrayLike<number>, name: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new ImbalancedInputError(`${name}[${i}]`, 'a finite label value', values[i]);
  }
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

function finish(read: {labels: Int32Array; width?: number}, numClasses: number | undefined, name: string): number[] {
  const {labels, width} = read;
  let max = -1;
  labels.forEach(v => { if (v > max) max = v; });
  const C = numClasses ?? width ?? max + 1;
  if (width !== undefined && numClasses !== undefined && width !== numClasses) {
    throw new ImbalancedInputError(name, `one-hot rows of width numClasses = ${numClasses}`, `width ${width}`);
  }
  if (max >= C) throw new ImbalancedInputError(name, `class indices below numClasses = ${C}`, `a label ${max}`);
  const counts = new Array<number>(C).fill(0);
  labels.forEach(v => counts[v]++);
  return counts;
}

async function countDataset(ds: LabelledDataset, numClasses: number | undefined): Promise<number[]> {
  const it = await ds.iterator();
  const all: number[] = [];
  let width: number | undefined;
  for (let r = await it.next(); !r.done; r = await it.next()) {
    const el = r.value as {ys?: tf.Tensor | number} | null;
    if (el === null || typeof el !== 'object' || !('ys' in el)) {
      throw new ImbalancedInputError('dataset', 'elements of the form {xs, ys}', el);
    }
    const ys = el.ys instanceof tf.Tensor ? el.ys : tf.scalar(el.ys as number);
    // A scalar is one unbatched label; rank 1 is a batch of class indices (batch one-hot datasets first).
    const batch = ys.rank === 0 ? tf.reshape(ys, [1]) : ys;
    const read = labelsOf(batch, 'dataset ys');
    if (read.width !== undefined) width = read.width;
    all.push(...read.labels);
    if (batch !== ys) batch.dispose();
    if (ys !== el.ys) ys.dispose();
    tf.dispose(el as tf.TensorContainer); // the consumer of an iterator owns its elements
  }
  return finish({labels: Int32Array.from(all), width}, numClasses, 'dataset ys');
}

