/**
 * Plumbing shared by the dataset transforms (`balancedBatches`, `remix`,
 * `rebalancedMixup`, `mixup`, `smoteDataset`) and `classCounts`:
 *
 * - `RowReader` reads the `{xs, ys}` elements of a source iterator with the
 *   shared element reader of src/core/inputs.ts (one layout rule, one label
 *   rule, finite features), disposes every tensor it reads, gives the event
 *   loop a turn during long reads and stops an endless source at `maxRows`;
 * - `checkFiniteSource` refuses a dataset of infinite `size` up front;
 * - `buildBatch` turns the typed arrays of one output batch into tensors with
 *   one `tf.tensor` call per field;
 * - `EpochDataset` is a `tf.data.Dataset` whose every `iterator()` call starts
 *   a new epoch with its own seeded `Random` (fitDataset calls `iterator()`
 *   once per epoch);
 * - `allocateCounts` splits a batch between classes (exact or multinomial).
 *
 * Nothing here is part of the public API except the `BatchElement` type.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfd from '@tensorflow/tfjs-data';
import {ImbalancedInputError} from '../errors';
import {Random} from '../core/random';
import {checkNumber} from '../core/validate';
import {canReadSync} from '../core/hostMemory';
import {ArrayData, ElementReader, ElementReaderOptions, ElementKind, LabelFormat} from '../core/inputs';

/**
 * One output batch of the transforms: features `[B, ...featureShape]` and
 * float32 labels `[B, numClasses]` (one-hot for `balance`, soft for the mixing
 * transforms; every row sums to 1).
 */
export type BatchElement = {
  /** Features [B, ...]. */
  xs: tf.Tensor;
  /** Labels [B, K] (one-hot or soft). */
  ys: tf.Tensor2D;
};

/** The part of a tf.data iterator the transforms use. */
export interface SourceIterator {
  /** The next element, or `{done: true}` at the end of the source. */
  next(): Promise<IteratorResult<unknown>>;
}

/** Anything with `iterator()` and an optional `size`, e.g. a `tf.data.Dataset`. */
export interface SourceDataset {
  /** A fresh pass over the elements (called again for every epoch or full pass). */
  iterator(): Promise<SourceIterator>;
  /** Number of elements, as `tf.data.Dataset.size`: Infinity for an endless source, null or absent when unknown. */
  readonly size?: number | null;
}

/** Rows read from one source element; valid until the next `RowReader.next()` call. */
export interface RowChunk {
  /** n · featureSize feature values, row-major (empty when the features were not read). */
  x: ArrayLike<number>;
  /** n class indices (the argmax of soft rows). */
  labels: Int32Array;
  /** Number of rows. */
  n: number;
  /** The element's labels as given, in batch form ([n], [n, 1] or [n, C]). */
  y: ArrayData;
  /** True when some label row is soft. */
  soft: boolean;
  /** How the element was read (one row or a batch). */
  kind: ElementKind;
  /** True when the element's xs was a tensor (else plain arrays). */
  tensors: boolean;
  /** The dtype of ys when it was a tensor, else 'float32'. */
  yDtype: tf.DataType;
}

/**
 * Rows read before a full pass gives up: a source of unknown size (`size`
 * null, e.g. a generator) may never end. Pass `maxRows` to read more.
 */
export const DEFAULT_MAX_ROWS = 10_000_000;

const EMPTY = new Float32Array(0);

/** Milliseconds a read may run before it gives timers and I/O a turn (checked every 32 elements). */
const PACE_MS = 50;

/** Disposes `v` if it is a live tensor (the consumer of an iterator owns its elements). */
export function disposeIfTensor(v: unknown): void {
  if (v instanceof tf.Tensor && !v.isDisposed) v.dispose();
}

/**
 * Resolves on the next macrotask, so that timers and I/O get a turn:
 * setImmediate in Node, a MessageChannel message in browsers (neither has
 * setTimeout's 1-4 ms clamp), setTimeout elsewhere.
 */
export function nextMacrotask(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise(resolve => setImmediate(resolve));
  if (typeof MessageChannel === 'function') {
    const channel = new MessageChannel();
    return new Promise(resolve => {
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(0);
    });
  }
  return new Promise(resolve => setTimeout(resolve, 0));
}

