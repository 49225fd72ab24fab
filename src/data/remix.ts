/**
 * ReMix (Bellinger, Corizzo & Japkowicz, "ReMix Training for Calibrated
 * Imbalanced Deep Learning", AAAI 2021, Alg. 1): per mini-batch, resample the
 * classes to equal shares, pair rows by a random permutation, draw one
 * λ ~ Beta(α, α) and mix features and one-hot labels into soft labels.
 *
 * Not Chou et al.'s "Remix: Rebalanced Mixup" (2020), which keeps the batch
 * and skews the label weights instead: that one is `rebalancedMixup`.
 */
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from '../errors';
import {Random} from '../core/random';
import {checkBoolean, checkKeys, checkNumber, checkOneOf} from '../core/validate';
import {checkFiniteFeatures, readArray, readLabels} from '../core/inputs';
import {checkPoolOptions, checkSource, equalShares, pooledBatches, PoolSamplerConfig, RawBatch} from './balance';
import {
  allocateCounts,
  baseSeed,
  BatchElement,
  buildBatch,
  checkFiniteSource,
  copyValues,
  EpochDataset,
  epochRandom,
  mixRows,
  oneHotRows,
  RowReader,
  SourceDataset,
} from './elements';

/** Options of `remix` / `ds.remix()`. */
export interface RemixOptions {
  /** Beta(α, α) parameter of the mixing weight λ; > 0. Default 0.1 (the paper's value for all results). */
  alpha?: number;
  /** Rows per mini-batch B. Default 64 (the authors' code). */
  batchSize?: number;
  /** Label width K of the output. Default: the one-hot width; required with class-index labels. */
  numClasses?: number;
  /** Seed: the same seed gives the same batches, epoch by epoch, on every backend. */
  seed?: number;
  /**
   * Where the balanced rows come from:
   * - `'batch'` (default, the paper and its code): each standard mini-batch of
   *   B consecutive source rows is resampled over the classes **present in
   *   it**; a class missing from the batch stays missing (at IR 1:100 and
   *   B = 64, 53% of batches hold no minority row, but each batch that holds
   *   one is resampled to half minority, so an epoch still balances the
   *   classes; in a reproduction of the paper's Table 2 on 12 tasks,
   *   docs/reproductions.md, `'batch'` ranked ahead of `'dataset'` on
   *   g-mean and balanced Brier, hence this default).
   * - `'dataset'` (a deviation from the paper): every batch draws its B/K rows
   *   per class from per-class pools of the whole stream, so all K classes are
   *   in every batch. Memory and streaming as in `balancedBatches`.
   */
  source?: 'batch' | 'dataset';
  /**
   * `'exact'` (default, literal Alg. 1): ⌊B/C⌋ rows per class and the B mod C
   * remaining rows to distinct random classes. `'approx'` (the authors' code):
   * oversample every present class to the batch's largest class count, then
   * draw B rows uniformly with replacement, so class counts are
   * Multinomial(B, 1/C) (with source 'dataset': each row's class drawn uniformly).
   */
  balance?: 'exact' | 'approx';
  /**
   * ReMix (Aug): applied to the resampled batch `[B, ...featureShape]` before
   * mixing; must return a tensor with B rows (any feature shape). Runs
   * inside a `tf.tidy`. Backend float arithmetic then enters the result, so
   * bit-identical output across backends is only promised without it.
   */
  augment?: (xs: tf.Tensor) => tf.Tensor;
  /** Source 'batch': emit the last, partial mini-batch (resampled to its own size). Default true. */
  smallLastBatch?: boolean;
  /** Batches per epoch (caps source 'batch'; sets the epoch length for source 'dataset', default ⌈N/B⌉). */
  epochSize?: number;
  /** Source 'dataset': per-class reservoir size for streaming (see `balancedBatches`). */
  poolSize?: number;
  /** Whether the elements are batches (a rank-1 `ys` then holds class indices); default inferred (see `balancedBatches`). */
  batched?: boolean;
  /** Source 'dataset' without `poolSize`: rows one pass may read before it fails as endless (default 10 000 000). */
  maxRows?: number;
}

