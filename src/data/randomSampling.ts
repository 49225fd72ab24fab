/**
 * Random over- and under-sampling (imbalanced-learn's `RandomOverSampler` and
 * `RandomUnderSampler`). They only pick rows, never compute with the feature
 * values: tensor features are gathered on the backend (no read-back) and, as in
 * imbalanced-learn, NaN features are passed through untouched.
 */
import {Random} from '../core/random';
import {SampleTable} from './resampledData';
import type {FeatureInput, LabelInput, Resampled} from './resampledData';
import {checkSamplingStrategy, resolveSamplingStrategy} from './samplingStrategy';
import type {SamplingStrategy} from './samplingStrategy';
import {checkBoolean, checkKeys} from '../core/validate';
import {checkSeed, randomFor} from './smote';

/** Options of RandomOverSampler and `randomOverSample()`. */
export interface RandomOverSamplerOptions {
  /** Which classes to grow and to what count (default 'auto' = every class but the majority, up to the majority's count). */
  samplingStrategy?: SamplingStrategy;
  /** Seed of the draws; the same seed gives the same rows. Omitted: a time-based seed. */
  seed?: number;
}

/** Options of RandomUnderSampler and `randomUnderSample()`. */
export interface RandomUnderSamplerOptions {
  /** Which classes to shrink and to what count (default 'auto' = every class but the minority, down to the minority's count). */
  samplingStrategy?: SamplingStrategy;
  /** Seed of the draws; the same seed gives the same rows. Omitted: a time-based seed. */
  seed?: number;
  /** Draw the kept rows with replacement (default false: a random subset, as imbalanced-learn). */
  replacement?: boolean;
}

/** The resampled data plus, for every output row, the input row it copies. */
export interface SampledResult<X, Y> extends Resampled<X, Y> {
  /** Input index of every output row, in output order. */
  sampleIndices: Int32Array;
}

/**
 * Random over-sampling: each grown class gets extra copies of its rows, drawn
 * uniformly with replacement. Output: all original rows in input order, then
 * the copies grouped by class (ascending), in draw order.
 */
export class RandomOverSampler {
  private readonly samplingStrategy: SamplingStrategy;
  private readonly seed: number | undefined;
  private readonly rng: Random;

  constructor(options: RandomOverSamplerOptions = {}) {
    checkKeys('RandomOverSampler', options, ['samplingStrategy', 'seed']);
    this.seed = checkSeed(options);
    this.samplingStrategy = checkSamplingStrategy(options.samplingStrategy ?? 'auto', 'over');
    this.rng = new Random(this.seed);
  }

  /** Tensors in -> tensors out (the caller disposes them); arrays in -> arrays out. */
  fitResample<X extends FeatureInput, Y extends LabelInput>(xs: X, ys: Y): SampledResult<X, Y> {
    const table = new SampleTable(xs, ys);
    const add = resolveSamplingStrategy(this.samplingStrategy, table.counts, 'over');
    const rng = randomFor(this.seed, this.rng);
    const total = table.n + add.reduce((a, b) => a + b, 0);
    const keep = new Int32Array(total);
    for (let i = 0; i < table.n; i++) keep[i] = i;
    let at = table.n;
    add.forEach((count, c) => {
      if (count === 0) return;
      const rows = table.classRows(c);
      for (let g = 0; g < count; g++) keep[at++] = rows[rng.int(rows.length)];
    });
    return {...table.write<X, Y>(keep, null, null), sampleIndices: keep};
  }
}

/**
 * Random under-sampling: each shrunk class keeps a random subset of its rows
 * (or, with `replacement`, rows drawn with replacement). Output: the kept rows
 * in input order (imbalanced-learn groups them by class instead).
 */
export class RandomUnderSampler {
  private readonly samplingStrategy: SamplingStrategy;
  private readonly seed: number | undefined;
  private readonly replacement: boolean;
  private readonly rng: Random;

  constructor(options: RandomUnderSamplerOptions = {}) {
    checkKeys('RandomUnderSampler', options, ['samplingStrategy', 'seed', 'replacement']);
    this.seed = checkSeed(options);
    this.samplingStrategy = checkSamplingStrategy(options.samplingStrategy ?? 'auto', 'under');
    this.replacement = checkBoolean('replacement', options.replacement ?? false);
    this.rng = new Random(this.seed);
  }

  /** Tensors in -> tensors out (the caller disposes them); arrays in -> arrays out. */
  fitResample<X extends FeatureInput, Y extends LabelInput>(xs: X, ys: Y): SampledResult<X, Y> {
    const table = new SampleTable(xs, ys);
    const keepCount = resolveSamplingStrategy(this.samplingStrategy, table.counts, 'under');
    const rng = randomFor(this.seed, this.rng);
    // How many times each input row appears in the output.
    const times = new Int32Array(table.n);
    keepCount.forEach((count, c) => {
      const rows = table.classRows(c);
      if (count < 0) {
        for (const r of rows) times[r] = 1;
      } else if (this.replacement) {
        for (let g = 0; g < count; g++) times[rows[rng.int(rows.length)]]++;
      } else {
        // Partial Fisher-Yates: the first `count` entries become a uniform random subset.
        for (let i = 0; i < count; i++) {
          const j = i + rng.int(rows.length - i);
          const tmp = rows[i];
          rows[i] = rows[j];
          rows[j] = tmp;
          times[rows[i]] = 1;
        }
      }
    });
    let total = 0;
    for (let i = 0; i < table.n; i++) total += times[i];
    const keep = new Int32Array(total);
    let at = 0;
    for (let i = 0; i < table.n; i++) for (let r = 0; r < times[i]; r++) keep[at++] = i;
    return {...table.write<X, Y>(keep, null, null), sampleIndices: keep};
  }
}

/** `new RandomOverSampler(options).fitResample(xs, ys)`. */
export function randomOverSample<X extends FeatureInput, Y extends LabelInput>(xs: X, ys: Y, options: RandomOverSamplerOptions = {}): SampledResult<X, Y> {
  return new RandomOverSampler(options).fitResample(xs, ys);
}

/** `new RandomUnderSampler(options).fitResample(xs, ys)`. */
export function randomUnderSample<X extends FeatureInput, Y extends LabelInput>(xs: X, ys: Y, options: RandomUnderSamplerOptions = {}): SampledResult<X, Y> {
  return new RandomUnderSampler(options).fitResample(xs, ys);
}
