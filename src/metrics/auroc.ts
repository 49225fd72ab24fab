/**
 * Ranking metrics: area under the ROC curve (one-vs-rest, exact
 * Mann-Whitney statistic, ties count 1/2, as in the DWB paper's tables) and
 * average precision (area under the precision-recall curve, step-wise as
 * scikit-learn's `average_precision_score`).
 *
 * Exact by default: every score is kept (./stats/scoreBuffer.ts: 4 bytes per
 * kept class per sample for float32 input, 8 for float64) and sorted at
 * `result()`: O(N log N) per class. With `bins: B` the scores are counted in B
 * fixed bins instead (./stats/scoreHistogram.ts: 16 B bytes per kept class,
 * whatever N) and `errorBound()` gives the largest possible difference from
 * the exact value for the data seen. Binary data (2 classes, including a
 * sigmoid column) reports the positive class (class 1) only, so only its
 * scores are kept. Multiclass: one-vs-rest per class, then averaged.
 *
 * Undefined classes: AUROC of a class with no positives or no negatives in the
 * accumulated labels, and average precision of a class with no positives, are
 * NaN (scikit-learn raises instead); they are left out of macro / weighted
 * averages. No defined class gives NaN.
 */
import {checkBoolean, checkNumber, checkOneOf} from '../core/validate';
import {ImbalancedInputError} from '../errors';
import {BaseMetricOptions, Metric, MetricSpec, baseMetricOptions, makeMetric} from './metric';
import {CONFUSION_STATS, ConfusionStats} from './stats/confusion';
import {ScoreBuffer} from './stats/scoreBuffer';
import {
  ScoreHistogram, aucFromHistogram, aurocBound, averagePrecisionBound, averagePrecisionFromHistogram,
} from './stats/scoreHistogram';
import {nanAverage} from './classification';

/** How per-class (one-vs-rest) values are combined. */
export type RankingAverage = 'macro' | 'weighted' | 'none';

/** Options of `auroc` and `auprc`. */
export interface RankingOptions extends BaseMetricOptions {
  /**
   * `'macro'` (default): unweighted mean over the defined classes.
   * `'weighted'`: weighted by each class's count in the labels. `'none'`: one
   * value per class 0..C-1 (NaN where undefined); for binary data both
   * classes are reported.
   */
  average?: RankingAverage;
  /**
   * Bounded memory: count the scores in this many equal-width bins of [0, 1]
   * (integer >= 2, e.g. 4096) instead of keeping every score. Scores in one
   * bin count as tied: AUROC is then the trapezoidal ROC curve through the
   * bin edges (as Keras' `AUC(num_thresholds)`), AP the step-wise AP over the
   * bins. State: 16 bytes per bin per kept class (655 kB for 10 classes x 4096
   * bins) for any number of rows. `errorBound()` returns the largest possible
   * |binned - exact| on the data seen; for AUROC, half the share of
   * positive-negative pairs that share a bin, (1/2) sum_b P_b N_b / (P N).
   * Default: exact (every score kept).
   */
  bins?: number;
}

/** A ranking metric: a Metric with the bound on its distance from the exact value. */
export interface RankingMetric<R> extends Metric<R> {
  /**
   * Largest possible |result() - exact value| for the data accumulated, in
   * the shape of `result()`: 0 for exact metrics; with `bins`, the bound of
   * each class (for averages, the same average of the class bounds). NaN
   * where the metric is undefined, or before any data.
   */
  errorBound(): R;
  /** A new metric with the same options and empty statistics. */
  clone(): RankingMetric<R>;
}

/** Options of `auroc`. */
export interface AurocOptions extends RankingOptions {
  /**
   * Score the argmax predictions instead of the probabilities: per class
   * (TPR + TNR) / 2, i.e. the AUROC of one-hot hard predictions — what the DWB
   * paper's tables report (their values match this reading). Keeps only a
   * confusion matrix (no `bins`). Default false.
   */
  hardPredictions?: boolean;
}

/** Per-class options as a type for the overloads. */
export type PerClassRanking<T extends RankingOptions> = T & {
  /** `'none'`: the result is one value per class (one-vs-rest), not their average. */
  average: 'none';
};

/**
 * AUROC of positives `pos` against negatives `neg`, both sorted ascending:
 * (sum over positives of #{neg < s} + 1/2 #{neg == s}) / (P N) (Mann-Whitney U
 * with mid-ranks). NaN if either set is empty.
 */
export function aucFromSorted(pos: ArrayLike<number>, neg: ArrayLike<number>): number {
  const P = pos.length;
  const N = neg.length;
  if (P === 0 || N === 0) return NaN;
  let below = 0;
  let upTo = 0;
  let sum = 0;
  for (let i = 0; i < P; i++) {
    const s = pos[i];
    while (below < N && neg[below] < s) below++;
    if (upTo < below) upTo = below;
    while (upTo < N && neg[upTo] <= s) upTo++;
    sum += below + 0.5 * (upTo - below);
  }
  return sum / (P * N);
}

