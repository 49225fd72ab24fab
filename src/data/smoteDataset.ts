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
 * Elements: by default one sample each (`xs` of the row shape, `ys` a scalar
 * class index, a [1] index or a one-hot [C] row). With `batched: true` each
 * element is a batch (`xs` [b, ...], `ys` [b], [b, 1] or [b, C]); the source
 * batches pass through unchanged and the synthetic rows come in batches of
 * the first source batch's size (the last one smaller).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfData from '@tensorflow/tfjs-data';
import {ImbalancedInputError} from '../errors';
import {Random} from '../core/random';
import {labelsOf} from './classCounts';
import {kNeighbors} from './neighbors';
import type {LabelEncoding} from './resampledData';
import {resolveSamplingStrategy} from './samplingStrategy';
import {checkClassSize, checkSmoteOptions, drawSegments, interpolate} from './smote';
import type {CheckedSmoteOptions, SmoteOptions} from './smote';

/** Options of `smoteDataset` / `ds.smote()`: SMOTE's plus the dataset layout. */
export interface SmoteDatasetOptions extends SmoteOptions {
  /** Elements are batches ([b, ...]) rather than single samples (default false). */
  batched?: boolean;
  /** Draw new synthetic rows every epoch (epoch e uses seed + e); default false (the same rows every epoch). */
  resampleEachEpoch?: boolean;
}

type Element = {xs: tf.Tensor; ys: tf.Tensor};

interface Prepared {
  rowShape: number[];
  d: number;
  encoding: LabelEncoding;
  width: number;
  yDtype: tf.DataType;
  batchSize: number;
  /** Per grown class: its rows, neighbour table and how many rows to add. */
  grown: Array<{label: number; rows: Float32Array; nns: Int32Array; add: number}>;
}

/**
 * The SMOTE-resampled dataset: the source elements, then the synthetic ones
 * (see the module comment). Errors about the data (k too large for a class,
 * NaN features, bad labels, an unusable strategy) surface on the first
 * iteration, as a rejected `iterator()` / `next()`.
 */
export function smoteDataset(ds: tfData.Dataset<Element>, options: SmoteDatasetOptions = {}): tfData.Dataset<Element> {
  const opts = checkSmoteOptions(options);
  for (const flag of ['batched', 'resampleEachEpoch'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean') throw new ImbalancedInputError(flag, 'a boolean', options[flag]);
  }
  if (!ds || typeof (ds as {iterator?: unknown}).iterator !== 'function') {
    throw new ImbalancedInputError('dataset', 'a tf.data.Dataset of {xs, ys} elements', ds);
  }
  const batched = options.batched ?? false;
  const eachEpoch = options.resampleEachEpoch ?? false;
  const seed = opts.seed ?? new Random().nextUint32();
  let prepared: Promise<Prepared> | null = null;
  let epoch = 0;

  async function* generate(): AsyncGenerator<Element> {
    if (prepared === null) prepared = prepare(ds, opts, batched);
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
      const step = batched ? p.batchSize : 1;
      for (let start = 0; start < cls.add; start += step) {
        const rows = Math.min(step, cls.add - start);
        yield tf.tidy(() => ({
          xs: tf.tensor(values.slice(start * p.d, (start + rows) * p.d), batched ? [rows, ...p.rowShape] : p.rowShape, 'float32'),
          ys: labelTensor(cls.label, rows, batched, p),
        }));
      }
    }
  }

  return tfData.generator(generate as unknown as () => AsyncIterator<Element>);
}

function labelTensor(label: number, rows: number, batched: boolean, p: Prepared): tf.Tensor {
  const labels = new Array<number>(rows).fill(label);
  const dtype = p.yDtype === 'int32' ? 'int32' : 'float32';
  let t: tf.Tensor;
  if (p.encoding === 'onehot') t = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), p.width), dtype);
  else if (p.encoding === 'column') t = tf.tensor2d(labels, [rows, 1], dtype);
  else t = tf.tensor1d(labels, dtype);
  // Unbatched elements drop the batch axis: a scalar, a [1] index or a [C] row.
  return batched ? t : tf.squeeze(t, [0]);
}

/** Reads one element, validating its structure; returns it with its class indices, label encoding and row shape. */
function readElement(
  el: unknown, index: number, batched: boolean,
): {xs: tf.Tensor; ys: tf.Tensor; labels: Int32Array; encoding: LabelEncoding; width: number; rowShape: number[]} {
  const e = el as Partial<Element> | null;
  if (e === null || typeof e !== 'object' || !(e.xs instanceof tf.Tensor) || !(e.ys instanceof tf.Tensor)) {
    throw new ImbalancedInputError(`dataset element ${index}`, 'an object {xs: Tensor, ys: Tensor}', el);
  }
  const {xs, ys} = e as Element;
  let batchYs: tf.Tensor;
  let encoding: LabelEncoding;
  if (batched) {
    if (ys.rank < 1 || ys.rank > 2) throw new ImbalancedInputError(`dataset element ${index} ys`, 'a batch of labels [b], [b, 1] or [b, C]', ys);
    batchYs = ys;
    encoding = ys.rank === 1 ? 'sparse' : ys.shape[1] === 1 ? 'column' : 'onehot';
    if (xs.rank < 1 || xs.shape[0] !== ys.shape[0]) {
      throw new ImbalancedInputError(`dataset element ${index} xs`, `a batch of ${ys.shape[0]} rows (as ys)`, xs);
    }
  } else {
    if (ys.rank > 1) throw new ImbalancedInputError(`dataset element ${index} ys`, 'one label: a scalar class index, [1] or a one-hot [C] row (pass batched: true for batches)', ys);
    encoding = ys.rank === 0 ? 'sparse' : ys.shape[0] === 1 ? 'column' : 'onehot';
    batchYs = ys.rank === 0 ? tf.reshape(ys, [1]) : tf.reshape(ys, [1, ys.shape[0]]);
  }
  try {
    const read = labelsOf(batchYs, `dataset element ${index} ys`);
    const width = read.width ?? 0;
    return {xs, ys, labels: read.labels, encoding, width, rowShape: batched ? xs.shape.slice(1) : xs.shape.slice()};
  } finally {
    if (batchYs !== ys) batchYs.dispose();
  }
}

