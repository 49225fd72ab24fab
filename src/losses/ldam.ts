/**
 * LDAM, the label-distribution-aware margin loss (Cao et al., "Learning
 * Imbalanced Datasets with Label-Distribution-Aware Margin Loss", NeurIPS 2019),
 * a baseline of the CSL paper. Per sample with true class y:
 *   L = CE(s · (z - Δ_y e_y), y),   Δ_j = maxMargin · n_j^{-1/4} / max_k n_k^{-1/4}
 * Rare classes must win by a larger margin. The original uses a cosine-normalised
 * last layer (logits in [-1, 1]), hence the large scale s = 30; with an ordinary
 * dense layer a smaller `scale` is usually better.
 */
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from '../errors';
import {checkClassCounts, checkClassWeights, checkNumber} from '../core/validate';
import {
  BaseLossOptions, LossFunction, baseOptions, checkNumClasses, constantRow, makeLoss, predictionView, targetMatrix,
} from './common';
import {ldamMargins} from './classWeights';
import {weightedLogLikelihood} from './weightedCrossEntropy';

/** Options of {@link ldam}. */
export interface LdamOptions extends BaseLossOptions {
  /** Training-set count of every class (index = class), each > 0. */
  classCounts: number[];
  /** Margin Δ of the rarest class (the others scale as n^{-1/4}), >= 0. Default 0.5. */
  maxMargin?: number;
  /** Logit scale s > 0 applied after subtracting the margin. Default 30 (Cao et al., for cosine logits). */
  scale?: number;
  /**
   * Optional per-class weights > 0 (one per class) multiplying each sample's
   * loss by w_y: the deferred re-weighting (DRW) of Cao et al. (e.g. class-balanced
   * weights after a warm-up; swap losses by recompiling). Default: none.
   */
  classWeights?: number[];
}

/**
 * LDAM loss of Cao, Wei, Gaidon, Arechiga & Ma, "Learning Imbalanced Datasets with Label-Distribution-Aware Margin Loss" (NeurIPS 2019):
 * L = CE(s · (z - Δ_y e_y), y) with margins Δ_j ∝ n_j^(-1/4) (class weights for deferred
 * re-weighting, DRW, in {@link LdamOptions}). Expects logits (`fromLogits: true`, recommended). With
 * probabilities, z = ln(clip(p)) is used as the logits: softmax is shift
 * invariant, so this is exact for a softmax output (and a one-column sigmoid is
 * read as the two logits [ln(1 - p), ln p]), but clipping at 1e-7 bounds how
 * far apart the logits can be. Soft labels subtract Δ_k y_k from every logit.
 */
export function ldam(options: LdamOptions): LossFunction {
  const {fromLogits, reduction} = baseOptions(options, 'ldam', ['classCounts', 'maxMargin', 'scale', 'classWeights']);
  const counts = checkClassCounts('classCounts', options?.classCounts);
  if (counts.length < 2) throw new ImbalancedInputError('classCounts', 'counts for at least 2 classes', counts);
  const maxMargin = checkNumber('maxMargin', options?.maxMargin ?? 0.5, {min: 0});
  const scale = checkNumber('scale', options?.scale ?? 30, {min: 0, openMin: true});
  const classWeights = options?.classWeights === undefined ? undefined : checkClassWeights('classWeights', options.classWeights, counts.length);
  const margins = ldamMargins(counts, maxMargin);
  const marginRow = constantRow(margins);
  const weightRow = constantRow(classWeights ?? counts.map(() => 1));
  const config: Record<string, unknown> = {classCounts: counts, maxMargin, scale, fromLogits, reduction};
  if (classWeights !== undefined) config.classWeights = classWeights;
  return makeLoss('ldam', config, reduction, (yTrue, yPred) => {
    const view = predictionView(yPred, fromLogits);
    checkNumClasses(view, counts.length, 'classCounts');
    const y = targetMatrix(yTrue, yPred, view);
    // log-softmax(z) = z - LSE(z) is z up to a per-row shift: use it as the logits.
    const z = view.logP;
    // s (z - Δ_y e_y), then CE (weighted by w_y for DRW).
    const shifted = tf.mul(scale, tf.sub(z, tf.mul(y, marginRow())));
    return weightedLogLikelihood(y, tf.logSoftmax(shifted as tf.Tensor2D), weightRow());
  }, [marginRow, weightRow]);
}