/** Calls `nextMacrotask` at most every 50 ms of a long loop (the clock is read every 32 calls). */
export class Pacer {
  private last = Date.now();
  private calls = 0;

  /** Null, or a promise to await before the next step. */
  tick(): Promise<void> | null {
    if ((++this.calls & 31) !== 0 || Date.now() - this.last <= PACE_MS) return null;
    this.last = Date.now();
    return nextMacrotask();
  }
}

/** The error of a full pass that read more than `maxRows` rows. */
export function tooManyRows(maxRows: number): ImbalancedInputError {
  return new ImbalancedInputError(
    'dataset',
    `at most maxRows = ${maxRows} rows in one pass (an endless dataset? pass maxRows to read more, or take(n) first)`,
    `more than ${maxRows} rows`,
  );
}

/** Checks a `maxRows` option (a count >= 1, or Infinity). */
export function checkMaxRows(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_ROWS;
  if (value === Infinity) return Infinity;
  return checkNumber('maxRows', value, {min: 1, integer: true});
}

/**
 * Refuses a source whose `size` is Infinity (e.g. `ds.repeat()`): `what` must
 * read all of it, which would never end. `hint` says what to do instead.
 */
export function checkFiniteSource(source: SourceDataset, what: string, hint: string): void {
  if (source.size === Infinity) {
    throw new ImbalancedInputError('dataset', `a finite dataset: ${what} reads all of it (${hint})`, 'a dataset of size Infinity (e.g. after repeat())');
  }
}

/** Options of `RowReader`: the element reader's plus the limits of a pass. */
export interface RowReaderOptions extends ElementReaderOptions {
  /** Throw once more rows than this were read (an endless source). Default `DEFAULT_MAX_ROWS`. */
  maxRows?: number;
  /** Throw at the end of a source that held no rows. Default true. */
  requireRows?: boolean;
}

/**
 * Reads rows (feature values and labels) from a stream of `{xs, ys}`
 * elements: one row or a batch of rows per element, as src/core/inputs.ts
 * lays down. Disposes every tensor it reads, also when an element is rejected.
 * At most every 50 ms it waits for a macrotask, so that a source resolving in
 * microtasks (every in-memory tf.data source does) cannot starve the event loop.
 */
export class RowReader {
  private readonly reader: ElementReader;
  private readonly maxRows: number;
  private readonly requireRows: boolean;
  private readonly pacer = new Pacer();

  constructor(private readonly iterator: SourceIterator, options: RowReaderOptions = {}) {
    this.reader = new ElementReader(options);
    this.maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
    this.requireRows = options.requireRows ?? true;
  }

  /** Shape of one row's features, known after the first element. */
  get featureShape(): number[] | null {
    return this.reader.featureShape;
  }
  /** Number of values in one row. */
  get featureSize(): number {
    return this.reader.featureSize;
  }
  /** numClasses as given, or the label rows' width once seen. */
  get numClasses(): number | undefined {
    return this.reader.numClasses;
  }
  /** Rows read so far. */
  get rowsRead(): number {
    return this.reader.rowsRead;
  }
  /** Largest class index seen so far (−1 before any row). */
  get maxLabel(): number {
    return this.reader.maxLabel;
  }
  /** Label format of the first element in batch form (null before any element). */
  get firstFormat(): LabelFormat | null {
    return this.reader.firstFormat;
  }
  /** True when the first element's ys was a scalar / number. */
  get firstScalar(): boolean {
    return this.reader.firstScalar;
  }
  /** Whether rank-1 ys are read as batches (undefined until an element decided it). */
  get batched(): boolean | undefined {
    return this.reader.layout.batched;
  }

