/**
 * SMOTE (Chawla, Bowyer, Hall & Kegelmeyer, "SMOTE: Synthetic Minority Over-sampling Technique", 2002): for each
 * synthetic row, pick a row x_i of the class uniformly, one of its k nearest
 * same-class neighbours x_nn uniformly, and u ~ U(0, 1):
 *
 *     x_new = x_i + u (x_nn - x_i)                              (Chawla et al.)
 *
 * The neighbours of x_i are searched among the other rows of its class
 * (squared Euclidean distance on the flattened features; exact, ties to the
 * lower index; src/data/neighbors.ts). Same semantics as imbalanced-learn's
 * `SMOTE(k_neighbors=5)`, with its `sampling_strategy` rules
 * (src/data/samplingStrategy.ts). The random numbers come from the seeded
 * `Random`, so a seed gives the same rows on every backend and kernel.
 *
 * Output order: every original row in input order, then the synthetic rows
 * grouped by class (ascending class index).
 */
import {ImbalancedInputError} from '../errors';
import {Random} from '../core/random';
import {checkKeys, checkNumber, checkOneOf} from '../core/validate';
import {KNN_KERNELS, kNeighbors} from './neighbors';
import type {FloatRows, KnnKernel} from './neighbors';
import {SampleTable} from './resampledData';
import type {FeatureInput, LabelInput, Resampled} from './resampledData';
import {checkSamplingStrategy, resolveSamplingStrategy} from './samplingStrategy';
import type {SamplingStrategy} from './samplingStrategy';

/** Options of SMOTE and `smote()`. */
export interface SmoteOptions {
  /** Nearest same-class neighbours to interpolate towards (default 5, as imbalanced-learn). */
  k?: number;
  /** Which classes to grow and to what count (default 'auto' = every class but the majority, up to the majority's count). */
  samplingStrategy?: SamplingStrategy;
  /** Seed of the random choices; the same seed gives the same synthetic rows. Omitted: a time-based seed. */
  seed?: number;
  /**
   * k-NN kernel (same neighbours from each): 'wasm' (WebAssembly SIMD; worker threads with the Node
   * entry's `data.knnThreads`), 'js' (typed arrays), 'tf' (tf.matMul on the active backend) or
   * 'auto' (default: 'tf' on GPU / native backends for large classes, else 'wasm' where available, else 'js').
   */
  kernel?: KnnKernel;
}

/** Where each synthetic row came from: x = x[sample] + gap * (x[neighbor] - x[sample]). */
export interface SyntheticProvenance {
  /** Input row index of the base row x_i. */
  sample: Int32Array;
  /** Input row index of the neighbour x_nn. */
  neighbor: Int32Array;
  /** The interpolation factor u in [0, 1) (Borderline-SMOTE-2 towards other classes: [0, 0.5)). */
  gap: Float64Array;
  /** Class of the synthetic row. */
  label: Int32Array;
}

/** `{xs, ys}` in the input format plus the synthetic rows' provenance (in output order). */
export interface SmoteResult<X, Y> extends Resampled<X, Y> {
  /** Where each synthetic row came from, in output order. */
  synthetic: SyntheticProvenance;
}

/** The option names every SMOTE variant takes. */
export const SMOTE_KEYS = ['k', 'samplingStrategy', 'seed', 'kernel'] as const;

/** Validated common options of the SMOTE family. */
export interface CheckedSmoteOptions {
  k: number;
  samplingStrategy: SamplingStrategy;
  seed: number | undefined;
  kernel: KnnKernel;
}

/** Validates the options every SMOTE variant shares. */
export function checkSmoteOptions(options: SmoteOptions): CheckedSmoteOptions {
  const seed = checkSeed(options);
  return {
    k: checkNumber('k', options.k ?? 5, {min: 1, integer: true}),
    samplingStrategy: checkSamplingStrategy(options.samplingStrategy ?? 'auto', 'over'),
    seed,
    kernel: checkOneOf('kernel', options.kernel ?? 'auto', KNN_KERNELS),
  };
}

/** Checks that `options` is an object and returns its validated `seed` (undefined when omitted). */
export function checkSeed(options: {seed?: number}): number | undefined {
  if (typeof options !== 'object' || options === null) throw new ImbalancedInputError('options', 'an options object', options);
  return options.seed === undefined ? undefined : checkNumber('seed', options.seed);
}

