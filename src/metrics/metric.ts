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
import {checkKeys, checkNumber} from '../core/validate';
import {ROW_SUM_TOLERANCE, readArray, readLabels} from '../core/inputs';

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
}

/** Internal hooks used by callbacks.ExactMetrics (read each batch once, feed many metrics). */
export interface MetricInternals {
  /** How the metric reads its inputs (batches read with the same options can be shared). */
  readonly read: ReadOptions;
  /** Adds a batch already read by `readBatch` (same as `update` without the read). */
  addBatch(batch: Batch): void;
  /** Samples accumulated since the last reset. */
  count(): number;
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
  const fromLogits = o.fromLogits ?? false;
  if (typeof fromLogits !== 'boolean') throw new ImbalancedInputError('fromLogits', 'a boolean', fromLogits);
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

/** Reads any accepted input as flat values plus shape (one read of a tensor's data; src/core/inputs.ts). */
export function toData(x: unknown, name: string): TensorData {
  return readArray(x, name);
}

function at(shape: number[], flat: number): string {
  if (shape.length < 2) return `[${flat}]`;
  return `[${Math.floor(flat / shape[1])}][${flat % shape[1]}]`;
}

/**
 * Validates and reads one batch: shapes (batch sizes agree, label width = C),
 * finite predictions in [0, 1] (any finite value with fromLogits), labels
 * integer in [0, C) (one-hot rows: finite values in [0, 1]).
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
  for (let i = 0; i < pv.length; i++) {
    const v = pv[i];
    if (!Number.isFinite(v)) {
      throw new ImbalancedInputError(`yPred${at(ps, i)}`, 'a finite prediction (no NaN or Infinity)', v);
    }
    if (!read.fromLogits && (v < 0 || v > 1)) {
      throw new ImbalancedInputError(`yPred${at(ps, i)}`, 'a probability in [0, 1] (pass fromLogits: true for logits)', v);
    }
  }
  let probs: Float32Array | Float64Array;
  const pred = new Int32Array(n);
  if (sigmoid) {
    probs = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const z = pv[i];
      const p = read.fromLogits ? 1 / (1 + Math.exp(-z)) : z;
      probs[2 * i] = 1 - p;
      probs[2 * i + 1] = p;
      pred[i] = p > read.threshold ? 1 : 0;
    }
  } else {
    if (read.fromLogits) {
      probs = new Float64Array(n * C);
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
    } else {
      probs = pv instanceof Float32Array || pv instanceof Float64Array ? pv : Float64Array.from(pv);
    }
    for (let i = 0; i < n; i++) {
      const row = i * C;
      let best = 0;
      let bestP = probs[row];
      let sum = bestP;
      for (let j = 1; j < C; j++) {
        const p = probs[row + j];
        sum += p;
        if (p > bestP) {
          bestP = p;
          best = j;
        }
      }
      // Softmax rows sum to 1: a row summing to 0.9 or 1.8 is not a probability vector.
      if (!read.fromLogits && !(Math.abs(sum - 1) <= ROW_SUM_TOLERANCE)) {
        throw new ImbalancedInputError(`yPred[${i}]`, 'probabilities summing to 1 over the classes (a softmax row; pass fromLogits: true for logits)', `a row summing to ${sum}`);
      }
      pred[i] = best;
    }
  }
  return {n, numClasses: C, binarySigmoid: sigmoid, labels: readBatchLabels(yTrue, n, C, ps), probs, pred};
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

  const fn = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar => {
    const batch = readBatch(toData(yTrue, 'yTrue'), toData(yPred, 'yPred'), spec.read);
    spec.checkNumClasses?.(batch.numClasses);
    const fresh = spec.create(batch.numClasses);
    spec.add(fresh, batch);
    return tf.scalar(batch.n === 0 ? NaN : toScalar(spec.compute(fresh), fresh));
  };

  const addBatch = (batch: Batch): void => {
    if (stats === null) {
      spec.checkNumClasses?.(batch.numClasses);
      stats = spec.create(batch.numClasses);
      numClasses = batch.numClasses;
    } else if (batch.numClasses !== numClasses) {
      throw new ImbalancedInputError(
        'yPred',
        `${numClasses} classes, as in the earlier updates (call reset() before switching)`,
        `${batch.numClasses} classes${batch.binarySigmoid ? ' (a one-column sigmoid output counts as 2)' : ''}`,
      );
    }
    if (batch.n > 0) spec.add(stats, batch);
    count += batch.n;
  };

  const metric = fn as unknown as Metric<R> & {update: Metric<R>['update']; result: Metric<R>['result']; reset: Metric<R>['reset']; clone: Metric<R>['clone']};
  Object.defineProperty(fn, 'name', {value: spec.name});
  Object.defineProperty(fn, 'config', {value: Object.freeze({name: spec.factory, options: {...spec.options}}), enumerable: true});
  metric.update = (yTrue: LabelInput, yPred: PredictionInput): void => {
    addBatch(readBatch(toData(yTrue, 'yTrue'), toData(yPred, 'yPred'), spec.read));
  };
  metric.result = (): R => (stats === null || count === 0 ? spec.empty() : spec.compute(stats));
  metric.reset = (): void => {
    stats = null;
    numClasses = 0;
    count = 0;
  };
  metric.clone = (): Metric<R> => makeMetric(spec, toScalar);
  INTERNALS.set(fn, {read: spec.read, addBatch, count: () => count});
  return metric;
}
