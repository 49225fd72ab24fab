/**
 * The shared machinery of every metric: reading and validating (yTrue, yPred)
 * in one place, and building the object each factory returns — a function
 * `(yTrue, yPred) => tf.Scalar` for `model.compile({metrics})` that also
 * carries the stateful `update / result / reset` API (Keras 3's
 * `update_state / result / reset_state`, with our names).
 *
 * Input formats (every metric):
 * - `yTrue`: class indices, shape [N] or [N, 1] (integers in [0, C)), or
 *   one-hot rows [N, C]. Soft rows (mixup / ReMix targets) are read as their
 *   argmax (first index on ties); every metric then uses that hard label.
 * - `yPred`: probabilities [N, C] (softmax), or [N] / [N, 1] = P(y = 1) of a
 *   binary sigmoid, read as two classes [1 - p, p]. With `fromLogits: true`
 *   softmax / sigmoid is applied first (in float64).
 * - Each may be a tensor, a (nested) JS array / typed array, or
 *   `{values, shape}` (as returned by `await tensor.data()` plus `tensor.shape`).
 *
 * Predicted class: argmax with the first index on ties; for a sigmoid column,
 * `p > threshold` (strict, threshold 0.5 by default — the same as the argmax of
 * [1 - p, p]).
 */
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from '../errors';
import {checkBoolean, checkKeys, checkNumber} from '../core/validate';
import {ROW_SUM_TOLERANCE, readArray, readLabels} from '../core/inputs';
import {MetricState, STATE_FORMAT, STATE_VERSION, checkState, isMetricState, statisticsKey} from './state';

/** What a ratio with a zero denominator becomes: 0 or 1, or NaN (`'nan'`, excluded from averages). */
export type ZeroDivision = 0 | 1 | 'nan';

/** Raw tensor contents: flat values plus shape (e.g. `{values: await t.data(), shape: t.shape}`). */
export interface TensorData {
  /** Row-major values (any numeric array or typed array). */
  values: ArrayLike<number>;
  /** Shape, e.g. [N] or [N, C]; the product must equal `values.length`. */
  shape: number[];
}

/** Accepted label input: tensor, array of class indices, nested one-hot rows, or {values, shape}. */
export type LabelInput = tf.Tensor | ArrayLike<number> | ArrayLike<ArrayLike<number>> | TensorData;
/** Accepted prediction input: tensor, array of sigmoid outputs, nested probability rows, or {values, shape}. */
export type PredictionInput = tf.Tensor | ArrayLike<number> | ArrayLike<ArrayLike<number>> | TensorData;

/** Options every metric factory accepts. */
export interface BaseMetricOptions {
  /** Name the metric is logged under (`fn.name`, history key). Default: the factory name, e.g. `'ece'`. */
  name?: string;
  /** yPred holds logits: softmax (C columns) or sigmoid (1 column) is applied first. Default false. */
  fromLogits?: boolean;
  /** Decision threshold for a one-column sigmoid yPred: class 1 iff p > threshold. Default 0.5. Ignored for softmax. */
  threshold?: number;
}

/** How a metric reads its inputs. */
export interface ReadOptions {
  /** Apply softmax / sigmoid to yPred first. */
  fromLogits: boolean;
  /** Sigmoid decision threshold (class 1 iff p > threshold). */
  threshold: number;
}

/** One validated batch. */
export interface Batch {
  /** Number of rows. */
  readonly n: number;
  /** Number of classes (2 for a sigmoid column). */
  readonly numClasses: number;
  /** True when yPred was one sigmoid column. */
  readonly binarySigmoid: boolean;
  /** True class per row. */
  readonly labels: Int32Array;
  /** Probabilities, row-major [n, C]. */
  readonly probs: Float32Array | Float64Array;
  /** Predicted class per row (argmax, or p > threshold for a sigmoid). */
  readonly pred: Int32Array;
  /** Top-label class per row: argmax of the probability row, first index on ties (the same array as `pred` for a softmax). */
  readonly top: Int32Array;
}

