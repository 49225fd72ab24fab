/**
 * Shared machinery of the reproductions (`npm run repro -- <name>`): options,
 * statistics (mean ± sd, ranks, paired t-test), Markdown tables, the MLP the
 * tabular presets train, a seeded training loop and the repro data files.
 * Offline tooling: never imported by the library.
 */
import * as tf from '@tensorflow/tfjs';
import {execFileSync} from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {Random} from '../../src/core/random';
import {parseCsvDataset, TabularDataset} from '../../src/datasets';

/** What a preset gets: its options and whether this is a quick smoke run. */
export class ReproContext {
  constructor(readonly quick: boolean, private readonly options: Map<string, string>, readonly log: (line: string) => void = console.log) {}

  /** A numeric option: `--name N`, else `quick` in a quick run, else `full`. */
  num(name: string, full: number, quick = full): number {
    const v = this.options.get(name);
    if (v === undefined) return this.quick ? quick : full;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`--${name}: expected a number, got ${JSON.stringify(v)}`);
    return n;
  }

  /** A string option. */
  str(name: string, full: string, quick = full): string {
    return this.options.get(name) ?? (this.quick ? quick : full);
  }

  /** The options given on the command line (for the JSON record). */
  given(): Record<string, string> {
    return Object.fromEntries(this.options);
  }
}

/** What a preset returns: Markdown for stdout and the docs, data for the JSON record. */
export interface PresetOutput {
  /** The settings actually used (epochs, seeds, datasets ...). */
  settings: Record<string, unknown>;
  /** The tables, as Markdown. */
  markdown: string;
  /** Per-repeat numbers and summaries. */
  results: unknown;
}

/** One reproduction. */
export interface Preset {
  name: string;
  /** One line: which paper and table. */
  title: string;
  run(ctx: ReproContext): Promise<PresetOutput>;
}

// ---------------------------------------------------------------- statistics

export const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

/** Sample standard deviation (n − 1); 0 for a single value. */
export const sd = (v: number[]): number => {
  if (v.length < 2) return 0;
  const m = mean(v);
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
};

/** `mean ± sd` with `digits` decimals (× `scale`, e.g. 100 for %). */
export function meanSd(v: number[], digits = 3, scale = 1): string {
  const s = v.map(x => x * scale);
  return v.length > 1 ? `${mean(s).toFixed(digits)} ± ${sd(s).toFixed(digits)}` : mean(s).toFixed(digits);
}

/**
 * Ranks 1..n of `values` (1 = best), ties sharing their mean rank, as the
 * ReMix paper ranks methods per task before summing.
 */
export function ranks(values: number[], higherIsBetter: boolean): number[] {
  const order = values.map((v, i) => ({v: higherIsBetter ? -v : v, i})).sort((a, b) => a.v - b.v);
  const out = new Array<number>(values.length);
  for (let s = 0; s < order.length; ) {
    let e = s;
    while (e + 1 < order.length && order[e + 1].v === order[s].v) e++;
    for (let k = s; k <= e; k++) out[order[k].i] = (s + e) / 2 + 1;
    s = e + 1;
  }
  return out;
}

/** ln Γ(x), Lanczos approximation (g = 7, 9 terms), x > 0. */
function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised incomplete beta I_x(a, b) by its continued fraction (modified Lentz). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  // The fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const front = Math.exp(a * Math.log(x) + b * Math.log(1 - x) - logGamma(a) - logGamma(b) + logGamma(a + b)) / a;
  const tiny = 1e-300;
  let f = 1;
  let c = 1;
  let d = 0;
  for (let i = 0; i <= 400; i++) {
    const m = Math.floor(i / 2);
    let num: number;
    if (i === 0) num = 1;
    else if (i % 2 === 0) num = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    else num = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + num * d;
    d = Math.abs(d) < tiny ? tiny : d;
    d = 1 / d;
    c = 1 + num / c;
    c = Math.abs(c) < tiny ? tiny : c;
    const cd = c * d;
    f *= cd;
    if (Math.abs(1 - cd) < 1e-14) break;
  }
  return front * (f - 1);
}

/**
 * Paired two-sided t-test (scipy's `ttest_rel`): t = mean(d) / (sd(d)/√n) on
 * d = a − b, p = I_{ν/(ν+t²)}(ν/2, 1/2) with ν = n − 1. NaN p when every
 * difference is equal (t undefined).
 */
export function pairedTTest(a: number[], b: number[]): {t: number; df: number; p: number; meanDiff: number} {
  if (a.length !== b.length || a.length < 2) throw new Error('pairedTTest: two samples of the same length >= 2');
  const d = a.map((v, i) => v - b[i]);
  const df = d.length - 1;
  const s = sd(d);
  const t = mean(d) / (s / Math.sqrt(d.length));
  const p = s === 0 ? NaN : incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return {t, df, p, meanDiff: mean(d)};
}

/** A p-value the way papers print them: 2 significant digits, scientific below 1e-3. */
export const fmtP = (p: number): string => (Number.isNaN(p) ? 'n/a' : p < 1e-3 ? p.toExponential(1) : p.toFixed(3));

