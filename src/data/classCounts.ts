/**
 * Per-class sample counts, the input every class-weighted loss factory needs.
 * Compute them once from the training set, never per batch.
 */
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from '../errors';
import {checkBoolean, checkKeys, checkNumber} from '../core/validate';
import {ArrayData, ElementLayout, asBatchLabels, checkElement, readArray, readArrayAsync, readLabels, shapeOf} from '../core/inputs';
import {canReadSync} from '../core/hostMemory';
import {Pacer, checkFiniteSource, checkMaxRows, disposeIfTensor, tooManyRows} from './elements';

/** Options of `classCounts`. */
export interface ClassCountsOptions {
  /** Number of classes; inferred from the label rows' width or (max label + 1) when omitted. */
  numClasses?: number;
  /**
   * A dataset only: whether its elements are batches, so that a rank-1 `ys`
   * is a batch of class indices rather than one row's one-hot label. Default:
   * inferred from the data (the rule in src/core/inputs.ts); pass it when
   * every element fits both readings.
   */
  batched?: boolean;
  /** A dataset only: rows to read before failing as endless (default 10 000 000; Infinity: no limit). */
  maxRows?: number;
}

/** Anything `classCounts` reads labels from: a tensor, class indices, or rows ([index] or one-hot / soft). */
export type LabelSource = tf.Tensor | number[] | ArrayLike<number> | ArrayLike<ArrayLike<number>>;

/** A dataset of `{xs, ys}` elements, batched or not (tf.data.Dataset or anything with `iterator()`). */
export interface LabelledDataset {
  /** A fresh iterator over the elements (its `next()` as tf.data's). */
  iterator(): Promise<{
    /** The next element, or `done`. */
    next(): Promise<IteratorResult<unknown>>;
  }>;
  /** Number of elements if known (`Infinity` is refused, null / undefined = unknown). */
  readonly size?: number | null;
}

/**
 * Counts of each class in `ys`: labels of a batch (class indices [n] or
 * [n, 1], one-hot or soft rows [n, C], counted by argmax with the first index
 * on ties), as a tensor, a typed array or (nested) arrays. With a dataset of
 * `{xs, ys}` elements it iterates once, reading only `ys` (and the shape of
 * `xs`), and returns a Promise; elements may be single rows (a class index, or
 * a one-hot / soft row [C]) or batches, by the rule in src/core/inputs.ts.
 * A dataset of infinite `size` is refused.
 */
export function classCounts(ys: LabelSource, options?: ClassCountsOptions): number[];
export function classCounts(dataset: LabelledDataset, options?: ClassCountsOptions): Promise<number[]>;
export function classCounts(source: LabelSource | LabelledDataset, options: ClassCountsOptions = {}): number[] | Promise<number[]> {
  checkKeys('classCounts', options, ['numClasses', 'batched', 'maxRows']);
  const numClasses = options.numClasses === undefined ? undefined : checkNumber('numClasses', options.numClasses, {min: 1, integer: true});
  if (isDataset(source)) {
    if (options.batched !== undefined) checkBoolean('batched', options.batched);
    return countDataset(source, numClasses, options.batched, checkMaxRows(options.maxRows));
  }
  const counts = new Counts(numClasses);
  counts.add(readArray(source, 'ys'), 0);
  return counts.finish();
}

function isDataset(x: unknown): x is LabelledDataset {
  return typeof x === 'object' && x !== null && typeof (x as LabelledDataset).iterator === 'function' && !(x instanceof tf.Tensor);
}

/**
 * Reads labels of a batch (a tensor, class indices, or rows: [index] / one-hot /
 * soft) as class indices plus the label rows' width (for rows), validating
 * them as every module does (src/core/inputs.ts).
 */
export function labelsOf(ys: LabelSource, name: string): {labels: Int32Array; width?: number} {
  const read = readLabels(readArray(ys, name), name);
  return {labels: read.classes, width: read.format === 'rows' ? read.width : undefined};
}

/** A running tally of class counts over chunks of labels of a batch. */
class Counts {
  private readonly counts: number[] = [];

  /** @param numClasses As given; else the width of the first label rows once seen. */
  constructor(public numClasses: number | undefined) {}

  /** Adds labels of a batch whose first row is row `firstRow` of the stream; returns the number of rows. */
  add(ys: ArrayData, firstRow: number): number {
    const read = readLabels(ys, 'ys', {numClasses: this.numClasses, firstRow});
    if (read.format === 'rows') this.numClasses ??= read.width;
    const {classes} = read;
    for (let i = 0; i < classes.length; i++) {
      const c = classes[i];
      this.counts[c] = (this.counts[c] ?? 0) + 1;
    }
    return read.n;
  }

  finish(): number[] {
    const C = this.numClasses ?? this.counts.length;
    if (this.counts.length > C) {
      throw new ImbalancedInputError('ys', `class indices below ${C}, the width of the label rows`, `a label ${this.counts.length - 1}`);
    }
    return Array.from({length: C}, (_, c) => this.counts[c] ?? 0);
  }
}

/**
 * One pass over a dataset. Elements that fit both readings of a rank-1 `ys`
 * (one row's one-hot label, or a batch of class indices) wait until an element
 * decides the layout; if none does, they are rows.
 */
async function countDataset(ds: LabelledDataset, numClasses: number | undefined, batched: boolean | undefined, maxRows: number): Promise<number[]> {
  checkFiniteSource(ds, 'classCounts', 'take(n) first');
  const it = await ds.iterator();
  const layout = new ElementLayout(batched, true);
  const counts = new Counts(numClasses);
  let rows = 0;
  let pending: ArrayData[] = [];
  const pacer = new Pacer();
  const add = (ys: ArrayData, batch: boolean): void => {
    rows += counts.add(asBatchLabels(ys, batch ? 'batch' : 'row'), rows);
    if (rows > maxRows) throw tooManyRows(maxRows);
  };
  const flush = (batch: boolean): void => {
    for (const ys of pending) add(ys, batch);
    pending = [];
  };
  for (let index = 0; ; index++) {
    const pause = pacer.tick(); // let timers and I/O run during a long pass
    if (pause !== null) await pause;
    const r = await it.next();
    if (r.done) break;
    const el = r.value as {xs?: unknown; ys?: unknown} | null;
    try {
      const element = checkElement(el, index);
      const name = `dataset element ${index} ys`;
      const ys = canReadSync() ? readArray(element.ys, name) : await readArrayAsync(element.ys, name);
      const xsShape = shapeOf(element.xs, `dataset element ${index} xs`);
      const kind = layout.kind(ys, xsShape, counts.numClasses, index);
      if (kind === 'either') {
        pending.push({values: Array.from(ys.values), shape: ys.shape.slice()});
        continue;
      }
      if (kind === 'batch' && ys.shape[0] !== xsShape[0]) {
        throw new ImbalancedInputError(`dataset element ${index} xs`, `a batch [${ys.shape[0]}, ...] matching ys [${ys.shape.join(', ')}]`, `shape [${xsShape.join(', ')}]`);
      }
      if (pending.length > 0 && layout.batched !== undefined) flush(layout.batched);
      add(ys, kind === 'batch');
    } finally {
      if (el !== null && typeof el === 'object') {
        disposeIfTensor(el.xs);
        disposeIfTensor(el.ys);
      }
    }
  }
  if (pending.length > 0) {
    layout.settle('row');
    flush(false);
  }
  return counts.finish();
}
