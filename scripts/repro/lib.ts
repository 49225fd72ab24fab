/**
 * Shared machinery of the reproductions (`npm run repro -- <name>`): options,
 * statistics (mean ± sd, ranks, paired t-test), Markdown tables, the repro
 * data files, and small helpers around the comparison engine
 * (`imb.compare.run`), which does every preset's splitting, seeding, training
 * and scoring. Offline tooling: never imported by the library.
 */
import * as tf from '@tensorflow/tfjs';
import {execFileSync} from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as imb from '../../src';
import type {CompareData, CompareOptions, CompareResult, Evaluation} from '../../src/compare';
import {predictionBatches} from '../../src/core/predict';
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

// ---------------------------------------------------------------- the compare engine

/**
 * Runs one comparison of the engine (`imb.compare.run`): the presets are
 * configurations of it. Logs one line per finished run (`tag`, method, repeat,
 * its metrics at the largest budget, seconds) and every failed run.
 */
export async function compareRun(ctx: ReproContext, tag: string, data: CompareData, options: CompareOptions): Promise<CompareResult> {
  const result = await imb.compare.run(data, {
    ...options,
    onProgress: e => {
      if (e.type !== 'runEnd') return;
      const r = e.result;
      const last = r.evaluations.filter(ev => !ev.calibrated).pop();
      const metrics = last ? Object.entries(last.metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ') : `FAILED: ${r.error}`;
      ctx.log(`${tag} | ${r.method} | repeat ${r.repeat + 1}: ${metrics} (${r.seconds.toFixed(1)} s)`);
    },
  });
  return result;
}

/** The uncalibrated evaluation of each repeat of `method` at `budget` (default the largest), in repeat order; failed runs are left out. */
export function evaluationsOf(result: CompareResult, method: string, budget?: number): Evaluation[] {
  const b = budget ?? result.config.epochs[result.config.epochs.length - 1];
  return result.runs
    .filter(r => r.method === method && r.error === undefined)
    .map(r => r.evaluations.find(e => e.budget === b && !e.calibrated))
    .filter((e): e is Evaluation => e !== undefined);
}

/** `method: error` for every failed run (empty when none failed). */
export function failures(result: CompareResult): string[] {
  return result.runs.filter(r => r.error !== undefined).map(r => `${r.method}, repeat ${r.repeat + 1}: ${r.error}`);
}

/**
 * A comparison's result for a JSON record: the configuration, data summary and
 * every run's numbers (metrics, confusion matrices, per-class results, seeds,
 * times), without the per-epoch curves and reliability bins.
 */
export function compactResult(result: CompareResult): Record<string, unknown> {
  const {config, data, methods, seconds, environment} = result;
  return {
    environment, config, data, methods, seconds,
    runs: result.runs.map(({history: _h, evaluations, ...run}) => ({...run, evaluations: evaluations.map(({reliability: _r, ...e}) => e)})),
  };
}

/** P(class k) of each row of `xs` (softmax outputs, or the softmax of logits), row-major [n, C], in one linear-time pass. */
export async function predictProbabilities(model: tf.LayersModel, xs: tf.Tensor, fromLogits = false): Promise<Float32Array> {
  const n = xs.shape[0];
  let out: Float32Array | null = null;
  for (const {outputs: [y], start} of predictionBatches(model, xs, 1024)) {
    const p = fromLogits ? tf.softmax(y) : y;
    const values = (await p.data()) as Float32Array;
    if (fromLogits) p.dispose();
    const cols = values.length / y.shape[0];
    out ??= new Float32Array(n * cols);
    out.set(values, start * cols);
  }
  return out ?? new Float32Array(0);
}

/** Column `k` of row-major probabilities with `cols` columns (P(class 1) of a binary model: k = 1, cols = 2). */
export function column(probs: Float32Array, cols: number, k: number): number[] {
  return Array.from({length: probs.length / cols}, (_, i) => probs[i * cols + k]);
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
