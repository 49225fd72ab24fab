/**
 * ADASYN (He, Bai, Garcia & Li 2008; imbalanced-learn's `ADASYN`): like SMOTE,
 * but the synthetic rows of a class are shared out in proportion to how
 * "hard" each of its rows is. For row x_i of a grown class, with Delta_i the
 * number of rows of other classes among its k nearest neighbours in the whole
 * data (itself excluded):
 *
 *     r_i = Delta_i / k,   r^_i = r_i / sum_j r_j,   g_i = r^_i G           (ADASYN step 2)
 *
 * and x_i seeds g_i rows x_i + u (x_nn - x_i), x_nn one of its k nearest rows
 * of its own class, u ~ U(0, 1). The rounding of g_i uses largest remainders
 * (ties to the lower row), so the class reaches its target exactly;
 * imbalanced-learn rounds each g_i to nearest and can miss it. A class whose
 * rows all have no neighbour of another class has sum r = 0: an error (use SMOTE).
 *
 * Output order: originals (input order), then synthetic rows by class, and
 * within a class by seed row.
 */
import {ImbalancedInputError} from '../errors';
import {Random} from '../core/random';
import {kNeighbors} from './neighbors';
import type {FeatureInput, LabelInput} from './resampledData';
import {checkKeys} from '../core/validate';
import {SMOTE_KEYS, SyntheticBuilder, allocRows, beginOverSampling, checkSmoteOptions, interpolate, toInputIndex} from './smote';
import type {CheckedSmoteOptions, SmoteOptions, SmoteResult} from './smote';

/** Options of ADASYN and `adasyn()`; `k` (default 5) is imbalanced-learn's n_neighbors, used for both searches. */
export type AdasynOptions = SmoteOptions;

/** The SMOTE result plus r^_i of every row (0 for rows of classes not grown). */
export interface AdasynResult<X, Y> extends SmoteResult<X, Y> {
  /** r^_i for every input row: the normalised share of other-class rows among its k neighbours. */
  densityRatio: Float64Array;
}

/**
 * Splits `total` into integers proportional to `weights` (sum > 0): floors,
 * then one more to the largest remainders (ties to the lower index).
 */
export function apportion(weights: ArrayLike<number>, total: number): Int32Array {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += weights[i];
  const out = new Int32Array(weights.length);
  const rema: number[] = [];
  let given = 0;
  for (let i = 0; i < weights.length; i++) {
    const exact = (weights[i] / sum) * total;
    out[i] = Math.floor(exact);
    given += out[i];
    rema.push(exact - out[i]);
  }
  const order = Array.from(rema.keys()).sort((a, b) => rema[b] - rema[a] || a - b);
  for (let r = 0; r < total - given; r++) out[order[r]]++;
  return out;
}

/** ADASYN over-sampler: `new ADASYN({k, samplingStrategy, seed}).fitResample(xs, ys)`. */
export class ADASYN {
  private readonly options: CheckedSmoteOptions;
  private readonly rng: Random;

  constructor(options: AdasynOptions = {}) {
    checkKeys('ADASYN', options, SMOTE_KEYS);
    this.options = checkSmoteOptions(options);
    this.rng = new Random(this.options.seed);
  }

  /** Same contract as SMOTE.fitResample; also returns the normalised density ratios. */
  fitResample<X extends FeatureInput, Y extends LabelInput>(xs: X, ys: Y): AdasynResult<X, Y> {
    const {table, add, rng} = beginOverSampling(xs, ys, this.options, this.rng);
    const {k, kernel} = this.options;
    const all = table.allRows();
    const d = table.d;
    const builder = new SyntheticBuilder(d, table.float64);
    const densityRatio = new Float64Array(table.n);
    add.forEach((count, c) => {
      if (count === 0) return;
      const rowsIdx = table.classRows(c);
      const n = rowsIdx.length;
      const classRows = table.rows(rowsIdx);
      const wide = kNeighbors(all, table.n, d, k, {query: classRows, exclude: rowsIdx, kernel});
      const ratio = new Float64Array(n);
      let sum = 0;
      for (let i = 0; i < n; i++) {
        let other = 0;
        for (let r = 0; r < k; r++) if (table.labels[wide[i * k + r]] !== c) other++;
        ratio[i] = other / k;
        sum += ratio[i];
      }
      if (sum === 0) {
        throw new ImbalancedInputError(
          'ys', `some row of class ${c} with a neighbour of another class among its k = ${k} nearest (ADASYN weights rows by that share; use smote for this data)`,
          `class ${c} fully separated`);
      }
      for (let i = 0; i < n; i++) densityRatio[rowsIdx[i]] = ratio[i] / sum;
      const perRow = apportion(ratio, count);
      const nns = kNeighbors(classRows, n, d, k, {kernel});
      const base = new Int32Array(count);
      const neighbor = new Int32Array(count);
      const gap = new Float64Array(count);
      let g = 0;
      for (let i = 0; i < n; i++) {
        for (let r = 0; r < perRow[i]; r++, g++) {
          base[g] = i;
          neighbor[g] = nns[i * k + rng.int(k)];
          gap[g] = rng.uniform();
        }
      }
      const values = allocRows(classRows, count * d);
      interpolate(classRows, classRows, d, base, neighbor, gap, values, 0);
      builder.add(c, values, toInputIndex(base, rowsIdx), toInputIndex(neighbor, rowsIdx), gap);
    });
    const {values, labels, provenance} = builder.build();
    return {...table.write<X, Y>(null, values, labels), synthetic: provenance, densityRatio};
  }
}

/** `new ADASYN(options).fitResample(xs, ys)`: see ADASYN. */
export function adasyn<X extends FeatureInput, Y extends LabelInput>(xs: X, ys: Y, options: AdasynOptions = {}): AdasynResult<X, Y> {
  return new ADASYN(options).fitResample(xs, ys);
}
