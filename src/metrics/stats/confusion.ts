/**
 * Confusion-matrix sufficient statistics: every count-based metric (precision,
 * recall, F1, g-mean, balanced accuracy, MCC, hard-prediction AUROC, real-world
 * cost) is a function of this C x C table, so streaming the data in any number
 * of chunks gives exactly the same result as one call, and tables from shards
 * add up to the table of the whole set.
 */
import {countArray} from './encoding';

/** Per-class one-vs-rest counts derived from a confusion matrix. */
export interface PerClassCounts {
  /** Correct predictions of class k: C[k][k]. */
  tp: Float64Array;
  /** Predicted k, true class another: column sum - tp. */
  fp: Float64Array;
  /** True k, predicted another: row sum - tp. */
  fn: Float64Array;
  /** Neither true nor predicted k. */
  tn: Float64Array;
  /** Number of samples whose true class is k (row sum). */
  support: Float64Array;
  /** Number of samples predicted as k (column sum). */
  predicted: Float64Array;
}

/** A C x C count table; rows are true classes, columns predicted classes. */
export class ConfusionStats {
  /** Number of classes C. */
  readonly numClasses: number;
  /** Row-major counts, `counts[true * C + predicted]` (float64: exact up to 2^53). */
  readonly counts: Float64Array;
  /** Number of samples added. */
  total = 0;

  constructor(numClasses: number) {
    this.numClasses = numClasses;
    this.counts = new Float64Array(numClasses * numClasses);
  }

  /** Adds `n` (label, prediction) pairs. */
  add(labels: Int32Array, preds: Int32Array, n = labels.length): void {
    const C = this.numClasses;
    const counts = this.counts;
    for (let i = 0; i < n; i++) counts[labels[i] * C + preds[i]] += 1;
    this.total += n;
  }

  /** Adds another table of the same size. */
  merge(other: ConfusionStats): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i] += other.counts[i];
    this.total += other.total;
  }

  /** Plain-JSON form: the C x C counts, row-major. */
  toJSON(): {counts: number[]} {
    return {counts: Array.from(this.counts)};
  }

  /** Rebuilds from `toJSON()` output. */
  static fromJSON(json: unknown, numClasses: number): ConfusionStats {
    const stats = new ConfusionStats(numClasses);
    const counts = countArray('state.stats.counts', (json as {counts?: unknown} | null)?.counts, numClasses * numClasses);
    stats.counts.set(counts);
    stats.total = counts.reduce((a, b) => a + b, 0);
    return stats;
  }

  /** The count table as nested arrays (rows = true class). */
  matrix(): number[][] {
    const C = this.numClasses;
    const out: number[][] = [];
    for (let i = 0; i < C; i++) out.push(Array.from(this.counts.subarray(i * C, (i + 1) * C)));
    return out;
  }

  /** TP / FP / FN / TN / support per class (one-vs-rest). */
  perClass(): PerClassCounts {
    const C = this.numClasses;
    const tp = new Float64Array(C);
    const support = new Float64Array(C);
    const predicted = new Float64Array(C);
    for (let i = 0; i < C; i++) {
      for (let j = 0; j < C; j++) {
        const v = this.counts[i * C + j];
        support[i] += v;
        predicted[j] += v;
      }
      tp[i] = this.counts[i * C + i];
    }
    const fp = new Float64Array(C);
    const fn = new Float64Array(C);
    const tn = new Float64Array(C);
    for (let k = 0; k < C; k++) {
      fp[k] = predicted[k] - tp[k];
      fn[k] = support[k] - tp[k];
      tn[k] = this.total - tp[k] - fp[k] - fn[k];
    }
    return {tp, fp, fn, tn, support, predicted};
  }

  /**
   * Classes that occur in the true labels or in the predictions, ascending:
   * scikit-learn's default label set (`unique_labels(y_true, y_pred)`).
   */
  presentLabels(counts: PerClassCounts = this.perClass()): number[] {
    const out: number[] = [];
    for (let k = 0; k < this.numClasses; k++) if (counts.support[k] > 0 || counts.predicted[k] > 0) out.push(k);
    return out;
  }
}

/** The statistics hooks (create, add, merge, save, load, size) of every metric computed from the confusion matrix of hard predictions. */
export const CONFUSION_STATS = {
  create: (numClasses: number): ConfusionStats => new ConfusionStats(numClasses),
  add: (stats: ConfusionStats, batch: {labels: Int32Array; pred: Int32Array; n: number}): void => stats.add(batch.labels, batch.pred, batch.n),
  merge: (into: ConfusionStats, from: ConfusionStats): void => into.merge(from),
  save: (stats: ConfusionStats): unknown => stats.toJSON(),
  load: (json: unknown, numClasses: number): ConfusionStats => ConfusionStats.fromJSON(json, numClasses),
  size: (stats: ConfusionStats): number => stats.total,
};
