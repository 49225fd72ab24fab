/**
 * Brier score (DWB paper eq. 19) and balanced Brier score (ReMix eq. 3,
 * remix.md §4). Both are sums of per-sample squared errors, so the state is a
 * few float64 sums: exact under any chunking, and the batch average tfjs logs
 * for `brier` is already right when every batch has the same size.
 */
import {BaseMetricOptions, Batch, Metric, baseMetricOptions, makeMetric} from './metric';

/** Squared error of row i against its one-hot label: sum_j (y_ij - p_ij)^2. */
function rowSquaredError(batch: Batch, i: number): number {
  const C = batch.numClasses;
  const row = i * C;
  const y = batch.labels[i];
  let s = 0;
  for (let j = 0; j < C; j++) {
    const d = (j === y ? 1 : 0) - batch.probs[row + j];
    s += d * d;
  }
  return s;
}

/**
 * Brier score summed over classes: BS = (1/N) sum_i sum_j (y_ij - p_ij)^2,
 * range [0, 2] (DWB eq. 19, oracle M1 = 0.495). A one-column sigmoid output
 * counts as two classes [1 - p, p], so for binary data this is twice
 * scikit-learn's `brier_score_loss` (which uses the positive column only).
 * N = 0 gives NaN.
 */
export function brier(options?: BaseMetricOptions): Metric<number> {
  const {name, read, options: config} = baseMetricOptions('brier', options);
  return makeMetric<{sum: number; n: number}, number>({
    factory: 'brier',
    name,
    read,
    options: config,
    create: () => ({sum: 0, n: 0}),
    add: (stats, batch) => {
      for (let i = 0; i < batch.n; i++) stats.sum += rowSquaredError(batch, i);
      stats.n += batch.n;
    },
    compute: stats => (stats.n === 0 ? NaN : stats.sum / stats.n),
    empty: () => NaN,
  });
}

/**
 * Balanced Brier score (ReMix eq. 3, half-sum form of remix.md §4):
 * BS_k = (1 / (2 N_k)) sum_{i: y_i = k} sum_j (y_ij - p_ij)^2 and
 * BBS = mean of BS_k over the classes present in the accumulated labels
 * (N_k > 0; the authors' code divides by all K — we skip absent classes).
 * Range [0, 1]; for binary data it equals (BS+ + BS-) / 2 of Wallace &
 * Dahabreh (oracle: 0.0775). N = 0 gives NaN.
 */
export function balancedBrier(options?: BaseMetricOptions): Metric<number> {
  const {name, read, options: config} = baseMetricOptions('balancedBrier', options);
  return makeMetric<{sum: Float64Array; count: Float64Array}, number>({
    factory: 'balancedBrier',
    name,
    read,
    options: config,
    create: C => ({sum: new Float64Array(C), count: new Float64Array(C)}),
    add: (stats, batch) => {
      for (let i = 0; i < batch.n; i++) {
        const k = batch.labels[i];
        stats.sum[k] += rowSquaredError(batch, i);
        stats.count[k] += 1;
      }
    },
    compute: stats => {
      let total = 0;
      let present = 0;
      stats.count.forEach((c, k) => {
        if (c > 0) {
          total += stats.sum[k] / (2 * c);
          present++;
        }
      });
      return present === 0 ? NaN : total / present;
    },
    empty: () => NaN,
  });
}
