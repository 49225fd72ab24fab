/**
 * Count-based classification metrics on hard predictions (argmax, or
 * p > threshold for a sigmoid column), all computed from one accumulated
 * confusion matrix (./stats/confusion.ts): precision, recall, F1 (DWB eq. 18),
 * g-mean (ReMix, "Metrics and Evaluation"; imbalanced-learn), balanced accuracy, MCC and the
 * confusion matrix itself.
 *
 * Label set (scikit-learn semantics): averages run over the classes that occur
 * in the true labels or in the predictions (`unique_labels(y_true, y_pred)`);
 * a class that never occurs on either side takes no part. `average: 'none'`
 * returns one value for each class 0..C-1 instead (sklearn with
 * `labels=range(C)`).
 *
 * Zero division (`zeroDivision`, default 0 as scikit-learn's default): the
 * value of precision when a class is never predicted (TP + FP = 0), of recall
 * when it never occurs (TP + FN = 0), of F1 when TP + FP + FN = 0. `'nan'`
 * gives NaN and leaves that class out of macro / weighted averages
 * (scikit-learn >= 1.3 `zero_division=np.nan`).
 */
import {ImbalancedInputError} from '../errors';
import {checkBoolean, checkNumber, checkOneOf} from '../core/validate';
import {BaseMetricOptions, Metric, ZeroDivision, baseMetricOptions, checkZeroDivision, divide, makeMetric} from './metric';
import {CONFUSION_STATS, ConfusionStats, PerClassCounts} from './stats/confusion';

/** How per-class values are combined. */
export type Average = 'macro' | 'weighted' | 'micro' | 'none' | 'binary';
const AVERAGES: readonly Average[] = ['macro', 'weighted', 'micro', 'none', 'binary'];

/** Options of `precision`, `recall` and `f1`. */
export interface PrfOptions extends BaseMetricOptions {
  /**
   * `'macro'` (default): unweighted mean of per-class values over the label
   * set (macro-F1 = mean of per-class F1, not F1 of macro P and R).
   * `'weighted'`: mean weighted by support (true count). `'micro'`: from
   * summed TP / FP / FN (= accuracy for single-label data). `'none'`: one value
   * per class 0..C-1 (result is an array). `'binary'`: the value of
   * `positiveClass` only, for two classes (more classes are an error, as in scikit-learn).
   */
  average?: Average;
  /** The class reported by `average: 'binary'`. Default 1. */
  positiveClass?: number;
  /** Value of an undefined ratio (see the module comment). Default 0. */
  zeroDivision?: ZeroDivision;
}

/** PrfOptions with per-class output. */
export type PrfPerClassOptions = PrfOptions & {
  /** One value per class 0..C-1 instead of an average. */
  average: 'none';
};

type PerClass = (c: PerClassCounts, k: number, zd: ZeroDivision) => number;

const PRF: Record<'precision' | 'recall' | 'f1', {perClass: PerClass; micro: (tp: number, fp: number, fn: number, zd: ZeroDivision) => number}> = {
  precision: {
    perClass: (c, k, zd) => divide(c.tp[k], c.tp[k] + c.fp[k], zd),
    micro: (tp, fp, _fn, zd) => divide(tp, tp + fp, zd),
  },
  recall: {
    perClass: (c, k, zd) => divide(c.tp[k], c.tp[k] + c.fn[k], zd),
    micro: (tp, _fp, fn, zd) => divide(tp, tp + fn, zd),
  },
  f1: {
    // F1 = 2PR / (P + R) = 2TP / (2TP + FP + FN) (DWB eq. 18).
    perClass: (c, k, zd) => divide(2 * c.tp[k], 2 * c.tp[k] + c.fp[k] + c.fn[k], zd),
    micro: (tp, fp, fn, zd) => divide(2 * tp, 2 * tp + fp + fn, zd),
  },
};

/** Mean of values (weighted), skipping NaN entries (sklearn's _nanaverage); NaN if nothing is left. */
export function nanAverage(values: number[], weights?: number[]): number {
  let sw = 0;
  let swv = 0;
  let s = 0;
  let n = 0;
  values.forEach((v, i) => {
    if (Number.isNaN(v)) return;
    n++;
    s += v;
    if (weights) {
      sw += weights[i];
      swv += weights[i] * v;
    }
  });
  if (n === 0) return NaN;
  if (weights && sw > 0) return swv / sw;
  return s / n;
}

