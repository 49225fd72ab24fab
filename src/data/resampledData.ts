/**
 * Reading `(xs, ys)` for the samplers and writing the resampled data back in
 * the format it came in.
 *
 * - Features: a tensor [n, ...rowShape] (any rank >= 1), or an array of n rows,
 *   each a number, a typed array or a nested array (all of one shape). Rows are
 *   flattened to d = prod(rowShape) values for the distance computations and
 *   restored on output.
 * - Labels: labels of a batch as src/core/inputs.ts reads them: class indices
 *   [n] or [n, 1], one-hot (or soft; read by argmax) rows [n, C], as a tensor,
 *   an array, a typed array or nested arrays.
 * - Output: tensors in -> tensors out (features float32 when synthetic rows are
 *   added, otherwise the input dtype; labels in the input encoding and dtype);
 *   arrays in -> arrays out with the same container types (a typed array of
 *   labels stays that typed array, typed rows stay typed rows, except that
 *   integer typed feature arrays become Float64Array when synthetic rows are
 *   added, as int32 tensors become float32: interpolated values are not integers).
 */
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from '../errors';
import {LabelFormat, featureShape, flattenFeatureRows, readArray, readLabels as readBatchLabels, sizeOf} from '../core/inputs';
import type {FloatRows} from './neighbors';

/** One feature row of an array input: a number, a typed array or a nested array. */
export type FeatureRow = number | ArrayLike<number> | ArrayLike<unknown>;
/** Features: a tensor [n, ...] or an array of n rows. */
export type FeatureInput = tf.Tensor | ArrayLike<FeatureRow>;
/** Labels: a tensor ([n], [n, 1], one-hot [n, C]), class indices, or one-hot rows. */
export type LabelInput = tf.Tensor | ArrayLike<number> | ArrayLike<ArrayLike<number>>;

/** How the labels were encoded (and are written back). */
export type LabelEncoding = 'sparse' | 'column' | 'onehot';

/** The resampled data, in the input's format. */
export interface Resampled<X, Y> {
  /** Features: the original rows in input order, then the synthetic ones (same container type as given). */
  xs: X;
  /** Labels in the same order and format as given. */
  ys: Y;
}

type TypedCtor = new (n: number) => ArrayLike<number> & {[i: number]: number};

/** A validated view of (xs, ys) the samplers read from and write through. */
export class SampleTable {
  /** Number of rows. */
  readonly n: number;
  /** Shape of one feature row (after the row axis). */
  readonly rowShape: number[];
  /** Values per row: prod(rowShape). */
  readonly d: number;
  /** Class index of each row. */
  readonly labels: Int32Array;
  /** Number of classes: the one-hot width, else max label + 1. */
  readonly numClasses: number;
  /** Rows per class. */
  readonly counts: number[];
  readonly encoding: LabelEncoding;

  private flat: FloatRows | Int32Array | Uint8Array | null = null;
  private finiteChecked = false;

  constructor(readonly xs: FeatureInput, readonly ys: LabelInput) {
    const {n, rowShape} = featureShape(xs);
    this.n = n;
    this.rowShape = rowShape;
    this.d = sizeOf(rowShape);
    const read = readLabels(ys);
    this.encoding = read.encoding;
    if (read.labels.length !== n) {
      throw new ImbalancedInputError('ys', `${n} labels (one per row of xs)`, `${read.labels.length} labels`);
    }
    this.labels = read.labels;
    let max = -1;
    for (let i = 0; i < n; i++) if (read.labels[i] > max) max = read.labels[i];
    this.numClasses = read.width ?? max + 1;
    this.counts = new Array<number>(this.numClasses).fill(0);
    for (let i = 0; i < n; i++) this.counts[read.labels[i]]++;
  }

  /** True for array input (rows are read as float64), false for tensors (float32). */
  get float64(): boolean {
    return !(this.xs instanceof tf.Tensor);
  }

  /** Row indices of class c, in input order. */
  classRows(c: number): Int32Array {
    const out = new Int32Array(this.counts[c] ?? 0);
    let p = 0;
    for (let i = 0; i < this.n; i++) if (this.labels[i] === c) out[p++] = i;
    return out;
  }

  /** Throws on a NaN or infinite feature value (distances would be meaningless). */
  checkFinite(): void {
    if (this.finiteChecked) return;
    const v = this.values();
    for (let p = 0; p < v.length; p++) {
      if (!Number.isFinite(v[p])) {
        const row = Math.floor(p / this.d);
        throw new ImbalancedInputError(`xs[${row}]`, 'finite feature values (SMOTE computes distances; impute or drop NaN / Infinity first)', v[p]);
      }
    }
    this.finiteChecked = true;
  }

