/**
 * Class-balanced batches from a stream of `{xs, ys}` rows: `balancedBatches`
 * (and `ds.balance()`). The per-class pool sampler here is also the engine of
 * `remix({source: 'dataset'})`.
 */
import {ImbalancedInputError} from '../errors';
import {Random} from '../core/random';
import {checkBoolean, checkKeys, checkNumber} from '../core/validate';
import {
  allocateCounts,
  baseSeed,
  BatchElement,
  buildBatch,
  checkFiniteSource,
  checkMaxRows,
  copyValues,
  EpochDataset,
  epochRandom,
  oneHotRows,
  RowReader,
  SourceDataset,
} from './elements';

/**
 * How a balanced batch is split between classes:
 * - `'oversample'`: equal shares; each class's rows are drawn from its pool
 *   in a reshuffled cycle (with replacement across cycles, so minority rows
 *   repeat). Default epoch: ⌈C·n_max / B⌉ batches, i.e. as many rows as
 *   random oversampling to the largest class.
 * - `'undersample'`: equal shares without replacement; the epoch ends when
 *   the smallest class cannot fill its share of the next batch.
 * - `'sqrt'`: shares ∝ √n_c (classes drawn like `'oversample'`); default
 *   epoch ⌈N / B⌉ batches.
 * - `{[class]: share}` (or an array of shares): explicit shares, normalised
 *   to sum 1; classes left out get 0. Default epoch ⌈N / B⌉ batches.
 */
export type BalanceStrategy = 'oversample' | 'undersample' | 'sqrt' | Record<number, number> | number[];

/** Options of `balancedBatches` / `ds.balance()`. */
export interface BalancedBatchesOptions {
  /** Rows per output batch (an integer ≥ the number of classes with a positive share). */
  batchSize: number;
  /** Class mix of every batch; default `'oversample'` (equal shares). */
  strategy?: BalanceStrategy;
  /**
   * Number of classes (output label width). Default: the one-hot width, else
   * max(label) + 1 over the data read (pass it when the top class may be missing).
   * Required with `poolSize` and integer labels.
   */
  numClasses?: number;
  /** Seed: the same seed gives the same batches, epoch by epoch, on every backend. */
  seed?: number;
  /** Batches per epoch; overrides the strategy's default epoch length. */
  epochSize?: number;
  /**
   * Streaming mode: keep a uniform reservoir of at most `poolSize` rows per
   * class instead of every row, and emit batches while the source is read
   * (one batch per `batchSize` rows read, once every class needed has been
   * seen). Use for infinite or very large sources (with `epochSize` for an
   * infinite one). Bounds the pools to numClasses · poolSize · featureSize
   * float32 values (4 bytes each), whatever the stream's length.
   */
  poolSize?: number;
  /**
   * Whether the elements are batches: a rank-1 `ys` is then a batch of class
   * indices, else one row's one-hot label. Default: inferred from the data
   * (see "Dataset elements" in src/core/inputs.ts). Rank-2 `ys` ([b, 1] /
   * [b, C]) are batches either way.
   */
  batched?: boolean;
  /** Full mode: rows one pass may read before it fails as endless (default 10 000 000; Infinity: no limit). */
  maxRows?: number;
}

/** The option names of `balancedBatches`. */
const BALANCE_KEYS = ['batchSize', 'strategy', 'numClasses', 'seed', 'epochSize', 'poolSize', 'batched', 'maxRows'] as const;

/** A resampled batch before it becomes tensors (class indices, not one-hot). */
export interface RawBatch {
  /** n · featureSize feature values, row-major. */
  x: Float32Array;
  /** Class index of each row. */
  labels: Int32Array;
  /** Number of rows (the batch size). */
  n: number;
  /** Shape of one row's features. */
  featureShape: number[];
  /** Label width of the output. */
  numClasses: number;
}

/** Rows of one class, stored contiguously (grows by doubling, never past `capacity` rows). */
class ClassPool {
  x: Float32Array;
  n = 0;
  /** Rows of this class seen in the stream (≥ n with a reservoir). */
  seen = 0;

  constructor(private readonly d: number, private readonly capacity = Infinity) {
    this.x = new Float32Array(Math.max(d, 1) * Math.min(16, capacity));
  }

  push(src: ArrayLike<number>, off: number): void {
    const d = this.d;
    if ((this.n + 1) * d > this.x.length) {
      const rows = Math.min(2 * (this.x.length / Math.max(d, 1)), this.capacity);
      const grown = new Float32Array(Math.max(d, 1) * rows);
      grown.set(this.x);
      this.x = grown;
    }
    copyValues(src, off, this.x, this.n * d, d);
    this.n++;
  }

