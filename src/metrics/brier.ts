/**
 * Brier score (DWB paper eq. 19) and balanced Brier score (ReMix eq. 3,
 * Wallace & Dahabreh). Both are sums of per-sample squared errors, so the state is
 * one float64 sum and count per class: exact under any chunking, and the batch
 * average tfjs logs for `brier` is already right when every batch has the same size.
 */
import {BaseMetricOptions, Metric, baseMetricOptions, makeMetric} from './metric';
import {countArray} from './stats/encoding';
import {ExactSums} from './stats/exactSum';

/** Per-class exact sums of squared errors and sample counts: the statistics of both scores. */
interface SquaredErrors {
  sum: ExactSums;
  count: Float64Array;
}

const totalOf = (counts: Float64Array): number => counts.reduce((a, b) => a + b, 0);

/** A Brier-type metric over per-class squared-error sums; `compute` turns the sums into the score. */
function squaredErrorMetric(factory: 'brier' | 'balancedBrier', opts: BaseMetricOptions | undefined, compute: (stats: SquaredErrors) => number): Metric<number> {
  const {name, read, options} = baseMetricOptions(factory, opts);
  return makeMetric<SquaredErrors, number>({
    factory,
    name,
    read,
    options,
    create: C => ({sum: new ExactSums(C), count: new Float64Array(C)}),
    add: (stats, batch) => {
      const C = batch.numClasses;
      for (let i = 0; i < batch.n; i++) {
        // sum_j (y_ij - p_ij)^2 against the one-hot label y_i.
        const y = batch.labels[i];
        let s = 0;
        for (let j = 0; j < C; j++) {
          const d = (j === y ? 1 : 0) - batch.probs[i * C + j];
          s += d * d;
        }
        stats.sum.add(y, s);
        stats.count[y] += 1;
      }
    },
    merge: (into, from) => {
      into.sum.merge(from.sum);
      for (let k = 0; k < into.count.length; k++) into.count[k] += from.count[k];
    },
    save: stats => ({sum: stats.sum.toJSON(), count: Array.from(stats.count)}),
    load: (json, C) => {
      const j = (json ?? {}) as {sum?: unknown; count?: unknown};
      return {sum: ExactSums.fromJSON('state.stats.sum', j.sum, C), count: Float64Array.from(countArray('state.stats.count', j.count, C))};
    },
    size: stats => totalOf(stats.count),
    compute,
    empty: () => NaN,
  });
}

/**
 * Brier score summed over classes: BS = (1/N) sum_i sum_j (y_ij - p_ij)^2,
 * range [0, 2]: eq. 19 of Fernando & Tsokos, "Dynamically Weighted Balanced Loss: Class Imbalanced Learning and Confidence Calibration of Deep Neural Networks" (IEEE TNNLS 2021).
 * A one-column sigmoid output
 * counts as two classes [1 - p, p], so for binary data this is twice
 * scikit-learn's `brier_score_loss` (which uses the positive column only).
 * N = 0 gives NaN.
 */
export function brier(options?: BaseMetricOptions): Metric<number> {
  return squaredErrorMetric('brier', options, stats => {
    const n = totalOf(stats.count);
    return n === 0 ? NaN : stats.sum.total() / n;
  });
}

/**
 * Balanced Brier score of Bellinger, Corizzo & Japkowicz, "ReMix Training for Calibrated Imbalanced Deep Learning", eq. 3,
 * in its multiclass half-sum form:
 * BS_k = (1 / (2 N_k)) sum_{i: y_i = k} sum_j (y_ij - p_ij)^2 and
 * BBS = mean of BS_k over the classes present in the accumulated labels
 * (N_k > 0; the authors' code divides by all K — we skip absent classes).
 * Range [0, 1]; for binary data it equals (BS+ + BS-) / 2 of Wallace &
 * Dahabreh. N = 0 gives NaN.
 */
export function balancedBrier(options?: BaseMetricOptions): Metric<number> {
  return squaredErrorMetric('balancedBrier', options, stats => {
    let total = 0;
    let present = 0;
    stats.count.forEach((c, k) => {
      if (c > 0) {
        total += stats.sum.value(k) / (2 * c);
        present++;
      }
    });
    return present === 0 ? NaN : total / present;
  });
}