/** A serialisable description of a metric: the factory name and its options (accepted back by the factory). */
export interface MetricConfig {
  /** Factory name, e.g. `'ece'` (the log name, if different, is `options.name`). */
  name: string;
  /** Normalised factory options. */
  options: Record<string, unknown>;
}

/**
 * What every factory returns. As a function it is a tfjs metric: it computes
 * the metric on that batch alone (fresh statistics; the accumulated state is
 * not touched) and returns a scalar tensor; tfjs then averages these batch
 * values over the epoch, which is wrong for everything here except Brier —
 * `callbacks.ExactMetrics` writes the exact epoch values. The function reads
 * the batch with `dataSync` (one sync per batch and metric; a GPU stall on
 * webgl) and validates it like `update`. As an object it
 * accumulates sufficient statistics: `update` any number of chunks, `result()`
 * equals the metric on their concatenation.
 */
export interface Metric<R = number> {
  (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar;
  /** Log name (history key); set explicitly because tfjs logs a metric under `fn.name`. */
  readonly name: string;
  /** Factory name + options; `metrics.fromConfig(config)` rebuilds the metric. */
  readonly config: MetricConfig;
  /** Adds a chunk of labels and predictions to the accumulated statistics. */
  update(yTrue: LabelInput, yPred: PredictionInput): void;
  /** The metric over everything added since the last reset (NaN, or [] for array results, before any data). */
  result(): R;
  /** Clears the accumulated statistics (and the remembered number of classes). */
  reset(): void;
  /** A new metric with the same options and empty statistics. */
  clone(): Metric<R>;
  /**
   * Adds the statistics of `other` — another metric, or a state from its
   * `getState()` (e.g. sent back by a worker) — to this one, so that
   * `result()` is the metric over both sets of rows, exactly as if they had
   * been one stream. `other` must have the same config (factory and options;
   * the log `name` may differ) and, once both hold data, the same number of
   * classes; `other` is not changed.
   */
  merge(other: Metric<unknown> | MetricState): void;
  /**
   * The accumulated statistics as plain JSON (`JSON.stringify`, `postMessage`
   * and `structuredClone` safe): config, number of classes, row count and the
   * metric's sufficient statistics. `metrics.fromState(state)` rebuilds the
   * metric; `metric.merge(state)` adds it to another.
   */
  getState(): MetricState;
}

/** The recipe a factory hands to `makeMetric`. */
export interface MetricSpec<S, R> {
  /** Factory name (config name and default log name). */
  factory: string;
  /** Normalised options, stored as `config.options` (must be accepted back by the factory). */
  options: Record<string, unknown>;
  /** Log name. */
  name: string;
  /** Input reading options. */
  read: ReadOptions;
  /** Fresh statistics for C classes. */
  create(numClasses: number): S;
  /** Adds a validated batch. */
  add(stats: S, batch: Batch): void;
  /** The metric from the statistics. */
  compute(stats: S): R;
  /** Result before any update. */
  empty(): R;
  /** Throws if the metric cannot handle C classes (e.g. cost matrix size). */
  checkNumClasses?(numClasses: number): void;
  /** Adds `from` into `into` (same C). */
  merge(into: S, from: S): void;
  /** The statistics as plain JSON. */
  save(stats: S): unknown;
  /** Statistics for C classes from `save` output; throws ImbalancedInputError (parameter `state.stats...`) when malformed. */
  load(json: unknown, numClasses: number): S;
  /** Number of rows the statistics hold (checked against a loaded state's `count`). */
  size(stats: S): number;
  /** If given, the metric gets `errorBound()`: the bound on |result - exact value| in the shape of the result. */
  errorBound?(stats: S): R;
}

/** Internal hooks used by callbacks.ExactMetrics (read each batch once, feed many metrics). */
export interface MetricInternals {
  /** How the metric reads its inputs (batches read with the same options can be shared). */
  readonly read: ReadOptions;
  /** Adds a batch already read by `readBatch` (same as `update` without the read). */
  addBatch(batch: Batch): void;
  /** Samples accumulated since the last reset. */
  count(): number;
  /** The metric's config (compared by `merge`). */
  readonly config: MetricConfig;
  /** The live statistics, number of classes and row count (for `merge`; not a copy). */
  snapshot(): {stats: unknown; numClasses: number; count: number};
}

const INTERNALS = new WeakMap<object, MetricInternals>();

/** The internal hooks of a metric built here; throws for anything else. */
export function metricInternals(metric: unknown, parameter = 'metric'): MetricInternals {
  const internals = typeof metric === 'function' ? INTERNALS.get(metric) : undefined;
  if (!internals) throw new ImbalancedInputError(parameter, 'a metric built by metrics.* (e.g. metrics.ece())', metric);
  return internals;
}

/** The option names every metric takes. */
export const BASE_METRIC_KEYS = ['name', 'fromLogits', 'threshold'] as const;

/**
 * Validates the options shared by all metrics and rejects unknown keys
 * (`keys`: the factory's own option names besides {@link BASE_METRIC_KEYS}).
 */
export function baseMetricOptions(
  factory: string, opts: BaseMetricOptions | undefined, keys: readonly string[] = [],
): {name: string; read: ReadOptions; options: Record<string, unknown>} {
  const o = opts ?? {};
  if (typeof o !== 'object') throw new ImbalancedInputError('options', 'an options object', o);
  checkKeys(factory, o, [...BASE_METRIC_KEYS, ...keys]);
  const name = o.name ?? factory;
  if (typeof name !== 'string' || name.length === 0) throw new ImbalancedInputError('name', 'a non-empty string', name);
  const fromLogits = checkBoolean('fromLogits', o.fromLogits ?? false);
  const threshold = checkNumber('threshold', o.threshold ?? 0.5, {min: 0, max: 1});
  const options: Record<string, unknown> = {fromLogits, threshold};
  if (o.name !== undefined) options.name = name;
  return {name, read: {fromLogits, threshold}, options};
}

/** Checks a `zeroDivision` option. */
export function checkZeroDivision(value: unknown): ZeroDivision {
  if (value === 0 || value === 1 || value === 'nan') return value;
  throw new ImbalancedInputError('zeroDivision', "0, 1 or 'nan'", value);
}

/** x / y, or the zeroDivision value when y = 0. */
export function divide(x: number, y: number, zeroDivision: ZeroDivision): number {
  if (y === 0) return zeroDivision === 'nan' ? NaN : zeroDivision;
  return x / y;
}

function at(shape: number[], flat: number): string {
  if (shape.length < 2) return `[${flat}]`;
  return `[${Math.floor(flat / shape[1])}][${flat % shape[1]}]`;
}

/**
 * Validates and reads one batch: shapes (batch sizes agree, label width = C),
 * finite predictions in [0, 1] (any finite value with fromLogits), labels
 * integer in [0, C) (one-hot rows: finite values in [0, 1]). Probabilities
 * are checked and their argmax found in the same pass over the values.
 */
export function readBatch(yTrue: TensorData, yPred: TensorData, read: ReadOptions): Batch {
  const ps = yPred.shape;
  if (ps.length < 1 || ps.length > 2 || (ps.length === 2 && ps[1] < 1)) {
    throw new ImbalancedInputError('yPred', 'shape [N, numClasses] (softmax) or [N] / [N, 1] (binary sigmoid)', `shape [${ps.join(', ')}]`);
  }
  const n = ps[0];
  const sigmoid = ps.length === 1 || ps[1] === 1;
  const C = sigmoid ? 2 : ps[1];
  const pv = yPred.values;
  let probs: Float32Array | Float64Array;
  const pred = new Int32Array(n);
  let top = pred;
  if (sigmoid) {
    probs = new Float64Array(2 * n);
    top = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const z = pv[i];
      if (read.fromLogits ? z - z !== 0 : !(z >= 0 && z <= 1)) throw badPrediction(ps, i, z);
      const p = read.fromLogits ? 1 / (1 + Math.exp(-z)) : z;
      probs[2 * i] = 1 - p;
      probs[2 * i + 1] = p;
      pred[i] = p > read.threshold ? 1 : 0;
      top[i] = p > 1 - p ? 1 : 0;
    }
  } else if (read.fromLogits) {
    probs = softmaxRows(pv, n, C, ps);
    checkedArgmax(probs, n, C, pred, ps, true);
  } else {
    probs = pv instanceof Float32Array || pv instanceof Float64Array ? pv : Float64Array.from(pv);
    if (probs instanceof Float32Array) checkedArgmax32(probs, n, C, pred, ps);
    else checkedArgmax(probs, n, C, pred, ps, false);
  }
  return {n, numClasses: C, binarySigmoid: sigmoid, labels: readBatchLabels(yTrue, n, C, ps), probs, pred, top};
}