  replace(i: number, src: ArrayLike<number>, off: number): void {
    copyValues(src, off, this.x, i * this.d, this.d);
  }

  /** Removes row i by moving the last row into its place. */
  removeSwap(i: number): void {
    const d = this.d;
    this.n--;
    if (i !== this.n) this.x.copyWithin(i * d, this.n * d, (this.n + 1) * d);
  }
}

/** Internal configuration of the pool sampler. */
export interface PoolSamplerConfig {
  /** Rows per output batch. */
  batchSize: number;
  /** Label width as given (undefined: the one-hot width, else max label + 1). */
  numClasses: number | undefined;
  /** Class weights from the class counts; null = wait (streaming) because a needed class is missing. */
  weights: (counts: number[], numClasses: number, final: boolean) => number[] | null;
  /** 'cycle': reshuffled cycles per class (with replacement across cycles); 'none': without replacement. */
  replacement: 'cycle' | 'none';
  /** How a batch is split between classes (see `allocateCounts`). */
  allocation: 'exact' | 'multinomial';
  /** Default batches per epoch from the class counts (null: until a class runs out). */
  defaultEpoch: (counts: number[], total: number, batchSize: number) => number | null;
  /** Batches per epoch, overriding `defaultEpoch`. */
  epochSize: number | undefined;
  /** Streaming mode: reservoir size per class. */
  poolSize: number | undefined;
  /** Name used in error messages. */
  transform: string;
  /** Smallest label width when numClasses is inferred (explicit shares name their classes). */
  minClasses?: number;
  /** Whether rank-1 ys are batches (undefined: inferred). */
  batched: boolean | undefined;
  /** Full mode: the row limit of one pass. */
  maxRows: number;
}

/** Checks that the batch can hold every class with a positive weight. */
function checkBatchHolds(batchSize: number, weights: number[], transform: string): void {
  const needed = weights.filter(w => w > 0).length;
  if (batchSize < needed) {
    throw new ImbalancedInputError(
      'batchSize',
      `an integer >= ${needed}, the number of classes ${transform} puts in every batch`,
      batchSize,
    );
  }
}

/**
 * Batches drawn from per-class pools of the whole stream (full mode: one pass
 * over the source, then sampling) or from per-class reservoirs filled while
 * reading (streaming mode, `poolSize`). Yields raw batches; the caller turns
 * them into tensors (balance) or mixes them first (remix 'dataset').
 */
export async function* pooledBatches(source: SourceDataset, cfg: PoolSamplerConfig, rng: Random): AsyncGenerator<RawBatch> {
  const streaming = cfg.poolSize !== undefined;
  const reader = new RowReader(await source.iterator(), {
    numClasses: cfg.numClasses,
    hardLabels: true,
    batched: cfg.batched,
    maxRows: streaming ? Infinity : cfg.maxRows,
  });
  if (streaming) {
    yield* streamingBatches(reader, cfg, rng);
    return;
  }
  const pools: ClassPool[] = [];
  let total = 0;
  for (let chunk = await reader.next(); chunk !== null; chunk = await reader.next()) {
    const d = reader.featureSize;
    for (let i = 0; i < chunk.n; i++) {
      const c = chunk.labels[i];
      (pools[c] ??= new ClassPool(d)).push(chunk.x, i * d);
    }
    total += chunk.n;
  }
  const C = reader.numClasses ?? Math.max(reader.maxLabel + 1, cfg.minClasses ?? 0);
  const counts = Array.from({length: C}, (_, c) => pools[c]?.n ?? 0);
  const weights = cfg.weights(counts, C, true) as number[];
  checkBatchHolds(cfg.batchSize, weights, cfg.transform);
  const B = cfg.batchSize;
  const d = reader.featureSize;
  const featureShape = reader.featureShape as number[];
  const planned = cfg.epochSize ?? cfg.defaultEpoch(counts, total, B);
  // Per-class draw order: a shuffled permutation walked by a pointer.
  const order = counts.map(n => (n > 0 ? rng.permutation(n) : new Int32Array(0)));
  const ptr = new Int32Array(C);
  for (let b = 0; planned === null || b < planned; b++) {
    const alloc = allocateCounts(B, weights, rng, cfg.allocation);
    if (cfg.replacement === 'none' && counts.some((n, c) => n - ptr[c] < alloc[c])) return;
    const place = rng.permutation(B); // classes interleaved in the output batch
    const x = new Float32Array(B * d);
    const labels = new Int32Array(B);
    let j = 0;
    for (let c = 0; c < C; c++) {
      for (let k = 0; k < alloc[c]; k++) {
        if (ptr[c] === counts[c]) {
          rng.shuffle(order[c]);
          ptr[c] = 0;
        }
        const row = order[c][ptr[c]++];
        const at = place[j++];
        x.set(pools[c].x.subarray(row * d, (row + 1) * d), at * d);
        labels[at] = c;
      }
    }
    yield {x, labels, n: B, featureShape, numClasses: C};
  }
}