async function prepare(ds: tfData.Dataset<Element>, opts: CheckedSmoteOptions, batched: boolean): Promise<Prepared> {
  const k = opts.k;
  // Pass 1: labels only.
  let counts: number[] = [];
  let first: {encoding: LabelEncoding; width: number; rowShape: number[]; yDtype: tf.DataType; batchSize: number} | null = null;
  let it = await ds.iterator();
  let index = 0;
  for (let r = await it.next(); !r.done; r = await it.next(), index++) {
    const el = readElement(r.value, index, batched);
    try {
      if (first === null) {
        first = {encoding: el.encoding, width: el.width, rowShape: el.rowShape, yDtype: el.ys.dtype, batchSize: batched ? el.xs.shape[0] : 1};
      } else {
        checkSame(first, el, index);
      }
      for (const y of el.labels) {
        while (counts.length <= y) counts.push(0);
        counts[y]++;
      }
    } finally {
      disposeElement(r.value as Element);
    }
  }
  if (first === null) throw new ImbalancedInputError('dataset', 'a non-empty dataset', 'no elements');
  if (first.encoding === 'onehot') {
    if (counts.length > first.width) throw new ImbalancedInputError('dataset ys', `class indices below ${first.width}`, counts.length - 1);
    while (counts.length < first.width) counts.push(0);
  }
  const add = resolveSamplingStrategy(opts.samplingStrategy, counts, 'over');
  add.forEach((a, c) => { if (a > 0) checkClassSize(k, c, counts[c]); });
  const d = first.rowShape.reduce((a, b) => a * b, 1);

  // Pass 2: the rows of the grown classes only.
  const rows = new Map<number, {data: Float32Array; n: number}>();
  add.forEach((a, c) => { if (a > 0) rows.set(c, {data: new Float32Array(counts[c] * d), n: 0}); });
  it = await ds.iterator();
  index = 0;
  for (let r = await it.next(); !r.done; r = await it.next(), index++) {
    const el = readElement(r.value, index, batched);
    try {
      checkSame(first, el, index);
      let values: Float32Array | Int32Array | Uint8Array | null = null;
      el.labels.forEach((y, b) => {
        const store = rows.get(y);
        if (!store) return;
        if (store.n >= counts[y]) throw new ImbalancedInputError('dataset', 'the same elements on every iteration (class counts changed between passes)', `more rows of class ${y}`);
        values ??= el.xs.dataSync() as Float32Array;
        for (let t = 0; t < d; t++) {
          const v = values[b * d + t];
          if (!Number.isFinite(v)) {
            throw new ImbalancedInputError(`dataset element ${index} xs`, 'finite feature values (SMOTE computes distances; impute or drop NaN / Infinity first)', v);
          }
          store.data[store.n * d + t] = v;
        }
        store.n++;
      });
    } finally {
      disposeElement(r.value as Element);
    }
  }
  const grown: Prepared['grown'] = [];
  add.forEach((a, c) => {
    const store = rows.get(c);
    if (!store) return;
    if (store.n !== counts[c]) throw new ImbalancedInputError('dataset', 'the same elements on every iteration (class counts changed between passes)', `${store.n} rows of class ${c}, ${counts[c]} before`);
    grown.push({label: c, rows: store.data, nns: kNeighbors(store.data, store.n, d, k, {kernel: opts.kernel}), add: a});
  });
  return {...first, d, grown};
}

function checkSame(first: {encoding: LabelEncoding; width: number; rowShape: number[]}, el: {encoding: LabelEncoding; width: number; rowShape: number[]}, index: number): void {
  if (el.encoding !== first.encoding || el.width !== first.width) {
    throw new ImbalancedInputError(`dataset element ${index} ys`, `labels encoded like element 0 (${first.encoding}${first.width ? ` of width ${first.width}` : ''})`, `${el.encoding}${el.width ? ` of width ${el.width}` : ''}`);
  }
  if (el.rowShape.length !== first.rowShape.length || el.rowShape.some((s, i) => s !== first.rowShape[i])) {
    throw new ImbalancedInputError(`dataset element ${index} xs`, `rows of shape [${first.rowShape.join(', ')}] like element 0`, `[${el.rowShape.join(', ')}]`);
  }
}

/** The reading passes own the elements the iterator hands out: dispose them. */
function disposeElement(el: Element | null): void {
  if (el && typeof el === 'object') tf.dispose(el as unknown as tf.TensorContainer);
}