/** The error for a rejected prediction value: not finite, or (probabilities only) outside [0, 1]. */
function badPrediction(shape: number[], flat: number, v: number): ImbalancedInputError {
  if (!Number.isFinite(v)) return new ImbalancedInputError(`yPred${at(shape, flat)}`, 'a finite prediction (no NaN or Infinity)', v);
  return new ImbalancedInputError(`yPred${at(shape, flat)}`, 'a probability in [0, 1] (pass fromLogits: true for logits)', v);
}

/** The error for probability row i, whose values sum to `sum` instead of 1. */
function badRowSum(i: number, sum: number): ImbalancedInputError {
  return new ImbalancedInputError(`yPred[${i}]`, 'probabilities summing to 1 over the classes (a softmax row; pass fromLogits: true for logits)', `a row summing to ${sum}`);
}

/** Sum of row i, accumulated in float64 from the first class on (the order the checks use). */
function rowSum(probs: ArrayLike<number>, i: number, C: number): number {
  let sum = 0;
  for (let j = 0; j < C; j++) sum += probs[i * C + j];
  return sum;
}

/** Row-wise softmax of logits in float64 (every logit checked finite first, in row-major order). */
function softmaxRows(pv: ArrayLike<number>, n: number, C: number, shape: number[]): Float64Array {
  for (let i = 0; i < n * C; i++) if (pv[i] - pv[i] !== 0) throw badPrediction(shape, i, pv[i]);
  const probs = new Float64Array(n * C);
  for (let i = 0; i < n; i++) {
    const row = i * C;
    let max = -Infinity;
    for (let j = 0; j < C; j++) if (pv[row + j] > max) max = pv[row + j];
    let sum = 0;
    for (let j = 0; j < C; j++) {
      const e = Math.exp(pv[row + j] - max);
      probs[row + j] = e;
      sum += e;
    }
    for (let j = 0; j < C; j++) probs[row + j] /= sum;
  }
  return probs;
}

