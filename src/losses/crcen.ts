/**
 * CRCEN, the class-reweighted cross-entropy of Li & Zhu ("CRCEN: A Generalized
 * Cost-sensitive Neural Network Approach for Imbalanced Classification").
 * Binary, y = 1 the minority class (eq. 1):
 *   L = -Σ_{i∈S1} λ ln p_i - Σ_{j∈S0} (1 - λ) ln(1 - p_j)
 * with one weight λ ∈ (0, 1) fixed for the whole run, by default computed once
 * from the training-set counts: λ = a N0 / (a N0 + N1) (§4.2; a = 1 is inverse
 * class frequency). λ = 1/2 is plain binary cross-entropy scaled by 1/2.
 *
 * The module also exports the small pure helpers of the paper's analysis
 * (eq. 6 "key equation", eq. 7, the §4.2 "expense"), used by the CRCEN
 * expense callback and handy on their own.
 */
import {ImbalancedInputError} from '../errors';
import {checkClassCounts, checkNumber, checkNumberArray} from '../core/validate';
import {
  BaseLossOptions, LossFunction, baseOptions, checkNumClasses, constantRow, makeLoss, predictionView, targetMatrix,
} from './common';
import {crcenWeights} from './classWeights';
import {weightedLogLikelihood} from './weightedCrossEntropy';

/** λ from training-set counts (the default, and the paper's §4.2 family). */
export interface CrcenCountOptions extends BaseLossOptions {
  /**
   * Training-set count of every class (index = class), each > 0. Two classes
   * give the paper's loss; more classes give OUR multiclass extension (not in
   * the paper): weights w_k ∝ a_k / N_k normalised to sum to 1, with a_k =
   * `costMultiplier` for the minority class and 1 for every other class.
   */
  classCounts: number[];
  /** The paper's a (§4.2, a ∈ {0.5, 1, 1.5, 2}): λ = a N0 / (a N0 + N1). Must be > 0. Default 1 (inverse class frequency). */
  costMultiplier?: number;
  /**
   * Index of the class λ up-weights (the paper's y = 1). Default: the class with
   * the smallest count. Set it when your "positive" label is not the rarest class.
   */
  minorityClass?: number;
  /** Not with `classCounts`: give the counts or λ, not both. */
  lambda?: never;
}

/** A λ you chose yourself (two classes only). */
export interface CrcenLambdaOptions extends BaseLossOptions {
  /** The minority-class weight λ, in the open interval (0, 1); the other class gets 1 - λ. Implies two classes. */
  lambda: number;
  /** Index (0 or 1) of the class weighted by λ (the paper's y = 1). Default 1. */
  minorityClass?: number;
  /** Not with `lambda`. */
  classCounts?: never;
  /** Not with `lambda` (λ already includes it). */
  costMultiplier?: never;
}

/** Options of {@link crcen}: training-set counts or an explicit λ. */
export type CrcenOptions = CrcenCountOptions | CrcenLambdaOptions;

/**
 * The CRCEN loss of Li & Zhu, "CRCEN: A Generalized Cost-sensitive Neural Network Approach for Imbalanced Classification",
 * eq. 1. From counts: per-sample weight λ for the minority class and
 * 1 - λ for the other (eq. 1), λ = a N0 / (a N0 + N1) computed once here, never
 * per batch. From `{lambda}`: that λ. Labels: sparse class indices, one-hot or
 * soft labels (the soft-label form -[λ y ln p + (1-λ)(1-y) ln(1-p)] is an
 * extension); predictions: a one-column sigmoid output (the paper's setting) or
 * a softmax. With `fromLogits` the sigmoid terms are λ softplus(-o) and
 * (1 - λ) softplus(o). Per-sample values by default; the paper sums over samples
 * (`reduction: 'sum'`), a batch mean only rescales the loss.
 *
 * The key equation (eq. 6) holds at a converged optimum only if the output bias
 * is trainable and not L2-regularised: use `kernelRegularizer`, never a penalty on biases.
 */
