/**
 * Class weights derived from training-set class counts. Each function checks
 * its input (every count > 0) and returns a plain number[] indexed by class.
 * `toClassWeightMap` turns any of them into the object `model.fit({classWeight})` takes.
 */
import {checkClassCounts, checkNumber, checkNumberArray} from '../core/validate';

/** DWB eq. 8: w_j = ln(max_k n_k / n_j) + 1. The majority class gets 1, rarer classes more. */
export function dwbWeights(classCounts: number[]): number[] {
  const counts = checkClassCounts('classCounts', classCounts);
  const max = Math.max(...counts);
  return counts.map(n => Math.log(max / n) + 1);
}

/** scikit-learn's 'balanced' weights, n / (C n_j): the mean weight over samples is 1. */
export function inverseFrequencyWeights(classCounts: number[]): number[] {
  const counts = checkClassCounts('classCounts', classCounts);
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map(n => total / (counts.length * n));
}

/**
 * Class-balanced weights (Cui et al. 2019): w_j = (1 - β) / (1 - β^{n_j}),
 * the inverse "effective number" of samples, rescaled so they sum to C.
 */
export function classBalancedWeights(classCounts: number[], beta = 0.9999): number[] {
  const counts = checkClassCounts('classCounts', classCounts);
  checkNumber('beta', beta, {min: 0, max: 1, openMax: true});
  // -expm1(n ln β) = 1 - β^n without cancellation when β is close to 1.
  const raw = counts.map(n => (beta === 0 ? 1 : (1 - beta) / -Math.expm1(n * Math.log(beta))));
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map(w => (w / sum) * counts.length);
}

/**
 * CRCEN weights (Li & Zhu): w_k ∝ a_k / N_k normalised to sum to 1, with the
 * cost multiplier a applied to the minority class only. For two classes this is
 * exactly λ = a N0 / (a N0 + N1) on the minority class and 1 - λ on the other.
 */
export function crcenWeights(classCounts: number[], costMultiplier = 1, minorityClass?: number): number[] {
  const counts = checkClassCounts('classCounts', classCounts);
  checkNumber('costMultiplier', costMultiplier, {min: 0, openMin: true});
  const minority = minorityClass ?? counts.indexOf(Math.min(...counts));
  checkNumber('minorityClass', minority, {min: 0, max: counts.length - 1, integer: true});
  const raw = counts.map((n, k) => (k === minority ? costMultiplier : 1) / n);
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map(w => w / sum);
}

/** LDAM margins (Cao et al. 2019): Δ_j ∝ n_j^{-1/4}, the rarest class getting `maxMargin`. */
export function ldamMargins(classCounts: number[], maxMargin = 0.5): number[] {
  const counts = checkClassCounts('classCounts', classCounts);
  checkNumber('maxMargin', maxMargin, {min: 0});
  const m = counts.map(n => Math.pow(n, -0.25));
  const max = Math.max(...m);
  return m.map(v => (maxMargin * v) / max);
}

/** `{0: w0, 1: w1, ...}`, the form `model.fit({classWeight})` expects. Weights must be finite and >= 0. */
export function toClassWeightMap(weights: number[]): {[classIndex: string]: number} {
  const map: {[classIndex: string]: number} = {};
  checkNumberArray('weights', weights, {min: 0}).forEach((w, i) => {
    map[i] = w;
  });
  return map;
}