/**
 * Writes the argmax of each row (first index on ties) into `pred`, checking
 * in the same pass that every value is a probability in [0, 1] (`!(v >= 0 &&
 * v <= 1)` also catches NaN and Infinity) and that each row sums to 1 (within
 * ROW_SUM_TOLERANCE). A value out of range anywhere is reported before a bad
 * row sum. `trusted`: values come from our softmax, skip the checks.
 */
function checkedArgmax(probs: Float64Array, n: number, C: number, pred: Int32Array, shape: number[], trusted: boolean): void {
  let badSumRow = -1;
  for (let i = 0, row = 0; i < n; i++, row += C) {
    let best = 0;
    let bestP = -1;
    let sum = 0;
    for (let j = 0; j < C; j++) {
      const v = probs[row + j];
      if (!trusted && !(v >= 0 && v <= 1)) throw badPrediction(shape, row + j, v);
      sum += v;
      if (v > bestP) {
        bestP = v;
        best = j;
      }
    }
    if (badSumRow < 0 && !trusted && !(Math.abs(sum - 1) <= ROW_SUM_TOLERANCE)) badSumRow = i;
    pred[i] = best;
  }
  if (badSumRow >= 0) throw badRowSum(badSumRow, rowSum(probs, badSumRow, C));
}

/** Bits of the float32 1.0: non-negative float32 values order like their int32 bit patterns. */
const ONE_F32_BITS = 0x3f800000;