/** The option names of `remix`. */
const REMIX_KEYS = [
  'alpha', 'batchSize', 'numClasses', 'seed', 'source', 'balance', 'augment', 'smallLastBatch', 'epochSize', 'poolSize', 'batched', 'maxRows',
] as const;

/**
 * Rows as plain arrays: one array of values per row.
 * @inline
 */
type Rows = number[][] | Float32Array[];

/**
 * The deterministic core of ReMix (Alg. 1 steps 3–5; also mixup's eq. 1):
 * `X″ = λ·X′ + (1−λ)·X′[perm]`, `Y″ = λ·Y′ + (1−λ)·Y′[perm]`.
 *
 * `xs` is a tensor `[n, ...]` or an array of n rows; `ys` a tensor `[n, K]`
 * or n label rows (one-hot or soft); `perm` a permutation of 0..n−1 (self-pairs
 * allowed); λ ∈ [0, 1]. Returns tensors when `xs` is a tensor (float32, caller
 * disposes), else plain arrays. Row sums and column sums of Y′ are preserved.
 */
export function remixBatch(xs: tf.Tensor, ys: tf.Tensor | Rows, lambda: number, perm: ArrayLike<number>): {
  /** Mixed features. */
  xs: tf.Tensor;
  /** Mixed (soft) labels. */
  ys: tf.Tensor2D;
};
export function remixBatch(xs: Rows, ys: tf.Tensor | Rows, lambda: number, perm: ArrayLike<number>): {
  /** Mixed features. */
  xs: number[][];
  /** Mixed (soft) labels. */
  ys: number[][];
};
export function remixBatch(xs: tf.Tensor | Rows, ys: tf.Tensor | Rows, lambda: number, perm: ArrayLike<number>): {xs: tf.Tensor | number[][]; ys: tf.Tensor2D | number[][]} {
  checkNumber('lambda', lambda, {min: 0, max: 1});
  const x = featureMatrix(xs, 'xs');
  const y = labelMatrix(ys, 'ys');
  if (y.n !== x.n) throw new ImbalancedInputError('ys', `${x.n} label rows (one per row of xs)`, `${y.n} rows`);
  const p = checkPermutation(perm, x.n);
  const mx = mixRows(x.values, x.rowSize, x.n, lambda, p, new Float32Array(x.n * x.rowSize));
  const my = mixRows(y.values, y.rowSize, y.n, lambda, p, new Float32Array(y.n * y.rowSize));
  if (xs instanceof tf.Tensor) {
    return {xs: tf.tensor(mx, xs.shape, 'float32'), ys: tf.tensor2d(my, [y.n, y.rowSize], 'float32')};
  }
  return {xs: toRows(mx, x.n, x.rowSize), ys: toRows(my, y.n, y.rowSize)};
}

/** Features as n rows of finite values (src/core/inputs.ts). */
function featureMatrix(v: tf.Tensor | Rows, name: string): {values: ArrayLike<number>; n: number; rowSize: number} {
  const data = readArray(v, name);
  if (data.shape.length < 1 || data.shape[0] === 0) throw new ImbalancedInputError(name, 'a tensor or a non-empty array of rows', v);
  const n = data.shape[0];
  const rowSize = data.values.length / n;
  checkFiniteFeatures(data.values, rowSize, 0, name);
  return {values: data.values, n, rowSize};
}

/** Labels as n one-hot or soft rows (src/core/inputs.ts): class indices cannot be mixed. */
function labelMatrix(v: tf.Tensor | Rows, name: string): {values: ArrayLike<number>; n: number; rowSize: number} {
  const data = readArray(v, name);
  const labels = readLabels(data, name);
  if (labels.format !== 'rows') throw new ImbalancedInputError(name, 'one-hot or soft label rows [n, K] (class indices cannot be mixed: one-hot them first)', `shape [${data.shape.join(', ')}]`);
  return {values: data.values, n: labels.n, rowSize: labels.width};
}

function toRows(values: Float32Array, n: number, rowSize: number): number[][] {
  return Array.from({length: n}, (_, i) => Array.from(values.subarray(i * rowSize, (i + 1) * rowSize)));
}

