/**
 * Shared plumbing for every loss: reading yPred as log-probabilities (from
 * probabilities or logits, softmax or a single sigmoid column), reading yTrue
 * as a [batch, C] target matrix (sparse integers, one-hot or soft labels),
 * reductions, and naming the returned function so tfjs logs it properly.
 */
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from '../errors';
import {checkBoolean, checkKeys, checkOneOf} from '../core/validate';
import {batchLabelShape} from '../core/inputs';
import {LabelCheck, checkTargetValues, withLabelCheck} from './labelCheck';

/** Keras' epsilon: probabilities are clipped to [EPSILON, 1 - EPSILON] before a log. */
export const EPSILON = 1e-7;

/**
 * `'none'` (default) returns one value per sample, shape [batch], like the
 * losses in tfjs-layers: this is what `model.fit({classWeight})` needs, since
 * tfjs multiplies the per-sample values by the class weight and then averages.
 * `'mean'` divides the sum by the batch size (Keras semantics; PyTorch's
 * weighted cross-entropy divides by the sum of weights instead). `'sum'` sums.
 */
export type Reduction = 'none' | 'mean' | 'sum';
/** Every {@link Reduction}, for validation. */
export const REDUCTIONS: readonly Reduction[] = ['none', 'mean', 'sum'];

/** Options every loss accepts. */
export interface BaseLossOptions {
  /** yPred holds logits (before softmax / sigmoid) instead of probabilities. Default false. */
  fromLogits?: boolean;
  /** How per-sample values are combined; see {@link Reduction}. Default `'none'`. */
  reduction?: Reduction;
}

/** A serialisable description of a loss: the factory name and its options. */
export interface LossConfig {
  /** Factory name, e.g. `'dwb'` (also the name the loss is logged under). */
  name: string;
  /** The normalised factory options, accepted back by the factory as is. */
  options: Record<string, unknown>;
}

/** True for a `{name, options}` object (a loss's config, as `loss.config` gives and `fromConfig` takes). */
export function isLossConfig(x: unknown): x is LossConfig {
  const c = x as LossConfig;
  return typeof c === 'object' && c !== null && typeof c.name === 'string' && typeof c.options === 'object' && c.options !== null && !Array.isArray(c.options);
}

