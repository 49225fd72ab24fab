/**
 * Borderline-SMOTE (Han, Wang & Mao 2005; imbalanced-learn's `BorderlineSMOTE`).
 * A row of a grown class is "in danger" when, among its m nearest neighbours
 * in the whole data (itself excluded), the rows of other classes number m' with
 * m / 2 <= m' < m (m' = m is noise, m' < m / 2 is safe). Only danger rows seed
 * synthetic rows:
 *
 * - `'borderline-1'` (default): x_new = x_i + u (x_nn - x_i), u ~ U(0, 1), x_i a
 *   danger row and x_nn one of its k nearest rows of its own class;
 * - `'borderline-2'`: a share f ~ Beta(10, 10) of the rows as borderline-1; the
 *   rest interpolate towards one of the k nearest rows of the OTHER classes with
 *   u ~ U(0, 0.5), so they stay on the danger row's side.
 *
 * Deviations from imbalanced-learn 0.10 (borderline-2 only): it splits the
 * count as int(f (n + 1)) + int((1 - f) n), which can miss the target by one,
 * and indexes the other-class rows with the own-class neighbour indices; here
 * the split is round(f n) + (n - round(f n)) and the other-class neighbours are
 * searched among the other-class rows. As in imbalanced-learn, a class with no
 * danger row gets no synthetic rows (see `danger` in the result).
 *
 * Output order: originals (input order), then synthetic rows by class.
 */
import {ImbalancedInputError} from '../errors';
import {Random} from '../core/random';
import {checkKeys, checkNumber, checkOneOf} from '../core/validate';
import {kNeighbors} from './neighbors';
import type {FeatureInput, LabelInput} from './resampledData';
import {
  SMOTE_KEYS, SyntheticBuilder, allocRows, beginOverSampling, checkSmoteOptions, drawSegments, interpolate, toInputIndex,
} from './smote';
import type {CheckedSmoteOptions, SmoteOptions, SmoteResult} from './smote';

/** Options of BorderlineSMOTE and `borderlineSmote()`. */
export interface BorderlineSmoteOptions extends SmoteOptions {
  /** Neighbours over the whole data that decide whether a row is in danger (default 10). */
  m?: number;
  /** 'borderline-1' (default) or 'borderline-2'. */
  kind?: 'borderline-1' | 'borderline-2';
}

/** The SMOTE result plus the danger rows (input indices, by class, ascending). */
export interface BorderlineSmoteResult<X, Y> extends SmoteResult<X, Y> {
  /** Input indices of the danger rows, by class, ascending. */
  danger: Int32Array;
}

/** Danger mask of the query rows: m/2 <= (neighbours of another class) < m. */
export function dangerMask(nnLabels: ArrayLike<number>, m: number, own: number, count: number): Uint8Array {
  const mask = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    let other = 0;
    for (let r = 0; r < m; r++) if (nnLabels[i * m + r] !== own) other++;
    mask[i] = other >= m / 2 && other < m ? 1 : 0;
  }
  return mask;
}

/** Borderline-SMOTE over-sampler: `new BorderlineSMOTE({k, m, kind, samplingStrategy, seed}).fitResample(xs, ys)`. */
export class BorderlineSMOTE {
  private readonly options: CheckedSmoteOptions;
  private readonly m: number;
  private readonly kind: 'borderline-1' | 'borderline-2';
  private readonly rng: Random;

  constructor(options: BorderlineSmoteOptions = {}) {
    checkKeys('BorderlineSMOTE', options, [...SMOTE_KEYS, 'm', 'kind']);
    this.options = checkSmoteOptions(options);
    this.m = checkNumber('m', options.m ?? 10, {min: 1, integer: true});
    this.kind = checkOneOf('kind', options.kind ?? 'borderline-1', ['borderline-1', 'borderline-2'] as const);
    this.rng = new Random(this.options.seed);
  }

