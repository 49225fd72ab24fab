/**
 * A small in-memory tabular dataset (row-major features + integer labels) and
 * the operations the compare command, examples and benchmarks need: CSV
 * parsing (string or index labels), stratified splitting, standardisation,
 * conversion to tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import {ImbalancedInputError} from '../errors';
import {Random} from '../core/random';
import {checkKeys, checkNumber, checkOneOf} from '../core/validate';
import {classCounts} from '../data/classCounts';

/** A labelled table held in typed arrays. */
export interface TabularDataset {
  /** Row-major features, numRows x numFeatures. */
  readonly features: Float32Array;
  /** Class index per row, 0..numClasses-1. */
  readonly labels: Int32Array;
  /** Number of rows (samples). */
  readonly numRows: number;
  /** Number of feature columns. */
  readonly numFeatures: number;
  /** Number of classes (max label + 1 when parsed, or the length of classNames). */
  readonly numClasses: number;
  /** Feature column names from the CSV header, in order. */
  readonly featureNames: string[];
  /** Class names, index = label. */
  readonly classNames: string[];
}

/** How {@link parseCsvDataset} turns label cells into class indices. */
export type LabelMapping = 'index' | 'sorted' | 'appearance';

/** Options of {@link parseCsvDataset}. */
export interface CsvDatasetOptions {
  /** Header name of the label column. Default `'class'`. */
  labelColumn?: string;
  /**
   * `'index'` (default): label cells are class indices (integers >= 0), named by
   * `classNames` (default '0', '1', ...). `'sorted'`: any labels (strings or
   * numbers); the distinct values sorted (numerically when all are numbers,
   * else by code point) become classes 0, 1, ... `'appearance'`: the same in
   * order of first appearance. With `'sorted'` / `'appearance'` the class names
   * are the label values.
   */
  labels?: LabelMapping;
  /** Names of the classes (`labels: 'index'` only), index = label. */
  classNames?: string[];
  /** Cell separator, one character. Default `','`. */
  delimiter?: string;
  /** Header names of columns to leave out (ids, free text). Default none. */
  ignoreColumns?: string[];
  /** Throws, naming a row of the class, when a class has fewer rows than this. Default 0 (no check). */
  minRowsPerClass?: number;
}

/** Feature cells that mean "no value" (compared lower-case); reported as missing rather than as non-numeric. */
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?']);

/**
 * Splits one CSV line into cells: `"..."` quotes a cell (which may hold the
 * delimiter), `""` inside quotes is a quote; cells are trimmed.
 */
