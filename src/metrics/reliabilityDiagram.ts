/**
 * Reliability diagram data (top-label): per-bin count, mean confidence and
 * accuracy, plus ECE and MCE — the same bins as `metrics.ece`
 * (./stats/calibrationBins.ts).
 */
import {checkBoolean, checkKeys, checkNumber, checkOneOf} from '../core/validate';
import {readArray} from '../core/inputs';
import {LabelInput, PredictionInput, readBatch} from './metric';
import {Binning, CalibrationStats} from './stats/calibrationBins';

/** Options of `reliabilityDiagram`. */
export interface ReliabilityDiagramOptions {
  /** Number of bins M (integer >= 1). Default 15. */
  bins?: number;
  /** `'uniform'` (default) equal-width bins or `'quantile'` equal-mass bins. */
  binning?: Binning;
  /** yPred holds logits. Default false. */
  fromLogits?: boolean;
}

/** One bin of the diagram. */
export interface ReliabilityBin {
  /** Lower edge (exclusive, except 0 for the first bin). */
  lower: number;
  /** Upper edge (inclusive). */
  upper: number;
  /** Number of samples whose top-label confidence falls in the bin. */
  count: number;
  /** Mean top-label confidence in the bin (NaN when empty). */
  meanConfidence: number;
  /** Fraction of correct argmax predictions in the bin (NaN when empty). */
  accuracy: number;
}

/** What `reliabilityDiagram` returns. */
export interface ReliabilityDiagram {
  /** All M bins in order, empty ones included (count 0). */
  bins: ReliabilityBin[];
  /** Expected calibration error over the non-empty bins. */
  ece: number;
  /** Maximum calibration error over the non-empty bins. */
  mce: number;
  /** Number of samples. */
  numSamples: number;
}

/**
 * The reliability diagram of Guo, Pleiss, Sun & Weinberger, "On Calibration of Modern Neural Networks" (ICML 2017):
 * bins the top-label confidence max_j p_j of each prediction and reports, per
 * bin, the count, mean confidence and accuracy (argmax == label), plus ECE
 * and MCE (equal to `metrics.ece` / `metrics.mce` with the same options).
 * Labels and predictions are read and validated as by every metric.
 */
export function reliabilityDiagram(yTrue: LabelInput, yPred: PredictionInput, options: ReliabilityDiagramOptions = {}): ReliabilityDiagram {
  checkKeys('reliabilityDiagram', options, ['bins', 'binning', 'fromLogits']);
  const bins = checkNumber('bins', options.bins ?? 15, {min: 1, integer: true});
  const binning = checkOneOf('binning', options.binning ?? 'uniform', ['uniform', 'quantile'] as const);
  const fromLogits = checkBoolean('fromLogits', options.fromLogits ?? false);
  const batch = readBatch(readArray(yTrue, 'yTrue'), readArray(yPred, 'yPred'), {fromLogits, threshold: 0.5});
  const stats = new CalibrationStats(batch.numClasses, bins, 'topLabel', binning);
  stats.add(batch);
  const [{sums, edges}] = stats.binSums();
  const {ece, mce} = sums.errors(batch.n);
  const lowerOf = (m: number) => (edges ? (m === 0 ? 0 : edges[m - 1]) : m / bins);
  const upperOf = (m: number) => (edges ? (m === bins - 1 ? 1 : edges[m]) : (m + 1) / bins);
  const out: ReliabilityBin[] = [];
  for (let m = 0; m < bins; m++) {
    const count = sums.count[m];
    out.push({
      lower: lowerOf(m),
      upper: upperOf(m),
      count,
      meanConfidence: sums.meanConfidence(m),
      accuracy: count ? sums.sumAcc[m] / count : NaN,
    });
  }
  return {bins: out, ece, mce, numSamples: batch.n};
}
