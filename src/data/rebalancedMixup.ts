/**
 * Chou et al., "Remix: Rebalanced Mixup" (ECCV 2020 workshops) — a different
 * algorithm from Bellinger et al.'s ReMix (`remix`), hence the different name.
 * Features are mixed as in mixup; the label weight is pushed to the minority
 * class of a pair (Chou et al.'s label rule, see `rebalancedLabelWeight`).
 */
import {ImbalancedInputError} from '../errors';
import {Random} from '../core/random';
import {checkKeys, checkNumber, checkNumberArray} from '../core/validate';
import {checkSource} from './balance';
import {classCounts} from './classCounts';
import {baseSeed, BatchElement, checkFiniteSource, checkMaxRows, EpochDataset, epochRandom, mixRows, ReadBatch, SourceDataset} from './elements';
import {batchLevelEpoch} from './mixup';

/** Options of `rebalancedMixup` / `ds.rebalancedMixup()`. */
export interface RebalancedMixupOptions {
  /**
   * Training-set count of each class (n_c). Default: counted from the
   * source in one extra pass before the first epoch (then kept).
   */
  classCounts?: number[];
  /** Beta(α, α) parameter of the feature weight λ; > 0. Default 1 (λ uniform). */
  alpha?: number;
  /** κ: the count ratio from which a class counts as the majority of a pair. Default 3. */
  kappa?: number;
  /** τ: the λ threshold below which the label goes wholly to the minority sample. Default 0.5. */
  tau?: number;
  /** Label width; required when labels are class indices. Default: the one-hot width / classCounts length. */
  numClasses?: number;
  /** Seed: the same seed gives the same batches, epoch by epoch, on every backend. */
  seed?: number;
  /** Without `classCounts`: rows the counting pass may read before it fails as endless (default 10 000 000). */
  maxRows?: number;
}

/**
 * Chou et al.'s label weight λ_y of sample i (count n_i) mixed with weight λ
 * with sample j (count n_j): 0 if n_i/n_j ≥ κ and λ < τ (i is the majority and
 * contributes little: the label goes to j); 1 if n_i/n_j ≤ 1/κ and 1 − λ < τ;
 * otherwise λ. Then ỹ = λ_y·y_i + (1 − λ_y)·y_j.
 */
export function rebalancedLabelWeight(ni: number, nj: number, lambda: number, kappa = 3, tau = 0.5): number {
  checkNumber('ni', ni, {min: 0, openMin: true});
  checkNumber('nj', nj, {min: 0, openMin: true});
  checkNumber('lambda', lambda, {min: 0, max: 1});
  checkNumber('kappa', kappa, {min: 1});
  checkNumber('tau', tau, {min: 0, max: 1});
  return labelWeight(ni, nj, lambda, kappa, tau);
}

/** `rebalancedLabelWeight` without the checks (the transform validates its options once). */
function labelWeight(ni: number, nj: number, lambda: number, kappa: number, tau: number): number {
  const ratio = ni / nj;
  if (ratio >= kappa && lambda < tau) return 0;
  if (ratio <= 1 / kappa && 1 - lambda < tau) return 1;
  return lambda;
}

function rebalancedRows(batch: ReadBatch, rowSize: number, counts: number[], o: {alpha: number; kappa: number; tau: number}, rng: Random): {x: Float32Array; y: Float32Array} {
  const classes = batch.classes;
  if (classes === null) {
    throw new ImbalancedInputError('ys', 'hard labels (class indices or one-hot rows): rebalancedMixup needs each row\'s class', 'soft label rows');
  }
  if (counts.length !== batch.numClasses) {
    throw new ImbalancedInputError('classCounts', `${batch.numClasses} counts (one per label column)`, counts);
  }
  const n = batch.n;
  const K = batch.numClasses;
  for (let i = 0; i < n; i++) {
    const c = classes[i];
    if (!(counts[c] > 0)) throw new ImbalancedInputError(`classCounts[${c}]`, `a count > 0 (class ${c} occurs in the data)`, counts[c]);
  }
  const perm = rng.permutation(n);
  const lambda = rng.beta(o.alpha, o.alpha);
  const x = mixRows(batch.x, rowSize, n, lambda, perm, new Float32Array(n * rowSize));
  const y = new Float32Array(n * K);
  for (let i = 0; i < n; i++) {
    const ci = classes[i];
    const cj = classes[perm[i]];
    const ly = labelWeight(counts[ci], counts[cj], lambda, o.kappa, o.tau);
    y[i * K + ci] += ly;
    y[i * K + cj] += 1 - ly;
  }
  return {x, y};
}

/**
 * Chou et al.'s Remix ("Rebalanced Mixup") on a **batched** dataset
 * (`ds.batch(32).rebalancedMixup({classCounts})`): per batch one
 * λ ~ Beta(α, α) and a random permutation j(i); x̃_i = λ x_i + (1−λ) x_j;
 * ỹ_i = λ_y y_i + (1−λ_y) y_j with λ_y from `rebalancedLabelWeight`
 * (κ = 3, τ = 0.5). Labels must be hard: `[b]` / `[b, 1]` class indices or
 * `[b, K]` one-hot. Output `{xs: [b, ...], ys: [b, K]}` float32, one batch per
 * input batch. Not Bellinger et al.'s ReMix (`remix`), which rebalances the
 * batch itself and keeps λ_y = λ.
 */
export function rebalancedMixup(dataset: SourceDataset, options: RebalancedMixupOptions = {}): EpochDataset<BatchElement> {
  const src = checkSource(dataset, 'rebalancedMixup');
  if (options === null || typeof options !== 'object') throw new ImbalancedInputError('options', 'an object {classCounts?, alpha?, kappa?, tau?, seed?}', options);
  checkKeys('rebalancedMixup', options, ['classCounts', 'alpha', 'kappa', 'tau', 'numClasses', 'seed', 'maxRows']);
  const alpha = checkNumber('alpha', options.alpha ?? 1, {min: 0, openMin: true});
  const kappa = checkNumber('kappa', options.kappa ?? 3, {min: 1});
  const tau = checkNumber('tau', options.tau ?? 0.5, {min: 0, max: 1});
  const givenClasses = options.numClasses === undefined ? undefined : checkNumber('numClasses', options.numClasses, {min: 1, integer: true});
  let counts = options.classCounts === undefined ? undefined : checkNumberArray('classCounts', options.classCounts, {min: 0, length: givenClasses});
  const numClasses = givenClasses ?? counts?.length;
  const maxRows = checkMaxRows(options.maxRows);
  if (counts === undefined) checkFiniteSource(src, 'rebalancedMixup without classCounts (to count the classes)', 'pass classCounts');
  const seed = baseSeed(options.seed);
  const size = typeof src.size === 'number' ? src.size : null;
  const o = {alpha, kappa, tau};
  async function* epochGen(epoch: number, done: (batches: number) => void): AsyncGenerator<BatchElement> {
    // One extra pass that reads only the labels; the label width itself still comes from numClasses or the one-hot rows.
    counts ??= await classCounts(src, {numClasses, batched: true, maxRows});
    const rng = epochRandom(seed, epoch);
    const known = counts;
    yield* batchLevelEpoch(src, numClasses, 'rebalancedMixup', (b, d) => rebalancedRows(b, d, known, o, rng), done);
  }
  return new EpochDataset<BatchElement>(epochGen, size);
}