  /** The next element's rows, or null at the end of the stream. */
  async next(): Promise<RowChunk | null> {
    const pause = this.pacer.tick();
    if (pause !== null) await pause;
    const r = await this.iterator.next();
    if (r.done) {
      if (this.requireRows && this.reader.rowsRead === 0) {
        throw new ImbalancedInputError('dataset', 'at least one row', 'an empty dataset');
      }
      return null;
    }
    const el = r.value as {xs?: unknown; ys?: unknown} | null;
    try {
      const read = this.reader.read(el, canReadSync());
      const rows = read instanceof Promise ? await read : read;
      if (this.reader.rowsRead > this.maxRows) throw tooManyRows(this.maxRows);
      const tensors = el !== null && el.xs instanceof tf.Tensor;
      const yDtype = el !== null && el.ys instanceof tf.Tensor ? el.ys.dtype : 'float32';
      return {x: rows.x ?? EMPTY, labels: rows.labels.classes, n: rows.n, y: rows.y, soft: rows.labels.soft, kind: rows.kind, tensors, yDtype};
    } finally {
      if (el !== null && typeof el === 'object') {
        disposeIfTensor(el.xs);
        disposeIfTensor(el.ys);
      }
    }
  }
}

/** Float label rows [n, C] of a chunk: one-hot for class indices, the given rows for one-hot / soft labels. */
export function labelRows(chunk: RowChunk, numClasses: number): Float32Array {
  if (chunk.y.shape.length === 2 && chunk.y.shape[1] === numClasses && numClasses > 1) {
    return chunk.y.values instanceof Float32Array ? chunk.y.values.slice() : Float32Array.from(chunk.y.values);
  }
  return oneHotRows(chunk.labels, chunk.n, numClasses);
}

/** One batched element read for the batch-level transforms (mixup, rebalancedMixup). */
export interface ReadBatch {
  /** b · featureSize feature values. */
  x: ArrayLike<number>;
  /** Shape of one row's features. */
  rowShape: number[];
  /** Number of rows. */
  n: number;
  /** n · numClasses label values (one-hot for class indices; soft rows copied). */
  y: Float32Array;
  /** Hard class of each row, or null when some row is soft. */
  classes: Int32Array | null;
  /** Label width. */
  numClasses: number;
}

/** Copies `size` values from `src[srcOff..]` into `dst[dstOff..]` (fast path for typed arrays). */
export function copyValues(src: ArrayLike<number>, srcOff: number, dst: Float32Array, dstOff: number, size: number): void {
  if (ArrayBuffer.isView(src)) {
    dst.set((src as unknown as Float32Array).subarray(srcOff, srcOff + size), dstOff);
  } else {
    for (let k = 0; k < size; k++) dst[dstOff + k] = src[srcOff + k];
  }
}

/** One-hot float rows [n, C] for class indices. */
export function oneHotRows(labels: ArrayLike<number>, n: number, numClasses: number): Float32Array {
  const y = new Float32Array(n * numClasses);
  for (let i = 0; i < n; i++) y[i * numClasses + labels[i]] = 1;
  return y;
}

/** The output batch tensors: one `tf.tensor` call per field. */
export function buildBatch(x: Float32Array, featureShape: number[], y: Float32Array, n: number, numClasses: number): BatchElement {
  return {xs: tf.tensor(x, [n, ...featureShape], 'float32'), ys: tf.tensor2d(y, [n, numClasses], 'float32')};
}

/**
 * Mixes rows (ReMix Alg. 1 steps 3–5, mixup eq. 1): for each row i with
 * partner j = perm[i], out = λ·row_i + (1−λ)·row_j. Computed in float64 and
 * stored in float32, so the result is the same on every backend.
 */
export function mixRows(src: ArrayLike<number>, rowSize: number, n: number, lambda: number, perm: ArrayLike<number>, out: Float32Array): Float32Array {
  const m = 1 - lambda;
  for (let i = 0; i < n; i++) {
    const a = i * rowSize;
    const b = perm[i] * rowSize;
    for (let k = 0; k < rowSize; k++) out[a + k] = lambda * src[a + k] + m * src[b + k];
  }
  return out;
}

/** A seed for a transform: the given one, or a time-based one drawn once at construction. */
export function baseSeed(seed: number | undefined): number {
  if (seed === undefined) return new Random().nextUint32();
  return checkNumber('seed', seed);
}

