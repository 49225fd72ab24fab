/**
 * Real World Cost (Ho & Wookey, "The Real-World-Weight Cross-Entropy Loss Function"): the average
 * cost per example of the hard predictions' mistakes, with the same costs the
 * RWWCE loss is trained with. Computed from an accumulated confusion matrix.
 */
import {ImbalancedInputError} from '../errors';
import {checkCostMatrix, checkNumber, checkNumberArray} from '../core/validate';
import {BaseMetricOptions, Metric, baseMetricOptions, makeMetric} from './metric';
import {CONFUSION_STATS, ConfusionStats} from './stats/confusion';

/** Binary costs: a false negative costs `costFN`, a false positive `costFP` (class 1 is positive). */
export interface BinaryCosts {
  /** Marginal cost of a false negative (true 1 predicted 0). */
  costFN: number;
  /** Marginal cost of a false positive (true 0 predicted 1). */
  costFP: number;
}

/** Multiclass costs (Ho & Wookey, eq. 6): every error on true class i costs costFN[i] + costFP[i][j] when predicted j. */
export interface MatrixCosts {
  /** Per-class false-negative cost w_fn^i, length C. */
  costFN: number[];
  /** C x C cost of predicting j for true i, zero diagonal. */
  costFP: number[][];
}

/** Options of `realWorldCost`: binary or matrix costs plus the common metric options. */
export type RealWorldCostOptions = (BinaryCosts | MatrixCosts) & BaseMetricOptions;

/**
 * Real World Cost of Ho & Wookey, "The Real-World-Weight Cross-Entropy Loss Function: Modeling the Costs of Mislabeling" (IEEE Access 2020)
 * (defined with its binary experiments): the average cost per example of the hard
 * predictions' mistakes. Binary `{costFN: number, costFP: number}`:
 * RWC = (c_fn FN + c_fp FP) / N, prediction = p > threshold for a sigmoid
 * Matrix `{costFN: number[], costFP: number[][]}`:
 * RWC = (1/N) sum_{i != j} C[i][j] (w_fn^i + W_fp[i][j]) with C the confusion
 * matrix, rows = true class. N = 0 gives NaN (not an error).
 * Costs must be finite and >= 0; the number of classes must match the costs
 * (2 for the binary form).
 */
export function realWorldCost(options: RealWorldCostOptions): Metric<number> {
  if (options === null || typeof options !== 'object') {
    throw new ImbalancedInputError('options', '{costFN, costFP} (numbers, or a vector and a matrix)', options);
  }
  const {name, read, options: config} = baseMetricOptions('realWorldCost', options, ['costFN', 'costFP']);
  let wFn: number[];
  let wFp: number[][];
  let stored: Record<string, unknown>;
  if (typeof options.costFN === 'number' || typeof options.costFP === 'number') {
    const fn = checkNumber('costFN', options.costFN, {min: 0});
    const fp = checkNumber('costFP', options.costFP, {min: 0});
    // Binary as the matrix form: FN = C[1][0] costs fn, FP = C[0][1] costs fp.
    wFn = [0, fn];
    wFp = [[0, fp], [0, 0]];
    stored = {costFN: fn, costFP: fp};
  } else {
    wFn = checkNumberArray('costFN', options.costFN, {min: 0});
    wFp = checkCostMatrix('costFP', options.costFP, wFn.length, {zeroDiagonal: true});
    stored = {costFN: wFn.slice(), costFP: wFp.map(r => r.slice())};
  }
  const K = wFn.length;
  return makeMetric<ConfusionStats, number>({
    factory: 'realWorldCost',
    name,
    read,
    options: {...config, ...stored},
    ...CONFUSION_STATS,
    checkNumClasses: C => {
      if (C !== K) {
        throw new ImbalancedInputError('yPred', `${K} classes (the size of the costs${K === 2 ? '; binary costs need a sigmoid column or 2 columns' : ''})`, `${C} classes`);
      }
    },
    compute: stats => {
      if (stats.total === 0) return NaN;
      let cost = 0;
      for (let i = 0; i < K; i++) {
        for (let j = 0; j < K; j++) if (i !== j) cost += stats.counts[i * K + j] * (wFn[i] + wFp[i][j]);
      }
      return cost / stats.total;
    },
    empty: () => NaN,
  });
}
