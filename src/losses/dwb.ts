/**
 * Dynamically Weighted Balanced loss (Fernando & Tsokos, IEEE TNNLS 2021).
 * Per sample, with t the true class (eq. 13):
 *   L = -w_t^(1 - p_t) ln p_t - p_t (1 - p_t)
 * The class weight is raised to (1 - p_t): a well-classified sample (p_t -> 1)
 * gets plain CE, a hard one (p_t -> 0) the full class weight w_t.
 */
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from '../errors';
import {checkBoolean, checkClassWeights, checkOneOf} from '../core/validate';
import {
  BaseLossOptions, LossFunction, baseOptions, checkNumClasses, constantRow, makeLoss,
  predictionView, stopGradient, targetMatrix,
} from './common';
import {dwbWeights} from './classWeights';
import {weightedLogLikelihood} from './weightedCrossEntropy';

/** Where the weights come from: training-set counts (eq. 8) or a vector you tuned. */
export type DwbWeightSource =
  | {
      /** Training-set count per class; the weights follow from eq. 8. */
      classCounts: number[];
      /** Not with `classCounts`. */
      classWeights?: never;
    }
  | {
      /** Positive weight per class, used as given. */
      classWeights: number[];
      /** Not with `classWeights`. */
      classCounts?: never;
    };

/** Options of {@link dwb} besides the weight source. */
export interface DwbOptions extends BaseLossOptions {
  /**
   * The -p(1-p) term. `'trueClass'` (default): eq. 13, true class only, keeps L >= 0.
   * `'allClasses'`: eq. 7 read literally, -Σ_j p_j(1-p_j) (can go negative). `'none'`: drop it.
   */
  regularizer?: 'trueClass' | 'allClasses' | 'none';
  /** Treat w^(1-p) as a constant in the backward pass. Default false (the paper differentiates through it, eqs. 16-17). */
  detachWeight?: boolean;
}

/**
 * DWB loss of Fernando & Tsokos, "Dynamically Weighted Balanced Loss: Class Imbalanced Learning and Confidence Calibration of Deep Neural Networks" (IEEE TNNLS 2021):
 * eq. 7, per sample eq. 13, L = -w_t^(1-p_t) ln p_t - p_t (1 - p_t) (the `'trueClass'`
 * regulariser). Pass `{classCounts}` (training-set counts; weights ln(max n / n_j) + 1,
 * eq. 8) or `{classWeights}` (any positive weights). Soft labels use
 * -Σ_j y_j w_j^(1-p_j) ln p_j; the trueClass regulariser then uses the argmax label.
 * A one-column sigmoid output is read as two classes [y = 0, y = 1] with weights
 * [w_0, w_1] (an extension: the paper only uses softmax).
 */
export function dwb(weightsFrom: DwbWeightSource & DwbOptions, options: DwbOptions = {}): LossFunction {
  const opts = {...weightsFrom, ...options};
  const {fromLogits, reduction} = baseOptions(opts, 'dwb', ['classCounts', 'classWeights', 'regularizer', 'detachWeight']);
  const regularizer = checkOneOf('regularizer', opts.regularizer ?? 'trueClass', ['trueClass', 'allClasses', 'none'] as const);
  const detachWeight = checkBoolean('detachWeight', opts.detachWeight ?? false);
  let weights: number[];
  let source: string;
  if (opts.classCounts !== undefined && opts.classWeights !== undefined) {
    throw new ImbalancedInputError('classCounts / classWeights', 'exactly one of the two', 'both');
  } else if (opts.classCounts !== undefined) {
    weights = dwbWeights(opts.classCounts);
    source = 'classCounts';
  } else if (opts.classWeights !== undefined) {
    weights = checkClassWeights('classWeights', opts.classWeights);
    source = 'classWeights';
  } else {
    throw new ImbalancedInputError('classCounts / classWeights', 'one of the two (training-set counts or weights > 0)', 'neither');
  }
  const logWeights = constantRow(weights.map(Math.log));

  return makeLoss('dwb', {classWeights: weights, regularizer, detachWeight, fromLogits, reduction}, reduction, (yTrue, yPred) => {
    const view = predictionView(yPred, fromLogits);
    checkNumClasses(view, weights.length, source);
    const y = targetMatrix(yTrue, yPred, view);
    const p = view.probs();
    const q = tf.sub(1, p);
    // w^(1-p) = exp((1 - p) ln w)  (eq. 13)
    const dynamicWeight = tf.exp(tf.mul(detachWeight ? stopGradient(q) : q, logWeights()));
    const weightedCE = weightedLogLikelihood(y, view.logP, dynamicWeight);
    if (regularizer === 'none') return weightedCE;
    const pq = tf.mul(p, q);
    const reg = regularizer === 'allClasses'
      ? tf.sum(pq, 1)
      : tf.sum(tf.mul(tf.oneHot(tf.argMax(y, 1), view.numClasses), pq), 1);
    return tf.sub(weightedCE, reg);
  }, [logWeights]);
}