/** The Random of epoch `epoch` (0, 1, ...) of a transform built with `seed`. */
export function epochRandom(seed: number, epoch: number): Random {
  // Hash (seed, epoch) into one 32-bit seed; Random's splitmix32 spreads it further.
  let h = (Math.floor(seed) ^ 0x5bd1e995) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  h = (h + Math.imul(epoch + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0x297a2d39) >>> 0;
  return new Random((h ^ (h >>> 16)) >>> 0);
}

/**
 * A `tf.data.Dataset` whose every `iterator()` is a new epoch. The epoch index
 * (0, 1, 2, ...) is assigned when an iterator is first read, not when it is
 * created, so the iterator that `fitDataset` creates before its epoch loop and
 * never reads does not use up an epoch. Epoch k of a transform built with
 * seed s always draws from `epochRandom(s, k)`.
 */
export class EpochDataset<T extends tf.TensorContainer> extends tfd.Dataset<T> {
  /** Batches per epoch (null until known for a source of unknown size). */
  override size: number;
  private epochsStarted = 0;

  constructor(private readonly startEpoch: (epoch: number, done: (batches: number) => void) => AsyncIterator<T>, size: number | null, private readonly learnSize = false) {
    super();
    this.size = size as number;
  }

  /** Starts a new epoch: a fresh, seeded pass over the source. */
  override async iterator() {
    let it: AsyncIterator<T> | null = null;
    const lazy = {
      next: (): Promise<IteratorResult<T>> => {
        if (it === null) {
          it = this.startEpoch(this.epochsStarted++, batches => {
            // A complete epoch tells the number of batches (e.g. of a source whose elements are chunks).
            if (this.learnSize) this.size = batches;
          });
        }
        return it.next();
      },
    };
    return tfd.generator<T>(() => lazy as AsyncIterator<T>).iterator();
  }
}

/**
 * Splits `total` rows between classes in proportion to `weights` (≥ 0, not all 0).
 *
 * - `exact`: class c gets ⌊total·w_c/W⌋ rows; the remaining rows go to distinct
 *   classes, class c with probability equal to its fractional part (systematic
 *   sampling over a random class order), so E[count_c] = total·w_c/W exactly.
 *   With equal weights this is ReMix's literal Alg. 1 rule: ⌊B/C⌋ rows each and
 *   B mod C rows to distinct classes chosen uniformly at random.
 * - `multinomial`: every row's class is drawn independently ∝ w_c.
 */
export function allocateCounts(total: number, weights: ArrayLike<number>, rng: Random, mode: 'exact' | 'multinomial'): Int32Array {
  const C = weights.length;
  const counts = new Int32Array(C);
  let W = 0;
  for (let c = 0; c < C; c++) W += weights[c];
  if (mode === 'multinomial') {
    for (let i = 0; i < total; i++) {
      let u = rng.uniform() * W;
      let c = 0;
      while (c < C - 1 && (u >= weights[c] || weights[c] === 0)) {
        u -= weights[c];
        c++;
      }
      while (weights[c] === 0) c--; // float slop at the top end
      counts[c]++;
    }
    return counts;
  }
  const frac = new Float64Array(C);
  let assigned = 0;
  for (let c = 0; c < C; c++) {
    const q = (total * weights[c]) / W;
    const base = Math.floor(q + 1e-9);
    counts[c] = base;
    frac[c] = Math.max(0, q - base);
    assigned += base;
  }
  let remaining = total - assigned;
  if (remaining <= 0) return counts;
  const order = rng.permutation(C);
  const u = rng.uniform();
  let cum = 0;
  let picked = 0;
  for (let k = 0; k < C && picked < remaining; k++) {
    const c = order[k];
    cum += frac[c];
    if (u + picked < cum) {
      counts[c]++;
      picked++;
    }
  }
  // Float round-off can leave a row unassigned: give it to the classes with the largest fractions.
  remaining -= picked;
  while (remaining > 0) {
    let best = -1;
    for (let c = 0; c < C; c++) if (weights[c] > 0 && (best < 0 || frac[c] > frac[best])) best = c;
    counts[best]++;
    frac[best] = -1;
    remaining--;
  }
  return counts;
}