  /** Same contract as SMOTE.fitResample; also returns the danger rows. */
  fitResample<X extends FeatureInput, Y extends LabelInput>(xs: X, ys: Y): BorderlineSmoteResult<X, Y> {
    const {table, add, rng} = beginOverSampling(xs, ys, this.options, this.rng, (t, grow) => {
      if (this.m > t.n - 1) throw new ImbalancedInputError('m', `at most ${t.n - 1} (the other rows of the data)`, this.m);
      if (this.kind !== 'borderline-2') return;
      // Up front rather than after the Beta draw, so that whether it throws does not depend on the seed.
      grow.forEach((a, c) => {
        const others = t.n - t.counts[c];
        if (a > 0 && others < this.options.k) {
          throw new ImbalancedInputError('k', `at most the ${others} rows of the classes other than ${c} (borderline-2 interpolates towards them)`, this.options.k);
        }
      });
    });
    const {k, kernel} = this.options;
    const all = table.allRows();
    const d = table.d;
    const builder = new SyntheticBuilder(d, table.float64);
    const dangerAll: number[] = [];
    add.forEach((count, c) => {
      if (count === 0) return;
      const rowsIdx = table.classRows(c);
      const classRows = table.rows(rowsIdx);
      // m nearest neighbours of each class row over the whole data, itself excluded.
      const mnn = kNeighbors(all, table.n, d, this.m, {query: classRows, exclude: rowsIdx, kernel});
      const nnLabels = Int32Array.from(mnn, j => table.labels[j]);
      const mask = dangerMask(nnLabels, this.m, c, rowsIdx.length);
      const dangerLocal = indicesWhere(mask.length, i => mask[i] === 1);
      const dangerInput = toInputIndex(dangerLocal, rowsIdx);
      for (const i of dangerInput) dangerAll.push(i);
      if (dangerLocal.length === 0) return;
      const dangerRows = table.rows(dangerInput);
      const nns = kNeighbors(classRows, rowsIdx.length, d, k, {query: dangerRows, exclude: dangerLocal, kernel});
      const own = this.kind === 'borderline-1' ? count : Math.round(rng.beta(10, 10) * count);
      const s1 = drawSegments(rng, dangerLocal.length, k, own, nns);
      const v1 = allocRows(classRows, own * d);
      interpolate(dangerRows, classRows, d, s1.base, s1.neighbor, s1.gap, v1, 0);
      builder.add(c, v1, toInputIndex(s1.base, dangerInput), toInputIndex(s1.neighbor, rowsIdx), s1.gap);
      const rest = count - own;
      if (rest > 0) {
        const otherIdx = indicesWhere(table.n, i => table.labels[i] !== c);
        const otherRows = table.rows(otherIdx);
        const onn = kNeighbors(otherRows, otherIdx.length, d, k, {query: dangerRows, kernel});
        const s2 = drawSegments(rng, dangerLocal.length, k, rest, onn);
        for (let g = 0; g < rest; g++) s2.gap[g] *= 0.5;
        const v2 = allocRows(classRows, rest * d);
        interpolate(dangerRows, otherRows, d, s2.base, s2.neighbor, s2.gap, v2, 0);
        builder.add(c, v2, toInputIndex(s2.base, dangerInput), toInputIndex(s2.neighbor, otherIdx), s2.gap);
      }
    });
    const {values, labels, provenance} = builder.build();
    return {...table.write<X, Y>(null, values, labels), synthetic: provenance, danger: Int32Array.from(dangerAll)};
  }
}

function indicesWhere(n: number, pred: (i: number) => boolean): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (pred(i)) out.push(i);
  return Int32Array.from(out);
}

/** `new BorderlineSMOTE(options).fitResample(xs, ys)`: see BorderlineSMOTE. */
export function borderlineSmote<X extends FeatureInput, Y extends LabelInput>(xs: X, ys: Y, options: BorderlineSmoteOptions = {}): BorderlineSmoteResult<X, Y> {
  return new BorderlineSMOTE(options).fitResample(xs, ys);
}
