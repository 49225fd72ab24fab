/**
 * Class-balanced loss (Cui et al., "Class-Balanced Loss Based on Effective
 * Number of Samples", CVPR 2019), a baseline of the CSL paper.
 * Each sample's loss is multiplied by w_y = (1 - β) / (1 - β^{n_y}), the inverse
 * effective number of samples of its class, rescaled so the weights sum to C.
 *
 * Bases (the loss being re-weighted):
 * - `'softmax'`: cross-entropy on a softmax output, w_y · (-ln p_y);
 * - `'sigmoid'`: every column k an independent sigmoid, w_y · Σ_k BCE(y_k, σ(z_k));
 * - `'focal'`:   the same with the sigmoid focal loss, w_y · Σ_k (1 - p_{t,k})^γ BCE_k.
 * The sigmoid and focal bases read yPred as per-class logits (`fromLogits: true`,
 * recommended) or per-class sigmoid probabilities, NOT as a softmax output. With a
 * one-column yPred all three bases act on that single sigmoid column.
 */
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from '../errors';
import {checkClassCounts, checkNumber, checkOneOf} from '../core/validate';
import {
  BaseLossOptions, EPSILON, LossFunction, PredictionView, baseOptions, checkNumClasses, constantRow, makeLoss,
  predictionView, targetMatrix,
} from './common';
import {classBalancedWeights} from './classWeights';
import {focalTerms} from './focal';
import {weightedLogLikelihood} from './weightedCrossEntropy';

/** The loss the class-balanced weights multiply. */
export type ClassBalancedBase = 'softmax' | 'sigmoid' | 'focal';

/** Options of {@link classBalanced}. */
export interface ClassBalancedOptions extends BaseLossOptions {
  /** Training-set count of every class (index = class), each > 0. */
  classCounts: number[];
  /** β in [0, 1): 0 gives equal weights, β -> 1 inverse frequency. Default 0.9999 (Cui et al. tune β ∈ {0.9, 0.99, 0.999, 0.9999}). */
  beta?: number;
  /** `'softmax'` (default) cross-entropy, `'sigmoid'` per-class BCE, or `'focal'` per-class sigmoid focal loss. */
  base?: ClassBalancedBase;
  /** Focusing parameter γ >= 0 of the focal base (ignored by the others). Default 2. */
  gamma?: number;
}

/**
 * Class-balanced loss of Cui, Jia, Lin, Song & Belongie, "Class-Balanced Loss Based on Effective Number of Samples" (CVPR 2019):
 * each sample's loss times w_y = (1 - β) / (1 - β^(n_y)), the inverse of the effective number of
 * samples E_n = (1 - β^n) / (1 - β) of its class, rescaled so the weights sum to C; base loss and β in
 * {@link ClassBalancedOptions}. Per-sample weight w_y = Σ_k y_k w_k (soft labels mix the weights).
 */
export function classBalanced(options: ClassBalancedOptions): LossFunction {
  const {fromLogits, reduction} = baseOptions(options, 'classBalanced', ['classCounts', 'beta', 'base', 'gamma']);
  const counts = checkClassCounts('classCounts', options?.classCounts);
  if (counts.length < 2) throw new ImbalancedInputError('classCounts', 'counts for at least 2 classes', counts);
  const beta = checkNumber('beta', options?.beta ?? 0.9999, {min: 0, max: 1, openMax: true});
  const base = checkOneOf('base', options?.base ?? 'softmax', ['softmax', 'sigmoid', 'focal'] as const);
  const gamma = checkNumber('gamma', options?.gamma ?? 2, {min: 0});
  const weights = classBalancedWeights(counts, beta);
  const row = constantRow(weights);
  const config = {classCounts: counts, beta, base, gamma, fromLogits, reduction};
  return makeLoss('classBalanced', config, reduction, (yTrue, yPred) => {
    const columns = yPred.rank === 2 ? (yPred.shape[1] as number) : 1;
    if (base === 'softmax' || columns === 1) {
      // Softmax CE, or the single sigmoid column seen as 2 classes [1 - p, p].
      const view = predictionView(yPred, fromLogits);
      checkNumClasses(view, weights.length, 'classCounts');
      const y = targetMatrix(yTrue, yPred, view);
      if (base !== 'focal') return weightedLogLikelihood(y, view.logP, row());
      return tf.mul(sampleWeights(y, row()), focalTerms(y, view, gamma, null));
    }
    const view = sigmoidColumns(yPred as tf.Tensor2D, fromLogits);
    checkNumClasses(view, weights.length, 'classCounts');
    const y = targetMatrix(yTrue, yPred, view);
    const logP = view.logP;
    const log1mP = view.log1mP();
    // Per column: y_k ln σ_k and (1 - y_k) ln(1 - σ_k), the two halves of -BCE_k.
    let pos: tf.Tensor = tf.mul(y, logP);
    let neg: tf.Tensor = tf.mul(tf.sub(1, y), log1mP);
    if (base === 'focal') {
      // Sigmoid focal: (1 - σ)^γ on the positive half, σ^γ on the negative half, in log space.
      pos = tf.mul(pos, tf.exp(tf.mul(gamma, log1mP)));
      neg = tf.mul(neg, tf.exp(tf.mul(gamma, logP)));
    }
    const perSample = tf.neg(tf.sum(tf.add(pos, neg), 1));
    return tf.mul(sampleWeights(y, row()), perSample);
  }, [row]);
}

/** w_y = Σ_k y_k w_k, shape [batch]. */
function sampleWeights(y: tf.Tensor2D, row: tf.Tensor2D): tf.Tensor1D {
  return tf.sum(tf.mul(y, row), 1) as tf.Tensor1D;
}

/** yPred ([batch, C], C >= 2) as C independent sigmoid columns: ln σ and ln(1 - σ), stable from logits. */
function sigmoidColumns(pred: tf.Tensor2D, fromLogits: boolean): PredictionView {
  const z = tf.cast(pred, 'float32') as tf.Tensor2D;
  let logP: tf.Tensor2D;
  let log1mP: tf.Tensor2D;
  if (fromLogits) {
    // ln σ(z) = -softplus(-z), ln(1 - σ(z)) = -softplus(z).
    logP = tf.neg(tf.softplus(tf.neg(z))) as tf.Tensor2D;
    log1mP = tf.neg(tf.softplus(z)) as tf.Tensor2D;
  } else {
    const p = tf.clipByValue(z, EPSILON, 1 - EPSILON);
    logP = tf.log(p) as tf.Tensor2D;
    log1mP = tf.log(tf.sub(1, p)) as tf.Tensor2D;
  }
  return {numClasses: z.shape[1], binarySigmoid: false, logP, probs: () => tf.exp(logP), log1mP: () => log1mP};
}
