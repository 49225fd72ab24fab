/**
 * `ds.smote()`: SMOTE over a finite `tf.data.Dataset` of `{xs, ys}` elements,
 * materialising only the classes it grows.
 *
 * On the first `iterator()` call it makes two passes over `ds`:
 *  1. reads only the labels and resolves `samplingStrategy` into per-class
 *     targets (so it knows which classes grow);
 *  2. keeps the feature rows of the grown classes (float32, flattened), checks
 *     them for NaN / Infinity and finds their k nearest same-class neighbours.
 * Every iteration (epoch) then streams the source elements again, unchanged and
 * in their order, followed by the synthetic elements, created lazily (one
 * tensor per element as the consumer pulls it). The neighbour tables are
 * cached; only the cheap interpolation is redone per epoch.
 *
 * The synthetic rows equal those of `smote(xs, ys, {seed, k, ...})` on the
 * stacked elements (same seed, same rows, same order: grouped by ascending
 * class). Without `resampleEachEpoch` every epoch yields the same synthetic
 * rows; with it, epoch e (0-based) uses seed + e. The source must yield the
 * same elements on every iteration (a dataset reshuffled per iteration is fine).
 *
 * Elements: `{xs, ys}` as tensors or plain arrays, one row or a batch of rows
 * each, by the rule in src/core/inputs.ts (`batched` says how to read a rank-1
 * `ys`; default inferred from the data). The source elements pass through
 * unchanged; the synthetic ones come in the source's form: one row each, or
 * batches of the first source batch's size (the last one smaller), with labels
 * encoded like the first element's (class index, [1], one-hot), as tensors
 * when the source's were tensors and as plain arrays otherwise.
 *
 * A source of infinite `size` (e.g. after `repeat()`) is refused up front; a
 * source of unknown size that does not end fails after `maxRows` rows.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfData from '@tensorflow/tfjs-data';
import {ImbalancedInputError} from '../errors';
import {Random} from '../core/random';
import {checkBoolean, checkKeys} from '../core/validate';
import {LabelFormat} from '../core/inputs';
import {kNeighbors} from './neighbors';
import {buildRow} from './resampledData';
import {resolveSamplingStrategy} from './samplingStrategy';
import {SMOTE_KEYS, checkClassSize, checkSmoteOptions, drawSegments, interpolate} from './smote';
import type {CheckedSmoteOptions, SmoteOptions} from './smote';
import {RowReader, SourceDataset, checkFiniteSource, checkMaxRows} from './elements';

/** Options of `smoteDataset` / `ds.smote()`: SMOTE's plus the dataset layout. */
export interface SmoteDatasetOptions extends SmoteOptions {
  /** Whether elements are batches ([b, ...]); default inferred from the data (the rule in src/core/inputs.ts). */
  batched?: boolean;
  /** Draw new synthetic rows every epoch (epoch e uses seed + e); default false (the same rows every epoch). */
  resampleEachEpoch?: boolean;
  /** Rows one reading pass may see before it fails as endless (default 10 000 000; Infinity: no limit). */
  maxRows?: number;
}

/** An element of the source: tensors or plain arrays. */
export type LabelledElement = {
  /** Features: one row (unbatched dataset) or a batch of rows. */
  xs: tf.TensorContainer;
  /** Labels of those rows, read by the package's one label rule (class indices, one-hot or soft rows). */
  ys: tf.TensorContainer;
};
type Element = LabelledElement;

interface Prepared {
  rowShape: number[];
  d: number;
  /** Label format of the first element (batch form) and whether its ys was a scalar. */
  format: LabelFormat;
  scalar: boolean;
  width: number;
  /** Source elements are batches. */
  batched: boolean;
  /** Source elements hold tensors. */
  tensors: boolean;
  yDtype: tf.DataType;
  batchSize: number;
  /** Per grown class: its rows, neighbour table and how many rows to add. */
  grown: Array<{label: number; rows: Float32Array; nns: Int32Array; add: number}>;
}

/**
 * The SMOTE-resampled dataset: the source elements, then the synthetic ones
 * (see the module comment). Errors about the data (k too large for a class,
 * NaN features, bad labels, an unusable strategy, an empty or endless source)
 * surface on the first iteration, as a rejected `iterator()` / `next()`.
 */
export function smoteDataset<T extends LabelledElement>(ds: tfData.Dataset<T>, options: SmoteDatasetOptions = {}): tfData.Dataset<T> {
  const opts = checkSmoteOptions(options);
  checkKeys('smoteDataset', options, [...SMOTE_KEYS, 'batched', 'resampleEachEpoch', 'maxRows']);
  for (const flag of ['batched', 'resampleEachEpoch'] as const) {
    if (options[flag] !== undefined) checkBoolean(flag, options[flag]);
  }
  if (!ds || typeof (ds as {iterator?: unknown}).iterator !== 'function') {
    throw new ImbalancedInputError('dataset', 'a tf.data.Dataset of {xs, ys} elements', ds);
  }
  checkFiniteSource(ds as SourceDataset, 'smote', 'take(n) first');
  const batched = options.batched;
  const maxRows = checkMaxRows(options.maxRows);
  const eachEpoch = options.resampleEachEpoch ?? false;
  const seed = opts.seed ?? new Random().nextUint32();
  let prepared: Promise<Prepared> | null = null;
  let epoch = 0;

  async function* generate(): AsyncGenerator<Element> {
    if (prepared === null) prepared = prepare(ds as SourceDataset, opts, batched, maxRows);
    let p: Prepared;
    try {
      p = await prepared;
    } catch (e) {
      prepared = null;
      throw e;
    }
    const rng = new Random(eachEpoch ? seed + epoch : seed);
    epoch++;
    const it = await ds.iterator();
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    for (const cls of p.grown) {
      const n = cls.rows.length / p.d;
      const {base, neighbor, gap} = drawSegments(rng, n, opts.k, cls.add, cls.nns);
      const values = new Float32Array(cls.add * p.d);
      interpolate(cls.rows, cls.rows, p.d, base, neighbor, gap, values, 0);
      const step = p.batched ? p.batchSize : 1;
      for (let start = 0; start < cls.add; start += step) {
        const rows = Math.min(step, cls.add - start);
        yield syntheticElement(values.subarray(start * p.d, (start + rows) * p.d), cls.label, rows, p);
      }
    }
  }

  return tfData.generator(generate as unknown as () => AsyncIterator<T>);
}

