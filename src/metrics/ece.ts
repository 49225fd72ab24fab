/**
 * Expected and maximum calibration error (Naeini et al. 2015,
 * Guo et al. 2017), exact over everything accumulated. Bin conventions are in
 * ./stats/calibrationBins.ts: equal-width bins ((m-1)/M, m/M] with a
 * confidence of 0 in the first bin and 1 in the last, empty bins skipped.
 */
import {checkNumber, checkOneOf} from '../core/validate';
import {BaseMetricOptions, Metric, baseMetricOptions, makeMetric} from './metric';
import {Binning, CalibrationMode, CalibrationStats} from './stats/calibrationBins';

/** Options of `ece` and `mce`. */
export interface CalibrationErrorOptions extends BaseMetricOptions {
  /** Number of bins M (integer >= 1). Default 15 (Guo et al. 2017). */
  bins?: number;
  /**
   * `'uniform'` (default): M equal-width bins, O(M) state. `'quantile'`:
   * equal-mass bins over the accumulated confidences (edges at ranks
   * ceil(m N / M)); keeps every confidence, O(N) memory (8 bytes per sample,
   * per class in classwise mode).
   */
  binning?: Binning;
  /**
   * `'topLabel'` (default): confidence max_j p_j against correctness
   * 1[argmax_j p_j == y] (first index on ties). `'classwise'`: Kull et al.
   * (2019) classwise-ECE — for each class k, bin p_k against 1[y == k]; the
   * result is the mean over all C classes of the per-class ECE (MCE: mean of
   * the per-class maxima).
   */
  mode?: CalibrationMode;
}

const BINNINGS: readonly Binning[] = ['uniform', 'quantile'];
const MODES: readonly CalibrationMode[] = ['topLabel', 'classwise'];

function calibrationMetric(factory: 'ece' | 'mce', opts: CalibrationErrorOptions | undefined): Metric<number> {
  const {name, read, options} = baseMetricOptions(factory, opts, ['bins', 'binning', 'mode']);
  const bins = checkNumber('bins', opts?.bins ?? 15, {min: 1, integer: true});
  const binning = checkOneOf('binning', opts?.binning ?? 'uniform', BINNINGS);
  const mode = checkOneOf('mode', opts?.mode ?? 'topLabel', MODES);
  return makeMetric<CalibrationStats, number>({
    factory,
    name,
    read,
    options: {...options, bins, binning, mode},
    create: C => new CalibrationStats(C, bins, mode, binning),
    add: (stats, batch) => stats.add(batch),
    merge: (into, from) => into.merge(from),
    save: stats => stats.toJSON(),
    load: (json, C) => CalibrationStats.fromJSON(json, C, bins, mode, binning),
    size: stats => stats.total,
    compute: stats => stats.errors()[factory],
    empty: () => NaN,
  });
}

/**
 * Expected calibration error: ECE = sum_m (|B_m| / N) |acc(B_m) - conf(B_m)| over
 * equal-width (or quantile) confidence bins B_m, as defined by Naeini, Cooper & Hauskrecht, "Obtaining Well Calibrated Probabilities Using Bayesian Binning" (AAAI 2015)
 * and Guo, Pleiss, Sun & Weinberger, "On Calibration of Modern Neural Networks" (ICML 2017); the calibration metric of
 * Fernando & Tsokos, "Dynamically Weighted Balanced Loss: Class Imbalanced Learning and Confidence Calibration of Deep Neural Networks" (IEEE TNNLS 2021). N = 0 gives NaN.
 */
export function ece(options?: CalibrationErrorOptions): Metric<number> {
  return calibrationMetric('ece', options);
}

/**
 * Maximum calibration error: MCE = max over non-empty bins of
 * |acc(B_m) - conf(B_m)|, as defined by Naeini, Cooper & Hauskrecht, "Obtaining Well Calibrated Probabilities Using Bayesian Binning" (AAAI 2015)
 * and Guo, Pleiss, Sun & Weinberger, "On Calibration of Modern Neural Networks" (ICML 2017). N = 0 gives NaN.
 */
export function mce(options?: CalibrationErrorOptions): Metric<number> {
  return calibrationMetric('mce', options);
}