/** What every factory returns: a `LossOrMetricFn` for `model.compile({loss})`, plus its config. */
export interface LossFunction {
  (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;
  /** The factory name and options, for saving next to a model (tfjs cannot serialise custom losses). */
  readonly config: LossConfig;
  /**
   * Frees the constant tensors (class-weight rows, cost matrices) the loss keeps
   * between calls. Calling the loss again rebuilds them, so this is safe; call it
   * when you drop a loss (e.g. one loss per run of a sweep). For `csl` it also
   * frees the state variables, after which the loss cannot be called.
   */
  dispose(): void;
}

/**
 * yPred seen as class log-probabilities. A single column means a binary
 * sigmoid output and is expanded to two classes [P(y=0), P(y=1)], so every
 * loss is written once for C >= 2 columns.
 */
export interface PredictionView {
  /** Number of classes (2 for a one-column sigmoid output). */
  readonly numClasses: number;
  /** True when yPred had one (sigmoid) column. */
  readonly binarySigmoid: boolean;
  /** log p, shape [batch, C]. */
  readonly logP: tf.Tensor2D;
  /** p = exp(log p), shape [batch, C]. */
  probs(): tf.Tensor2D;
  /** log(1 - p), shape [batch, C], finite even where p rounds to 1 (logits path). */
  log1mP(): tf.Tensor2D;
}

/** The option names every loss takes. */
export const BASE_LOSS_KEYS = ['fromLogits', 'reduction'] as const;

/**
 * Checks the options shared by all losses and returns the normalised pair;
 * rejects keys outside {@link BASE_LOSS_KEYS} and `keys` (the options of the
 * factory `owner`), suggesting the closest one.
 */
export function baseOptions(opts: BaseLossOptions | undefined, owner: string, keys: readonly string[]): Required<BaseLossOptions> {
  checkKeys(owner, opts, [...BASE_LOSS_KEYS, ...keys]);
  const fromLogits = checkBoolean('fromLogits', opts?.fromLogits ?? false);
  const reduction = checkOneOf('reduction', opts?.reduction ?? 'none', REDUCTIONS);
  return {fromLogits, reduction};
}

/** Reads yPred ([batch, C] or [batch] / [batch, 1] for a sigmoid) as log-probabilities. */
export function predictionView(yPred: tf.Tensor, fromLogits: boolean): PredictionView {
  if (yPred.rank !== 1 && yPred.rank !== 2) {
    throw new ImbalancedInputError('yPred', 'a tensor of shape [batch, numClasses] or [batch, 1]', yPred);
  }
  const cols = yPred.rank === 1 ? 1 : (yPred.shape[1] as number);
  const pred = asFloat2D(yPred, cols);
  if (cols === 1) return sigmoidView(pred, fromLogits);
  return softmaxView(pred, fromLogits);
}

function sigmoidView(pred: tf.Tensor2D, fromLogits: boolean): PredictionView {
  let logP: tf.Tensor2D;
  if (fromLogits) {
    // log(1 - sigmoid(z)) = -softplus(z); log sigmoid(z) = -softplus(-z).
    logP = tf.concat([tf.neg(tf.softplus(pred)), tf.neg(tf.softplus(tf.neg(pred)))], 1) as tf.Tensor2D;
  } else {
    const p = tf.clipByValue(pred, EPSILON, 1 - EPSILON);
    logP = tf.concat([tf.log(tf.sub(1, p)), tf.log(p)], 1) as tf.Tensor2D;
  }
  return {
    numClasses: 2,
    binarySigmoid: true,
    logP,
    probs: () => tf.exp(logP),
    // With two classes, 1 - p0 = p1: swap the columns.
    log1mP: () => tf.reverse(logP, 1),
  };
}

function softmaxView(pred: tf.Tensor2D, fromLogits: boolean): PredictionView {
  const numClasses = pred.shape[1];
  if (!fromLogits) {
    const p = tf.clipByValue(pred, EPSILON, 1 - EPSILON);
    return {
      numClasses,
      binarySigmoid: false,
      logP: tf.log(p) as tf.Tensor2D,
      probs: () => p,
      log1mP: () => tf.log(tf.sub(1, p)) as tf.Tensor2D,
    };
  }
  const logP = tf.logSoftmax(pred);
  return {
    numClasses,
    binarySigmoid: false,
    logP,
    probs: () => tf.exp(logP),
    log1mP: () => logOneMinusSoftmax(pred, logP),
  };
}

/**
 * log(1 - softmax(z)_k) without cancellation (RWWCE's ln(1 - p_k) terms, eq. 6). A non-argmax class
 * has p_k <= 1/2, where log1p(-p_k) is accurate. For the argmax class,
 * 1 - p_k = sum_{j != k} p_j, so log(1 - p_k) = LSE(z without k) - LSE(z).
 */
function logOneMinusSoftmax(z: tf.Tensor2D, logP: tf.Tensor2D): tf.Tensor2D {
  const numClasses = z.shape[1];
  const isTop = tf.cast(tf.oneHot(tf.argMax(z, 1), numClasses), 'bool');
  const masked = tf.where(isTop, tf.fill(z.shape, -1e30), z);
  const topTerm = tf.sub(tf.logSumExp(masked, 1, true), tf.logSumExp(z, 1, true));
  // Keep p away from 1 in the branch tf.where discards, or its gradient is 0 * inf = NaN.
  const pSafe = tf.where(isTop, tf.zerosLike(z), tf.exp(logP));
  const restTerm = tf.log1p(tf.neg(pSafe));
  return tf.where(isTop, tf.broadcastTo(topTerm, z.shape), restTerm) as tf.Tensor2D;
}

/**
 * yTrue as a float [batch, C] target matrix. Labels of a batch as
 * src/core/inputs.ts reads them: integer class indices of shape [batch] or
 * [batch, 1], or one-hot / soft rows of shape [batch, C]. For a binary sigmoid
 * output, yTrue holds P(y = 1) (0/1 or soft), shape [batch] or [batch, 1].
 * Shapes are checked here; values by `checkTargetValues` (./labelCheck.ts:
 * read back at once outside a gradient tape; inside one, read with `await
 * data()` and checked in JS, a bad batch making the loss's next call throw).
 */
export function targetMatrix(yTrue: tf.Tensor, yPred: tf.Tensor, view: PredictionView): tf.Tensor2D {
  const batch = yPred.shape[0];
  if (yTrue.shape[0] !== batch) {
    throw new ImbalancedInputError(
      'yTrue',
      `the same batch size as yPred (${batch})`,
      `shape [${yTrue.shape.join(', ')}] against yPred [${yPred.shape.join(', ')}]`,
    );
  }
  const C = view.numClasses;
  const format = batchLabelShape(yTrue.shape, 'yTrue', ` against yPred [${yPred.shape.join(', ')}]`).format;
  const isColumn = format !== 'rows';
  if (view.binarySigmoid) {
    if (!isColumn) {
      throw new ImbalancedInputError(
        'yTrue',
        'shape [batch] or [batch, 1] (0/1 labels) for a one-column sigmoid yPred',
        `shape [${yTrue.shape.join(', ')}]`,
      );
    }
    checkTargetValues(yTrue, 'probability', 2);
    const y = tf.cast(tf.reshape(yTrue, [batch, 1]), 'float32');
    return tf.concat([tf.sub(1, y), y], 1) as tf.Tensor2D;
  }
  if (isColumn) {
    checkTargetValues(yTrue, 'indices', C);
    return tf.cast(tf.oneHot(tf.cast(tf.reshape(yTrue, [batch]), 'int32'), C), 'float32') as tf.Tensor2D;
  }
  if (yTrue.shape[1] === C) {
    checkTargetValues(yTrue, 'rows', C);
    return asFloat2D(yTrue, C);
  }
  throw new ImbalancedInputError(
    'yTrue',
    `class indices of shape [batch] or [batch, 1], or one-hot labels of shape [batch, ${C}] matching yPred`,
    `shape [${yTrue.shape.join(', ')}] against yPred [${yPred.shape.join(', ')}]`,
  );
}

/** `x` as float32 [batch, cols], skipping the reshape / cast ops when it already is (each op costs ~10-50 µs). */
function asFloat2D(x: tf.Tensor, cols: number): tf.Tensor2D {
  const shaped = x.rank === 2 ? x : tf.reshape(x, [x.shape[0], cols]);
  return (shaped.dtype === 'float32' ? shaped : tf.cast(shaped, 'float32')) as tf.Tensor2D;
}

/** Applies the reduction to per-sample values of shape [batch]. */
export function reduce(perSample: tf.Tensor, reduction: Reduction): tf.Tensor {
  if (reduction === 'mean') return tf.mean(perSample);
  if (reduction === 'sum') return tf.sum(perSample);
  return perSample;
}

/**
 * Wraps a per-sample loss body into the function handed to `model.compile`:
 * one `tidy` per call, the reduction, the `name` tfjs logs it under and the
 * config that describes it; `dispose()` frees the `constants` it keeps.
 */
export function makeLoss(
  name: string,
  options: Record<string, unknown>,
  reduction: Reduction,
  perSample: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor,
  constants: Array<Constant | null> = [],
): LossFunction {
  const labels = new LabelCheck();
  const fn = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor => {
    noteLossCall(fn as unknown as LossFunction);
    return withLabelCheck(labels, () => tf.tidy(() => reduce(perSample(yTrue, yPred), reduction)));
  };
  Object.defineProperty(fn, 'name', {value: name});
  Object.defineProperty(fn, 'config', {value: {name, options: {...options}}, enumerable: true});
  Object.defineProperty(fn, 'dispose', {value: () => constants.forEach(c => c?.dispose())});
  return fn as unknown as LossFunction;
}

/** Receives every loss of this package called while {@link observeLossCalls} runs its body. */
export type LossCallObserver = (loss: LossFunction) => void;

let lossCallObserver: LossCallObserver | null = null;

/**
 * Runs `body` (a call of a compiled loss) and tells `observer` which losses of
 * this package it reached, through any wrapper around them (a closure, a CSL base):
 * how callbacks find the loss a model was compiled with at run time.
 */
export function observeLossCalls<T>(observer: LossCallObserver, body: () => T): T {
  const previous = lossCallObserver;
  lossCallObserver = observer;
  try {
    return body();
  } finally {
    lossCallObserver = previous;
  }
}

/** Called by every loss of this package at the start of each call (see {@link observeLossCalls}). */
export function noteLossCall(loss: LossFunction): void {
  if (lossCallObserver !== null) lossCallObserver(loss);
}

/** Identity in the forward pass, zero gradient in the backward pass (tfjs has no stop_gradient). */
export const stopGradient = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.clone(x),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor) => tf.Tensor;

