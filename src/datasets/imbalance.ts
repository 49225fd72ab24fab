/**
 * Imbalanced tasks carved out of a labelled set, as the papers build their
 * benchmarks: downsampling chosen classes to a ratio of the largest class
 * (Bellinger, Corizzo & Japkowicz, "ReMix Training for Calibrated Imbalanced
 * Deep Learning", §Experiments), and one-class-vs-rest sets whose positives are
 * a fixed block of one class (Ho & Wookey, "The Real-World-Weight Cross-Entropy
 * Loss Function", §IV). Browser-safe; every function returns row indices.
 */
import {ImbalancedInputError} from '../errors';
import {Random} from '../core/random';
import {checkKeys, checkNumber, checkNumberArray} from '../core/validate';

/** Options of {@link downsampleToRatio}. */
export interface DownsampleOptions {
  /** The classes to shrink (the others are kept whole). */
  minorityClasses: number[];
  /** Imbalance ratio IR = minority / majority in (0, 1]: each minority class keeps ⌊IR·n_max⌋ rows (at least 1). */
  ratio: number;
  /** Seed of the rows kept. */
  seed: number;
  /**
   * The n_max the ratio refers to. Default: the largest class among the
   * others (the kept classes); pass the size of a merged "rest" class for a
   * one-vs-rest task.
   */
  majoritySize?: number;
}

/**
 * Row indices of an imbalanced subset: every class in `minorityClasses`
 * keeps a seeded random ⌊ratio·n_max⌋ of its rows (all of them if it has
 * fewer), every other class all of its rows. Returned in ascending order.
 */
export function downsampleToRatio(labels: ArrayLike<number>, options: DownsampleOptions): number[] {
  checkKeys('downsampleToRatio', options, ['minorityClasses', 'ratio', 'seed', 'majoritySize']);
  const minority = new Set(checkNumberArray('minorityClasses', options?.minorityClasses, {min: 0, integer: true}));
  const ratio = checkNumber('ratio', options.ratio, {min: 0, max: 1, openMin: true});
  const seed = checkNumber('seed', options.seed, {integer: true});
  const byClass = rowsByClass(labels);
  for (const c of minority) {
    if (!byClass.has(c)) throw new ImbalancedInputError('minorityClasses', 'classes that occur in labels', c);
  }
  const kept = Array.from(byClass.entries()).filter(([c]) => !minority.has(c));
  if (kept.length === 0 && options.majoritySize === undefined) {
    throw new ImbalancedInputError('minorityClasses', 'at least one class left out (or give majoritySize)', Array.from(minority));
  }
  const nMax = options.majoritySize === undefined
    ? Math.max(...kept.map(([, rows]) => rows.length))
    : checkNumber('majoritySize', options.majoritySize, {min: 1, integer: true});
  const target = Math.max(1, Math.floor(ratio * nMax + 1e-9));
  const rng = new Random(seed);
  const out: number[] = [];
  for (const [c, rows] of byClass) {
    if (!minority.has(c)) out.push(...rows);
    else out.push(...(rng.shuffle(rows.slice()) as number[]).slice(0, target));
  }
  return out.sort((a, b) => a - b);
}

/** Options of {@link oneVsRestBlock}. */
export interface OneVsRestBlockOptions {
  /** The class whose block becomes the positives. */
  positiveClass: number;
  /** Rows per block. Default 630 (Ho & Wookey's MNIST sets, about 1 positive per 100 negatives). */
  blockSize?: number;
  /** Which block of the class, 0-based: its rows [block·blockSize, (block+1)·blockSize) in dataset order. Default 0. */
  block?: number;
}

/** A one-class-vs-rest set: rows of the source data and their binary labels. */
export interface OneVsRestSet {
  /** Row indices into the source data, ascending. */
  indices: number[];
  /** Binary label per row of `indices`: 1 = the positive block, 0 = another class. */
  labels: number[];
}

/**
 * A one-class-vs-rest set as Ho & Wookey build their imbalanced MNIST sets
 * (§IV): the positives are one block of `blockSize` consecutive rows of
 * `positiveClass` (in dataset order), the negatives every row of every other
 * class. Returns the row indices (ascending) and binary labels (1 = positive).
 */
export function oneVsRestBlock(labels: ArrayLike<number>, options: OneVsRestBlockOptions): OneVsRestSet {
  checkKeys('oneVsRestBlock', options, ['positiveClass', 'blockSize', 'block']);
  const positive = checkNumber('positiveClass', options?.positiveClass, {min: 0, integer: true});
  const blockSize = checkNumber('blockSize', options.blockSize ?? 630, {min: 1, integer: true});
  const block = checkNumber('block', options.block ?? 0, {min: 0, integer: true});
  const rows = rowsByClass(labels).get(positive) ?? [];
  if (rows.length < (block + 1) * blockSize) {
    throw new ImbalancedInputError('block', `a block of class ${positive} inside its ${rows.length} rows (block < ${Math.floor(rows.length / blockSize)})`, block);
  }
  const positives = new Set(rows.slice(block * blockSize, (block + 1) * blockSize));
  const indices: number[] = [];
  const binary: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== positive || positives.has(i)) {
      indices.push(i);
      binary.push(positives.has(i) ? 1 : 0);
    }
  }
  return {indices, labels: binary};
}

/** Row indices per class, in dataset order (classes in ascending order). */
function rowsByClass(labels: ArrayLike<number>): Map<number, number[]> {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (!Number.isInteger(c) || c < 0) throw new ImbalancedInputError(`labels[${i}]`, 'a class index (an integer >= 0)', c);
    let rows = byClass.get(c);
    if (rows === undefined) byClass.set(c, (rows = []));
    rows.push(i);
  }
  return new Map(Array.from(byClass.entries()).sort((a, b) => a[0] - b[0]));
}