/**
 * Average precision AP = sum_n (R_n - R_{n-1}) P_n over the distinct score
 * thresholds in decreasing order (scikit-learn's step-wise definition, no
 * interpolation). `pos` / `neg` sorted ascending. NaN without positives.
 */
export function averagePrecisionFromSorted(pos: ArrayLike<number>, neg: ArrayLike<number>): number {
  const P = pos.length;
  if (P === 0) return NaN;
  let i = P - 1;
  let j = neg.length - 1;
  let tp = 0;
  let fp = 0;
  let ap = 0;
  while (i >= 0) {
    const v = j >= 0 && neg[j] > pos[i] ? neg[j] : pos[i];
    let hits = 0;
    while (i >= 0 && pos[i] === v) {
      hits++;
      i--;
    }
    while (j >= 0 && neg[j] === v) {
      fp++;
      j--;
    }
    if (hits > 0) {
      tp += hits;
      ap += (hits / P) * (tp / (tp + fp));
    }
  }
  return ap;
}

function combine(values: number[], weights: number[], average: RankingAverage, numClasses: number): number | number[] {
  if (average === 'none') return values;
  if (numClasses === 2) return values[1];
  return nanAverage(values, average === 'weighted' ? weights : undefined);
}

/** The classes whose scores a ranking metric keeps: class 1 alone for binary data unless per-class values are asked for; undefined = all. */
function keptClasses(C: number, average: RankingAverage): number[] | undefined {
  return C === 2 && average !== 'none' ? [1] : undefined;
}

/** The classes a ranking metric scores (those it keeps). */
function scoredClasses(C: number, average: RankingAverage): number[] {
  return keptClasses(C, average) ?? Array.from({length: C}, (_, k) => k);
}

/** Per-class value functions of one ranking metric. */
interface RankingKind {
  /** Exact value from sorted positive / negative scores. */
  exact: (pos: ArrayLike<number>, neg: ArrayLike<number>) => number;
  /** Value from binned scores. */
  binned: (pos: Float64Array, neg: Float64Array) => number;
  /** Bound on |binned - exact|. */
  bound: (pos: Float64Array, neg: Float64Array) => number;
  /** Whether class k with P positives of N rows is defined. */
  defined: (P: number, N: number) => boolean;
}

const KINDS: Record<'auroc' | 'auprc', RankingKind> = {
  auroc: {exact: aucFromSorted, binned: aucFromHistogram, bound: aurocBound, defined: (P, N) => P > 0 && P < N},
  auprc: {exact: averagePrecisionFromSorted, binned: averagePrecisionFromHistogram, bound: averagePrecisionBound, defined: P => P > 0},
};

type Common = Pick<MetricSpec<unknown, number | number[]>, 'factory' | 'name' | 'read' | 'options' | 'empty'>;

/** Exact ranking statistics: every score kept, sorted at `result()`. */
function exactSpec(common: Common, kind: RankingKind, average: RankingAverage): MetricSpec<ScoreBuffer, number | number[]> {
  const supportOf = (stats: ScoreBuffer): number[] => {
    const labels = stats.labels.view();
    const support = new Array<number>(stats.numClasses).fill(0);
    for (let i = 0; i < labels.length; i++) support[labels[i]]++;
    return support;
  };
  return {
    ...common,
    create: C => new ScoreBuffer(C, 'auto', keptClasses(C, average)),
    add: (stats, batch) => stats.add(batch.probs, batch.labels, batch.n),
    merge: (into, from) => into.merge(from),
    save: stats => stats.toJSON(),
    load: (json, C) => ScoreBuffer.fromJSON(json, C, keptClasses(C, average)),
    size: stats => stats.size,
    compute: stats => {
      const C = stats.numClasses;
      const values = new Array<number>(C).fill(NaN);
      for (const k of scoredClasses(C, average)) {
        const {pos, neg} = stats.sortedSplit(k);
        values[k] = kind.exact(pos, neg);
      }
      return combine(values, supportOf(stats), average, C);
    },
    errorBound: stats => {
      const C = stats.numClasses;
      const support = supportOf(stats);
      const bounds = new Array<number>(C).fill(NaN);
      for (const k of scoredClasses(C, average)) bounds[k] = kind.defined(support[k], stats.size) ? 0 : NaN;
      return combine(bounds, support, average, C);
    },
  };
}