// ---------------------------------------------------------------- tables

/** A Markdown table. */
export function mdTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------- models and training

/** Options of {@link mlp}. */
export interface MlpOptions {
  inputDim: number;
  hidden: number[];
  outputs: number;
  /** Output activation: 'softmax', 'sigmoid' or 'linear' (logits). */
  outputActivation: 'softmax' | 'sigmoid' | 'linear';
  /** Dropout after every hidden layer (0 = none). */
  dropout?: number;
  /** L2 on the kernels only (biases stay free, as CRCEN's eq. 6 needs). */
  l2?: number;
  seed: number;
}

/**
 * A ReLU MLP with seeded He-normal hidden layers and a Glorot-uniform output
 * layer. Initializer seeds start at 1: tfjs' truncated normal treats seed 0 as
 * "no seed" (`seed ? seed : Math.random()`), so a 0 gives different weights every run.
 */
export function mlp(o: MlpOptions): tf.Sequential {
  const model = tf.sequential();
  const l2 = o.l2 ?? 0;
  const reg = () => (l2 > 0 ? tf.regularizers.l2({l2}) : undefined);
  o.hidden.forEach((units, i) => {
    model.add(tf.layers.dense({
      units,
      activation: 'relu',
      ...(i === 0 ? {inputShape: [o.inputDim]} : {}),
      kernelInitializer: tf.initializers.heNormal({seed: o.seed * 101 + i + 1}),
      kernelRegularizer: reg(),
    }));
    // Unseeded on purpose: a seeded tfjs Dropout draws the same mask on every step (tf.dropout(x, rate, shape, seed)).
    if (o.dropout) model.add(tf.layers.dropout({rate: o.dropout}));
  });
  model.add(tf.layers.dense({
    units: o.outputs,
    activation: o.outputActivation,
    ...(o.hidden.length === 0 ? {inputShape: [o.inputDim]} : {}),
    kernelInitializer: tf.initializers.glorotUniform({seed: o.seed * 101 + 99}),
    kernelRegularizer: reg(),
  }));
  return model;
}

/** Options of {@link fitSeeded}. */
export interface FitOptions {
  epochs: number;
  batchSize: number;
  /** Seed of the row order; epoch e uses permutation (seed, e). */
  seed: number;
  classWeight?: {[k: string]: number};
  callbacks?: tf.Callback[];
  validationData?: [tf.Tensor, tf.Tensor];
  /** Called after every epoch with the 1-based epoch number (snapshots at several budgets). */
  afterEpoch?: (epoch: number) => void | Promise<void>;
  /** Called before every epoch (0-based), e.g. to swap the loss (deferred re-weighting). */
  beforeEpoch?: (epoch: number) => void;
}

/**
 * Trains epoch by epoch on a seeded row order (tfjs' own shuffle cannot be
 * seeded): every method sees the same batches for the same seed. One
 * `fit` call per epoch, so callbacks' state carries over between them.
 */
export async function fitSeeded(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor, o: FitOptions): Promise<void> {
  const n = xs.shape[0];
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    o.beforeEpoch?.(epoch);
    const perm = tf.tensor1d(Array.from(new Random(o.seed * 7919 + epoch).permutation(n)), 'int32');
    const x = tf.gather(xs, perm);
    const y = tf.gather(ys, perm);
    await model.fit(x, y, {
      epochs: 1, batchSize: o.batchSize, shuffle: false, verbose: 0,
      classWeight: o.classWeight, callbacks: o.callbacks, validationData: o.validationData,
    });
    tf.dispose([perm, x, y]);
    await o.afterEpoch?.(epoch + 1);
  }
}

/** Model outputs on `xs` as a plain [n, C] array of rows (C = 1 for a sigmoid). */
export function predictRows(model: tf.LayersModel, xs: tf.Tensor, batchSize = 1024): number[][] {
  return tf.tidy(() => (model.predict(xs, {batchSize}) as tf.Tensor).arraySync() as number[][]);
}

/** Argmax per row (first index on ties); for one column, p > threshold. */
export function predictedClasses(probs: number[][], threshold = 0.5): number[] {
  return probs.map(row => (row.length === 1 ? (row[0] > threshold ? 1 : 0) : row.indexOf(Math.max(...row))));
}

/** Features of `rows` of a dataset as a [n, d] tensor, labels as an int32 [n] tensor. */
export function tensorsOf(ds: TabularDataset, rows?: number[]): {xs: tf.Tensor2D; ys: tf.Tensor1D} {
  const idx = rows ?? Array.from({length: ds.numRows}, (_, i) => i);
  const d = ds.numFeatures;
  const x = new Float32Array(idx.length * d);
  idx.forEach((r, i) => x.set(ds.features.subarray(r * d, (r + 1) * d), i * d));
  return {xs: tf.tensor2d(x, [idx.length, d]), ys: tf.tensor1d(idx.map(r => ds.labels[r]), 'int32')};
}