/**
 * `checkedArgmax` for float32 probabilities, branch-free on the int32 bit
 * patterns (for floats in [0, 1] the bit patterns order like the values), which
 * avoids a mispredicted branch per new row maximum. Any value whose pattern is
 * outside [0, bits(1.0)] (negative, > 1, NaN, Infinity, or -0) sends the batch
 * to the float path, which throws the precise error (or accepts -0).
 */
function checkedArgmax32(probs: Float32Array, n: number, C: number, pred: Int32Array, shape: number[]): void {
  const bits = new Int32Array(probs.buffer, probs.byteOffset, probs.length);
  let bad = 0;
  let badSumRow = -1;
  for (let i = 0, row = 0; i < n; i++, row += C) {
    let max = bits[row];
    let best = 0;
    let sum = probs[row];
    bad |= max | (ONE_F32_BITS - max);
    for (let j = 1; j < C; j++) {
      const v = bits[row + j];
      sum += probs[row + j];
      bad |= v | (ONE_F32_BITS - v); // sign bit set iff v < 0 or v > bits(1.0)
      const mask = (max - v) >> 31; // -1 iff v > max (strict: first index on ties)
      max += (v - max) & mask;
      best += (j - best) & mask;
    }
    if (badSumRow < 0 && !(Math.abs(sum - 1) <= ROW_SUM_TOLERANCE)) badSumRow = i;
    pred[i] = best;
  }
  if (bad < 0) checkedArgmax(Float64Array.from(probs), n, C, pred, shape, false);
  else if (badSumRow >= 0) throw badRowSum(badSumRow, rowSum(probs, badSumRow, C));
}

/** The labels of the n rows of yPred, read by the shared label reader (src/core/inputs.ts). */
function readBatchLabels(yTrue: TensorData, n: number, C: number, predShape: number[]): Int32Array {
  const ys = yTrue.shape;
  const context = ` against yPred [${predShape.join(', ')}]`;
  if (ys.length < 1 || ys.length > 2 || ys[0] !== n) {
    throw new ImbalancedInputError('yTrue', `labels for the ${n} rows of yPred: shape [${n}], [${n}, 1] or [${n}, ${C}]`, `shape [${ys.join(', ')}]${context}`);
  }
  return readLabels(yTrue, 'yTrue', {numClasses: C, context}).classes;
}

/** A scalar view of any result: numbers as is, per-class arrays by their mean over non-NaN entries. */
export function scalarOf(result: unknown): number {
  if (typeof result === 'number') return result;
  if (Array.isArray(result)) {
    const flat = (result as unknown[]).flat() as number[];
    const finite = flat.filter(x => !Number.isNaN(x));
    return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : NaN;
  }
  return NaN;
}