function checkPermutation(perm: ArrayLike<number>, n: number): Int32Array {
  if (perm === null || typeof perm !== 'object' || perm.length !== n) {
    throw new ImbalancedInputError('perm', `a permutation of 0..${n - 1}`, perm);
  }
  const seen = new Uint8Array(n);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = perm[i];
    if (!Number.isInteger(j) || j < 0 || j >= n || seen[j]) throw new ImbalancedInputError('perm', `a permutation of 0..${n - 1}`, perm);
    seen[j] = 1;
    p[i] = j;
  }
  return p;
}

/**
 * Alg. 1 step 2 on one mini-batch: row indices (into the batch) of the
 * resampled batch of `n` rows, balanced over the classes present, drawn
 * with replacement within each class, in random order.
 */
export function resampleWithinBatch(labels: ArrayLike<number>, n: number, rng: Random, balance: 'exact' | 'approx'): Int32Array {
  // Group the rows by class (classes in ascending order).
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    let rows = byClass.get(c);
    if (rows === undefined) byClass.set(c, (rows = []));
    rows.push(i);
  }
  const groups = Array.from(byClass.keys()).sort((a, b) => a - b).map(c => byClass.get(c) as number[]);
  const C = groups.length; // Alg. 1 step 1: classes present in the batch
  const picks = new Int32Array(n);
  if (balance === 'exact') {
    const alloc = allocateCounts(n, new Array<number>(C).fill(1), rng, 'exact');
    let j = 0;
    groups.forEach((rows, k) => {
      for (let t = 0; t < alloc[k]; t++) picks[j++] = rows[rng.int(rows.length)];
    });
  } else {
    // The code's variant: oversample each class to n_max, then draw n rows uniformly with replacement.
    let nMax = 0;
    for (const rows of groups) nMax = Math.max(nMax, rows.length);
    const pool = new Int32Array(C * nMax);
    groups.forEach((rows, k) => {
      for (let t = 0; t < nMax; t++) pool[k * nMax + t] = t < rows.length ? rows[t] : rows[rng.int(rows.length)];
    });
    for (let j = 0; j < n; j++) picks[j] = pool[rng.int(pool.length)];
  }
  return rng.shuffle(picks) as Int32Array;
}

/** Alg. 1 steps 3–5 on a balanced batch (plus the optional augmentation): the output tensors. */
function mixBatch(x: Float32Array, labels: Int32Array, n: number, featureShape: number[], numClasses: number, alpha: number, rng: Random, augment?: (xs: tf.Tensor) => tf.Tensor): BatchElement {
  const y = oneHotRows(labels, n, numClasses);
  const perm = rng.permutation(n); // step 3: partners, self-pairs allowed
  const lambda = rng.beta(alpha, alpha); // step 4: one λ per mini-batch
  const yMixed = mixRows(y, numClasses, n, lambda, perm, new Float32Array(n * numClasses)); // step 5 (labels)
  if (augment === undefined) {
    const d = x.length / Math.max(n, 1);
    const xMixed = mixRows(x, d, n, lambda, perm, new Float32Array(x.length)); // step 5 (features)
    return buildBatch(xMixed, featureShape, yMixed, n, numClasses);
  }
  const xs = tf.tidy(() => {
    const raw = tf.tensor(x, [n, ...featureShape], 'float32');
    const out = augment(raw);
    if (!(out instanceof tf.Tensor) || out.rank < 1 || out.shape[0] !== n) {
      throw new ImbalancedInputError('augment', `a function returning a tensor with ${n} rows`, out);
    }
    const a = tf.cast(out, 'float32');
    const partner = tf.gather(a, tf.tensor1d(perm, 'int32'));
    return tf.add(tf.mul(a, tf.scalar(lambda)), tf.mul(partner, tf.scalar(1 - lambda)));
  });
  return {xs, ys: tf.tensor2d(yMixed, [n, numClasses], 'float32')};
}

interface RemixConfig {
  alpha: number;
  batchSize: number;
  numClasses: number | undefined;
  balance: 'exact' | 'approx';
  augment?: (xs: tf.Tensor) => tf.Tensor;
  smallLastBatch: boolean;
  epochSize: number | undefined;
  batched: boolean | undefined;
}