/** Throws unless class `c` (with `size` rows) has more than k rows, naming k. */
export function checkClassSize(k: number, c: number, size: number, name = 'k'): void {
  if (size > k) return;
  throw new ImbalancedInputError(
    name,
    `fewer neighbours than class ${c} has other rows (class ${c} has ${size} row${size === 1 ? '' : 's'}, so ${name} <= ${size - 1}; ` +
      `${size <= 1 ? 'random over-sampling is the only option for it' : `lower ${name}`})`,
    k,
  );
}

/** Random source of one fitResample call: a fresh Random(seed), or the sampler's own stream when unseeded. */
export function randomFor(seed: number | undefined, own: Random): Random {
  return seed === undefined ? own : new Random(seed);
}

/**
 * The validation every SMOTE-family `fitResample` starts with: reads xs / ys,
 * resolves the sampling strategy into rows to add per class, requires k below
 * the size of every class it grows, runs `check` (algorithm-specific options
 * against the data), then rejects NaN / Infinity features. Returns the table,
 * the rows to add per class and the Random of this call.
 */
export function beginOverSampling(
  xs: FeatureInput, ys: LabelInput, options: CheckedSmoteOptions, own: Random, check?: (table: SampleTable, add: number[]) => void,
): {table: SampleTable; add: number[]; rng: Random} {
  const table = new SampleTable(xs, ys);
  const add = resolveSamplingStrategy(options.samplingStrategy, table.counts, 'over');
  add.forEach((a, c) => { if (a > 0) checkClassSize(options.k, c, table.counts[c]); });
  check?.(table, add);
  table.checkFinite();
  return {table, add, rng: randomFor(options.seed, own)};
}

/**
 * Draws `count` (row, neighbour rank, gap) triples the way SMOTE does: one
 * uniform index into the n x k neighbour table (so row and rank are uniform),
 * then u ~ U(0, 1), per synthetic row.
 */
export function drawSegments(rng: Random, nRows: number, k: number, count: number, nns: Int32Array): {base: Int32Array; neighbor: Int32Array; gap: Float64Array} {
  const base = new Int32Array(count);
  const neighbor = new Int32Array(count);
  const gap = new Float64Array(count);
  const cells = nRows * k;
  for (let g = 0; g < count; g++) {
    const cell = rng.int(cells);
    base[g] = (cell / k) | 0;
    neighbor[g] = nns[cell];
    gap[g] = rng.uniform();
  }
  return {base, neighbor, gap};
}

/**
 * x_new = x_i + u (x_nn - x_i) for each triple, written to `out` from row
 * `outRow` on (SMOTE's interpolation). `from` holds the base rows, `to` the neighbour rows.
 */
export function interpolate(
  from: FloatRows, to: FloatRows, d: number,
  base: Int32Array, neighbor: Int32Array, gap: Float64Array,
  out: FloatRows, outRow: number,
): void {
  const count = base.length;
  for (let g = 0; g < count; g++) {
    const a = base[g] * d;
    const b = neighbor[g] * d;
    const u = gap[g];
    const o = (outRow + g) * d;
    for (let t = 0; t < d; t++) {
      const xa = from[a + t];
      out[o + t] = xa + u * (to[b + t] - xa);
    }
  }
}

/** A zeroed row buffer of `length` values with the precision of `like` (float32 for tensor input, float64 for arrays). */
export function allocRows(like: FloatRows, length: number): FloatRows {
  return like instanceof Float32Array ? new Float32Array(length) : new Float64Array(length);
}

/** Synthetic rows of one class: k-NN inside the class, then `count` interpolations. */
export function smoteClass(
  rows: FloatRows, d: number, k: number, count: number, rng: Random, kernel: KnnKernel,
): {values: FloatRows; base: Int32Array; neighbor: Int32Array; gap: Float64Array} {
  const n = rows.length / d;
  const nns = kNeighbors(rows, n, d, k, {kernel});
  const {base, neighbor, gap} = drawSegments(rng, n, k, count, nns);
  const values = allocRows(rows, count * d);
  interpolate(rows, rows, d, base, neighbor, gap, values, 0);
  return {values, base, neighbor, gap};
}

