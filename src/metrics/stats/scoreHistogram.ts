/**
 * Bounded-memory statistics for AUROC and average precision: per class, the
 * number of positive and of all rows whose score falls in each of B
 * equal-width bins [b/B, (b+1)/B) (a score of 1 in the last bin) — 16 bytes per
 * bin per kept class, whatever the number of rows; histograms from shards add up.
 *
 * Scores in the same bin are treated as tied. For AUROC that is the
 * trapezoidal ROC curve through the bin edges (what Keras' `AUC` computes with
 * B - 1 thresholds); for average precision, the step-wise AP of the binned
 * scores. Both differ from the exact values only through the order inside a
 * bin, which gives the bounds computed by `aurocBound` / `averagePrecisionBound`.
 */
import {ImbalancedInputError} from '../../errors';
import {EncodedArray, decodeArray, encodeArray} from './encoding';

/** Per-class score histograms of positives and of all rows. */
export class ScoreHistogram {
  /** Number of classes C. */
  readonly numClasses: number;
  /** Number of bins B. */
  readonly bins: number;
  /** Rows per (class, bin), row-major [C, B]; zeros for classes not kept. */
  readonly all: Float64Array;
  /** Rows of that class per (class, bin). */
  readonly positives: Float64Array;
  /** Classes whose histograms are kept. */
  readonly classes: number[];
  /** Rows added. */
  total = 0;
  private readonly kept: Uint8Array;

  /**
   * @param classes which classes to keep (default all), e.g. only the positive class for binary AUROC.
   */
  constructor(numClasses: number, bins: number, classes?: number[]) {
    this.numClasses = numClasses;
    this.bins = bins;
    this.all = new Float64Array(numClasses * bins);
    this.positives = new Float64Array(numClasses * bins);
    this.classes = classes ? classes.slice() : Array.from({length: numClasses}, (_, k) => k);
    this.kept = new Uint8Array(numClasses);
    for (const k of this.classes) this.kept[k] = 1;
  }

  /** Bin of a score in [0, 1]: floor(s B), with s = 1 in the last bin. */
  binOf(score: number): number {
    const b = Math.floor(score * this.bins);
    return b < this.bins ? b : this.bins - 1;
  }

  /** Adds n rows of row-major scores [n, C] with their labels. */
  add(scores: ArrayLike<number>, labels: Int32Array, n: number): void {
    const C = this.numClasses;
    const B = this.bins;
    const classes = this.classes;
    for (let i = 0; i < n; i++) {
      const row = i * C;
      for (let c = 0; c < classes.length; c++) {
        const k = classes[c];
        this.all[k * B + this.binOf(scores[row + k])] += 1;
      }
      const y = labels[i];
      if (this.kept[y]) this.positives[y * B + this.binOf(scores[row + y])] += 1;
    }
    this.total += n;
  }

  /** Adds another histogram with the same C, B and kept classes. */
  merge(other: ScoreHistogram): void {
    for (let i = 0; i < this.all.length; i++) {
      this.all[i] += other.all[i];
      this.positives[i] += other.positives[i];
    }
    this.total += other.total;
  }

  /** Positives and negatives per bin of class k (fresh arrays). */
  split(k: number): {pos: Float64Array; neg: Float64Array} {
    const B = this.bins;
    const pos = this.positives.slice(k * B, (k + 1) * B);
    const neg = this.all.slice(k * B, (k + 1) * B);
    for (let b = 0; b < B; b++) neg[b] -= pos[b];
    return {pos, neg};
  }

  /** Number of rows whose true class is k (all rows are counted once per kept class). */
  support(k: number): number {
    let s = 0;
    for (let b = 0; b < this.bins; b++) s += this.positives[k * this.bins + b];
    return s;
  }

  /** Plain-JSON form: the two [C, B] count tables as base64 float64, and the row count. */
  toJSON(): {total: number; all: EncodedArray; positives: EncodedArray} {
    return {total: this.total, all: encodeArray(this.all), positives: encodeArray(this.positives)};
  }