/** One synthetic element in the source's form: one row or a batch, tensors or plain arrays. */
function syntheticElement(values: Float32Array, label: number, rows: number, p: Prepared): Element {
  const xShape = p.batched ? [rows, ...p.rowShape] : p.rowShape;
  if (p.tensors) {
    return tf.tidy(() => ({xs: tf.tensor(values.slice(), xShape, 'float32'), ys: labelTensor(label, rows, p)}));
  }
  return {xs: buildRow(values, 0, xShape, undefined) as tf.TensorContainer, ys: labelArray(label, rows, p) as tf.TensorContainer};
}

function labelTensor(label: number, rows: number, p: Prepared): tf.Tensor {
  const labels = new Array<number>(rows).fill(label);
  const dtype = p.yDtype === 'int32' ? 'int32' : 'float32';
  let t: tf.Tensor;
  if (p.format === 'rows') t = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), p.width), dtype);
  else if (p.format === 'column') t = tf.tensor2d(labels, [rows, 1], dtype);
  else t = tf.tensor1d(labels, dtype);
  // Unbatched elements drop the batch axis: a scalar, a [1] index or a [C] row.
  return p.batched ? t : tf.squeeze(t, [0]);
}

function labelArray(label: number, rows: number, p: Prepared): unknown {
  const one = (): unknown => {
    if (p.format === 'rows') return Array.from({length: p.width}, (_, k) => (k === label ? 1 : 0));
    return p.format === 'column' ? [label] : label;
  };
  if (!p.batched) return p.scalar ? label : one();
  return Array.from({length: rows}, one);
}

async function prepare(ds: SourceDataset, opts: CheckedSmoteOptions, batched: boolean | undefined, maxRows: number): Promise<Prepared> {
  const k = opts.k;
  // Pass 1: labels only (and the shape of xs).
  const counts: number[] = [];
  const first = await ds.iterator();
  const labelsPass = new RowReader(first, {batched, features: false, maxRows});
  let shape: Omit<Prepared, 'd' | 'grown' | 'width'> | null = null;
  for (let chunk = await labelsPass.next(); chunk !== null; chunk = await labelsPass.next()) {
    shape ??= {
      rowShape: labelsPass.featureShape as number[],
      format: labelsPass.firstFormat as LabelFormat,
      scalar: labelsPass.firstScalar,
      batched: chunk.kind === 'batch',
      tensors: chunk.tensors,
      yDtype: chunk.yDtype,
      batchSize: chunk.n,
    };
    for (const y of chunk.labels) {
      while (counts.length <= y) counts.push(0);
      counts[y]++;
    }
  }
  const known = shape as Omit<Prepared, 'd' | 'grown' | 'width'>;
  const width = labelsPass.numClasses ?? counts.length;
  while (counts.length < width) counts.push(0);
  const add = resolveSamplingStrategy(opts.samplingStrategy, counts, 'over');
  add.forEach((a, c) => { if (a > 0) checkClassSize(k, c, counts[c]); });
  const d = labelsPass.featureSize;

  // Pass 2: the rows of the grown classes only (other elements' features are never read).
  const rows = new Map<number, {data: Float32Array; n: number}>();
  add.forEach((a, c) => { if (a > 0) rows.set(c, {data: new Float32Array(counts[c] * d), n: 0}); });
  const grows = (classes: Int32Array): boolean => classes.some(c => rows.has(c));
  const rowsPass = new RowReader(await ds.iterator(), {batched: labelsPass.batched ?? batched, numClasses: labelsPass.numClasses, features: grows, maxRows});
  for (let chunk = await rowsPass.next(); chunk !== null; chunk = await rowsPass.next()) {
    if (rowsPass.featureSize !== d || rowsPass.rowsRead > labelsPass.rowsRead) {
      throw new ImbalancedInputError('dataset', 'the same elements on every iteration (the rows changed between passes)', `${rowsPass.rowsRead} rows or more, ${labelsPass.rowsRead} before`);
    }
    chunk.labels.forEach((y, b) => {
      const store = rows.get(y);
      if (!store) return;
      if (store.n >= counts[y]) throw new ImbalancedInputError('dataset', 'the same elements on every iteration (class counts changed between passes)', `more rows of class ${y}`);
      const x = chunk.x;
      for (let t = 0; t < d; t++) store.data[store.n * d + t] = x[b * d + t];
      store.n++;
    });
  }
  const grown: Prepared['grown'] = [];
  add.forEach((a, c) => {
    const store = rows.get(c);
    if (!store) return;
    if (store.n !== counts[c]) throw new ImbalancedInputError('dataset', 'the same elements on every iteration (class counts changed between passes)', `${store.n} rows of class ${c}, ${counts[c]} before`);
    grown.push({label: c, rows: store.data, nns: kNeighbors(store.data, store.n, d, k, {kernel: opts.kernel}), add: a});
  });
  return {...known, d, width, grown};
}
