/**
 * The one reader of labels and features. Losses, metrics, `classCounts`, the
 * samplers and the dataset transforms all read their inputs here, so a label
 * means the same thing everywhere and bad input fails with the same words.
 *
 * ## Containers
 * A `tf.Tensor` (numeric dtype), a number, a typed array, a (nested,
 * rectangular) array of numbers or of typed arrays, or `{values, shape}` (flat
 * values plus shape, as `await t.data()` and `t.shape` give).
 *
 * ## Labels: the rank-1 rule
 * - **Labels of a batch** (anything passed as `ys` / `yTrue`, and the `ys` of a
 *   batched dataset element): shape [n] or [n, 1] holds class indices, integers
 *   in [0, C); shape [n, C] with C >= 2 holds one-hot or soft rows, values in
 *   [0, 1] summing to 1, whose class is the argmax (first index on ties).
 * - **The label of one row** (the `ys` of an unbatched dataset element): a
 *   number, a scalar or [1] holds a class index; [C] with C >= 2 a one-hot or
 *   soft row.
 *
 * So a rank-1 label is a batch of class indices, except in an element of an
 * unbatched dataset, where it is one row's one-hot or soft label. (Losses on a
 * one-column sigmoid output read [n] / [n, 1] as P(y = 1), so soft values in
 * [0, 1] are allowed there.)
 *
 * ## Dataset elements
 * An element `{xs, ys}` holds one row or a batch of rows. `ys` of rank 0 is one
 * row; of rank 2 a batch ([b, 1] or [b, C], with `xs` [b, ...]), in any dataset.
 * For a rank-1 `ys` of length L the dataset's layout decides: the `batched`
 * option of the function reading it, or, without it, the first element that
 * only one reading fits, for the whole dataset. An element can be a batch only
 * if `xs` has L rows and the values are class indices; it can be one row only
 * if the values form a label row. An element both fit (a one-hot row as wide as
 * `xs`'s first dimension, or a batch of 0/1 labels with a single 1) is read as
 * one row, and a later element that can only be a batch is then an error that
 * asks for `batched: true` (`classCounts`, which reads labels only, waits for
 * the deciding element instead).
 */
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError, renameParameter} from '../errors';
import {isArrayLike} from './validate';

/** Flat row-major values plus shape. */
export interface ArrayData {
  /** Row-major values; their number is the product of `shape`. */
  values: ArrayLike<number>;
  /** Shape, e.g. [n] or [n, C]. */
  shape: number[];
}

/**
 * How far a label or probability row may sum from 1: float32 softmax rows of
 * a thousand classes stay within 1e-5; rows that sum to 0.9 or 1.8 are mistakes.
 */
export const ROW_SUM_TOLERANCE = 1e-3;

// ---------------------------------------------------------------- containers

function isTensorData(x: unknown): x is ArrayData {
  return x !== null && typeof x === 'object' && !isArrayLike(x) && !(x instanceof tf.Tensor) && 'values' in x && 'shape' in x;
}

function checkTensor(x: tf.Tensor, name: string): void {
  if (x.isDisposed) throw new ImbalancedInputError(name, 'a live tensor', 'a disposed tensor');
  if (x.dtype === 'string' || x.dtype === 'complex64') {
    throw new ImbalancedInputError(name, 'a numeric tensor (float32, int32 or bool)', `a ${x.dtype} tensor`);
  }
}

/** The shape of any accepted container, without reading a tensor's values. */
export function shapeOf(x: unknown, name: string): number[] {
  if (x instanceof tf.Tensor) {
    checkTensor(x, name);
    return x.shape.slice();
  }
  if (typeof x === 'number') return [];
  if (isTensorData(x)) return checkTensorData(x, name).shape;
  if (!isArrayLike(x)) throw new ImbalancedInputError(name, 'a tensor, a number, an array or {values, shape}', x);
  const shape: number[] = [];
  let cur: unknown = x;
  while (isArrayLike(cur)) {
    const arr = cur as ArrayLike<unknown>;
    shape.push(arr.length);
    if (arr.length === 0) break;
    cur = arr[0];
  }
  return shape;
}