function prfMetric(kind: 'precision' | 'recall' | 'f1', opts: PrfOptions | undefined): Metric<number | number[]> {
  const {name, read, options} = baseMetricOptions(kind, opts, ['average', 'positiveClass', 'zeroDivision']);
  const average = checkOneOf('average', opts?.average ?? 'macro', AVERAGES);
  const positiveClass = checkNumber('positiveClass', opts?.positiveClass ?? 1, {min: 0, integer: true});
  const zeroDivision = checkZeroDivision(opts?.zeroDivision ?? 0);
  const {perClass, micro} = PRF[kind];
  return makeMetric<ConfusionStats, number | number[]>({
    factory: kind,
    name,
    read,
    options: {...options, average, positiveClass, zeroDivision},
    ...CONFUSION_STATS,
    checkNumClasses: C => {
      if (average !== 'binary') return;
      // As scikit-learn: 'binary' reports one class of a two-class task; on more classes it would hide the others.
      if (C !== 2) {
        throw new ImbalancedInputError('average', `'binary' only for 2 classes (a one-column sigmoid or two softmax columns); use 'macro', 'weighted', 'micro' or 'none' for ${C} classes`, average);
      }
      if (positiveClass >= C) {
        throw new ImbalancedInputError('positiveClass', `a class index below the number of classes (${C})`, positiveClass);
      }
    },
    compute: stats => {
      const c = stats.perClass();
      const C = stats.numClasses;
      if (average === 'none') return Array.from({length: C}, (_, k) => perClass(c, k, zeroDivision));
      if (average === 'binary') return perClass(c, positiveClass, zeroDivision);
      const labels = stats.presentLabels(c);
      if (labels.length === 0) return NaN;
      if (average === 'micro') {
        let tp = 0;
        let fp = 0;
        let fn = 0;
        for (const k of labels) {
          tp += c.tp[k];
          fp += c.fp[k];
          fn += c.fn[k];
        }
        return micro(tp, fp, fn, zeroDivision);
      }
      const values = labels.map(k => perClass(c, k, zeroDivision));
      return nanAverage(values, average === 'weighted' ? labels.map(k => c.support[k]) : undefined);
    },
    empty: () => (average === 'none' ? [] : NaN),
  });
}

/** Precision TP / (TP + FP) per class, averaged as `average` says: eq. 18 of Fernando & Tsokos, "Dynamically Weighted Balanced Loss: Class Imbalanced Learning and Confidence Calibration of Deep Neural Networks" (IEEE TNNLS 2021). */
export function precision(options: PrfPerClassOptions): Metric<number[]>;
export function precision(options?: PrfOptions): Metric<number>;
export function precision(options?: PrfOptions): Metric<number | number[]> {
  return prfMetric('precision', options);
}

/** Recall TP / (TP + FN) per class, averaged as `average` says: eq. 18 of Fernando & Tsokos, "Dynamically Weighted Balanced Loss: Class Imbalanced Learning and Confidence Calibration of Deep Neural Networks" (IEEE TNNLS 2021). */
export function recall(options: PrfPerClassOptions): Metric<number[]>;
export function recall(options?: PrfOptions): Metric<number>;
export function recall(options?: PrfOptions): Metric<number | number[]> {
  return prfMetric('recall', options);
}

/**
 * F1 = 2TP / (2TP + FP + FN) per class (eq. 18 of Fernando & Tsokos, "Dynamically Weighted Balanced Loss: Class Imbalanced Learning and Confidence Calibration of Deep Neural Networks" (IEEE TNNLS 2021)),
 * averaged as `average` says; macro-F1 is
 * the mean of per-class F1 (the DWB paper's Table III rows average to its Table II). Use
 * `average: 'binary'` for CRCEN's positive-class F1.
 */
export function f1(options: PrfPerClassOptions): Metric<number[]>;
export function f1(options?: PrfOptions): Metric<number>;
export function f1(options?: PrfOptions): Metric<number | number[]> {
  return prfMetric('f1', options);
}

/** Options of `gmean`. */
export interface GmeanOptions extends BaseMetricOptions {
  /** Replaces a recall of exactly 0 before the geometric mean (imbalanced-learn's `correction`). Default 0. */
  correction?: number;
}

/**
 * Geometric mean of per-class recall, as imbalanced-learn's
 * `geometric_mean_score(average='multiclass')`: over the classes in the true
 * labels or the predictions, recall_k = TP_k / N_k (0 for a class that is
 * predicted but never occurs), zero recalls replaced by `correction`, then
 * (prod_k recall_k)^(1/K). Binary: sqrt(TPR * TNR), as in Bellinger, Corizzo & Japkowicz, "ReMix Training for Calibrated Imbalanced Deep Learning"
 * ("Metrics and Evaluation") and Li & Zhu, "CRCEN: A Generalized Cost-sensitive Neural Network Approach for Imbalanced Classification" (Table 3). Any zero recall
 * gives 0. N = 0 gives NaN.
 */
export function gmean(options?: GmeanOptions): Metric<number> {
  const {name, read, options: config} = baseMetricOptions('gmean', options, ['correction']);
  const correction = checkNumber('correction', options?.correction ?? 0, {min: 0, max: 1});
  return makeMetric<ConfusionStats, number>({
    factory: 'gmean',
    name,
    read,
    options: {...config, correction},
    ...CONFUSION_STATS,
    compute: stats => {
      const c = stats.perClass();
      const labels = stats.presentLabels(c);
      if (labels.length === 0) return NaN;
      let logSum = 0;
      for (const k of labels) {
        let r = c.support[k] > 0 ? c.tp[k] / c.support[k] : 0;
        if (r === 0) r = correction;
        logSum += Math.log(r);
      }
      // exp(mean log r) as scipy.stats.gmean; log 0 = -Infinity gives 0.
      return Math.exp(logSum / labels.length);
    },
    empty: () => NaN,
  });
}

