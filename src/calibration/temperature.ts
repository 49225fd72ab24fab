/**
 * Temperature scaling (Guo et al. 2017): one scalar T > 0 that divides the
 * logits, fitted on held-out data by minimising the negative log-likelihood.
 * It changes confidences, never the argmax, so accuracy is unchanged.
 *
 * NLL(β) with β = 1/T is convex in β: mean_i [LSE(β z_i) - β z_{i,y_i}], with
 *   dNLL/dβ = mean_i (E_q[z_i] - z_{i,y_i}),  d²NLL/dβ² = mean_i Var_q[z_i] >= 0,
 * where q = softmax(β z_i). A safeguarded Newton iteration in float64 finds it.
 */
import {ImbalancedInputError} from '../errors';
import {checkKeys, checkNumber} from '../core/validate';

/** Logits as a row-major [n, C] array (C >= 2) with integer labels. */
export interface LogitSet {
  /** Row-major logits, length n · numClasses, all finite. */
  logits: Float64Array | Float32Array;
  /** True class of each row, in [0, numClasses). */
  labels: Int32Array;
  /** Number of classes C >= 2. */
  numClasses: number;
}

/** Throws ImbalancedInputError unless `set` is consistent: C >= 2, n · C logits, finite, labels in range. */
function checkLogitSet(set: LogitSet): void {
  if (set === null || typeof set !== 'object') throw new ImbalancedInputError('set', '{logits, labels, numClasses}', set);
  const C = checkNumber('set.numClasses', set.numClasses, {min: 2, integer: true});
  const {logits, labels} = set;
  if (!ArrayBuffer.isView(labels) || !ArrayBuffer.isView(logits) || logits.length !== labels.length * C) {
    throw new ImbalancedInputError('set.logits', `labels.length x numClasses = ${labels?.length} x ${C} logits`, `length ${logits?.length}`);
  }
  for (let i = 0; i < logits.length; i++) {
    if (!Number.isFinite(logits[i])) throw new ImbalancedInputError(`set.logits[${i}]`, 'a finite logit', logits[i]);
  }
  labels.forEach((l, i) => {
    if (!(Number.isInteger(l) && l >= 0 && l < C)) throw new ImbalancedInputError(`set.labels[${i}]`, `a class index in [0, ${C})`, l);
  });
}

/** Mean negative log-likelihood of softmax(z / T) on `set`, for a temperature T > 0. */
export function nllAtTemperature(set: LogitSet, temperature: number): number {
  checkLogitSet(set);
  checkNumber('temperature', temperature, {min: 0, openMin: true});
  return nllAndDerivatives(set, 1 / temperature).nll;
}

function nllAndDerivatives(set: LogitSet, beta: number): {nll: number; d1: number; d2: number} {
  const {logits, labels, numClasses: C} = set;
  const n = labels.length;
  let nll = 0;
  let d1 = 0;
  let d2 = 0;
  for (let i = 0; i < n; i++) {
    const off = i * C;
    let max = -Infinity;
    for (let j = 0; j < C; j++) max = Math.max(max, beta * logits[off + j]);
    let sum = 0;
    let mean = 0;
    let sq = 0;
    for (let j = 0; j < C; j++) {
      const z = logits[off + j];
      const e = Math.exp(beta * z - max);
      sum += e;
      mean += e * z;
      sq += e * z * z;
    }
    mean /= sum;
    sq /= sum;
    const zy = logits[off + labels[i]];
    nll += max + Math.log(sum) - beta * zy;
    d1 += mean - zy;
    d2 += Math.max(0, sq - mean * mean);
  }
  return {nll: nll / n, d1: d1 / n, d2: d2 / n};
}

/**
 * The temperature minimising NLL on `set`. Bounded to [1e-2, 1e2] (a model
 * that separates the held-out set perfectly would otherwise drive T -> 0).
 * Options: `maxIterations` (Newton steps, default 100) and `tolerance` (stop
 * when |dNLL/dβ| is below it, default 1e-10).
 */
export function fitTemperature(set: LogitSet, options: {maxIterations?: number; tolerance?: number} = {}): number {
  checkKeys('fitTemperature', options, ['maxIterations', 'tolerance']);
  const maxIterations = checkNumber('maxIterations', options.maxIterations ?? 100, {min: 1, integer: true});
  const tolerance = checkNumber('tolerance', options.tolerance ?? 1e-10, {min: 0, openMin: true});
  checkLogitSet(set);
  if (set.labels.length === 0) throw new ImbalancedInputError('validationData', 'at least one sample', 0);
  const minBeta = 1e-2;
  const maxBeta = 1e2;
  let beta = 1;
  for (let it = 0; it < maxIterations; it++) {
    const {nll, d1, d2} = nllAndDerivatives(set, beta);
    if (Math.abs(d1) < tolerance) break;
    // Newton step when the curvature is usable, else a gradient step; then halve until NLL drops.
    let step = d2 > 1e-12 ? -d1 / d2 : -Math.sign(d1) * beta * 0.5;
    let next = Math.min(maxBeta, Math.max(minBeta, beta + step));
    while (nllAndDerivatives(set, next).nll > nll && Math.abs(step) > 1e-12) {
      step /= 2;
      next = Math.min(maxBeta, Math.max(minBeta, beta + step));
    }
    if (Math.abs(next - beta) < 1e-12 * beta) break;
    beta = next;
  }
  return 1 / beta;
}