export function splitCsvLine(line: string, delimiter = ','): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === delimiter) {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

/** Distinct labels in class order: sorted (numerically if all are numbers) or as first seen. */
function classOrder(seen: string[], mapping: 'sorted' | 'appearance'): string[] {
  if (mapping === 'appearance') return seen;
  const numeric = seen.every(v => Number.isFinite(Number(v)));
  return seen.slice().sort((a, b) => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Parses a numeric CSV with a header row into a {@link TabularDataset}. Every
 * column except `labelColumn` and `ignoreColumns` is a feature and must hold
 * finite numbers. Errors are ImbalancedInputErrors naming the file row (1 =
 * header) and column: a missing value (`''`, `NA`, `?` ...), a non-numeric cell,
 * a wrong number of cells, a label that is not a class index (`labels: 'index'`),
 * a class with fewer than `minRowsPerClass` rows, a label column that is not in
 * the header. Blank lines are skipped.
 */
export function parseCsvDataset(text: string, opts: CsvDatasetOptions = {}): TabularDataset {
  checkKeys('parseCsvDataset', opts, ['labelColumn', 'labels', 'classNames', 'delimiter', 'ignoreColumns', 'minRowsPerClass']);
  const labelColumn = opts.labelColumn ?? 'class';
  const mapping = checkOneOf('labels', opts.labels ?? 'index', ['index', 'sorted', 'appearance'] as const);
  const delimiter = opts.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter === '"') {
    throw new ImbalancedInputError('delimiter', 'one character other than a double quote', delimiter);
  }
  const minRows = checkNumber('minRowsPerClass', opts.minRowsPerClass ?? 0, {min: 0, integer: true});
  if (opts.classNames !== undefined && mapping !== 'index') {
    throw new ImbalancedInputError('classNames', "no classNames with labels 'sorted' or 'appearance' (the label values name the classes)", opts.classNames);
  }
  const allLines = text.split(/\r?\n/);
  const lineNo: number[] = [];
  allLines.forEach((l, i) => {
    if (l.trim() !== '') lineNo.push(i);
  });
  if (lineNo.length === 0) throw new ImbalancedInputError('text', 'a CSV with a header row', 'an empty text');
  const header = splitCsvLine(allLines[lineNo[0]], delimiter);
  const rowName = (k: number) => `CSV row ${lineNo[k] + 1}`;
  const labelIdx = header.indexOf(labelColumn);
  if (labelIdx < 0) throw new ImbalancedInputError('labelColumn', `a column of the CSV header (${header.join(', ')})`, labelColumn);
  if (header.indexOf(labelColumn, labelIdx + 1) >= 0) {
    throw new ImbalancedInputError('labelColumn', 'a header name used by one column only', `${JSON.stringify(labelColumn)} in columns ${labelIdx + 1} and ${header.indexOf(labelColumn, labelIdx + 1) + 1}`);
  }
  const ignore = new Set(opts.ignoreColumns ?? []);
  for (const name of ignore) {
    if (!header.includes(name)) throw new ImbalancedInputError('ignoreColumns', `columns of the CSV header (${header.join(', ')})`, name);
    if (name === labelColumn) throw new ImbalancedInputError('ignoreColumns', 'columns other than the label column', name);
  }
  const featureCols = header.map((_, c) => c).filter(c => c !== labelIdx && !ignore.has(header[c]));
  const numFeatures = featureCols.length;
  const numRows = lineNo.length - 1;
  const features = new Float32Array(numRows * numFeatures);
  const labels = new Int32Array(numRows);
  const cellError = (r: number, c: number, expected: string, cell: string) =>
    new ImbalancedInputError(`${rowName(r + 1)}, column ${header[c]}`, expected, MISSING.has(cell.toLowerCase()) ? `a missing value (${JSON.stringify(cell)})` : cell);
  const rawLabels: string[] = new Array(numRows);
  const firstRow = new Map<string, number>();
  for (let r = 0; r < numRows; r++) {
    const cells = splitCsvLine(allLines[lineNo[r + 1]], delimiter);
    if (cells.length !== header.length) {
      throw new ImbalancedInputError(rowName(r + 1), `${header.length} cells`, cells.length);
    }
    featureCols.forEach((c, f) => {
      const cell = cells[c];
      const v = MISSING.has(cell.toLowerCase()) ? NaN : Number(cell);
      if (!Number.isFinite(v)) throw cellError(r, c, 'a finite number', cell);
      features[r * numFeatures + f] = v;
    });
    const cell = cells[labelIdx];
    if (cell === '') throw cellError(r, labelIdx, 'a class label', cell);
    if (mapping === 'index') {
      const v = Number(cell);
      if (!Number.isInteger(v) || v < 0) throw cellError(r, labelIdx, 'a class index (an integer >= 0)', cell);
      labels[r] = v;
    } else if (!firstRow.has(cell)) firstRow.set(cell, r);
    rawLabels[r] = cell;
  }
  let classNames: string[];
  let numClasses: number;
  if (mapping === 'index') {
    numClasses = labels.reduce((max, y) => Math.max(max, y), -1) + 1;
    classNames = opts.classNames ?? Array.from({length: numClasses}, (_, i) => String(i));
  } else {
    classNames = classOrder([...firstRow.keys()], mapping);
    numClasses = classNames.length;
    const index = new Map(classNames.map((name, k) => [name, k]));
    rawLabels.forEach((cell, r) => (labels[r] = index.get(cell)!));
  }
  if (minRows > 0) {
    const counts = new Array(numClasses).fill(0);
    const first = new Array(counts.length).fill(-1);
    labels.forEach((y, r) => {
      counts[y]++;
      if (first[y] < 0) first[y] = r;
    });
    counts.forEach((n, k) => {
      if (n >= minRows) return;
      const where = first[k] >= 0 ? `${rowName(first[k] + 1)}, column ${labelColumn}` : `column ${labelColumn}`;
      throw new ImbalancedInputError(
        where,
        `at least ${minRows} rows of every class`,
        `${n} row${n === 1 ? '' : 's'} of class ${JSON.stringify(classNames[k] ?? String(k))}`,
      );
    });
  }
  return {
    features, labels, numRows, numFeatures, numClasses,
    featureNames: featureCols.map(c => header[c]),
    classNames,
  };
}

/** Rows `idx` of `ds` as a new dataset. */
export function selectRows(ds: TabularDataset, idx: ArrayLike<number>): TabularDataset {
  const features = new Float32Array(idx.length * ds.numFeatures);
  const labels = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i];
    features.set(ds.features.subarray(r * ds.numFeatures, (r + 1) * ds.numFeatures), i * ds.numFeatures);
    labels[i] = ds.labels[r];
  }
  return {...ds, features, labels, numRows: idx.length};
}

/** Maps labels through `mapping` (old class -> new class in [0, classNames.length)), e.g. one-vs-rest. */
export function relabel(ds: TabularDataset, mapping: (label: number) => number, classNames: string[]): TabularDataset {
  const labels = new Int32Array(ds.labels.length);
  ds.labels.forEach((y, i) => {
    const v = mapping(y);
    if (!Number.isInteger(v) || v < 0 || v >= classNames.length) {
      throw new ImbalancedInputError(`mapping(${y})`, `a class index in [0, ${classNames.length - 1}] (one per class name)`, v);
    }
    labels[i] = v;
  });
  return {...ds, labels, numClasses: classNames.length, classNames};
}