  /** Rebuilds from `toJSON()` output (same C, B and kept classes). */
  static fromJSON(json: unknown, numClasses: number, bins: number, classes?: number[]): ScoreHistogram {
    const h = new ScoreHistogram(numClasses, bins, classes);
    const j = (json ?? {}) as {total?: unknown; all?: unknown; positives?: unknown};
    if (!Number.isSafeInteger(j.total) || (j.total as number) < 0) throw new ImbalancedInputError('state.stats.total', 'a non-negative integer', j.total);
    const all = decodeArray('state.stats.all', j.all, ['float64']);
    const positives = decodeArray('state.stats.positives', j.positives, ['float64']);
    for (const [name, table] of [['all', all], ['positives', positives]] as const) {
      if (table.length !== numClasses * bins) {
        throw new ImbalancedInputError(`state.stats.${name}`, `${numClasses} x ${bins} counts`, `${table.length} values`);
      }
    }
    let supportSum = 0;
    for (let k = 0; k < numClasses; k++) {
      let rows = 0;
      for (let b = 0; b < bins; b++) {
        const i = k * bins + b;
        const a = all[i];
        const p = positives[i];
        const ok = Number.isSafeInteger(a) && Number.isSafeInteger(p) && p >= 0 && p <= a && (h.kept[k] || a === 0);
        if (!ok) throw new ImbalancedInputError(`state.stats.positives[${i}]`, `a count in [0, all[${i}]] (class ${k}${h.kept[k] ? '' : ', not kept: 0'})`, p);
        rows += a;
        supportSum += p;
      }
      if (h.kept[k] && rows !== j.total) throw new ImbalancedInputError(`state.stats.all`, `${j.total} rows in the histogram of class ${k} (state.stats.total)`, `${rows} rows`);
    }
    if (h.classes.length === numClasses && supportSum !== j.total) {
      throw new ImbalancedInputError('state.stats.positives', `${j.total} positives in all (one per row)`, `${supportSum}`);
    }
    h.all.set(all);
    h.positives.set(positives);
    h.total = j.total as number;
    return h;
  }
}

/**
 * AUROC of binned scores, ties within a bin counted 1/2:
 * sum_b P_b (N_below(b) + N_b / 2) / (P N). NaN without positives or negatives.
 */
export function aucFromHistogram(pos: Float64Array, neg: Float64Array): number {
  let P = 0;
  let N = 0;
  let sum = 0;
  for (let b = 0; b < pos.length; b++) {
    sum += pos[b] * (N + 0.5 * neg[b]);
    P += pos[b];
    N += neg[b];
  }
  return P === 0 || N === 0 ? NaN : sum / (P * N);
}

/**
 * Largest possible |binned AUROC - exact AUROC|: only positive-negative pairs
 * in the same bin can be ordered differently by the exact scores, and each
 * counts 1/2 in the binned value and 0, 1/2 or 1 in the exact one, so the
 * bound is (1/2) sum_b P_b N_b / (P N).
 */
export function aurocBound(pos: Float64Array, neg: Float64Array): number {
  let P = 0;
  let N = 0;
  let same = 0;
  for (let b = 0; b < pos.length; b++) {
    same += pos[b] * neg[b];
    P += pos[b];
    N += neg[b];
  }
  return P === 0 || N === 0 ? NaN : (0.5 * same) / (P * N);
}

/**
 * Step-wise average precision of binned scores (scikit-learn's definition with
 * every bin one tied score): sum over bins from the top of
 * (P_b / P) * TP_b / (TP_b + FP_b), counts cumulative down to bin b. NaN without positives.
 */
export function averagePrecisionFromHistogram(pos: Float64Array, neg: Float64Array): number {
  const P = pos.reduce((a, b) => a + b, 0);
  if (P === 0) return NaN;
  let tp = 0;
  let fp = 0;
  let ap = 0;
  for (let b = pos.length - 1; b >= 0; b--) {
    tp += pos[b];
    fp += neg[b];
    if (pos[b] > 0) ap += (pos[b] / P) * (tp / (tp + fp));
  }
  return ap;
}

/**
 * Largest possible |binned AP - exact AP|. With TP, FP the counts in higher
 * bins, a positive in bin b has, in the exact ranking, a precision between
 * lo = (TP + 1) / (TP + 1 + FP + N_b) and hi = (TP + P_b) / (TP + P_b + FP);
 * the binned value q = (TP + P_b) / (TP + P_b + FP + N_b) lies between them, so
 * the bound is sum_b (P_b / P) max(q - lo, hi - q).
 */
export function averagePrecisionBound(pos: Float64Array, neg: Float64Array): number {
  const P = pos.reduce((a, b) => a + b, 0);
  if (P === 0) return NaN;
  let tp = 0;
  let fp = 0;
  let bound = 0;
  for (let b = pos.length - 1; b >= 0; b--) {
    const pb = pos[b];
    const nb = neg[b];
    if (pb > 0) {
      const lo = (tp + 1) / (tp + 1 + fp + nb);
      const hi = (tp + pb) / (tp + pb + fp);
      const q = (tp + pb) / (tp + pb + fp + nb);
      bound += (pb / P) * Math.max(q - lo, hi - q);
    }
    tp += pb;
    fp += nb;
  }
  return bound;
}
