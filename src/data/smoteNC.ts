/**
 * SMOTE-NC (Chawla, Bowyer, Hall & Kegelmeyer 2002, §6.1; imbalanced-learn's
 * `SMOTENC`): SMOTE for rows that mix continuous and categorical features.
 * The categorical features are integer codes in the same `xs`, picked by
 * `categoricalFeatures`. For each grown class c:
 *
 * 1. m_c = the median, over the continuous features, of their standard
 *    deviation (population, ddof 0) within class c.
 * 2. Neighbours: the k nearest other rows of class c under
 *
 *        dist^2(a, b) = sum_{continuous t} (a_t - b_t)^2 + m_c^2 * #{categorical t : a_t != b_t}
 *
 *    (exact, ties to the lower index; src/data/neighbors.ts), computed as the
 *    squared Euclidean distance between the rows [continuous, one-hot of each
 *    categorical feature with its ones set to m_c / sqrt(2)].
 * 3. Each synthetic row: a class row x_i and one of its k neighbours x_nn drawn
 *    as in SMOTE (src/data/smote.ts, `drawSegments`); continuous features
 *    x_i + u (x_nn - x_i), u ~ U(0, 1) (SMOTE); each categorical feature
 *    the value most frequent among the k neighbours of x_i (x_i itself not
 *    counted), a tie broken uniformly at random among the tied values.
 *
 * This is imbalanced-learn >= 0.11 (PR #1015, fixing issue #860) and the
 * paper. imbalanced-learn 0.10 differs in two ways, both changed upstream:
 * it takes m from the smallest class only and uses it for every grown class,
 * and it sets the one-hot ones to m / 2, so a mismatch adds m^2 / 2 instead of
 * m^2. With m_c = 0 (constant continuous features) the categorical features do
 * not affect the distances, but the modes are still taken from the neighbours'
 * codes (imbalanced-learn 0.10 then reads the smallest class's codes for
 * every class). The one-hot rows cover only the codes present in the class:
 * memory n_c x (continuous + distinct codes per categorical feature) per class.
 *
 * Output order and formats as `smote`: originals first (input order), then
 * the synthetic rows grouped by ascending class; tensors in give tensors out
 * (features float32, categorical codes exact below 2^24), arrays in give
 * arrays out. The random numbers come from the seeded `Random`, so a seed
 * gives the same rows on every backend and kernel.
 */
import {ImbalancedInputError} from '../errors';
import {Random} from '../core/random';
import {checkKeys, checkNumber} from '../core/validate';
import {kNeighbors} from './neighbors';
import type {FloatRows} from './neighbors';
import type {FeatureInput, LabelInput, SampleTable} from './resampledData';
import {
  SMOTE_KEYS, SyntheticBuilder, allocRows, beginOverSampling, checkSmoteOptions, drawSegments, interpolate, toInputIndex,
} from './smote';
import type {CheckedSmoteOptions, SmoteOptions, SmoteResult} from './smote';

/** Options of SMOTENC and `smoteNC()`: SMOTE's plus the categorical features. */
export interface SmoteNCOptions extends SmoteOptions {
  /**
   * Which features (columns of the [n, d] features) are categorical: their
   * indices, or a boolean mask of length d. At least one, and not all (for
   * all-categorical data imbalanced-learn has SMOTEN). Their values must be
   * integer codes.
   */
  categoricalFeatures: ArrayLike<number> | ArrayLike<boolean>;
}

/** The SMOTE result plus m_c, the categorical mismatch distance of each class (NaN for classes not grown). */
export interface SmoteNCResult<X, Y> extends SmoteResult<X, Y> {
  /** Per class: the median standard deviation of the continuous features (a categorical mismatch costs its square); 0 for classes not grown. */
  medianStd: Float64Array;
}

type Categorical = {mask: boolean[]} | {indices: number[]};

/** Validates `categoricalFeatures` up front (its range is checked against the data in fitResample). */
function checkCategoricalFeatures(value: unknown): Categorical {
  const name = 'categoricalFeatures';
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) {
    throw new ImbalancedInputError(name, 'the indices of the categorical features or a boolean mask over the features (without categorical features use smote)', value);
  }
  const arr = Array.from(value as ArrayLike<unknown>);
  if (arr.length > 0 && arr.every(v => typeof v === 'boolean')) {
    if (!arr.includes(true)) throw new ImbalancedInputError(name, 'a mask with at least one categorical feature (without any, use smote)', value);
    return {mask: arr as boolean[]};
  }
  if (arr.length === 0) throw new ImbalancedInputError(name, 'at least one categorical feature index (without any, use smote)', value);
  const seen = new Set<number>();
  arr.forEach((v, i) => {
    checkNumber(`${name}[${i}]`, v, {min: 0, integer: true});
    if (seen.has(v as number)) throw new ImbalancedInputError(`${name}[${i}]`, 'distinct feature indices (this one is listed twice)', v);
    seen.add(v as number);
  });
  return {indices: arr as number[]};
}