/**
 * Stratified partition of row indices: within each class (shuffled with `rng`),
 * part p >= 1 takes the next round(fractions[p - 1] · n_c) rows and part 0 the
 * rest; each part is then shuffled, part 0 first. Returns 1 + fractions.length parts.
 * `rng` is a seeded generator, `new datasets.Random(seed)`: the same seed gives the same parts.
 */
export function stratifiedIndices(labels: ArrayLike<number>, numClasses: number, fractions: number[], rng: Random): number[][] {
  const total = fractions.reduce((a, b) => a + b, 0);
  fractions.forEach((f, i) => checkNumber(`fractions[${i}]`, f, {min: 0, max: 1, openMin: true, openMax: true}));
  if (!(total < 1)) throw new ImbalancedInputError('fractions', 'fractions summing to less than 1 (the rest is the first part)', fractions);
  const byClass: number[][] = Array.from({length: numClasses}, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]].push(i);
  const parts: number[][] = [[], ...fractions.map(() => [])];
  for (const rows of byClass) {
    rng.shuffle(rows);
    let k = 0;
    fractions.forEach((f, p) => {
      const take = Math.min(rows.length - k, Math.round(f * rows.length));
      for (let end = k + take; k < end; k++) parts[p + 1].push(rows[k]);
    });
    for (; k < rows.length; k++) parts[0].push(rows[k]);
  }
  return parts.map(part => rng.shuffle(part) as number[]);
}

/** Stratified split: each class contributes round(testFraction * n_c) rows to the test part. */
export function stratifiedSplit(ds: TabularDataset, opts: {testFraction?: number; seed?: number} = {}): {
  /** The training rows. */
  train: TabularDataset;
  /** The held-out rows (`testFraction` of each class). */
  test: TabularDataset;
} {
  checkKeys('stratifiedSplit', opts, ['testFraction', 'seed']);
  const testFraction = checkNumber('testFraction', opts.testFraction ?? 0.25, {min: 0, max: 1, openMin: true, openMax: true});
  const [train, test] = stratifiedIndices(ds.labels, ds.numClasses, [testFraction], new Random(opts.seed ?? 0));
  return {train: selectRows(ds, train), test: selectRows(ds, test)};
}

/** Column means and standard deviations of `fitOn`, applied to every dataset given. */
export function standardize(fitOn: TabularDataset, ...apply: TabularDataset[]): TabularDataset[] {
  const d = fitOn.numFeatures;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let r = 0; r < fitOn.numRows; r++) {
    for (let j = 0; j < d; j++) mean[j] += fitOn.features[r * d + j];
  }
  mean.forEach((_, j) => (mean[j] /= fitOn.numRows));
  for (let r = 0; r < fitOn.numRows; r++) {
    for (let j = 0; j < d; j++) sq[j] += (fitOn.features[r * d + j] - mean[j]) ** 2;
  }
  const std = Array.from(sq, s => Math.sqrt(s / fitOn.numRows) || 1);
  return [fitOn, ...apply].map(ds => {
    const features = ds.features.map((v, i) => (v - mean[i % d]) / std[i % d]);
    return {...ds, features};
  });
}

/**
 * Scales every feature to [0, 1] with the minimum and maximum of `fitOn`
 * (scikit-learn's MinMaxScaler), applied to every dataset given; rows of the
 * others may fall outside [0, 1]. A column constant in `fitOn` becomes 0.
 */
export function minMaxScale(fitOn: TabularDataset, ...apply: TabularDataset[]): TabularDataset[] {
  const d = fitOn.numFeatures;
  const lo = new Float64Array(d).fill(Infinity);
  const hi = new Float64Array(d).fill(-Infinity);
  for (let r = 0; r < fitOn.numRows; r++) {
    for (let j = 0; j < d; j++) {
      const v = fitOn.features[r * d + j];
      if (v < lo[j]) lo[j] = v;
      if (v > hi[j]) hi[j] = v;
    }
  }
  return [fitOn, ...apply].map(ds => {
    const features = ds.features.map((v, i) => {
      const j = i % d;
      return hi[j] > lo[j] ? (v - lo[j]) / (hi[j] - lo[j]) : 0;
    });
    return {...ds, features};
  });
}

/** Per-class row counts (`data.classCounts` over the labels, numClasses wide). */
export function countLabels(ds: TabularDataset): number[] {
  return classCounts(ds.labels, {numClasses: ds.numClasses});
}

/** `{xs: [n, d] float32, ys: [n] int32}`; wrap in tf.tidy or dispose them yourself. */
export function toTensors(ds: TabularDataset): {
  /** Features [n, d], float32. */
  xs: tf.Tensor2D;
  /** Class indices [n]. */
  ys: tf.Tensor1D;
} {
  return {xs: tf.tensor2d(ds.features, [ds.numRows, ds.numFeatures]), ys: tf.tensor1d(ds.labels, 'int32')};
}