/** Options of `balancedAccuracy`. */
export interface BalancedAccuracyOptions extends BaseMetricOptions {
  /** Rescale so that chance scores 0 and perfect 1: (BA - 1/K) / (1 - 1/K). Default false. */
  adjusted?: boolean;
}

/**
 * Balanced accuracy (the balanced per-class accuracy of Bellinger, Corizzo & Japkowicz, "ReMix Training for Calibrated Imbalanced Deep Learning"):
 * mean recall over the classes present in the true labels
 * (scikit-learn's `balanced_accuracy_score`; predicted-only classes are
 * ignored). N = 0 gives NaN.
 */
export function balancedAccuracy(options?: BalancedAccuracyOptions): Metric<number> {
  const {name, read, options: config} = baseMetricOptions('balancedAccuracy', options, ['adjusted']);
  const adjusted = checkBoolean('adjusted', options?.adjusted ?? false);
  return makeMetric<ConfusionStats, number>({
    factory: 'balancedAccuracy',
    name,
    read,
    options: {...config, adjusted},
    ...CONFUSION_STATS,
    compute: stats => {
      const c = stats.perClass();
      let sum = 0;
      let K = 0;
      c.support.forEach((s, k) => {
        if (s > 0) {
          sum += c.tp[k] / s;
          K++;
        }
      });
      if (K === 0) return NaN;
      const score = sum / K;
      return adjusted ? (score - 1 / K) / (1 - 1 / K) : score;
    },
    empty: () => NaN,
  });
}

/**
 * Matthews correlation coefficient, multiclass (Gorodkin's R_K, "Comparing two
 * K-category assignments by a K-category correlation coefficient", 2004, as
 * scikit-learn): (c s - sum_k p_k t_k) / sqrt((s^2 - sum p_k^2)(s^2 - sum t_k^2))
 * with c = correct, s = N, t_k / p_k = true / predicted counts; 0 when a
 * denominator factor is 0. N = 0 gives NaN.
 */
export function mcc(options?: BaseMetricOptions): Metric<number> {
  const {name, read, options: config} = baseMetricOptions('mcc', options);
  return makeMetric<ConfusionStats, number>({
    factory: 'mcc',
    name,
    read,
    options: config,
    ...CONFUSION_STATS,
    compute: stats => {
      const c = stats.perClass();
      const s = stats.total;
      let correct = 0;
      let tp = 0;
      let pp = 0;
      let tt = 0;
      for (let k = 0; k < stats.numClasses; k++) {
        correct += c.tp[k];
        tp += c.support[k] * c.predicted[k];
        pp += c.predicted[k] * c.predicted[k];
        tt += c.support[k] * c.support[k];
      }
      const covYtYp = correct * s - tp;
      const covYpYp = s * s - pp;
      const covYtYt = s * s - tt;
      if (covYpYp * covYtYt === 0) return 0;
      return covYtYp / Math.sqrt(covYtYt * covYpYp);
    },
    empty: () => NaN,
  });
}

/** Options of `confusionMatrix`. */
export interface ConfusionMatrixOptions extends BaseMetricOptions {
  /** `'none'` (default): counts. `'true'`: rows sum to 1. `'pred'`: columns sum to 1. `'all'`: entries sum to 1 (empty rows / columns give 0). */
  normalize?: 'none' | 'true' | 'pred' | 'all';
}

/**
 * The C x C confusion matrix, rows = true class, columns = predicted class
 * (scikit-learn's orientation), over all C classes. `result()` is a nested
 * array ([] before any data). As a compile metric (which must be a scalar)
 * the function returns the batch accuracy, trace / N; callbacks.ExactMetrics
 * logs every cell as `<name>_<true>_<pred>`.
 */
export function confusionMatrix(options?: ConfusionMatrixOptions): Metric<number[][]> {
  const {name, read, options: config} = baseMetricOptions('confusionMatrix', options, ['normalize']);
  const normalize = checkOneOf('normalize', options?.normalize ?? 'none', ['none', 'true', 'pred', 'all'] as const);
  return makeMetric<ConfusionStats, number[][]>(
    {
      factory: 'confusionMatrix',
      name,
      read,
      options: {...config, normalize},
      ...CONFUSION_STATS,
      compute: stats => {
        const m = stats.matrix();
        if (normalize === 'none') return m;
        const rows = m.map(r => r.reduce((a, b) => a + b, 0));
        const cols = m[0].map((_, j) => m.reduce((a, r) => a + r[j], 0));
        return m.map((r, i) =>
          r.map((v, j) => {
            const d = normalize === 'true' ? rows[i] : normalize === 'pred' ? cols[j] : stats.total;
            return d === 0 ? 0 : v / d;
          }),
        );
      },
      empty: () => [],
    },
    (_result, stats) => {
      let correct = 0;
      for (let k = 0; k < stats.numClasses; k++) correct += stats.counts[k * stats.numClasses + k];
      return stats.total === 0 ? NaN : correct / stats.total;
    },
  );
}