/** Streaming mode: per-class reservoirs, batches emitted while reading. */
async function* streamingBatches(reader: RowReader, cfg: PoolSamplerConfig, rng: Random): AsyncGenerator<RawBatch> {
  const B = cfg.batchSize;
  const cap = cfg.poolSize as number;
  const pools: ClassPool[] = [];
  let C: number | undefined;
  let emitted = 0;
  let pendingRows = 0;
  let plan: Int32Array | null = null; // without replacement: the allocation waiting to be filled
  const limit = cfg.epochSize ?? Infinity;
  const seenCounts = () => Array.from({length: C as number}, (_, c) => pools[c]?.seen ?? 0);
  for (let chunk = await reader.next(); chunk !== null; chunk = await reader.next()) {
    if (C === undefined) {
      C = reader.numClasses;
      if (C === undefined) {
        throw new ImbalancedInputError('numClasses', 'the number of classes (required with poolSize when labels are class indices)', undefined);
      }
      checkBatchHolds(B, cfg.weights(new Array<number>(C).fill(1), C, false) ?? [], cfg.transform);
    }
    const d = reader.featureSize;
    const featureShape = reader.featureShape as number[];
    for (let i = 0; i < chunk.n; i++) {
      const c = chunk.labels[i];
      const pool = (pools[c] ??= new ClassPool(d, cap));
      pool.seen++;
      if (pool.n < cap) pool.push(chunk.x, i * d);
      else if (cfg.replacement === 'none') pool.replace(rng.int(cap), chunk.x, i * d); // random eviction
      else {
        const r = rng.int(pool.seen); // Algorithm R: a uniform sample of the rows seen
        if (r < cap) pool.replace(r, chunk.x, i * d);
      }
      pendingRows++;
      if (cfg.replacement === 'cycle') {
        if (pendingRows < B) continue;
        pendingRows -= B;
        const weights = cfg.weights(seenCounts(), C, false);
        if (weights === null) continue; // a needed class has not been seen yet
        const alloc = allocateCounts(B, weights, rng, cfg.allocation);
        yield drawBatch(pools, alloc, B, d, featureShape, C, rng, false);
        if (++emitted >= limit) return;
      } else {
        for (;;) {
          const weights = cfg.weights(seenCounts(), C, false);
          if (weights === null) break;
          plan ??= allocateCounts(B, weights, rng, cfg.allocation);
          const ready = plan.every((k, cls) => k === 0 || (pools[cls] !== undefined && pools[cls].n >= k));
          if (!ready) break;
          const alloc = plan;
          plan = null;
          yield drawBatch(pools, alloc, B, d, featureShape, C, rng, true);
          if (++emitted >= limit) return;
        }
      }
    }
  }
  if (emitted === 0 && C !== undefined) cfg.weights(seenCounts(), C, true); // throws if a needed class never appeared
}

/** One batch drawn uniformly from the reservoirs (removing the rows drawn when `remove`). */
function drawBatch(pools: ClassPool[], alloc: Int32Array, B: number, d: number, featureShape: number[], C: number, rng: Random, remove: boolean): RawBatch {
  const place = rng.permutation(B);
  const x = new Float32Array(B * d);
  const labels = new Int32Array(B);
  let j = 0;
  for (let c = 0; c < alloc.length; c++) {
    for (let k = 0; k < alloc[c]; k++) {
      const pool = pools[c];
      const row = rng.int(pool.n);
      const at = place[j++];
      x.set(pool.x.subarray(row * d, (row + 1) * d), at * d);
      labels[at] = c;
      if (remove) pool.removeSwap(row);
    }
  }
  return {x, labels, n: B, featureShape, numClasses: C};
}

/**
 * False (streaming: wait) or, when `final`, the "class absent" error for the
 * first class with a positive share and no rows; `expected` says why it needs rows.
 */