/**
 * A [1, C] constant built once from a JS array and kept across calls (for
 * broadcasting class weights over a batch); rebuilt if something disposed it.
 */
export function constantRow(values: number[]): Constant {
  return constantMatrix([values]);
}

/** A kept constant: call it for the tensor; `dispose()` frees it (the next call rebuilds it). */
export type Constant = (() => tf.Tensor2D) & {dispose(): void};

/** A [R, C] constant from JS rows, built on first use and kept across calls like {@link constantRow}. */
export function constantMatrix(rows: number[][]): Constant {
  let matrix: tf.Tensor2D | null = null;
  const get = () => {
    if (matrix === null || matrix.isDisposed) matrix = tf.keep(tf.tensor2d(rows, [rows.length, rows[0].length]));
    return matrix;
  };
  return Object.assign(get, {
    dispose: () => {
      if (matrix !== null && !matrix.isDisposed) matrix.dispose();
      matrix = null;
    },
  });
}

/** Throws when yPred has a different number of classes than the weights were built for. */
export function checkNumClasses(view: PredictionView, expected: number, source: string): void {
  if (view.numClasses !== expected) {
    throw new ImbalancedInputError(
      'yPred',
      `${expected} classes (the length of ${source})`,
      `${view.numClasses} ${view.binarySigmoid ? '(a one-column sigmoid output counts as 2 classes)' : 'columns'}`,
    );
  }
}