export function crcen(options: CrcenOptions): LossFunction {
  const {fromLogits, reduction} = baseOptions(options, 'crcen', ['classCounts', 'costMultiplier', 'minorityClass', 'lambda']);
  const opts = (options ?? {}) as Partial<CrcenCountOptions> & Partial<Omit<CrcenLambdaOptions, 'classCounts' | 'costMultiplier'>>;
  let weights: number[];
  let config: Record<string, unknown>;
  let source: string;
  if (opts.classCounts !== undefined && opts.lambda !== undefined) {
    throw new ImbalancedInputError('classCounts / lambda', 'exactly one of the two', 'both');
  } else if (opts.classCounts !== undefined) {
    const counts = checkClassCounts('classCounts', opts.classCounts);
    if (counts.length < 2) throw new ImbalancedInputError('classCounts', 'counts for at least 2 classes', counts);
    const costMultiplier = checkNumber('costMultiplier', opts.costMultiplier ?? 1, {min: 0, openMin: true});
    const minorityClass = checkNumber('minorityClass', opts.minorityClass ?? counts.indexOf(Math.min(...counts)), {
      min: 0, max: counts.length - 1, integer: true,
    });
    // Two classes: [1 - λ, λ] in class order with λ = a N0 / (a N0 + N1) (eq. 1, §4.2).
    // More classes: w_k ∝ a_k / N_k, sum 1 (our extension).
    weights = crcenWeights(counts, costMultiplier, minorityClass);
    config = {classCounts: counts, costMultiplier, minorityClass};
    source = 'classCounts';
  } else if (opts.lambda !== undefined) {
    if (opts.costMultiplier !== undefined) {
      throw new ImbalancedInputError('costMultiplier', 'no costMultiplier with an explicit lambda (it only scales λ computed from classCounts)', opts.costMultiplier);
    }
    const lambda = checkNumber('lambda', opts.lambda, {min: 0, max: 1, openMin: true, openMax: true});
    const minorityClass = checkNumber('minorityClass', opts.minorityClass ?? 1, {min: 0, max: 1, integer: true});
    weights = minorityClass === 1 ? [1 - lambda, lambda] : [lambda, 1 - lambda];
    config = {lambda, minorityClass};
    source = 'lambda (2 classes)';
  } else {
    throw new ImbalancedInputError('classCounts / lambda', 'one of the two (training-set counts, or λ in (0, 1))', 'neither');
  }
  const row = constantRow(weights);
  return makeLoss('crcen', {...config, fromLogits, reduction}, reduction, (yTrue, yPred) => {
    const view = predictionView(yPred, fromLogits);
    checkNumClasses(view, weights.length, source);
    // eq. 1: -[λ y ln p + (1 - λ)(1 - y) ln(1 - p)] per sample (binary); -Σ_k w_k y_k ln p_k in general.
    return weightedLogLikelihood(targetMatrix(yTrue, yPred, view), view.logP, row());
  }, [row]);
}

/**
 * λ(a) = a N0 / (a N0 + N1) (§4.2), with N0 the majority (other-class) count
 * and N1 the minority count. a = 1 gives inverse class frequency λ = N0 / N.
 */
export function crcenLambda(n0: number, n1: number, costMultiplier = 1): number {
  checkNumber('n0', n0, {min: 0, openMin: true});
  checkNumber('n1', n1, {min: 0, openMin: true});
  checkNumber('costMultiplier', costMultiplier, {min: 0, openMin: true});
  return (costMultiplier * n0) / (costMultiplier * n0 + n1);
}

/** An array (possibly empty) of probabilities in [0, 1]. */
function checkProbabilities(name: string, value: unknown): number[] {
  if (Array.isArray(value) && value.length === 0) return [];
  const arr = checkNumberArray(name, value, {min: 0});
  arr.forEach((p, i) => checkNumber(`${name}[${i}]`, p, {min: 0, max: 1}));
  return arr;
}

/**
 * Left-hand side of the key equation (eq. 6): Σ_{i∈S1} (1 - p_i) / Σ_{j∈S0} p_j,
 * from the predicted minority probabilities of the minority samples (S1) and of
 * the majority samples (S0). At a converged optimum with an unregularised output
 * bias it equals (1 - λ) / λ. Infinity when every majority p is 0; NaN (no
 * throw, so a monitoring callback keeps training) when either set is empty.
 */
export function eq6Lhs(minorityProbs: number[], majorityProbs: number[]): number {
  const s1 = checkProbabilities('minorityProbs', minorityProbs);
  const s0 = checkProbabilities('majorityProbs', majorityProbs);
  if (s1.length === 0 || s0.length === 0) return NaN;
  const num = s1.reduce((acc, p) => acc + (1 - p), 0);
  const den = s0.reduce((acc, p) => acc + p, 0);
  return num / den;
}

/** The λ a model behaves as if trained with: solves eq. 6 for λ, λ = 1 / (1 + LHS6). */
export function impliedLambda(lhs6: number): number {
  checkNumber('lhs6', lhs6, {min: 0});
  return 1 / (1 + lhs6);
}

/**
 * Eq. 7 solved for the mean minority-class probability of minority samples:
 * p̄1 = 1 - N0 (1 - λ) / (N1 λ) · p̄0, with p̄0 the mean minority probability of
 * majority samples. (Can be negative: then eq. 7 says p̄0 cannot be that large.)
 */
export function eq7MinorityMean(p0bar: number, n0: number, n1: number, lambda: number): number {
  checkNumber('p0bar', p0bar, {min: 0, max: 1});
  checkNumber('n0', n0, {min: 0, openMin: true});
  checkNumber('n1', n1, {min: 0, openMin: true});
  checkNumber('lambda', lambda, {min: 0, max: 1, openMin: true, openMax: true});
  return 1 - ((n0 * (1 - lambda)) / (n1 * lambda)) * p0bar;
}

/** False-negative and false-positive counts of one trained model on a test set. */
export interface ErrorCounts {
  /** Minority samples predicted as majority. */
  fn: number;
  /** Majority samples predicted as minority. */
  fp: number;
}

/**
 * The §4.2 "expense" of moving from one λ to the next larger one: extra false
 * positives paid per false negative saved, (FP_k - FP_{k-1}) / (FN_{k-1} - FN_k).
 * Does not throw when FN did not change: returns ±Infinity (or NaN when FP did
 * not change either). A negative value means the trade-off was not monotone.
 */
export function expense(prev: ErrorCounts, next: ErrorCounts): number {
  for (const [name, v] of [['prev.fn', prev?.fn], ['prev.fp', prev?.fp], ['next.fn', next?.fn], ['next.fp', next?.fp]] as const) {
    checkNumber(name, v, {min: 0});
  }
  return (next.fp - prev.fp) / (prev.fn - next.fn);
}