function checkTensorData(x: ArrayData, name: string): ArrayData {
  const {values, shape} = x;
  if (!Array.isArray(shape) || !shape.every(d => Number.isInteger(d) && d >= 0)) {
    throw new ImbalancedInputError(`${name}.shape`, 'an array of non-negative integers', shape);
  }
  const size = sizeOf(shape);
  if (!isArrayLike(values) || values.length !== size) {
    throw new ImbalancedInputError(`${name}.values`, `${size} values (the product of shape [${shape.join(', ')}])`, `length ${(values as ArrayLike<number> | undefined)?.length}`);
  }
  return {values, shape: shape.slice()};
}

/** Product of a shape's dimensions. */
export function sizeOf(shape: readonly number[]): number {
  let s = 1;
  for (const v of shape) s *= v;
  return s;
}

/**
 * Reads any accepted container as flat values plus shape: one `dataSync` for a
 * tensor, no copy for a typed array or `{values, shape}`, one copy (float64)
 * for nested arrays, which must be rectangular and hold only numbers.
 */
export function readArray(x: unknown, name: string): ArrayData {
  if (x instanceof tf.Tensor) {
    checkTensor(x, name);
    return {values: x.dataSync() as ArrayLike<number>, shape: x.shape.slice()};
  }
  return readHostArray(x, name);
}

/** `readArray`, reading a tensor with `await data()` (no stall on GPU backends). */
export async function readArrayAsync(x: unknown, name: string): Promise<ArrayData> {
  if (x instanceof tf.Tensor) {
    checkTensor(x, name);
    const shape = x.shape.slice();
    return {values: (await x.data()) as ArrayLike<number>, shape};
  }
  return readHostArray(x, name);
}

function readHostArray(x: unknown, name: string): ArrayData {
  if (typeof x === 'number') return {values: [x], shape: []};
  if (isTensorData(x)) return checkTensorData(x, name);
  if (!isArrayLike(x)) throw new ImbalancedInputError(name, 'a tensor, a number, an array or {values, shape}', x);
  if (ArrayBuffer.isView(x)) return {values: x as ArrayLike<number>, shape: [x.length]};
  const arr = x as ArrayLike<unknown>;
  if (arr.length === 0 || !isArrayLike(arr[0])) {
    for (let i = 0; i < arr.length; i++) {
      if (typeof arr[i] !== 'number') throw new ImbalancedInputError(`${name}[${i}]`, 'a number (or every entry a row of numbers)', arr[i]);
    }
    return {values: arr as ArrayLike<number>, shape: [arr.length]};
  }
  const shape = shapeOf(arr, name);
  const values = new Float64Array(sizeOf(shape));
  writeNested(arr, shape, 0, values, 0, name);
  return {values, shape};
}

/** Writes a nested array of `shape` into `out` from `offset`, checking every entry. Returns the values written. */
function writeNested(value: unknown, shape: readonly number[], level: number, out: Float64Array, offset: number, name: string): number {
  if (level === shape.length) {
    if (typeof value !== 'number') throw new ImbalancedInputError(name, 'a number', value);
    out[offset] = value;
    return 1;
  }
  if (!isArrayLike(value) || value.length !== shape[level]) {
    throw new ImbalancedInputError(name, `an array of shape [${shape.slice(level).join(', ')}] (rectangular, like its first entries)`, value);
  }
  const arr = value as ArrayLike<unknown>;
  if (level === shape.length - 1) {
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      if (typeof v !== 'number') throw new ImbalancedInputError(`${name}[${i}]`, 'a number', v);
      out[offset + i] = v;
    }
    return arr.length;
  }
  let written = 0;
  for (let i = 0; i < arr.length; i++) written += writeNested(arr[i], shape, level + 1, out, offset + written, `${name}[${i}]`);
  return written;
}

// -------------------------------------------------------------------- labels

/** How labels of a batch are laid out: [n] class indices, [n, 1] class indices, or [n, C] label rows. */
export type LabelFormat = 'indices' | 'column' | 'rows';