/** Per-column mean / sd of `fit` rows (population sd, 1 for constant columns), applied to a copy of all rows, then clipped to ±clip. */
export function standardizeRows(ds: TabularDataset, fitRows: number[], clip = Infinity): TabularDataset {
  const d = ds.numFeatures;
  const mu = new Float64Array(d);
  const sq = new Float64Array(d);
  for (const r of fitRows) for (let j = 0; j < d; j++) mu[j] += ds.features[r * d + j];
  mu.forEach((_, j) => (mu[j] /= fitRows.length));
  for (const r of fitRows) for (let j = 0; j < d; j++) sq[j] += (ds.features[r * d + j] - mu[j]) ** 2;
  const sdev = Array.from(sq, s => Math.sqrt(s / fitRows.length) || 1);
  const features = ds.features.map((v, i) => Math.max(-clip, Math.min(clip, (v - mu[i % d]) / sdev[i % d])));
  return {...ds, features};
}

/** Per-column min-max scaling to [0, 1] fitted on `fitRows` (constant columns become 0). */
export function minMaxRows(ds: TabularDataset, fitRows: number[]): TabularDataset {
  const d = ds.numFeatures;
  const lo = new Float64Array(d).fill(Infinity);
  const hi = new Float64Array(d).fill(-Infinity);
  for (const r of fitRows) {
    for (let j = 0; j < d; j++) {
      const v = ds.features[r * d + j];
      if (v < lo[j]) lo[j] = v;
      if (v > hi[j]) hi[j] = v;
    }
  }
  const features = ds.features.map((v, i) => {
    const j = i % d;
    return hi[j] > lo[j] ? (v - lo[j]) / (hi[j] - lo[j]) : 0;
  });
  return {...ds, features};
}

// ---------------------------------------------------------------- splits

/** Stratified k-fold: fold f holds every k-th row of each class after a seeded shuffle. */
export function stratifiedKFold(labels: ArrayLike<number>, k: number, seed: number): number[][] {
  const rng = new Random(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const rows = byClass.get(labels[i]) ?? [];
    rows.push(i);
    byClass.set(labels[i], rows);
  }
  const folds: number[][] = Array.from({length: k}, () => []);
  let offset = 0;
  for (const c of Array.from(byClass.keys()).sort((a, b) => a - b)) {
    const rows = rng.shuffle(byClass.get(c) as number[]) as number[];
    // Rotate the starting fold per class so fold sizes differ by at most one row overall.
    rows.forEach((r, i) => folds[(i + offset) % k].push(r));
    offset += rows.length;
  }
  return folds.map(f => rng.shuffle(f) as number[]);
}

/** Stratified split of `rows` into (rest, held) with round(fraction·n_c) rows of each class held out. */
export function stratifiedHoldout(rows: number[], labels: ArrayLike<number>, fraction: number, seed: number): {rest: number[]; held: number[]} {
  const rng = new Random(seed);
  const byClass = new Map<number, number[]>();
  for (const r of rows) byClass.set(labels[r], [...(byClass.get(labels[r]) ?? []), r]);
  const rest: number[] = [];
  const held: number[] = [];
  for (const c of Array.from(byClass.keys()).sort((a, b) => a - b)) {
    const rs = rng.shuffle(byClass.get(c) as number[]) as number[];
    const h = Math.round(fraction * rs.length);
    rs.forEach((r, i) => (i < h ? held : rest).push(r));
  }
  return {rest: rng.shuffle(rest) as number[], held: rng.shuffle(held) as number[]};
}

// ---------------------------------------------------------------- data files

/** The repository root (scripts/repro/ is two levels down). */
export const ROOT = path.resolve(__dirname, '..', '..');

/**
 * A tabular set written by scripts/repro/make-repro-data.R into data/repro/
 * (`shuttle`, `dna`, `letter`); runs the script first when the file is missing.
 */
export function reproDataset(name: 'shuttle' | 'dna' | 'letter', classNames?: string[]): TabularDataset {
  const file = path.join(ROOT, 'data', 'repro', `${name}.csv`);
  if (!fs.existsSync(file)) {
    console.log(`data/repro/${name}.csv is missing: running Rscript scripts/repro/make-repro-data.R`);
    try {
      execFileSync('Rscript', [path.join('scripts', 'repro', 'make-repro-data.R')], {cwd: ROOT, stdio: 'inherit'});
    } catch (e) {
      throw new Error(`could not make data/repro/${name}.csv: this preset needs Rscript and the mlbench R package ` +
        `(Debian: apt-get install r-base-core r-cran-mlbench). ${(e as Error).message}`);
    }
  }
  return parseCsvDataset(fs.readFileSync(file, 'utf8'), {classNames});
}

/** Per-class row counts of `rows`. */
export function countsOf(labels: ArrayLike<number>, rows: number[], numClasses: number): number[] {
  const c = new Array<number>(numClasses).fill(0);
  for (const r of rows) c[labels[r]] += 1;
  return c;
}
