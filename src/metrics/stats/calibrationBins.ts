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
 * |acc(B_m) - conf(B_m)|. Confidence sums are exact (./exactSum.ts) and
 * counts are integers, so the result does not depend on how the samples were
 * chunked, sharded or merged.
 */
import {ImbalancedInputError} from '../../errors';
import {ArrayDType, EncodedArray, countArray, decodeArray, encodeArray} from './encoding';
import {ExactSums} from './exactSum';
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
  /** Exact sum of confidences per bin. */
  readonly sumConf: ExactSums;
  /** Sum of outcomes (1 = correct / true class) per bin. */
  readonly sumAcc: Float64Array;

  constructor(readonly bins: number) {
    this.count = new Float64Array(bins);
    this.sumConf = new ExactSums(bins);
    this.sumAcc = new Float64Array(bins);
  }

  /** Adds one (confidence, outcome) pair to `bin`. */
  add(bin: number, conf: number, acc: number): void {
    this.count[bin] += 1;
    this.sumConf.add(bin, conf);
    this.sumAcc[bin] += acc;
  }

  /** Adds another column's sums (same number of bins). */
  merge(other: BinSums): void {
    for (let m = 0; m < this.bins; m++) {
      this.count[m] += other.count[m];
      this.sumAcc[m] += other.sumAcc[m];
    }
    this.sumConf.merge(other.sumConf);
  }

  /** Mean confidence in bin m (NaN when empty). */
  meanConfidence(m: number): number {
    return this.count[m] ? this.sumConf.value(m) / this.count[m] : NaN;
  }

  /** ECE and MCE of this column over `total` samples (NaN when total = 0). */
  errors(total: number): {ece: number; mce: number} {
    if (total === 0) return {ece: NaN, mce: NaN};
    let ece = 0;
    let mce = 0;
    for (let m = 0; m < this.bins; m++) {
      const c = this.count[m];
      if (c === 0) continue;
      const conf = this.sumConf.value(m);
      ece += Math.abs(this.sumAcc[m] - conf) / total;
      const gap = Math.abs(this.sumAcc[m] / c - conf / c);
      if (gap > mce) mce = gap;
    }
    return {ece, mce};
  }

  /** Plain-JSON form: counts, outcome sums, confidence-sum partials. */
  toJSON(): {count: number[]; sumAcc: number[]; sumConf: number[][]} {
    return {count: Array.from(this.count), sumAcc: Array.from(this.sumAcc), sumConf: this.sumConf.toJSON()};
  }

  /** Rebuilds from `toJSON()` output. */
  static fromJSON(parameter: string, json: unknown, bins: number): BinSums {
    const j = json as {count?: unknown; sumAcc?: unknown; sumConf?: unknown};
    if (j === null || typeof j !== 'object') throw new ImbalancedInputError(parameter, '{count, sumAcc, sumConf}', json);
    const sums = new BinSums(bins);
    sums.count.set(countArray(`${parameter}.count`, j.count, bins));
    sums.sumAcc.set(countArray(`${parameter}.sumAcc`, j.sumAcc, bins));
    sums.sumConf.merge(ExactSums.fromJSON(`${parameter}.sumConf`, j.sumConf, bins));
    return sums;
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

/** What `CalibrationStats.add` reads from a batch. */
export interface CalibrationBatch {
  /** Row-major probabilities [n, C]. */
  probs: ArrayLike<number>;
  /** True class per row. */
  labels: Int32Array;
  /** Argmax class per row (first index on ties). */
  top: Int32Array;
  /** Number of rows. */
  n: number;
}

/** JSON state of `CalibrationStats`: per-column bin sums (uniform) or every confidence and outcome (quantile). */
export type CalibrationState =
  | {columns: ReturnType<BinSums['toJSON']>[]}
  | {confidences: EncodedArray[]; outcomes: EncodedArray};

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
  /** Uniform edges m / M, m = 0..M (float64). */
  private readonly edges: Float64Array;
  /** topLabel + quantile: confidences and outcomes. classwise + quantile: one column per class + labels. */
  private readonly confBuf: GrowableArray[] = [];
  private readonly outBuf: GrowableArray;

  constructor(numClasses: number, bins: number, mode: CalibrationMode, binning: Binning) {
    this.numClasses = numClasses;
    this.bins = bins;
    this.mode = mode;
    this.binning = binning;
    this.edges = Float64Array.from({length: bins + 1}, (_, m) => m / bins);
    const columns = mode === 'topLabel' ? 1 : numClasses;
    if (binning === 'uniform') {
      for (let k = 0; k < columns; k++) this.uniform.push(new BinSums(bins));
    } else {
      for (let k = 0; k < columns; k++) this.confBuf.push(new GrowableArray('float64'));
    }
    this.outBuf = new GrowableArray('int32');
  }

  /** Adds n rows of row-major probabilities [n, C] with their true labels and argmax classes. */
  add({probs, labels, top, n}: CalibrationBatch): void {
    const C = this.numClasses;
    if (this.mode === 'topLabel' && this.binning === 'uniform') {
      // One pass: the top-label confidence is the probability of the argmax class.
      const {count, sumAcc, sumConf} = this.uniform[0];
      for (let i = 0; i < n; i++) {
        const k = top[i];
        const conf = probs[i * C + k];
        const m = this.uniformBinOf(conf);
        count[m] += 1;
        if (k === labels[i]) sumAcc[m] += 1;
        sumConf.add(m, conf);
      }
    } else if (this.mode === 'topLabel') {
      for (let i = 0; i < n; i++) {
        const k = top[i];
        this.confBuf[0].push(probs[i * C + k]);
        this.outBuf.push(k === labels[i] ? 1 : 0);
      }
    } else if (this.binning === 'uniform') {
      for (let i = 0; i < n; i++) {
        const row = i * C;
        const y = labels[i];
        for (let k = 0; k < C; k++) {
          const p = probs[row + k];
          this.uniform[k].add(this.uniformBinOf(p), p, y === k ? 1 : 0);
        }
      }
    } else {
      for (let k = 0; k < C; k++) this.confBuf[k].pushStrided(probs, k, C, n);
      this.outBuf.pushStrided(labels, 0, 1, n);
    }
    this.total += n;
  }

  /** `uniformBin(conf, M)` with the edges m / M read from a table instead of divided out. */
  private uniformBinOf(conf: number): number {
    const bins = this.bins;
    let b = Math.ceil(conf * bins) - 1;
    if (b > 0 && conf <= this.edges[b]) b--;
    else if (b < bins - 1 && conf > this.edges[b + 1]) b++;
    return b < 0 ? 0 : b >= bins ? bins - 1 : b;
  }

  /** Adds the statistics of another instance with the same C, M, mode and binning. */
  merge(other: CalibrationStats): void {
    if (this.binning === 'uniform') this.uniform.forEach((sums, k) => sums.merge(other.uniform[k]));
    else {
      this.confBuf.forEach((buf, k) => buf.append(other.confBuf[k]));
      this.outBuf.append(other.outBuf);
    }
    this.total += other.total;
  }

  /** Plain-JSON state (see `CalibrationState`). */
  toJSON(): CalibrationState {
    if (this.binning === 'uniform') return {columns: this.uniform.map(s => s.toJSON())};
    return {confidences: this.confBuf.map(b => encodeArray(b.view())), outcomes: encodeArray(this.outBuf.view())};
  }

  /** Rebuilds from `toJSON()` output for the given configuration. */
  static fromJSON(json: unknown, numClasses: number, bins: number, mode: CalibrationMode, binning: Binning): CalibrationStats {
    const stats = new CalibrationStats(numClasses, bins, mode, binning);
    const columns = mode === 'topLabel' ? 1 : numClasses;
    const j = json as Partial<{columns: unknown; confidences: unknown; outcomes: unknown}>;
    if (j === null || typeof j !== 'object') throw new ImbalancedInputError('state.stats', 'calibration statistics', json);
    if (binning === 'uniform') {
      if (!Array.isArray(j.columns) || j.columns.length !== columns) {
        throw new ImbalancedInputError('state.stats.columns', `${columns} lists of bin sums`, j.columns);
      }
      j.columns.forEach((c, k) => stats.uniform[k].merge(BinSums.fromJSON(`state.stats.columns[${k}]`, c, bins)));
      stats.total = stats.uniform[0].count.reduce((a, b) => a + b, 0);
      return stats;
    }
    if (!Array.isArray(j.confidences) || j.confidences.length !== columns) {
      throw new ImbalancedInputError('state.stats.confidences', `${columns} encoded arrays`, j.confidences);
    }
    const outcomes = decodeArray('state.stats.outcomes', j.outcomes, ['int32'] as ArrayDType[]);
    const lastValid = mode === 'topLabel' ? 1 : numClasses - 1;
    outcomes.forEach((v, i) => {
      if (!(v >= 0 && v <= lastValid)) throw new ImbalancedInputError(`state.stats.outcomes[${i}]`, `an integer in [0, ${lastValid}]`, v);
    });
    j.confidences.forEach((c, k) => {
      const conf = decodeArray(`state.stats.confidences[${k}]`, c, ['float64']);
      if (conf.length !== outcomes.length) {
        throw new ImbalancedInputError(`state.stats.confidences[${k}]`, `${outcomes.length} values (one per outcome)`, `${conf.length} values`);
      }
      conf.forEach((v, i) => {
        if (!(v >= 0 && v <= 1)) throw new ImbalancedInputError(`state.stats.confidences[${k}][${i}]`, 'a confidence in [0, 1]', v);
      });
      stats.confBuf[k].pushStrided(conf, 0, 1, conf.length);
    });
    stats.outBuf.pushStrided(outcomes, 0, 1, outcomes.length);
    stats.total = outcomes.length;
    return stats;
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