/** Source 'batch': consecutive source rows form the standard mini-batches. */
async function* remixBatchEpoch(source: SourceDataset, o: RemixConfig, rng: Random, done: (batches: number) => void): AsyncGenerator<BatchElement> {
  const reader = new RowReader(await source.iterator(), {numClasses: o.numClasses, hardLabels: true, batched: o.batched, maxRows: Infinity});
  const B = o.batchSize;
  const limit = o.epochSize ?? Infinity;
  let x: Float32Array | null = null;
  const labels = new Int32Array(B);
  let fill = 0;
  let batches = 0;
  let C = 0;
  for (let chunk = await reader.next(); chunk !== null; chunk = await reader.next()) {
    const d = reader.featureSize;
    if (x === null) {
      x = new Float32Array(B * d);
      if (reader.numClasses === undefined) {
        throw new ImbalancedInputError('numClasses', 'the number of classes (required when labels are class indices)', undefined);
      }
      C = reader.numClasses;
    }
    for (let i = 0; i < chunk.n; ) {
      const take = Math.min(B - fill, chunk.n - i);
      copyValues(chunk.x, i * d, x, fill * d, take * d);
      labels.set(chunk.labels.subarray(i, i + take), fill);
      fill += take;
      i += take;
      if (fill === B) {
        yield remixOne(x, labels, B, reader.featureShape as number[], C, o, rng);
        fill = 0;
        if (++batches >= limit) return;
      }
    }
  }
  if (fill > 0 && o.smallLastBatch && x !== null) {
    yield remixOne(x.subarray(0, fill * reader.featureSize), labels, fill, reader.featureShape as number[], C, o, rng);
    batches++;
  }
  done(batches);
}

function remixOne(x: Float32Array, labels: Int32Array, n: number, featureShape: number[], C: number, o: RemixConfig, rng: Random): BatchElement {
  const d = n === 0 ? 0 : x.length / n;
  const picks = resampleWithinBatch(labels, n, rng, o.balance); // step 2
  const xb = new Float32Array(n * d);
  const lb = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = picks[i];
    xb.set(x.subarray(r * d, (r + 1) * d), i * d);
    lb[i] = labels[r];
  }
  return mixBatch(xb, lb, n, featureShape, C, o.alpha, rng, o.augment);
}

/** Source 'dataset': balanced batches from per-class pools of the whole stream, then mixed. */
async function* remixPooledEpoch(source: SourceDataset, cfg: PoolSamplerConfig, o: RemixConfig, rng: Random, done: (batches: number) => void): AsyncGenerator<BatchElement> {
  let batches = 0;
  for await (const raw of pooledBatches(source, cfg, rng) as AsyncGenerator<RawBatch>) {
    yield mixBatch(raw.x, raw.labels, raw.n, raw.featureShape, raw.numClasses, o.alpha, rng, o.augment);
    batches++;
  }
  done(batches);
}

/**
 * ReMix training batches (Bellinger, Corizzo & Japkowicz, "ReMix Training for Calibrated Imbalanced Deep Learning", Alg. 1) from a stream of
 * `{xs, ys}` rows (`xs` any shape, integer types cast to float32; `ys` a class
 * index, `[1]`, or a one-hot `[K]`). Elements with a rank-2 `ys` (`[b, 1]` /
 * `[b, K]`) are read as b rows, so a source may hand over chunks (faster than
 * single rows); a rank-1 `ys` is one row's label or a batch of class indices
 * as `batched` or the data say (the rule in src/core/inputs.ts).
 *
 * Output: `{xs: [B, ...featureShape] float32, ys: [B, K] float32}`, soft
 * labels always K = numClasses wide, each row summing to 1; train with
 * categorical cross-entropy on a softmax output (also for binary tasks).
 *
 * Per mini-batch (source 'batch'): C = classes present; resample to ⌊B/C⌋
 * rows per class with replacement (`balance`); a random permutation pairs
 * rows (self-pairs allowed); one λ ~ Beta(α, α); mix features and labels.
 * With one class present, the output is mixup within that class (labels stay
 * hard). The last partial mini-batch of b < B rows is resampled to b rows
 * (`smallLastBatch: false` drops it).
 *
 * α ≤ 0 is an error: the authors' code falls back to λ = 1 (no mixing), which
 * is plain balanced resampling — use `balancedBatches` for that.
 *
 * Epochs: every `iterator()` call (fitDataset makes one per epoch) re-reads
 * the source and draws from `Random` seeded by (seed, epoch index). `size`:
 * ⌈N/B⌉ (source 'batch') or `epochSize` / ⌈N/B⌉ (source 'dataset') when the
 * source's size N counts single rows; after the first complete epoch it is
 * that epoch's number of batches (right for chunked sources too).
 */
