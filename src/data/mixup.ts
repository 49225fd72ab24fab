/**
 * Plain mixup (Zhang et al., "mixup: Beyond Empirical Risk Minimization",
 * ICLR 2018), the ReMix paper's MixUp baseline: ReMix Alg. 1 steps 3–5 on the
 * unbalanced mini-batch.
 */
import {ImbalancedInputError} from '../errors';
import {Random} from '../core/random';
import {checkSource} from './balance';
import {checkKeys, checkNumber} from '../core/validate';
import {baseSeed, BatchElement, buildBatch, EpochDataset, epochRandom, labelRows, mixRows, ReadBatch, RowReader, SourceDataset} from './elements';

/** Options of `mixup` / `ds.mixup()`. */
export interface MixupOptions {
  /** Beta(α, α) parameter of λ; > 0. Default 0.1 (the ReMix paper's MixUp baseline uses ReMix's α). */
  alpha?: number;
  /** Label width; required when labels are class indices ([b] or [b, 1]). Default: the label width. */
  numClasses?: number;
  /** Seed: the same seed gives the same batches, epoch by epoch, on every backend. */
  seed?: number;
}

/**
 * Runs `mix` on every batched element of `source` (read as batches: a rank-1
 * `ys` is a batch of class indices); shared by mixup and rebalancedMixup. The
 * label width is fixed by `numClasses` or the first label rows.
 */
export async function* batchLevelEpoch(
  source: SourceDataset,
  numClasses: number | undefined,
  transform: string,
  mix: (batch: ReadBatch, rowSize: number) => {x: Float32Array; y: Float32Array},
  done: (batches: number) => void,
): AsyncGenerator<BatchElement> {
  const reader = new RowReader(await source.iterator(), {batched: true, numClasses, maxRows: Infinity});
  let batches = 0;
  for (let chunk = await reader.next(); chunk !== null; chunk = await reader.next()) {
    if (chunk.n === 0) continue;
    const C = reader.numClasses;
    if (C === undefined) {
      throw new ImbalancedInputError('numClasses', `the number of classes (${transform} needs it when labels are class indices)`, undefined);
    }
    const rowShape = reader.featureShape as number[];
    const batch: ReadBatch = {x: chunk.x, rowShape, n: chunk.n, y: labelRows(chunk, C), classes: chunk.soft ? null : chunk.labels, numClasses: C};
    const {x, y} = mix(batch, reader.featureSize);
    yield buildBatch(x, rowShape, y, batch.n, C);
    batches++;
  }
  done(batches);
}

/** mixup of one batch: one λ ~ Beta(α, α), partners by a random permutation (eq. 1). */
export function mixupRows(batch: ReadBatch, rowSize: number, alpha: number, rng: Random): {x: Float32Array; y: Float32Array} {
  const perm = rng.permutation(batch.n);
  const lambda = rng.beta(alpha, alpha);
  return {
    x: mixRows(batch.x, rowSize, batch.n, lambda, perm, new Float32Array(batch.n * rowSize)),
    y: mixRows(batch.y, batch.numClasses, batch.n, lambda, perm, new Float32Array(batch.n * batch.numClasses)),
  };
}

/**
 * Plain mixup on a **batched** dataset (`ds.batch(32).mixup({alpha})`):
 * per batch one λ ~ Beta(α, α) and a random permutation j(i);
 * x̃_i = λ x_i + (1−λ) x_j, ỹ_i = λ y_i + (1−λ) y_j.
 *
 * Elements: `xs` `[b, ...]` (any rank; integer types cast to float32), `ys`
 * `[b]` / `[b, 1]` class indices (with `numClasses`) or `[b, K]` one-hot or
 * soft rows. Output `{xs: [b, ...] float32, ys: [b, K] float32}`, one batch
 * per input batch (same size). Memory: one batch. Epochs: each `iterator()`
 * call re-reads the source with `Random` seeded by (seed, epoch index).
 * Errors: α ≤ 0, unbatched elements, NaN / Infinity features, bad labels.
 */
export function mixup(dataset: SourceDataset, options: MixupOptions = {}): EpochDataset<BatchElement> {
  const src = checkSource(dataset, 'mixup');
  if (options === null || typeof options !== 'object') throw new ImbalancedInputError('options', 'an object {alpha?, numClasses?, seed?}', options);
  checkKeys('mixup', options, ['alpha', 'numClasses', 'seed']);
  const alpha = checkNumber('alpha', options.alpha ?? 0.1, {min: 0, openMin: true});
  const numClasses = options.numClasses === undefined ? undefined : checkNumber('numClasses', options.numClasses, {min: 1, integer: true});
  const seed = baseSeed(options.seed);
  const size = typeof src.size === 'number' ? src.size : null;
  return new EpochDataset<BatchElement>(
    (epoch, done) => {
      const rng = epochRandom(seed, epoch);
      return batchLevelEpoch(src, numClasses, 'mixup', (b, d) => mixupRows(b, d, alpha, rng), done);
    },
    size,
  );
}