function requirePresent(counts: number[], shares: number[], expected: string, final: boolean): boolean {
  for (let c = 0; c < shares.length; c++) {
    if (shares[c] > 0 && !(counts[c] > 0)) {
      if (!final) return false;
      throw new ImbalancedInputError(`class ${c}`, `rows in the data: ${expected}`, '0 rows');
    }
  }
  return true;
}

/** The `weights` of equal shares over all C classes; every class needs rows (see `requirePresent`). */
export function equalShares(expected: string): PoolSamplerConfig['weights'] {
  return (counts, C, final) => {
    const shares = new Array<number>(C).fill(1);
    return requirePresent(counts, shares, expected, final) ? shares : null;
  };
}

const ABSENT_HINT = '(pass numClasses / explicit shares without it, or check the labels)';

/** Validates a strategy and returns its weights function and default epoch length. */
export function strategyPlan(strategy: unknown, numClasses: number | undefined): Pick<PoolSamplerConfig, 'weights' | 'replacement' | 'defaultEpoch' | 'minClasses'> {
  if (strategy === 'oversample' || strategy === 'undersample') {
    return {
      weights: equalShares(`strategy '${strategy}' gives it a share of every batch ${ABSENT_HINT}`),
      replacement: strategy === 'oversample' ? 'cycle' : 'none',
      defaultEpoch: strategy === 'oversample' ? (counts, _t, B) => Math.ceil((counts.length * Math.max(...counts)) / B) : () => null,
    };
  }
  if (strategy === 'sqrt') {
    return {
      weights: counts => counts.map(n => Math.sqrt(n)),
      replacement: 'cycle',
      defaultEpoch: (_c, total, B) => Math.ceil(total / B),
    };
  }
  if (strategy !== null && typeof strategy === 'object') {
    const entries = Array.isArray(strategy) ? strategy.map((v, i) => [String(i), v] as const) : Object.entries(strategy as Record<string, unknown>);
    const given: number[] = [];
    for (const [key, share] of entries) {
      const c = Number(key);
      if (!Number.isInteger(c) || c < 0 || (numClasses !== undefined && c >= numClasses)) {
        throw new ImbalancedInputError(`strategy[${JSON.stringify(key)}]`, `a class index in [0, ${numClasses ?? 'numClasses'})`, key);
      }
      given[c] = checkNumber(`strategy[${c}]`, share, {min: 0});
    }
    if (!given.some(v => v > 0)) throw new ImbalancedInputError('strategy', 'at least one class with a share > 0', strategy);
    const label = JSON.stringify(strategy);
    return {
      weights: (counts, C, final) => {
        if (given.length > C) {
          throw new ImbalancedInputError('strategy', `shares for classes below numClasses = ${C}`, label);
        }
        const shares = Array.from({length: C}, (_, c) => given[c] ?? 0);
        return requirePresent(counts, shares, `strategy ${label} gives it a share of every batch ${ABSENT_HINT}`, final) ? shares : null;
      },
      replacement: 'cycle',
      defaultEpoch: (_c, total, B) => Math.ceil(total / B),
      minClasses: given.length,
    };
  }
  throw new ImbalancedInputError('strategy', "'oversample', 'undersample', 'sqrt', or an object {[class]: share}", strategy);
}

/**
 * Validates the options shared by the pool-based transforms. With
 * `everyClassInBatch` (equal shares over all numClasses classes) a batchSize
 * below numClasses is refused up front; otherwise `checkBatchHolds` checks
 * the classes with a positive share once the data is read.
 */
export function checkPoolOptions(
  o: {numClasses?: unknown; epochSize?: unknown; poolSize?: unknown; batched?: unknown; maxRows?: unknown},
  batchSize: number,
  everyClassInBatch: boolean,
): {
  numClasses: number | undefined;
  epochSize: number | undefined;
  poolSize: number | undefined;
  batched: boolean | undefined;
  maxRows: number;
} {
  if (o.batched !== undefined) checkBoolean('batched', o.batched);
  const numClasses = o.numClasses === undefined ? undefined : checkNumber('numClasses', o.numClasses, {min: 1, integer: true});
  if (everyClassInBatch && numClasses !== undefined && batchSize < numClasses) {
    throw new ImbalancedInputError('batchSize', `an integer >= numClasses = ${numClasses} (every balanced batch holds each class)`, batchSize);
  }
  return {
    numClasses,
    epochSize: o.epochSize === undefined ? undefined : checkNumber('epochSize', o.epochSize, {min: 1, integer: true}),
    poolSize: o.poolSize === undefined ? undefined : checkNumber('poolSize', o.poolSize, {min: 1, integer: true}),
    batched: o.batched as boolean | undefined,
    maxRows: checkMaxRows(o.maxRows),
  };
}