export function remix(dataset: SourceDataset, options: RemixOptions = {}): EpochDataset<BatchElement> {
  const src = checkSource(dataset, 'remix');
  if (options === null || typeof options !== 'object') throw new ImbalancedInputError('options', 'an object {alpha?, batchSize?, numClasses?, seed?, ...}', options);
  checkKeys('remix', options, REMIX_KEYS);
  const alpha = checkNumber('alpha', options.alpha ?? 0.1, {min: 0, openMin: true});
  const batchSize = checkNumber('batchSize', options.batchSize ?? 64, {min: 1, integer: true});
  const source = checkOneOf('source', options.source ?? 'batch', ['batch', 'dataset'] as const);
  const balance = checkOneOf('balance', options.balance ?? 'exact', ['exact', 'approx'] as const);
  if (options.augment !== undefined && typeof options.augment !== 'function') {
    throw new ImbalancedInputError('augment', 'a function (xs: Tensor) => Tensor', options.augment);
  }
  if (options.smallLastBatch !== undefined) checkBoolean('smallLastBatch', options.smallLastBatch);
  if (source === 'batch' && options.poolSize !== undefined) {
    throw new ImbalancedInputError('poolSize', "no value with source 'batch' (reservoirs belong to source 'dataset')", options.poolSize);
  }
  // For source 'batch' a batch holds only the classes present in it, so batchSize >= numClasses is not needed.
  const pool = checkPoolOptions(options, batchSize, source === 'dataset');
  const numClasses = pool.numClasses;
  if (source === 'dataset' && pool.poolSize === undefined) {
    checkFiniteSource(src, "remix with source 'dataset' and no poolSize", 'pass poolSize and epochSize to stream it');
  }
  const seed = baseSeed(options.seed);
  const cfg: RemixConfig = {
    alpha,
    batchSize,
    numClasses,
    balance,
    augment: options.augment,
    smallLastBatch: options.smallLastBatch ?? true,
    epochSize: pool.epochSize,
    batched: pool.batched,
  };
  const n = typeof src.size === 'number' && Number.isFinite(src.size) ? src.size : null;
  if (source === 'batch') {
    let size = n === null ? null : cfg.smallLastBatch ? Math.ceil(n / batchSize) : Math.floor(n / batchSize);
    if (size !== null && pool.epochSize !== undefined) size = Math.min(size, pool.epochSize);
    return new EpochDataset<BatchElement>((epoch, done) => remixBatchEpoch(src, cfg, epochRandom(seed, epoch), done), size, true);
  }
  const poolCfg: PoolSamplerConfig = {
    batchSize,
    numClasses,
    weights: equalShares("remix source 'dataset' puts every class of numClasses in every batch (use source 'batch' or drop the class)"),
    replacement: 'cycle',
    allocation: balance === 'exact' ? 'exact' : 'multinomial',
    defaultEpoch: (_c, total, B) => Math.ceil(total / B),
    epochSize: pool.epochSize,
    poolSize: pool.poolSize,
    batched: pool.batched,
    maxRows: pool.maxRows,
    transform: "remix (source 'dataset')",
  };
  const size = pool.epochSize ?? (n === null || pool.poolSize !== undefined ? null : Math.ceil(n / batchSize));
  return new EpochDataset<BatchElement>(
    (epoch, done) => remixPooledEpoch(src, poolCfg, cfg, epochRandom(seed, epoch), done),
    size,
    pool.epochSize === undefined && pool.poolSize === undefined,
  );
}
