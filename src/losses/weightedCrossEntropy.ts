/**
 * Class-weighted cross-entropy: -Σ_j w_j y_j ln p_j per sample. With all
 * weights 1 it is the built-in categorical (or, for one sigmoid column,
 * binary) cross-entropy. The 'mean' reduction divides by the batch size, not
 * by Σ w_{y_i} as PyTorch's weighted CrossEntropyLoss does.
 */
import * as tf from '@tensorflow/tfjs-core';
import {checkClassWeights} from '../core/validate';
import {BaseLossOptions, LossFunction, baseOptions, checkNumClasses, constantRow, makeLoss, predictionView, targetMatrix} from './common';

/** Options of {@link weightedCrossEntropy}. */
export interface WeightedCrossEntropyOptions extends BaseLossOptions {
  /** One weight > 0 per class (index = class). For a sigmoid output: [w_negative, w_positive]. */
  classWeights: number[];
}

/**
 * Per-sample weighted CE from log-probabilities: -Σ_j w_j y_j log p_j, with `weights`
 * a [1, C] row or a [batch, C] matrix. Shared by the CE-shaped losses.
 */
export function weightedLogLikelihood(y: tf.Tensor2D, logP: tf.Tensor2D, weights: tf.Tensor): tf.Tensor1D {
  return tf.neg(tf.sum(tf.mul(tf.mul(y, weights), logP), 1)) as tf.Tensor1D;
}

/**
 * Weighted cross-entropy, -Σ_j w_j y_j ln p_j per sample: the weighted categorical
 * cross-entropy J_wcce of Ho & Wookey, "The Real-World-Weight Cross-Entropy Loss Function: Modeling the Costs of Mislabeling" (IEEE Access 2020), eq. 4, and the "WCE" baseline of
 * Fernando & Tsokos, "Dynamically Weighted Balanced Loss: Class Imbalanced Learning and Confidence Calibration of Deep Neural Networks" (IEEE TNNLS 2021) (e.g. `inverseFrequencyWeights(counts)`).
 * Sparse, one-hot or soft labels (with weights 1 and soft labels: the soft-label
 * cross-entropy ReMix batches are trained with).
 */
export function weightedCrossEntropy(options: WeightedCrossEntropyOptions): LossFunction {
  const {fromLogits, reduction} = baseOptions(options, 'weightedCrossEntropy', ['classWeights']);
  const weights = checkClassWeights('classWeights', options?.classWeights);
  const row = constantRow(weights);
  return makeLoss('weightedCrossEntropy', {classWeights: weights, fromLogits, reduction}, reduction, (yTrue, yPred) => {
    const view = predictionView(yPred, fromLogits);
    checkNumClasses(view, weights.length, 'classWeights');
    return weightedLogLikelihood(targetMatrix(yTrue, yPred, view), view.logP, row());
  }, [row]);
}
