/**
 * Calibration-bin statistics behind ECE, MCE and the reliability diagram
 * (Naeini et al. 2015; Guo et al., "On Calibration of Modern Neural Networks", 2017).
 *
 * Uniform bins: M equal-width bins B_m = ((m-1)/M, m/M], m = 1..M; a
 * confidence c goes to bin index #{m in 1..M-1 : m/M < c} (edges m/M computed
 * in float64), so c = 0 lands in the first bin, c = 1 in the last and a
 * confidence exactly on an edge in the lower bin (the torchmetrics #1646 /
 * #3510 edge bugs cannot happen). Sufficient statistics
 * are O(M) per calibrated column: count, sum of confidences, sum of outcomes.
 *
 * Quantile bins (equal mass, "adaptive"): the accumulated confidences are
 * sorted (s_0 <= ... <= s_{n-1}); the M - 1 inner edges are
 * e_m = s[ceil(m n / M) - 1], m = 1..M-1, and c goes to the number of edges
 * strictly below it, i.e. bins (e_{m-1}, e_m] again. Equal confidences always
 * share a bin, so ties can make bins uneven or empty. This needs every
 * confidence: O(N) memory (8 bytes per sample for top-label, 8 bytes per
 * class per sample for classwise).
 *
 * Both: empty bins are skipped; ECE = sum_m |sum acc - sum conf| / n, i.e.
 * sum_m (|B_m| / n) |acc(B_m) - conf(B_m)|, MCE = max over non-empty m of
 * |acc(B_m) - conf(B_m)|.
 */
import {GrowableArray} from './scoreBuffer';

/** How confidences are grouped into bins. */
export type Binning = 'uniform' | 'quantile';
/** Which probabilities are calibrated: the top label, or every class column. */
export type CalibrationMode = 'topLabel' | 'classwise';

/**
 * Uniform bin index of a confidence in [0, 1]: the number of edges m / M
 * (float64, m = 1..M-1) strictly below c — ceil(c M) - 1, corrected by one
 * when the product c M rounded across an edge — so c = m / M is in bin m - 1,
 * c = 0 in bin 0 and c = 1 in bin M - 1.
 */
export function uniformBin(conf: number, bins: number): number {
  let b = Math.ceil(conf * bins) - 1;
  if (b > 0 && conf <= b / bins) b--;
  else if (b < bins - 1 && conf > (b + 1) / bins) b++;
  return b < 0 ? 0 : b >= bins ? bins - 1 : b;
}

/** Inner quantile edges e_m = sorted[ceil(m n / M) - 1], m = 1..M-1 (see the module comment). */
export function quantileEdges(sorted: ArrayLike<number>, bins: number): Float64Array {
  const n = sorted.length;
  const edges = new Float64Array(Math.max(0, bins - 1));
  for (let m = 1; m < bins; m++) edges[m - 1] = sorted[Math.max(0, Math.ceil((m * n) / bins) - 1)];
  return edges;
}

/** Number of edges strictly below c (binary search): the quantile bin index of c. */
export function quantileBin(edges: Float64Array, conf: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] < conf) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Per-bin count, confidence sum and outcome sum for one calibrated column. */
export class BinSums {
  /** Samples per bin. */
  readonly count: Float64Array;
  /** Sum of confidences per bin. */
  readonly sumConf: Float64Array;
  /** Sum of outcomes (1 = correct / true class) per bin. */
  readonly sumAcc: Float64Array;

  constructor(readonly bins: number) {
    this.count = new Float64Array(bins);
    this.sumConf = new Float64Array(bins);
    this.sumAcc = new Float64Array(bins);
  }

  /** Adds one (confidence, outcome) pair to `bin`. */
  add(bin: number, conf: number, acc: number): void {
    this.count[bin] += 1;
    this.sumConf[bin] += conf;
    this.sumAcc[bin] += acc;
  }

  /** ECE and MCE of this column over `total` samples (NaN when total = 0). */
  errors(total: number): {ece: number; mce: number} {
    if (total === 0) return {ece: NaN, mce: NaN};
    let ece = 0;
    let mce = 0;
    for (let m = 0; m < this.bins; m++) {
      const c = this.count[m];
      if (c === 0) continue;
      ece += Math.abs(this.sumAcc[m] - this.sumConf[m]) / total;
      const gap = Math.abs(this.sumAcc[m] / c - this.sumConf[m] / c);
      if (gap > mce) mce = gap;
    }
    return {ece, mce};
  }
}

