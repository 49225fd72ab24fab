/**
 * Ranking metrics: area under the ROC curve (one-vs-rest, exact
 * Mann-Whitney statistic, ties count 1/2, as in the DWB paper's tables) and
 * average precision (area under the precision-recall curve, step-wise as
 * scikit-learn's `average_precision_score`).
 *
 * Both keep every score (./stats/scoreBuffer.ts: 4 bytes per kept class per
 * sample for float32 input, 8 for float64) and sort at `result()`:
 * O(N log N) per class. Binary data (2 classes, including a sigmoid column)
 * reports the positive class (class 1) only, so only its scores are kept.
 * Multiclass: one-vs-rest per class, then averaged.
 *
 * Undefined classes: AUROC of a class with no positives or no negatives in the
 * accumulated labels, and average precision of a class with no positives, are
 * NaN (scikit-learn raises instead); they are left out of macro / weighted
 * averages. No defined class gives NaN.
 */
import {checkOneOf} from '../core/validate';
import {ImbalancedInputError} from '../errors';
import {BaseMetricOptions, Metric, baseMetricOptions, makeMetric} from './metric';
import {CONFUSION_STATS, ConfusionStats} from './stats/confusion';
import {ScoreBuffer} from './stats/scoreBuffer';
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
}

/** Options of `auroc`. */
export interface AurocOptions extends RankingOptions {
  /**
   * Score the argmax predictions instead of the probabilities: per class
   * (TPR + TNR) / 2, i.e. the AUROC of one-hot hard predictions — what the DWB
   * paper's tables report (their values match this reading). Keeps only a
   * confusion matrix. Default false.
   */
  hardPredictions?: boolean;
}

/** Per-class options as a type for the overloads. */
export type PerClassRanking<T extends RankingOptions> = T & {average: 'none'};

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

function rankingMetric(
  factory: 'auroc' | 'auprc',
  opts: AurocOptions | undefined,
  perClass: (pos: ArrayLike<number>, neg: ArrayLike<number>) => number,
): Metric<number | number[]> {
  const {name, read, options} = baseMetricOptions(factory, opts, factory === 'auroc' ? ['average', 'hardPredictions'] : ['average']);
  const average = checkOneOf('average', opts?.average ?? 'macro', ['macro', 'weighted', 'none'] as const);
  const hardPredictions = factory === 'auroc' ? opts?.hardPredictions ?? false : false;
  if (typeof hardPredictions !== 'boolean') throw new ImbalancedInputError('hardPredictions', 'a boolean', hardPredictions);
  const config: Record<string, unknown> = {...options, average};
  if (factory === 'auroc') config.hardPredictions = hardPredictions;

  if (hardPredictions) {
    return makeMetric<ConfusionStats, number | number[]>({
      factory,
      name,
      read,
      options: config,
      ...CONFUSION_STATS,
      compute: stats => {
        const c = stats.perClass();
        const values = Array.from({length: stats.numClasses}, (_, k) => {
          const pos = c.tp[k] + c.fn[k];
          const neg = c.tn[k] + c.fp[k];
          // AUROC of a 0/1 score = (TPR + TNR) / 2.
          return pos === 0 || neg === 0 ? NaN : (c.tp[k] / pos + c.tn[k] / neg) / 2;
        });
        return combine(values, Array.from(c.support), average, stats.numClasses);
      },
      empty: () => (average === 'none' ? [] : NaN),
    });
  }

  return makeMetric<ScoreBuffer, number | number[]>({
    factory,
    name,
    read,
    options: config,
    create: C => new ScoreBuffer(C, 'auto', C === 2 && average !== 'none' ? [1] : undefined),
    add: (stats, batch) => stats.add(batch.probs, batch.labels, batch.n),
    compute: stats => {
      const C = stats.numClasses;
      const labels = stats.labels.view();
      const support = new Array<number>(C).fill(0);
      for (let i = 0; i < labels.length; i++) support[labels[i]]++;
      const classes = C === 2 && average !== 'none' ? [1] : Array.from({length: C}, (_, k) => k);
      const values = new Array<number>(C).fill(NaN);
      for (const k of classes) {
        const {pos, neg} = stats.sortedSplit(k);
        values[k] = perClass(pos, neg);
      }
      return combine(values, support, average, C);
    },
    empty: () => (average === 'none' ? [] : NaN),
  });
}

/**
 * Area under the ROC curve (the exact Mann-Whitney statistic), one-vs-rest, ties counted 1/2, as
 * reported in the tables of Fernando & Tsokos, "Dynamically Weighted Balanced Loss: Class Imbalanced Learning and Confidence Calibration of Deep Neural Networks" (IEEE TNNLS 2021).
 * Binary: the positive class's AUROC (equal to
 * the macro mean over both classes). Multiclass: `average` over the classes
 * that have positives and negatives (scikit-learn's `roc_auc_score(...,
 * multi_class='ovr')` when every class is present).
 */
export function auroc(options: PerClassRanking<AurocOptions>): Metric<number[]>;
export function auroc(options?: AurocOptions): Metric<number>;
export function auroc(options?: AurocOptions): Metric<number | number[]> {
  return rankingMetric('auroc', options, aucFromSorted);
}

/**
 * Average precision (area under the precision-recall curve, scikit-learn's
 * `average_precision_score`). Binary: the positive class. Multiclass:
 * one-vs-rest per class, `average` over the classes with positives.
 */
export function auprc(options: PerClassRanking<RankingOptions>): Metric<number[]>;
export function auprc(options?: RankingOptions): Metric<number>;
export function auprc(options?: RankingOptions): Metric<number | number[]> {
  return rankingMetric('auprc', options, averagePrecisionFromSorted);
}