  /** The given rows, flattened row-major (float32 for tensor input, float64 for arrays). */
  rows(indices: ArrayLike<number>): FloatRows {
    const v = this.values();
    const d = this.d;
    const out = this.xs instanceof tf.Tensor ? new Float32Array(indices.length * d) : new Float64Array(indices.length * d);
    for (let r = 0; r < indices.length; r++) {
      const src = indices[r] * d;
      for (let t = 0; t < d; t++) out[r * d + t] = v[src + t];
    }
    return out;
  }

  /** Every row, flattened (a view for float input; do not modify). */
  allRows(): FloatRows {
    const v = this.values();
    if (v instanceof Float32Array || v instanceof Float64Array) return v;
    return Float32Array.from(v);
  }

  private values(): FloatRows | Int32Array | Uint8Array {
    if (this.flat === null) {
      this.flat = this.xs instanceof tf.Tensor
        ? (readArray(this.xs, 'xs').values as Float32Array | Int32Array | Uint8Array)
        : flattenFeatureRows(this.xs as ArrayLike<unknown>, this.rowShape);
    }
    return this.flat;
  }

  /**
   * The output: the original rows `keep` (input indices, in that order; null =
   * all rows in input order), then `synthetic` rows (flattened) with labels
   * `syntheticLabels`. Tensor output is created inside no tidy: the caller owns it.
   */
  write<X extends FeatureInput, Y extends LabelInput>(keep: Int32Array | null, synthetic: FloatRows | null, syntheticLabels: Int32Array | null): Resampled<X, Y> {
    const g = syntheticLabels ? syntheticLabels.length : 0;
    return {xs: this.writeFeatures(keep, g > 0 ? synthetic : null, g) as X, ys: this.writeLabels(keep, g > 0 ? syntheticLabels : null) as Y};
  }

  private writeFeatures(keep: Int32Array | null, synthetic: FloatRows | null, g: number): FeatureInput {
    const xs = this.xs;
    if (xs instanceof tf.Tensor) {
      return tf.tidy(() => {
        let base: tf.Tensor = keep ? tf.gather(xs, tf.tensor1d(keep, 'int32')) : xs.clone();
        if (!synthetic) return base;
        if (base.dtype !== 'float32') base = tf.cast(base, 'float32');
        const extra = tf.tensor(synthetic instanceof Float32Array ? synthetic : Float32Array.from(synthetic), [g, ...this.rowShape], 'float32');
        return tf.concat([base, extra], 0);
      });
    }
    const rows = xs as ArrayLike<FeatureRow>;
    const total = (keep ? keep.length : this.n) + g;
    const out: unknown[] = new Array(total);
    const isTyped = ArrayBuffer.isView(rows);
    const toFloat = synthetic !== null;
    for (let r = 0; r < (keep ? keep.length : this.n); r++) out[r] = copyRow(rows[keep ? keep[r] : r], toFloat);
    if (synthetic) {
      const d = this.d;
      const template = this.n > 0 ? rows[0] : 0;
      for (let s = 0; s < g; s++) out[total - g + s] = buildRow(synthetic, s * d, this.rowShape, template);
    }
    if (isTyped) {
      const Ctor = typedCtor(rows, toFloat);
      const typed = new Ctor(total);
      for (let r = 0; r < total; r++) typed[r] = out[r] as number;
      return typed;
    }
    return out as FeatureRow[];
  }