/**
 * The categorical feature indices (ascending) for rows of d features, checked
 * against d; throws when no feature would be continuous.
 */
function resolveCategorical(cat: Categorical, d: number): number[] {
  const name = 'categoricalFeatures';
  let indices: number[];
  if ('mask' in cat) {
    if (cat.mask.length !== d) throw new ImbalancedInputError(name, `a boolean mask of length ${d} (one entry per feature)`, `a mask of length ${cat.mask.length}`);
    indices = cat.mask.flatMap((m, t) => (m ? [t] : []));
  } else {
    cat.indices.forEach((t, i) => checkNumber(`${name}[${i}]`, t, {min: 0, max: d - 1, integer: true}));
    indices = [...cat.indices].sort((a, b) => a - b);
  }
  if (indices.length === d) {
    throw new ImbalancedInputError(
      name, `at least one continuous feature (SMOTE-NC interpolates them; all ${d} features are categorical here: use SMOTEN, e.g. imbalanced-learn's, which this package does not provide)`,
      'every feature');
  }
  return indices;
}

/** Throws unless every categorical value is an integer code (run after the finite check). */
function checkCodes(table: SampleTable, categorical: readonly number[]): void {
  const all = table.allRows();
  const d = table.d;
  for (let i = 0; i < table.n; i++) {
    for (const t of categorical) {
      const v = all[i * d + t];
      if (!Number.isInteger(v)) {
        throw new ImbalancedInputError(`xs[${i}][${t}]`, `an integer category code (feature ${t} is categorical)`, v);
      }
    }
  }
}

/** The features not in `categorical` (ascending). */
function complement(categorical: readonly number[], d: number): number[] {
  const isCat = new Uint8Array(d);
  for (const t of categorical) isCat[t] = 1;
  const out: number[] = [];
  for (let t = 0; t < d; t++) if (!isCat[t]) out.push(t);
  return out;
}

/**
 * Median over the `continuous` features of their population standard
 * deviation (ddof 0) in `rows` (n rows of d values): SMOTE-NC's m.
 */
export function medianStd(rows: FloatRows, d: number, continuous: readonly number[]): number {
  const n = rows.length / d;
  const stds = continuous.map(t => {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += rows[i * d + t];
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (rows[i * d + t] - mean) ** 2;
    return Math.sqrt(ss / n);
  });
  stds.sort((a, b) => a - b);
  const h = stds.length >> 1;
  return stds.length % 2 === 1 ? stds[h] : (stds[h - 1] + stds[h]) / 2;
}

/**
 * The rows SMOTE-NC measures distances on: the continuous features, then a
 * one-hot block per categorical feature over the codes present in `rows`,
 * with ones equal to `scale` (a mismatch adds 2 scale^2 to the squared distance).
 */
export function encodeMixed(rows: FloatRows, d: number, categorical: readonly number[], scale: number): {values: Float64Array; width: number} {
  const n = rows.length / d;
  const continuous = complement(categorical, d);
  // Column of each (feature, code) pair, codes numbered in order of appearance.
  const columns = categorical.map(() => new Map<number, number>());
  let width = continuous.length;
  categorical.forEach((t, f) => {
    for (let i = 0; i < n; i++) {
      const code = rows[i * d + t];
      if (!columns[f].has(code)) columns[f].set(code, width++);
    }
  });
  const values = new Float64Array(n * width);
  for (let i = 0; i < n; i++) {
    const o = i * width;
    continuous.forEach((t, p) => { values[o + p] = rows[i * d + t]; });
    categorical.forEach((t, f) => { values[o + (columns[f].get(rows[i * d + t]) as number)] = scale; });
  }
  return {values, width};
}

/**
 * Sets each categorical feature of synthetic row g (in `out`, from `outRow`)
 * to the most frequent code among the k neighbours of its base row; ties are
 * broken uniformly at random (one `rng.int` draw, tied codes in ascending order).
 */