/** Collects per-class synthetic blocks into one output block plus provenance. */
export class SyntheticBuilder {
  private readonly parts: Array<{values: FloatRows; sample: Int32Array; neighbor: Int32Array; gap: Float64Array; label: number}> = [];

  constructor(private readonly d: number, private readonly float64: boolean) {}

  /** Adds a block; `sample` / `neighbor` are input row indices. */
  add(label: number, values: FloatRows, sample: Int32Array, neighbor: Int32Array, gap: Float64Array): void {
    if (sample.length > 0) this.parts.push({values, sample, neighbor, gap, label});
  }

  /** The concatenated synthetic rows, labels and provenance. */
  build(): {values: FloatRows; labels: Int32Array; provenance: SyntheticProvenance} {
    if (this.parts.length === 1) {
      // One grown class (the common binary case): its block is the output, no copy.
      const p = this.parts[0];
      const label = new Int32Array(p.sample.length).fill(p.label);
      return {values: p.values, labels: label, provenance: {sample: p.sample, neighbor: p.neighbor, gap: p.gap, label}};
    }
    const total = this.parts.reduce((s, p) => s + p.sample.length, 0);
    const values = this.float64 ? new Float64Array(total * this.d) : new Float32Array(total * this.d);
    const provenance: SyntheticProvenance = {
      sample: new Int32Array(total), neighbor: new Int32Array(total), gap: new Float64Array(total), label: new Int32Array(total),
    };
    let at = 0;
    for (const p of this.parts) {
      values.set(p.values, at * this.d);
      provenance.sample.set(p.sample, at);
      provenance.neighbor.set(p.neighbor, at);
      provenance.gap.set(p.gap, at);
      provenance.label.fill(p.label, at, at + p.sample.length);
      at += p.sample.length;
    }
    return {values, labels: provenance.label, provenance};
  }
}

/** Maps local indices (into `rows`) to input row indices. */
export function toInputIndex(local: Int32Array, rows: Int32Array): Int32Array {
  const out = new Int32Array(local.length);
  for (let i = 0; i < local.length; i++) out[i] = rows[local[i]];
  return out;
}

/**
 * SMOTE over-sampler (imbalanced-learn's `SMOTE`): `new SMOTE({k, samplingStrategy,
 * seed}).fitResample(xs, ys)`. Tensors in give tensors out (the caller owns and
 * disposes them); arrays in give arrays out.
 */
export class SMOTE {
  /** @internal The validated options. */
  protected readonly options: CheckedSmoteOptions;
  /** @internal The random source (seeded, or time-based without a seed). */
  protected readonly rng: Random;

  constructor(options: SmoteOptions = {}) {
    checkKeys('SMOTE', options, SMOTE_KEYS);
    this.options = checkSmoteOptions(options);
    this.rng = new Random(this.options.seed);
  }

  /**
   * Resamples: originals first (input order), then the synthetic rows of each
   * grown class (ascending class). Throws ImbalancedInputError for NaN / Infinity
   * features, xs / ys length mismatch, bad labels, an unusable strategy, or a
   * grown class with no more than k rows.
   */
  fitResample<X extends FeatureInput, Y extends LabelInput>(xs: X, ys: Y): SmoteResult<X, Y> {
    const {table, add, rng} = beginOverSampling(xs, ys, this.options, this.rng);
    const {k, kernel} = this.options;
    const builder = new SyntheticBuilder(table.d, table.float64);
    add.forEach((count, c) => {
      if (count === 0) return;
      const rowsIdx = table.classRows(c);
      const {values, base, neighbor, gap} = smoteClass(table.rows(rowsIdx), table.d, k, count, rng, kernel);
      builder.add(c, values, toInputIndex(base, rowsIdx), toInputIndex(neighbor, rowsIdx), gap);
    });
    const {values, labels, provenance} = builder.build();
    return {...table.write<X, Y>(null, values, labels), synthetic: provenance};
  }
}

/** `new SMOTE(options).fitResample(xs, ys)`: see SMOTE. */
export function smote<X extends FeatureInput, Y extends LabelInput>(xs: X, ys: Y, options: SmoteOptions = {}): SmoteResult<X, Y> {
  return new SMOTE(options).fitResample(xs, ys);
}