/** Throws unless `source` looks like a tf.data.Dataset. */
export function checkSource(source: unknown, transform: string): SourceDataset {
  if (source === null || typeof source !== 'object' || typeof (source as SourceDataset).iterator !== 'function') {
    throw new ImbalancedInputError('dataset', `a tf.data.Dataset of {xs, ys} elements (${transform})`, source);
  }
  return source as SourceDataset;
}

/**
 * Class-balanced batches from a stream of `{xs, ys}` rows (`xs` any shape;
 * `ys` a class index, `[1]`, or a one-hot `[C]`). Elements with a rank-2 `ys`
 * (`[b, 1]` or `[b, C]`, `xs` `[b, ...]`) are read as `b` rows, so a source may
 * also hand over chunks (`data.fromTensors`); a rank-1 `ys` is one row's label
 * or a batch of class indices as the `batched` option or the data say (the
 * rule in src/core/inputs.ts). Output: `{xs: [B, ...featureShape], ys: [B, numClasses]}`
 * float32 one-hot, the classes interleaved in random order.
 *
 * **Memory.** Full mode (default) keeps every row of one epoch in per-class
 * typed-array pools — N·d float32 values, up to twice that while they grow by
 * doubling, no tensors — and samples after one pass over the source; it needs
 * a finite source. With `poolSize` each class keeps a reservoir of at most
 * `poolSize` rows — at most C·poolSize·d float32 values, whatever N — filled
 * uniformly (Algorithm R) while reading, and batches are drawn i.i.d. from the
 * reservoirs as the stream goes (`'undersample'` removes the rows it emits and
 * evicts a random row when a reservoir is full).
 *
 * **Epochs.** Every `iterator()` call (fitDataset makes one per epoch) re-reads
 * the source and draws from `Random` seeded by (seed, epoch index). `size` is
 * `epochSize` when given; otherwise unknown (null) until the first complete
 * epoch, after which it is that epoch's number of batches (not for
 * `'undersample'`, whose epoch length can vary).
 *
 * Errors (ImbalancedInputError): an unknown option, a source of infinite size
 * without `poolSize`, an empty source, more than `maxRows` rows in one pass
 * (full mode), unknown strategy, batchSize below the number
 * of classes in a batch, a class that the strategy needs but that has no rows,
 * NaN / Infinity features, labels that are not class indices / one-hot rows.
 */
export function balancedBatches(dataset: SourceDataset, options: BalancedBatchesOptions): EpochDataset<BatchElement> {
  const source = checkSource(dataset, 'balancedBatches');
  if (options === null || typeof options !== 'object') throw new ImbalancedInputError('options', 'an object {batchSize, strategy?, seed?, ...}', options);
  checkKeys('balancedBatches', options, BALANCE_KEYS);
  const batchSize = checkNumber('batchSize', options.batchSize, {min: 1, integer: true});
  const strategy = options.strategy ?? 'oversample';
  // Explicit shares may leave classes out, 'sqrt' gives absent classes no share: only equal shares need batchSize >= numClasses up front.
  const {numClasses, epochSize, poolSize, batched, maxRows} = checkPoolOptions(options, batchSize, strategy === 'oversample' || strategy === 'undersample');
  if (poolSize === undefined) checkFiniteSource(source, 'balancedBatches without poolSize', 'pass poolSize and epochSize to stream it');
  const plan = strategyPlan(strategy, numClasses);
  const seed = baseSeed(options.seed);
  const cfg: PoolSamplerConfig = {
    ...plan,
    batchSize,
    numClasses,
    allocation: 'exact',
    epochSize,
    poolSize,
    batched,
    maxRows,
    transform: `balancedBatches (strategy ${JSON.stringify(strategy)})`,
  };
  const learnSize = epochSize === undefined && poolSize === undefined && strategy !== 'undersample';
  return new EpochDataset<BatchElement>(
    (epoch, done) => balanceEpoch(source, cfg, epochRandom(seed, epoch), done),
    epochSize ?? null,
    learnSize,
  );
}

async function* balanceEpoch(source: SourceDataset, cfg: PoolSamplerConfig, rng: Random, done: (batches: number) => void): AsyncGenerator<BatchElement> {
  let batches = 0;
  for await (const raw of pooledBatches(source, cfg, rng)) {
    yield buildBatch(raw.x, raw.featureShape, oneHotRows(raw.labels, raw.n, raw.numClasses), raw.n, raw.numClasses);
    batches++;
  }
  done(batches);
}