/** Size and format of labels of a batch. */
export interface LabelShape {
  /** Number of rows. */
  n: number;
  /** See {@link LabelFormat}. */
  format: LabelFormat;
  /** C for rows, 1 for class indices. */
  width: number;
}

/** The rank-1 rule for labels of a batch, from their shape alone (see the module comment). */
export function batchLabelShape(shape: readonly number[], name: string, context = ''): LabelShape {
  if (shape.length === 1) return {n: shape[0], format: 'indices', width: 1};
  if (shape.length === 2 && shape[1] === 1) return {n: shape[0], format: 'column', width: 1};
  if (shape.length === 2 && shape[1] >= 2) return {n: shape[0], format: 'rows', width: shape[1]};
  throw new ImbalancedInputError(
    name,
    'labels of a batch: class indices of shape [n] or [n, 1], or one-hot / soft rows of shape [n, C] with C >= 2',
    `shape [${shape.join(', ')}]${context}`,
  );
}

/** Options of {@link readLabels}. */
export interface LabelReadOptions {
  /** Number of classes: class indices must be below it, label rows this wide. */
  numClasses?: number;
  /** Refuse soft rows (every row's class must be certain: one-hot rows only). */
  hard?: boolean;
  /** Row number of the first row in messages (for rows of a stream). */
  firstRow?: number;
  /** Appended to shape errors, e.g. ` against yPred [4, 3]`. */
  context?: string;
}

/** Validated labels of a batch. */
export interface Labels extends LabelShape {
  /** The class of each row (the argmax of a soft row, first index on ties). */
  classes: Int32Array;
  /** Largest class seen, −1 for no rows. */
  maxClass: number;
  /** True when some row is soft (not exactly one 1 and zeros). */
  soft: boolean;
}

/** True for an integer in [0, numClasses) (numClasses undefined: any integer >= 0). */
function isClassIndex(v: number, numClasses: number | undefined): boolean {
  return Number.isInteger(v) && v >= 0 && (numClasses === undefined || v < numClasses);
}

function indexExpectation(numClasses: number | undefined): string {
  if (numClasses === undefined) return 'a class index: an integer >= 0';
  return `a class index: an integer in [0, ${numClasses - 1}]${numClasses === 2 ? ' (0 or 1 for a binary task)' : ''}`;
}

/**
 * Reads and validates labels of a batch (see the rank-1 rule): class indices
 * must be integers in [0, numClasses); label rows must hold values in [0, 1]
 * summing to 1 (within {@link ROW_SUM_TOLERANCE}) and be `numClasses` wide.
 * One pass over the values, no per-row allocation.
 */
export function readLabels(data: ArrayData, name: string, options?: LabelReadOptions): Labels {
  const numClasses = options?.numClasses;
  const firstRow = options?.firstRow ?? 0;
  const shape = data.shape;
  // The rank-1 rule, inlined (this runs once per dataset element): [n] / [n, 1] indices, [n, C] rows.
  const rows = shape.length === 2 && shape[1] >= 2;
  if (!rows && !(shape.length === 1 || (shape.length === 2 && shape[1] === 1))) batchLabelShape(shape, name, options?.context);
  const n = shape[0];
  const v = data.values;
  const classes = new Int32Array(n);
  let maxClass = -1;
  if (!rows) {
    for (let i = 0; i < n; i++) {
      const y = v[i];
      if (!isClassIndex(y, numClasses)) throw new ImbalancedInputError(`${name}[${firstRow + i}]`, indexExpectation(numClasses), y);
      classes[i] = y;
      if (y > maxClass) maxClass = y;
    }
    return {n, format: shape.length === 1 ? 'indices' : 'column', width: 1, classes, maxClass, soft: false};
  }
  const width = shape[1];
  if (numClasses !== undefined && width !== numClasses) {
    throw new ImbalancedInputError(
      name,
      `class indices [n] / [n, 1] or label rows of width ${numClasses} (the number of classes)`,
      `shape [${shape.join(', ')}]${options?.context ?? ''}`,
    );
  }
  const hard = options?.hard ?? false;
  let soft = false;
  for (let i = 0; i < n; i++) {
    const row = i * width;
    let best = 0;
    let bestV = -1;
    let sum = 0;
    let ones = 0;
    for (let k = 0; k < width; k++) {
      const y = v[row + k];
      // `!(y >= 0 && y <= 1)` also catches NaN and non-numbers.
      if (!(y >= 0 && y <= 1)) {
        throw new ImbalancedInputError(`${name}[${firstRow + i}][${k}]`, 'a label value in [0, 1] (one-hot or soft rows)', y);
      }
      sum += y;
      if (y === 1) ones++;
      if (y > bestV) {
        bestV = y;
        best = k;
      }
    }
    if (!(Math.abs(sum - 1) <= ROW_SUM_TOLERANCE)) {
      throw new ImbalancedInputError(`${name}[${firstRow + i}]`, 'a one-hot or soft label row summing to 1', `${rowText(v, row, width)} (sum ${num(sum)})`);
    }
    if (ones !== 1 || sum !== 1) {
      if (hard) throw new ImbalancedInputError(`${name}[${firstRow + i}]`, 'a one-hot row (one 1, the rest 0) or a class index: soft rows have no single class', rowText(v, row, width));
      soft = true;
    }
    classes[i] = best;
    if (best > maxClass) maxClass = best;
  }
  return {n, format: 'rows', width, classes, maxClass, soft};
}

