/**
 * Real-World-Weight Cross-Entropy (Ho & Wookey, IEEE Access 2020).
 * The weights are real-world marginal costs, estimated
 * once by domain experts (the same numbers the Real World Cost metric uses),
 * not hyperparameters to tune.
 *
 * Binary (eq. 5), per sample:  -[c_fn y ln h + c_fp (1 - y) ln(1 - h)]
 * Categorical (eq. 6), per sample with true class t:
 *   -[c_fn^t ln p_t + Σ_{k≠t} C_fp[t][k] ln(1 - p_k)]
 * The second term penalises probability mass put on *specific* wrong classes.
 *
 * Reduction: per-sample values summed over classes (eq. 6); `'mean'` divides by
 * the batch size as eq. 6's 1/M does. The authors' notebook divides by M·K
 * (Keras `K.mean` over the M x K matrix); the loss is linear in the costs, so
 * that scale is obtained by dividing every cost by K (same minimiser).
 */
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from '../errors';
import {checkCostMatrix, checkNumber, checkNumberArray} from '../core/validate';
import {
  BaseLossOptions, LossFunction, baseOptions, checkNumClasses, constantMatrix, constantRow, makeLoss, predictionView,
  targetMatrix,
} from './common';
import {weightedLogLikelihood} from './weightedCrossEntropy';

/** Options of {@link rwwceBinary}: the two real-world marginal costs. */
export interface RwwceBinaryOptions extends BaseLossOptions {
  /** Marginal cost of a false negative over a true positive (w_fn), >= 0. (1, 1) is plain BCE. */
  costFN: number;
  /** Marginal cost of a false positive over a true negative (w_fp), >= 0. */
  costFP: number;
}

/**
 * Binary RWWCE of Ho & Wookey, "The Real-World-Weight Cross-Entropy Loss Function: Modeling the Costs of Mislabeling" (IEEE Access 2020),
 * eq. 5, for a one-column sigmoid output (labels 0/1, class 1 the
 * positive) or a two-column softmax (column 1 the positive). Equals
 * c_fp · weighted BCE with positive weight c_fn / c_fp: same minimiser, loss and
 * gradients scaled by c_fp (mind the learning rate with SGD; Adam hardly cares).
 * For a constant predictor the minimiser is p* = c_fn n_pos / (c_fn n_pos + c_fp n_neg).
 */
export function rwwceBinary(options: RwwceBinaryOptions): LossFunction {
  const {fromLogits, reduction} = baseOptions(options, 'rwwceBinary', ['costFN', 'costFP']);
  const costFN = checkNumber('costFN', options?.costFN, {min: 0});
  const costFP = checkNumber('costFP', options?.costFP, {min: 0});
  if (costFN === 0 && costFP === 0) {
    throw new ImbalancedInputError('costFN / costFP', 'at least one cost > 0 (with both 0 the loss is identically 0)', '0 and 0');
  }
  // Columns of the 2-class view: [ln(1 - h), ln h] -> weights [c_fp, c_fn].
  const row = constantRow([costFP, costFN]);
  return makeLoss('rwwceBinary', {costFN, costFP, fromLogits, reduction}, reduction, (yTrue, yPred) => {
    const view = predictionView(yPred, fromLogits);
    checkNumClasses(view, 2, 'the binary costs (costFP, costFN)');
    // eq. 5: -[c_fn y ln h + c_fp (1 - y) ln(1 - h)]
    return weightedLogLikelihood(targetMatrix(yTrue, yPred, view), view.logP, row());
  }, [row]);
}

/** Options of {@link rwwce}: per-class false-negative costs and the confusion-specific cost matrix. */
export interface RwwceOptions extends BaseLossOptions {
  /**
   * Cost of a false negative of each class (w_fn^k), >= 0, length K (index = true
   * class). The notebook's diagonal K x K matrix form is accepted too (off-diagonal entries must be 0).
   */
  costFN: number[] | number[][];
  /**
   * K x K extra cost of each specific confusion, >= 0: `costFP[t][k]` is paid for
   * probability mass on class k when the true class is t. Zero diagonal required.
   * All ones off the diagonal with costFN all ones gives Σ_k BCE(column k).
   */
  costFP: number[][];
}

/**
 * Categorical single-label RWWCE of Ho & Wookey, "The Real-World-Weight Cross-Entropy Loss Function: Modeling the Costs of Mislabeling" (IEEE Access 2020),
 * eq. 6, for a softmax output with K columns (or
 * a one-column sigmoid, K = 2). Soft labels use the linear extension
 * -Σ_t y_t [c_fn^t ln p_t + Σ_k C_fp[t][k] ln(1 - p_k)]. From logits, ln(1 - p_k)
 * is computed in the stable LSE-of-the-others form.
 */
export function rwwce(options: RwwceOptions): LossFunction {
  const {fromLogits, reduction} = baseOptions(options, 'rwwce', ['costFN', 'costFP']);
  const costFN = costVector(options?.costFN);
  const K = costFN.length;
  if (K < 2) throw new ImbalancedInputError('costFN', 'costs for at least 2 classes', options?.costFN);
  const costFP = checkCostMatrix('costFP', options?.costFP, K, {zeroDiagonal: true});
  if (costFN.every(c => c === 0) && costFP.every(r => r.every(c => c === 0))) {
    throw new ImbalancedInputError('costFN / costFP', 'at least one cost > 0 (with all costs 0 the loss is identically 0)', 'all zeros');
  }
  const fnRow = constantRow(costFN);
  const fpTensor = constantMatrix(costFP);
  return makeLoss('rwwce', {costFN, costFP: costFP.map(r => r.slice()), fromLogits, reduction}, reduction, (yTrue, yPred) => {
    const view = predictionView(yPred, fromLogits);
    checkNumClasses(view, K, 'costFN');
    const y = targetMatrix(yTrue, yPred, view);
    // eq. 6, matrix form: A = Y diag(c_fn), B = Y C_fp; L = -Σ_k (A ∘ ln P + B ∘ ln(1 - P)).
    const fnTerm = weightedLogLikelihood(y, view.logP, fnRow());
    const fpWeights = tf.matMul(y, fpTensor());
    const fpTerm = tf.neg(tf.sum(tf.mul(fpWeights, view.log1mP()), 1));
    return tf.add(fnTerm, fpTerm);
  }, [fnRow, fpTensor]);
}

/** costFN as a vector: a plain vector, or the diagonal of a diagonal matrix. */
function costVector(value: unknown): number[] {
  if (Array.isArray(value) && value.length > 0 && value.every(Array.isArray)) {
    const K = value.length;
    const m = checkCostMatrix('costFN', value, K);
    m.forEach((r, i) => r.forEach((c, j) => {
      if (i !== j && c !== 0) {
        throw new ImbalancedInputError(`costFN[${i}][${j}]`, '0 off the diagonal (a costFN matrix must be diagonal)', c);
      }
    }));
    return m.map((r, i) => r[i]);
  }
  return checkNumberArray('costFN', value, {min: 0});
}
