/**
 * Focal loss (Lin et al., "Focal Loss for Dense Object Detection", ICCV 2017),
 * a baseline of the DWB, CSL and ReMix papers. Per sample, with t the true class:
 *   FL = -α_t (1 - p_t)^γ ln p_t
 * The modulating factor (1 - p_t)^γ down-weights well-classified samples.
 * Soft labels use -Σ_k y_k α_k (1 - p_k)^γ ln p_k (for a sigmoid column:
 * -[α y (1-p)^γ ln p + (1-α)(1-y) p^γ ln(1-p)]).
 */
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from '../errors';
import {checkClassWeights, checkNumber} from '../core/validate';
import {
  BaseLossOptions, Constant, LossFunction, PredictionView, baseOptions, checkNumClasses, constantRow, makeLoss, predictionView,
  targetMatrix,
} from './common';

/** Options of {@link focal}. */
export interface FocalOptions extends BaseLossOptions {
  /** Focusing parameter γ >= 0 (0 gives cross-entropy). Default 2 (Lin et al.). */
  gamma?: number;
  /**
   * Class balancing factor. Omitted: no α (all 1). A number in (0, 1): for a
   * one-column sigmoid output, α for y = 1 and 1 - α for y = 0 (TF Addons'
   * SigmoidFocalCrossEntropy; Lin et al. use 0.25); for a softmax output, every
   * class is multiplied by α (Keras CategoricalFocalCrossentropy). An array:
   * one α_k > 0 per class (a sigmoid column counts as [α_negative, α_positive]).
   */
  alpha?: number | number[];
}

/**
 * -Σ_k y_k α_k (1 - p_k)^γ ln p_k per sample, where `weights` is α as a [1, C]
 * row (or null for none). (1 - p)^γ is computed as exp(γ ln(1 - p)) so the
 * gradient stays finite for γ < 1 as p -> 1. Shared with classBalanced's focal base.
 */
export function focalTerms(y: tf.Tensor2D, view: PredictionView, gamma: number, weights: tf.Tensor | null): tf.Tensor1D {
  let terms: tf.Tensor = tf.mul(y, view.logP);
  if (gamma !== 0) terms = tf.mul(terms, tf.exp(tf.mul(gamma, view.log1mP())));
  if (weights !== null) terms = tf.mul(terms, weights);
  return tf.neg(tf.sum(terms, 1)) as tf.Tensor1D;
}

/**
 * Focal loss of Lin, Goyal, Girshick, He & Dollár, "Focal Loss for Dense Object Detection" (ICCV 2017):
 * FL = -α_t (1 - p_t)^γ ln p_t per sample, the α-balanced form (eq. 5); γ and α in
 * {@link FocalOptions}. Works with sparse, one-hot or soft labels, logits or probabilities.
 */
export function focal(options: FocalOptions = {}): LossFunction {
  const {fromLogits, reduction} = baseOptions(options, 'focal', ['gamma', 'alpha']);
  const gamma = checkNumber('gamma', options?.gamma ?? 2, {min: 0});
  const alphaOpt = options?.alpha;
  let alphaConfig: number | number[] | undefined;
  let alphaRow: Constant | null = null;
  let sigmoidRow: Constant | null = null;
  if (typeof alphaOpt === 'number') {
    alphaConfig = checkNumber('alpha', alphaOpt, {min: 0, max: 1, openMin: true, openMax: true});
    sigmoidRow = constantRow([1 - alphaConfig, alphaConfig]);
  } else if (alphaOpt !== undefined) {
    if (!Array.isArray(alphaOpt)) throw new ImbalancedInputError('alpha', 'a number in (0, 1) or an array of per-class weights > 0', alphaOpt);
    alphaConfig = checkClassWeights('alpha', alphaOpt);
    alphaRow = constantRow(alphaConfig);
  }
  const config: Record<string, unknown> = {gamma, fromLogits, reduction};
  if (alphaConfig !== undefined) config.alpha = alphaConfig;
  return makeLoss('focal', config, reduction, (yTrue, yPred) => {
    const view = predictionView(yPred, fromLogits);
    let weights: tf.Tensor | null = null;
    if (alphaRow !== null) {
      checkNumClasses(view, (alphaConfig as number[]).length, 'alpha');
      weights = alphaRow();
    } else if (typeof alphaConfig === 'number') {
      // Sigmoid: α_t = α for y = 1, 1 - α for y = 0; softmax: α for every class.
      weights = view.binarySigmoid ? (sigmoidRow as Constant)() : tf.scalar(alphaConfig);
    }
    return focalTerms(targetMatrix(yTrue, yPred, view), view, gamma, weights);
  }, [alphaRow, sigmoidRow]);
}