/** A number for a message: float32 noise trimmed (0.8999999761581421 -> 0.9). */
function num(v: number): string {
  return typeof v === 'number' && Number.isFinite(v) ? String(Number(v.toPrecision(7))) : String(v);
}

function rowText(v: ArrayLike<number>, offset: number, width: number): string {
  const shown = Array.from({length: Math.min(width, 8)}, (_, k) => num(v[offset + k]));
  return `[${shown.join(', ')}${width > 8 ? `, ... (${width} values)` : ''}]`;
}

/** True when `values[offset..offset+width)` is a valid label row (values in [0, 1] summing to 1). */
function isLabelRow(v: ArrayLike<number>, offset: number, width: number): boolean {
  let sum = 0;
  for (let k = 0; k < width; k++) {
    const y = v[offset + k];
    if (!(y >= 0 && y <= 1)) return false;
    sum += y;
  }
  return Math.abs(sum - 1) <= ROW_SUM_TOLERANCE;
}

// ---------------------------------------------------------- dataset elements

/** One element's reading: one row, or a batch of rows. */
export type ElementKind = 'row' | 'batch';

/**
 * The layout of one dataset's elements (see "Dataset elements" in the module
 * comment): given by `batched`, or inferred from the first element that only
 * one reading fits, and then the same for every element.
 */
export class ElementLayout {
  /** Whether rank-1 `ys` are batches; undefined until known. */
  batched: boolean | undefined;
  /** True while `batched = false` was only presumed from an element both readings fit. */
  private presumedAt = -1;

  /**
   * @param batched The `batched` option as given (undefined: infer).
   * @param waitWhenUnsure Answer `'either'` for an element both readings fit
   *   while the layout is unknown, instead of presuming one row.
   */
  constructor(batched: boolean | undefined, private readonly waitWhenUnsure = false) {
    this.batched = batched;
  }