/** Bins a whole column of (confidence, outcome) pairs with equal-mass edges. */
export function quantileBinSums(conf: ArrayLike<number>, acc: (i: number) => number, bins: number): {sums: BinSums; edges: Float64Array} {
  const n = conf.length;
  const sorted = Float64Array.from(conf as ArrayLike<number>);
  sorted.sort();
  const edges = quantileEdges(sorted, bins);
  const sums = new BinSums(bins);
  for (let i = 0; i < n; i++) sums.add(quantileBin(edges, conf[i]), conf[i], acc(i));
  return {sums, edges};
}

/**
 * Streaming calibration statistics for one (mode, binning) pair over C classes.
 * `topLabel`: confidence max_j p_ij, outcome 1[argmax_j p_ij == y_i] (first
 * index on ties). `classwise`: for every class k, confidence p_ik and outcome
 * 1[y_i == k]; the result is the mean over the C classes of each class's
 * ECE (MCE), i.e. Kull et al. (2019) classwise-ECE.
 */
export class CalibrationStats {
  /** Number of classes C. */
  readonly numClasses: number;
  /** Number of bins M. */
  readonly bins: number;
  /** Top-label or classwise. */
  readonly mode: CalibrationMode;
  /** Uniform or quantile bins. */
  readonly binning: Binning;
  /** Samples seen. */
  total = 0;
  private readonly uniform: BinSums[] = [];
  /** topLabel + quantile: confidences and outcomes. classwise + quantile: one column per class + labels. */
  private readonly confBuf: GrowableArray[] = [];
  private readonly outBuf: GrowableArray;

  constructor(numClasses: number, bins: number, mode: CalibrationMode, binning: Binning) {
    this.numClasses = numClasses;
    this.bins = bins;
    this.mode = mode;
    this.binning = binning;
    const columns = mode === 'topLabel' ? 1 : numClasses;
    if (binning === 'uniform') {
      for (let k = 0; k < columns; k++) this.uniform.push(new BinSums(bins));
    } else {
      for (let k = 0; k < columns; k++) this.confBuf.push(new GrowableArray('float64'));
    }
    this.outBuf = new GrowableArray('int32');
  }

  /** Adds n rows of row-major probabilities [n, C] with their true labels. */
  add(probs: ArrayLike<number>, labels: Int32Array, n: number): void {
    const C = this.numClasses;
    if (this.mode === 'topLabel') {
      const conf = new Float64Array(n);
      const correct = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const row = i * C;
        let best = 0;
        let bestP = probs[row];
        for (let j = 1; j < C; j++) {
          const p = probs[row + j];
          if (p > bestP) {
            bestP = p;
            best = j;
          }
        }
        conf[i] = bestP;
        correct[i] = best === labels[i] ? 1 : 0;
      }
      if (this.binning === 'uniform') {
        const sums = this.uniform[0];
        for (let i = 0; i < n; i++) sums.add(uniformBin(conf[i], this.bins), conf[i], correct[i]);
      } else {
        this.confBuf[0].pushStrided(conf, 0, 1, n);
        this.outBuf.pushStrided(correct, 0, 1, n);
      }
    } else if (this.binning === 'uniform') {
      for (let i = 0; i < n; i++) {
        const row = i * C;
        const y = labels[i];
        for (let k = 0; k < C; k++) {
          const p = probs[row + k];
          this.uniform[k].add(uniformBin(p, this.bins), p, y === k ? 1 : 0);
        }
      }
    } else {
      for (let k = 0; k < C; k++) this.confBuf[k].pushStrided(probs, k, C, n);
      this.outBuf.pushStrided(labels, 0, 1, n);
    }
    this.total += n;
  }

  /** Bin sums per calibrated column (one for topLabel, C for classwise), plus the quantile edges used. */
  binSums(): {sums: BinSums; edges?: Float64Array}[] {
    if (this.binning === 'uniform') return this.uniform.map(sums => ({sums}));
    const out = this.outBuf.view();
    if (this.mode === 'topLabel') return [quantileBinSums(this.confBuf[0].view(), i => out[i], this.bins)];
    return this.confBuf.map((buf, k) => quantileBinSums(buf.view(), i => (out[i] === k ? 1 : 0), this.bins));
  }

  /** ECE and MCE (classwise: means over classes of the per-class values). NaN with no samples. */
  errors(): {ece: number; mce: number} {
    if (this.total === 0) return {ece: NaN, mce: NaN};
    const per = this.binSums().map(b => b.sums.errors(this.total));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    return {ece: mean(per.map(p => p.ece)), mce: mean(per.map(p => p.mce))};
  }
}