function setModes(
  rows: FloatRows, d: number, categorical: readonly number[], nns: Int32Array, k: number,
  base: Int32Array, rng: Random, out: FloatRows, outRow: number,
): void {
  const tally = new Map<number, number>();
  const tied: number[] = [];
  for (let g = 0; g < base.length; g++) {
    const nb = base[g] * k;
    for (const t of categorical) {
      tally.clear();
      let top = 0;
      for (let r = 0; r < k; r++) {
        const code = rows[nns[nb + r] * d + t];
        const c = (tally.get(code) ?? 0) + 1;
        tally.set(code, c);
        if (c > top) top = c;
      }
      tied.length = 0;
      for (const [code, c] of tally) if (c === top) tied.push(code);
      if (tied.length > 1) tied.sort((a, b) => a - b);
      out[(outRow + g) * d + t] = tied.length === 1 ? tied[0] : tied[rng.int(tied.length)];
    }
  }
}

/**
 * SMOTE-NC over-sampler: `new SMOTENC({categoricalFeatures, k, samplingStrategy,
 * seed}).fitResample(xs, ys)` with xs of shape [n, d] (a tensor or an array of
 * flat rows). See the module comment for the algorithm.
 */
export class SMOTENC {
  private readonly options: CheckedSmoteOptions;
  private readonly categorical: Categorical;
  private readonly rng: Random;

  constructor(options: SmoteNCOptions) {
    checkKeys('SMOTENC', options, [...SMOTE_KEYS, 'categoricalFeatures']);
    this.options = checkSmoteOptions(options);
    this.categorical = checkCategoricalFeatures(options.categoricalFeatures);
    this.rng = new Random(this.options.seed);
  }

  /**
   * Resamples: originals first (input order), then the synthetic rows of each
   * grown class (ascending class). Throws ImbalancedInputError for features
   * that are not [n, d], categorical indices out of range, no continuous
   * feature, NaN / Infinity, a categorical value that is not an integer, and
   * everything `smote` rejects.
   */
  fitResample<X extends FeatureInput, Y extends LabelInput>(xs: X, ys: Y): SmoteNCResult<X, Y> {
    let categorical: number[] = [];
    const {table, add, rng} = beginOverSampling(xs, ys, this.options, this.rng, t => {
      if (t.rowShape.length !== 1) {
        throw new ImbalancedInputError('xs', 'rows of d features, shape [n, d] (categoricalFeatures index the columns)', `rows of shape [${t.rowShape.join(', ')}]`);
      }
      categorical = resolveCategorical(this.categorical, t.d);
      t.checkFinite();
      checkCodes(t, categorical);
    });
    const {k, kernel} = this.options;
    const d = table.d;
    const continuous = complement(categorical, d);
    const builder = new SyntheticBuilder(d, table.float64);
    const medians = new Float64Array(table.numClasses).fill(NaN);
    add.forEach((count, c) => {
      if (count === 0) return;
      const rowsIdx = table.classRows(c);
      const rows = table.rows(rowsIdx);
      const m = medianStd(rows, d, continuous);
      medians[c] = m;
      // Ones of m / sqrt(2): a categorical mismatch adds m^2 to the squared distance.
      const enc = encodeMixed(rows, d, categorical, m / Math.SQRT2);
      const nns = kNeighbors(enc.values, rowsIdx.length, enc.width, k, {kernel});
      const {base, neighbor, gap} = drawSegments(rng, rowsIdx.length, k, count, nns);
      const values = allocRows(rows, count * d);
      interpolate(rows, rows, d, base, neighbor, gap, values, 0);
      setModes(rows, d, categorical, nns, k, base, rng, values, 0);
      builder.add(c, values, toInputIndex(base, rowsIdx), toInputIndex(neighbor, rowsIdx), gap);
    });
    const {values, labels, provenance} = builder.build();
    return {...table.write<X, Y>(null, values, labels), synthetic: provenance, medianStd: medians};
  }
}

/**
 * `new SMOTENC(options).fitResample(xs, ys)`: see SMOTENC. The provenance
 * (`synthetic`) describes the continuous features; each categorical feature
 * of a synthetic row is the mode among the k neighbours of `synthetic.sample`.
 */
export function smoteNC<X extends FeatureInput, Y extends LabelInput>(xs: X, ys: Y, options: SmoteNCOptions): SmoteNCResult<X, Y> {
  return new SMOTENC(options).fitResample(xs, ys);
}