  /**
   * How to read element `index` with this `ys` (values read) and `xs` shape.
   * Throws when neither reading fits a rank-1 `ys`, or when it contradicts the
   * layout fixed by an earlier element.
   */
  kind(ys: ArrayData, xsShape: readonly number[], numClasses: number | undefined, index: number): ElementKind | 'either' {
    const rank = ys.shape.length;
    if (rank === 0) {
      if (this.batched === true) {
        throw new ImbalancedInputError(
          `dataset element ${index} ys`,
          'a batch of labels [b], [b, 1] or [b, C], as in a batched dataset (batch the dataset first: ds.batch(n))',
          'a scalar (one row\'s class index)',
        );
      }
      this.batched = false;
      return 'row';
    }
    if (rank === 2) return 'batch';
    if (rank !== 1) {
      throw new ImbalancedInputError(
        `dataset element ${index} ys`,
        'one row\'s label (a class index, [1] or a one-hot / soft row [C]) or a batch of labels ([b], [b, 1] or [b, C])',
        `shape [${ys.shape.join(', ')}]`,
      );
    }
    if (this.batched !== undefined && this.presumedAt < 0) return this.batched ? 'batch' : 'row';
    const L = ys.shape[0];
    const v = ys.values;
    let asIndices = xsShape.length >= 1 && xsShape[0] === L;
    for (let i = 0; asIndices && i < L; i++) asIndices = isClassIndex(v[i], numClasses);
    const asRow = L === 1 ? isClassIndex(v[0], numClasses) : (numClasses === undefined || L === numClasses) && isLabelRow(v, 0, L);
    if (this.presumedAt >= 0) {
      if (!asRow && asIndices) {
        throw new ImbalancedInputError(
          'batched',
          `true or false, to say whether elements are batches: element ${this.presumedAt}'s ys fit both one row's one-hot label and a batch ` +
            `of class indices and was read as one row, but element ${index}'s ys [${L}] (xs [${xsShape.join(', ')}]) can only be a batch of ${L} class indices`,
          'no value',
        );
      }
      return 'row';
    }
    if (asRow && asIndices) {
      if (this.waitWhenUnsure) return 'either';
      this.batched = false;
      this.presumedAt = index;
      return 'row';
    }
    if (asIndices) {
      this.batched = true;
      return 'batch';
    }
    if (asRow) {
      this.batched = false;
      return 'row';
    }
    throw new ImbalancedInputError(
      `dataset element ${index} ys`,
      `one row's label (a class index, or a one-hot / soft row summing to 1${numClasses === undefined ? '' : ` of width ${numClasses}`}) ` +
        `or, with xs [${L}, ...], a batch of ${L} class indices${numClasses === undefined ? '' : ` below ${numClasses}`}`,
      `${rowText(v, 0, L)} with xs [${xsShape.join(', ')}]`,
    );
  }

  /** Fixes the layout (after `'either'` answers, once an element decided or the data ended). */
  settle(kind: ElementKind): void {
    this.batched = kind === 'batch';
  }
}

/** An element's labels in the batch form ([n], [n, 1] or [n, C]) given how it is read. */
export function asBatchLabels(ys: ArrayData, kind: ElementKind): ArrayData {
  if (kind === 'batch') return ys;
  if (ys.shape.length === 0) return {values: ys.values, shape: [1]};
  return {values: ys.values, shape: [1, ys.shape[0]]};
}

/** Options of {@link ElementReader}. */
export interface ElementReaderOptions {
  /** Whether rank-1 `ys` are batches (see the module comment); undefined: inferred. */
  batched?: boolean;
  /** Number of classes (else the first label rows' width, or unknown for class indices). */
  numClasses?: number;
  /** Refuse soft label rows. */
  hardLabels?: boolean;
  /**
   * Read and check the feature values (NaN / Infinity): true (default), false
   * (only their shape), or a test of the element's classes (read them only
   * for elements holding a class you keep).
   */
  features?: boolean | ((classes: Int32Array) => boolean);
}

/** The rows of one element, validated. */
export interface ElementRows {
  /** How the element was read. */
  kind: ElementKind;
  /** Number of rows. */
  n: number;
  /** n · featureSize feature values, row-major, or null when they were not read. */
  x: ArrayLike<number> | null;
  /** The element's labels in batch form (values as given). */
  y: ArrayData;
  /** The validated labels. */
  labels: Labels;
}

/**
 * Reads the `{xs, ys}` elements of one dataset, one at a time, with the same
 * rules for all: the element layout, labels ({@link readLabels}), one feature
 * shape for every row, finite feature values. Row numbers in messages count
 * rows from the start of the stream. Disposing the element is the caller's job.
 */
