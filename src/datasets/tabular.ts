/**
 * A small in-memory tabular dataset (row-major features + integer labels) and
 * the operations the demo and benchmarks need: CSV parsing, stratified
 * splitting, standardisation, conversion to tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from '../errors';
import {Random} from '../core/random';
import {checkNumber} from '../core/validate';
import {classCounts} from '../data/classCounts';

/** A labelled table held in typed arrays. */
export interface TabularDataset {
  /** Row-major features, numRows x numFeatures. */
  readonly features: Float32Array;
  /** Class index per row, 0..numClasses-1. */
  readonly labels: Int32Array;
  /** Number of rows (samples). */
  readonly numRows: number;
  /** Number of feature columns. */
  readonly numFeatures: number;
  /** Number of classes (max label + 1 when parsed, or the length of classNames). */
  readonly numClasses: number;
  /** Feature column names from the CSV header, in order. */
  readonly featureNames: string[];
  /** Class names, index = label. */
  readonly classNames: string[];
}

/**
 * Parses a numeric CSV with a header row; `labelColumn` (default `'class'`)
 * holds 0-based class indices, `classNames` names them (default '0', '1', ...).
 */
export function parseCsvDataset(text: string, opts: {labelColumn?: string; classNames?: string[]} = {}): TabularDataset {
  const labelColumn = opts.labelColumn ?? 'class';
  const lines = text.split(/\r?\n/).filter(l => l.trim() !== '');
  if (lines.length === 0) throw new ImbalancedInputError('text', 'a CSV with a header row', 'an empty text');
  const header = lines[0].split(',').map(h => h.trim());
  const labelIdx = header.indexOf(labelColumn);
  if (labelIdx < 0) throw new ImbalancedInputError('labelColumn', `a column of the CSV header (${header.join(', ')})`, labelColumn);
  const numFeatures = header.length - 1;
  const numRows = lines.length - 1;
  const features = new Float32Array(numRows * numFeatures);
  const labels = new Int32Array(numRows);
  for (let r = 0; r < numRows; r++) {
    const cells = lines[r + 1].split(',');
    if (cells.length !== header.length) {
      throw new ImbalancedInputError(`CSV row ${r + 2}`, `${header.length} cells`, cells.length);
    }
    let f = 0;
    for (let c = 0; c < cells.length; c++) {
      const v = Number(cells[c]);
      if (!Number.isFinite(v)) throw new ImbalancedInputError(`CSV row ${r + 2}, column ${header[c]}`, 'a finite number', cells[c]);
      if (c !== labelIdx) features[r * numFeatures + f++] = v;
      else if (Number.isInteger(v) && v >= 0) labels[r] = v;
      else throw new ImbalancedInputError(`CSV row ${r + 2}, column ${header[c]}`, 'a class index (an integer >= 0)', cells[c]);
    }
  }
  const numClasses = labels.reduce((max, y) => Math.max(max, y), -1) + 1;
  return {
    features, labels, numRows, numFeatures, numClasses,
    featureNames: header.filter((_, i) => i !== labelIdx),
    classNames: opts.classNames ?? Array.from({length: numClasses}, (_, i) => String(i)),
  };
}

/** Rows `idx` of `ds` as a new dataset. */
export function selectRows(ds: TabularDataset, idx: ArrayLike<number>): TabularDataset {
  const features = new Float32Array(idx.length * ds.numFeatures);
  const labels = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i];
    features.set(ds.features.subarray(r * ds.numFeatures, (r + 1) * ds.numFeatures), i * ds.numFeatures);
    labels[i] = ds.labels[r];
  }
  return {...ds, features, labels, numRows: idx.length};
}

/** Maps labels through `mapping` (old class -> new class in [0, classNames.length)), e.g. one-vs-rest. */
export function relabel(ds: TabularDataset, mapping: (label: number) => number, classNames: string[]): TabularDataset {
  const labels = new Int32Array(ds.labels.length);
  ds.labels.forEach((y, i) => {
    const v = mapping(y);
    if (!Number.isInteger(v) || v < 0 || v >= classNames.length) {
      throw new ImbalancedInputError(`mapping(${y})`, `a class index in [0, ${classNames.length - 1}] (one per class name)`, v);
    }
    labels[i] = v;
  });
  return {...ds, labels, numClasses: classNames.length, classNames};
}

/** Stratified split: each class contributes round(testFraction * n_c) rows to the test part. */
export function stratifiedSplit(ds: TabularDataset, opts: {testFraction?: number; seed?: number} = {}): {
  /** The training rows. */
  train: TabularDataset;
  /** The held-out rows (`testFraction` of each class). */
  test: TabularDataset;
} {
  const testFraction = checkNumber('testFraction', opts.testFraction ?? 0.25, {min: 0, max: 1, openMin: true, openMax: true});
  const rng = new Random(opts.seed ?? 0);
  const byClass: number[][] = Array.from({length: ds.numClasses}, () => []);
  ds.labels.forEach((y, i) => byClass[y].push(i));
  const train: number[] = [];
  const test: number[] = [];
  for (const rows of byClass) {
    rng.shuffle(rows);
    const nTest = Math.round(testFraction * rows.length);
    rows.forEach((r, k) => (k < nTest ? test : train).push(r));
  }
  return {train: selectRows(ds, rng.shuffle(train) as number[]), test: selectRows(ds, rng.shuffle(test) as number[])};
}

/** Column means and standard deviations of `fitOn`, applied to every dataset given. */
export function standardize(fitOn: TabularDataset, ...apply: TabularDataset[]): TabularDataset[] {
  const d = fitOn.numFeatures;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let r = 0; r < fitOn.numRows; r++) {
    for (let j = 0; j < d; j++) mean[j] += fitOn.features[r * d + j];
  }
  mean.forEach((_, j) => (mean[j] /= fitOn.numRows));
  for (let r = 0; r < fitOn.numRows; r++) {
    for (let j = 0; j < d; j++) sq[j] += (fitOn.features[r * d + j] - mean[j]) ** 2;
  }
  const std = Array.from(sq, s => Math.sqrt(s / fitOn.numRows) || 1);
  return [fitOn, ...apply].map(ds => {
    const features = ds.features.map((v, i) => (v - mean[i % d]) / std[i % d]);
    return {...ds, features};
  });
}

/** Per-class row counts (`data.classCounts` over the labels, numClasses wide). */
export function countLabels(ds: TabularDataset): number[] {
  return classCounts(ds.labels, {numClasses: ds.numClasses});
}

/** `{xs: [n, d] float32, ys: [n] int32}`; wrap in tf.tidy or dispose them yourself. */
export function toTensors(ds: TabularDataset): {
  /** Features [n, d], float32. */
  xs: tf.Tensor2D;
  /** Class indices [n]. */
  ys: tf.Tensor1D;
} {
  return {xs: tf.tensor2d(ds.features, [ds.numRows, ds.numFeatures]), ys: tf.tensor1d(ds.labels, 'int32')};
}