/** Builds the callable metric object from a spec. */
export function makeMetric<S, R>(spec: MetricSpec<S, R>, toScalar: (result: R, stats: S) => number = r => scalarOf(r)): Metric<R> {
  let stats: S | null = null;
  let numClasses = 0;
  let count = 0;
  const config: MetricConfig = Object.freeze({name: spec.factory, options: {...spec.options}});
  const key = statisticsKey(config);

  const fn = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar => {
    const batch = readBatch(readArray(yTrue, 'yTrue'), readArray(yPred, 'yPred'), spec.read);
    spec.checkNumClasses?.(batch.numClasses);
    const fresh = spec.create(batch.numClasses);
    spec.add(fresh, batch);
    return tf.scalar(batch.n === 0 ? NaN : toScalar(spec.compute(fresh), fresh));
  };

  /** The statistics to add rows of C classes to (created on first use; C must not change until reset). */
  const statsFor = (C: number, parameter: string, binarySigmoid = false): S => {
    if (stats === null) {
      spec.checkNumClasses?.(C);
      stats = spec.create(C);
      numClasses = C;
    } else if (C !== numClasses) {
      throw new ImbalancedInputError(
        parameter,
        `${numClasses} classes, as in the earlier updates (call reset() before switching)`,
        `${C} classes${binarySigmoid ? ' (a one-column sigmoid output counts as 2)' : ''}`,
      );
    }
    return stats;
  };

  const addBatch = (batch: Batch): void => {
    const target = statsFor(batch.numClasses, 'yPred', batch.binarySigmoid);
    if (batch.n > 0) spec.add(target, batch);
    count += batch.n;
  };

  const getState = (): MetricState => ({
    format: STATE_FORMAT,
    version: STATE_VERSION,
    config: {name: config.name, options: {...config.options}},
    numClasses,
    count,
    stats: stats === null ? null : spec.save(stats),
  });

  const merge = (other: Metric<unknown> | MetricState): void => {
    const internals = typeof other === 'function' ? INTERNALS.get(other) : undefined;
    if (!internals && !isMetricState(other)) {
      throw new ImbalancedInputError('other', 'a metric built by metrics.* or a state from metric.getState()', other);
    }
    const theirs = internals ? internals.config : checkState(other, 'other').config;
    if (statisticsKey(theirs) !== key) {
      throw new ImbalancedInputError('other', `a metric with the same config as this one (${JSON.stringify(config)}; the log name may differ)`, JSON.stringify(theirs));
    }
    let from: S;
    let C: number;
    let rows: number;
    if (internals) {
      const o = internals.snapshot() as {stats: S | null; numClasses: number; count: number};
      if (o.stats === null) return;
      // Merging a metric into itself: copy first so the sums do not read what they write.
      from = other === (fn as unknown) ? spec.load(spec.save(o.stats), o.numClasses) : o.stats;
      C = o.numClasses;
      rows = o.count;
    } else {
      const state = other as MetricState;
      if (state.numClasses === 0) return;
      spec.checkNumClasses?.(state.numClasses);
      from = spec.load(state.stats, state.numClasses);
      if (spec.size(from) !== state.count) {
        throw new ImbalancedInputError('other.count', `${spec.size(from)} (the rows held in other.stats)`, state.count);
      }
      C = state.numClasses;
      rows = state.count;
    }
    spec.merge(statsFor(C, 'other.numClasses'), from);
    count += rows;
  };

  const metric = fn as unknown as Metric<R> & {update: Metric<R>['update']; result: Metric<R>['result']; reset: Metric<R>['reset']; clone: Metric<R>['clone']};
  Object.defineProperty(fn, 'name', {value: spec.name});
  Object.defineProperty(fn, 'config', {value: config, enumerable: true});
  metric.update = (yTrue: LabelInput, yPred: PredictionInput): void => {
    addBatch(readBatch(readArray(yTrue, 'yTrue'), readArray(yPred, 'yPred'), spec.read));
  };
  metric.result = (): R => (stats === null || count === 0 ? spec.empty() : spec.compute(stats));
  metric.reset = (): void => {
    stats = null;
    numClasses = 0;
    count = 0;
  };
  metric.clone = (): Metric<R> => makeMetric(spec, toScalar);
  metric.merge = merge;
  metric.getState = getState;
  if (spec.errorBound) {
    const bound = spec.errorBound;
    (metric as unknown as {errorBound: () => R}).errorBound = () => (stats === null || count === 0 ? spec.empty() : bound(stats));
  }
  INTERNALS.set(fn, {read: spec.read, config, addBatch, count: () => count, snapshot: () => ({stats, numClasses, count})});
  return metric;
}