export class ElementReader {
  /** Shape of one row's features, known after the first element. */
  featureShape: number[] | null = null;
  /** Number of values in one row. */
  featureSize = 0;
  /** numClasses as given, or the label rows' width once seen. */
  numClasses: number | undefined;
  /** Rows read so far. */
  rowsRead = 0;
  /** Elements read so far. */
  elementsRead = 0;
  /** Largest class seen so far (−1 before any row). */
  maxLabel = -1;
  /** Label format of the first element, in batch form. */
  firstFormat: LabelFormat | null = null;
  /** Whether the first element's `ys` was a scalar / number (one unbatched class index). */
  firstScalar = false;
  readonly layout: ElementLayout;
  private readonly hard: boolean;
  private readonly features: boolean | ((classes: Int32Array) => boolean);

  constructor(options: ElementReaderOptions = {}) {
    this.layout = new ElementLayout(options.batched);
    this.numClasses = options.numClasses;
    this.hard = options.hardLabels ?? false;
    this.features = options.features ?? true;
  }

  /** Reads one element: its labels, then (if wanted) its features; tensors with `await data()` unless `sync`. */
  read(element: unknown, sync: boolean): ElementRows | Promise<ElementRows> {
    const el = checkElement(element, this.elementsRead);
    const index = this.elementsRead;
    if (sync) {
      const rows = this.labelRows(el.xs, this.field(el.ys, 'ys', index), index);
      return this.finish(rows, this.wantsFeatures(rows.labels) ? this.field(el.xs, 'xs', index) : null);
    }
    return this.fieldAsync(el.ys, 'ys', index).then(async ys => {
      const rows = this.labelRows(el.xs, ys, index);
      return this.finish(rows, this.wantsFeatures(rows.labels) ? await this.fieldAsync(el.xs, 'xs', index) : null);
    });
  }

  /** `readArray` of one field; an error names the element (the name is built only then: this runs per element). */
  private field(x: unknown, name: 'xs' | 'ys', index: number): ArrayData {
    try {
      return readArray(x, name);
    } catch (e) {
      throw inElement(e, index);
    }
  }

  private async fieldAsync(x: unknown, name: 'xs' | 'ys', index: number): Promise<ArrayData> {
    try {
      return await readArrayAsync(x, name);
    } catch (e) {
      throw inElement(e, index);
    }
  }

  private wantsFeatures(labels: Labels): boolean {
    return typeof this.features === 'function' ? this.features(labels.classes) : this.features;
  }

  /** Layout, labels and feature shape of one element (no feature values yet). */
  private labelRows(xsRaw: unknown, ys: ArrayData, index: number): ElementRows & {rowShape: number[]} {
    let xsShape: number[];
    try {
      xsShape = shapeOf(xsRaw, 'xs');
    } catch (e) {
      throw inElement(e, index);
    }
    const kind = this.layout.kind(ys, xsShape, this.numClasses, index) as ElementKind;
    const y = asBatchLabels(ys, kind);
    if (this.numClasses !== undefined && y.shape.length === 2 && y.shape[1] >= 2 && y.shape[1] !== this.numClasses) {
      throw new ImbalancedInputError(
        'ys',
        `class indices [n] / [n, 1] or label rows of width ${this.numClasses} (the number of classes)`,
        `shape [${y.shape.join(', ')}] (dataset element ${index}: ys [${ys.shape.join(', ')}] read as ${kind === 'row' ? 'one row' : 'a batch'})`,
      );
    }
    const labels = readLabels(y, 'ys', {numClasses: this.numClasses, hard: this.hard, firstRow: this.rowsRead});
    const n = labels.n;
    if (kind === 'batch' && (xsShape.length < 1 || xsShape[0] !== n)) {
      throw new ImbalancedInputError(`dataset element ${index} xs`, `a batch [${n}, ...] matching ys [${ys.shape.join(', ')}]`, `shape [${xsShape.join(', ')}]`);
    }
    const rowShape = kind === 'batch' ? xsShape.slice(1) : xsShape;
    if (this.featureShape === null) {
      this.featureShape = rowShape;
      this.featureSize = sizeOf(rowShape);
      this.firstFormat = labels.format;
      this.firstScalar = ys.shape.length === 0;
    } else if (rowShape.length !== this.featureShape.length || rowShape.some((s, i) => s !== (this.featureShape as number[])[i])) {
      throw new ImbalancedInputError(`xs[${this.rowsRead}]`, `features of shape [${this.featureShape.join(', ')}] like the first row`, `shape [${rowShape.join(', ')}]`);
    }
    if (labels.format === 'rows') this.numClasses ??= labels.width;
    return {kind, n, x: null, y, labels, rowShape};
  }