/** Bounded-memory ranking statistics: per-class score histograms over `bins` fixed bins. */
function binnedSpec(common: Common, kind: RankingKind, average: RankingAverage, bins: number): MetricSpec<ScoreHistogram, number | number[]> {
  const perClass = (stats: ScoreHistogram, f: (pos: Float64Array, neg: Float64Array) => number) => {
    const C = stats.numClasses;
    const values = new Array<number>(C).fill(NaN);
    for (const k of scoredClasses(C, average)) {
      const {pos, neg} = stats.split(k);
      values[k] = f(pos, neg);
    }
    const support = Array.from({length: C}, (_, k) => stats.support(k));
    return combine(values, support, average, C);
  };
  return {
    ...common,
    create: C => new ScoreHistogram(C, bins, keptClasses(C, average)),
    add: (stats, batch) => stats.add(batch.probs, batch.labels, batch.n),
    merge: (into, from) => into.merge(from),
    save: stats => stats.toJSON(),
    load: (json, C) => ScoreHistogram.fromJSON(json, C, bins, keptClasses(C, average)),
    size: stats => stats.total,
    compute: stats => perClass(stats, kind.binned),
    errorBound: stats => perClass(stats, kind.bound),
  };
}

/** Hard-prediction AUROC: per class (TPR + TNR) / 2 from the confusion matrix. */
function hardSpec(common: Common, average: RankingAverage): MetricSpec<ConfusionStats, number | number[]> {
  const perClass = (stats: ConfusionStats, exact: boolean) => {
    const c = stats.perClass();
    const values = Array.from({length: stats.numClasses}, (_, k) => {
      const pos = c.tp[k] + c.fn[k];
      const neg = c.tn[k] + c.fp[k];
      if (pos === 0 || neg === 0) return NaN;
      // AUROC of a 0/1 score = (TPR + TNR) / 2.
      return exact ? (c.tp[k] / pos + c.tn[k] / neg) / 2 : 0;
    });
    return combine(values, Array.from(c.support), average, stats.numClasses);
  };
  return {
    ...common,
    ...CONFUSION_STATS,
    compute: stats => perClass(stats, true),
    errorBound: stats => perClass(stats, false),
  };
}

function rankingMetric(factory: 'auroc' | 'auprc', opts: AurocOptions | undefined): RankingMetric<number | number[]> {
  const {name, read, options} = baseMetricOptions(factory, opts, factory === 'auroc' ? ['average', 'hardPredictions', 'bins'] : ['average', 'bins']);
  const average = checkOneOf('average', opts?.average ?? 'macro', ['macro', 'weighted', 'none'] as const);
  const hardPredictions = factory === 'auroc' ? checkBoolean('hardPredictions', opts?.hardPredictions ?? false) : false;
  const bins = opts?.bins === undefined ? undefined : checkNumber('bins', opts.bins, {min: 2, integer: true});
  if (bins !== undefined && hardPredictions) {
    throw new ImbalancedInputError('bins', 'no bins with hardPredictions: true (hard predictions keep only a confusion matrix)', bins);
  }
  const config: Record<string, unknown> = {...options, average};
  if (factory === 'auroc') config.hardPredictions = hardPredictions;
  if (bins !== undefined) config.bins = bins;
  const common: Common = {factory, name, read, options: config, empty: () => (average === 'none' ? [] : NaN)};
  const kind = KINDS[factory];
  if (hardPredictions) return makeMetric(hardSpec(common, average)) as RankingMetric<number | number[]>;
  if (bins !== undefined) return makeMetric(binnedSpec(common, kind, average, bins)) as RankingMetric<number | number[]>;
  return makeMetric(exactSpec(common, kind, average)) as RankingMetric<number | number[]>;
}

/**
 * Area under the ROC curve (the exact Mann-Whitney statistic), one-vs-rest, ties counted 1/2, as
 * reported in the tables of Fernando & Tsokos, "Dynamically Weighted Balanced Loss: Class Imbalanced Learning and Confidence Calibration of Deep Neural Networks" (IEEE TNNLS 2021).
 * With `bins`, bounded memory and `errorBound()` (see RankingOptions.bins).
 * Binary: the positive class's AUROC (equal to
 * the macro mean over both classes). Multiclass: `average` over the classes
 * that have positives and negatives (scikit-learn's `roc_auc_score(...,
 * multi_class='ovr')` when every class is present).
 */
export function auroc(options: PerClassRanking<AurocOptions>): RankingMetric<number[]>;
export function auroc(options?: AurocOptions): RankingMetric<number>;
export function auroc(options?: AurocOptions): RankingMetric<number | number[]> {
  return rankingMetric('auroc', options);
}

/**
 * Average precision (area under the precision-recall curve, scikit-learn's
 * `average_precision_score`). Binary: the positive class. Multiclass:
 * one-vs-rest per class, `average` over the classes with positives. With
 * `bins`, bounded memory and `errorBound()` (see RankingOptions.bins).
 */
export function auprc(options: PerClassRanking<RankingOptions>): RankingMetric<number[]>;
export function auprc(options?: RankingOptions): RankingMetric<number>;
export function auprc(options?: RankingOptions): RankingMetric<number | number[]> {
  return rankingMetric('auprc', options);
}