  private writeLabels(keep: Int32Array | null, synthetic: Int32Array | null): LabelInput {
    const ys = this.ys;
    if (ys instanceof tf.Tensor) {
      return tf.tidy(() => {
        const base: tf.Tensor = keep ? tf.gather(ys, tf.tensor1d(keep, 'int32')) : ys.clone();
        if (!synthetic) return base;
        const g = synthetic.length;
        let extra: tf.Tensor;
        if (this.encoding === 'onehot') extra = tf.cast(tf.oneHot(tf.tensor1d(synthetic, 'int32'), this.numClasses), ys.dtype);
        else if (this.encoding === 'column') extra = tf.tensor2d(synthetic, [g, 1], ys.dtype === 'int32' ? 'int32' : 'float32');
        else extra = tf.tensor1d(synthetic, ys.dtype === 'int32' ? 'int32' : 'float32');
        return tf.concat([base, extra], 0);
      });
    }
    const src = ys as ArrayLike<number> | ArrayLike<ArrayLike<number>>;
    const nKeep = keep ? keep.length : this.n;
    const g = synthetic ? synthetic.length : 0;
    if (this.encoding === 'sparse') {
      const flat = src as ArrayLike<number>;
      const out: {[i: number]: number; length: number} = ArrayBuffer.isView(flat)
        ? new ((flat as unknown as {constructor: TypedCtor}).constructor)(nKeep + g)
        : new Array<number>(nKeep + g);
      for (let r = 0; r < nKeep; r++) out[r] = flat[keep ? keep[r] : r];
      for (let s = 0; s < g; s++) out[nKeep + s] = (synthetic as Int32Array)[s];
      return out as ArrayLike<number>;
    }
    const rows = src as ArrayLike<ArrayLike<number>>;
    const out: ArrayLike<number>[] = new Array(nKeep + g);
    for (let r = 0; r < nKeep; r++) out[r] = copyRow(rows[keep ? keep[r] : r]) as ArrayLike<number>;
    const template = rows[0];
    const width = this.encoding === 'column' ? 1 : this.numClasses;
    for (let s = 0; s < g; s++) {
      const label = (synthetic as Int32Array)[s];
      const row: {[i: number]: number; length: number} = ArrayBuffer.isView(template)
        ? new ((template as unknown as {constructor: TypedCtor}).constructor)(width)
        : new Array<number>(width).fill(0);
      if (this.encoding === 'column') row[0] = label;
      else row[label] = 1;
      out[nKeep + s] = row as ArrayLike<number>;
    }
    return out;
  }
}

/** The constructor of typed array `arr`; with `toFloat`, Float64Array in place of an integer type. */
function typedCtor(arr: unknown, toFloat: boolean): TypedCtor {
  if (toFloat && !(arr instanceof Float32Array) && !(arr instanceof Float64Array)) return Float64Array;
  return (arr as {constructor: TypedCtor}).constructor;
}

/** A deep copy of one array row (numbers are returned as is); `toFloat`: integer typed arrays become Float64Array. */
function copyRow(row: unknown, toFloat = false): unknown {
  if (typeof row === 'number') return row;
  if (ArrayBuffer.isView(row)) {
    const typed = row as unknown as ArrayLike<number> & {slice(): unknown};
    return toFloat && !(row instanceof Float32Array) && !(row instanceof Float64Array) ? Float64Array.from(typed) : typed.slice();
  }
  if (Array.isArray(row)) return row.map(r => copyRow(r, toFloat));
  return row;
}

/**
 * A row of `shape` from flat values, using the container types of `template` (a row of the input; integer typed
 * arrays become Float64Array); without a template, nested plain arrays.
 */
export function buildRow(flat: FloatRows, offset: number, shape: number[], template: unknown): unknown {
  if (shape.length === 0) return flat[offset];
  if (ArrayBuffer.isView(template)) {
    const Ctor = typedCtor(template, true);
    const row = new Ctor(shape[0]);
    for (let t = 0; t < shape[0]; t++) row[t] = flat[offset + t];
    return row;
  }
  const inner = shape.slice(1);
  const size = sizeOf(inner);
  const sub = Array.isArray(template) ? template[0] : undefined;
  const out = new Array(shape[0]);
  for (let t = 0; t < shape[0]; t++) out[t] = buildRow(flat, offset + t * size, inner, sub);
  return out;
}

/** The encoding the samplers write back, for each label format. */
const ENCODINGS: Record<LabelFormat, LabelEncoding> = {indices: 'sparse', column: 'column', rows: 'onehot'};

/** Labels as class indices plus how they were encoded (src/core/inputs.ts validates them). */
export function readLabels(ys: LabelInput): {labels: Int32Array; encoding: LabelEncoding; width?: number} {
  // The samplers write labels back in the container they came in: a tensor or an array.
  if (!(ys instanceof tf.Tensor) && !Array.isArray(ys) && !ArrayBuffer.isView(ys)) {
    throw new ImbalancedInputError('ys', 'a tensor, an array of class indices or an array of label rows', ys);
  }
  const read = readBatchLabels(readArray(ys, 'ys'), 'ys');
  const encoding = ENCODINGS[read.format];
  return encoding === 'onehot' ? {labels: read.classes, encoding, width: read.width} : {labels: read.classes, encoding};
}
