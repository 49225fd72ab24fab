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

/** Logits as a row-major [n, C] array (C >= 2) with integer labels. */
export interface LogitSet {
  logits: Float64Array | Float32Array;
  labels: Int32Array;
  numClasses: number;
}

/** Mean negative log-likelihood of softmax(z / T) on `set`. */
export function nllAtTemperature(set: LogitSet, temperature: number): number {
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
 */
export function fitTemperature(set: LogitSet, options: {maxIterations?: number; tolerance?: number} = {}): number {
  const {maxIterations = 100, tolerance = 1e-10} = options;
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