  private finish(rows: ElementRows, xs: ArrayData | null): ElementRows {
    if (xs !== null) checkFiniteFeatures(xs.values, this.featureSize, this.rowsRead);
    if (rows.labels.maxClass > this.maxLabel) this.maxLabel = rows.labels.maxClass;
    this.rowsRead += rows.n;
    this.elementsRead++;
    return {kind: rows.kind, n: rows.n, x: xs === null ? null : xs.values, y: rows.y, labels: rows.labels};
  }
}

/** An error about a field of dataset element `index`, its parameter prefixed with the element. */
function inElement(error: unknown, index: number): unknown {
  return error instanceof ImbalancedInputError ? renameParameter(error, `dataset element ${index} ${error.parameter}`) : error;
}

/** `el` as an `{xs, ys}` object, else an error naming dataset element `index`. */
export function checkElement(el: unknown, index: number): {xs: unknown; ys: unknown} {
  if (el === null || typeof el !== 'object' || !('xs' in el) || !('ys' in el)) {
    throw new ImbalancedInputError(`dataset element ${index}`, 'an object {xs, ys}', el);
  }
  return el as {xs: unknown; ys: unknown};
}

// ------------------------------------------------------------------ features

/** Throws on the first NaN / ±Infinity (or non-number) among feature values; rows numbered from `firstRow`. */
export function checkFiniteFeatures(values: ArrayLike<number>, rowSize: number, firstRow = 0, name = 'xs', why = ''): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // `v - v !== 0` is true for NaN and ±Infinity; typeof guards plain arrays holding strings or booleans.
    if (typeof v !== 'number' || v - v !== 0) {
      throw new ImbalancedInputError(`${name}[${firstRow + Math.floor(i / Math.max(rowSize, 1))}]`, `finite feature values${why}`, v);
    }
  }
}

/** The number of rows and the shape of one row of a feature input, checking its outer structure (no values read). */
export function featureShape(xs: unknown, name = 'xs'): {n: number; rowShape: number[]} {
  if (xs instanceof tf.Tensor) {
    checkTensor(xs, name);
    if (xs.rank < 1) throw new ImbalancedInputError(name, 'a tensor of shape [n, ...features]', xs);
    return {n: xs.shape[0], rowShape: xs.shape.slice(1)};
  }
  if (!isArrayLike(xs)) throw new ImbalancedInputError(name, 'a tensor or an array of feature rows', xs);
  if (xs.length === 0) throw new ImbalancedInputError(name, 'at least one row', xs);
  const first = (xs as ArrayLike<unknown>)[0];
  if (typeof first === 'number') return {n: xs.length, rowShape: []};
  if (!isArrayLike(first)) throw new ImbalancedInputError(`${name}[0]`, 'a number, a typed array or an array of numbers', first);
  const rowShape = shapeOf(first, `${name}[0]`);
  if (rowShape.some(d => d === 0)) throw new ImbalancedInputError(`${name}[0]`, 'a non-empty feature row', first);
  return {n: xs.length, rowShape};
}

/** Flattens n array rows of `rowShape` into one Float64Array, checking every row's shape and entries. */
export function flattenFeatureRows(xs: ArrayLike<unknown>, rowShape: readonly number[], name = 'xs'): Float64Array {
  const n = xs.length;
  const d = sizeOf(rowShape);
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = xs[i];
    if (rowShape.length === 0) {
      if (typeof row !== 'number') throw new ImbalancedInputError(`${name}[${i}]`, 'a number like xs[0]', row);
      out[i] = row;
    } else {
      writeNested(row, rowShape, 0, out, i * d, `${name}[${i}]`);
    }
  }
  return out;
}
