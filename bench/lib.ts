/**
 * Benchmark helpers. Benchmarks are not tests: they print ratios against a
 * baseline measured in the same process (or, for Python peers, in the same
 * run on the same data), never absolute pass/fail timings.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {execFileSync} from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {Random} from '../src/core/random';

/** The median of `values`: the middle one, or the mean of the two middle ones for an even count. */
export function median(values: number[]): number {
  const t = values.slice().sort((a, b) => a - b);
  const h = Math.floor(t.length / 2);
  return t.length % 2 ? t[h] : (t[h - 1] + t[h]) / 2;
}

/** Median wall time in ms of `fn` over `repeats` runs after `warmup` runs. */
export async function medianMs(fn: () => unknown | Promise<unknown>, repeats = 5, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Switches the global tfjs backend ('cpu' or 'wasm') and waits until it is ready. */
export async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  await tf.setBackend(name);
  await tf.ready();
  const b = tf.backend() as unknown as {firstUse?: boolean};
  if ('firstUse' in b) b.firstUse = false;
}

/** A python3 that has scikit-learn and imbalanced-learn (Debian's), or null. */
export function findPython(): string | null {
  const candidates = [process.env.IMB_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => !!c);
  for (const py of candidates) {
    try {
      execFileSync(py, ['-c', 'import sklearn, imblearn'], {stdio: 'ignore'});
      return py;
    } catch {
      // try the next one
    }
  }
  return null;
}

/** A BLAS setup for the Python peers: the system's libblas.so.3, or another one put first on LD_LIBRARY_PATH. */
export interface PeerBlas {
  name: string;
  env: Record<string, string>;
}

/**
 * Where bench/peers/openblas.sh unpacks Debian's OpenBLAS build of libblas.so.3
 * (what pip wheels of numpy / scipy bundle), or IMB_OPENBLAS_DIR; null if absent.
 */
export function openBlasDir(): string | null {
  const dir = process.env.IMB_OPENBLAS_DIR ?? path.join(__dirname, 'peers', '.openblas', 'usr', 'lib', 'x86_64-linux-gnu', 'openblas-pthread');
  return fs.existsSync(path.join(dir, 'libblas.so.3')) ? dir : null;
}

/**
 * The peer BLAS setups to time: the system one, plus OpenBLAS when it is set
 * up; `--peer-blas system` or `--peer-blas openblas` keeps one of them.
 */
export function peerBlasSetups(): PeerBlas[] {
  const out: PeerBlas[] = [{name: 'system BLAS', env: {}}];
  const dir = openBlasDir();
  if (dir) out.push({name: 'OpenBLAS', env: {LD_LIBRARY_PATH: [dir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':')}});
  const only = argValue('--peer-blas');
  return only ? out.filter(b => b.name.toLowerCase().startsWith(only.toLowerCase())) : out;
}

/** Runs a Python peer script with JSON on argv[1] (and `env` added); it must print one JSON object on stdout. */
export function runPython<T>(script: string, args: unknown, env: Record<string, string> = {}): T | null {
  const py = findPython();
  if (!py) return null;
  const out = execFileSync(py, [script, JSON.stringify(args)], {encoding: 'utf8', maxBuffer: 64 << 20, env: {...process.env, ...env}});
  return JSON.parse(out.trim().split('\n').pop() as string) as T;
}

/** One printed table, kept for bench/results. `id` names it across runs (a title may hold measured numbers). */
export interface TableRecord {
  id: string;
  title: string;
  header: string[];
  rows: (string | number)[][];
}

const recorded: TableRecord[] = [];
const notes: string[] = [];

/** A table id from its title: lower case, without numbers and punctuation. */
function tableId(title: string): string {
  return title.toLowerCase().replace(/[^a-z]+/g, ' ').trim();
}

const fmt = (v: string | number) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3)) : v);

function markdownTable(t: {title: string; header: string[]; rows: (string | number)[][]}): string {
  return [
    `\n### ${t.title}\n`,
    `| ${t.header.join(' | ')} |`,
    `|${t.header.map(() => '---').join('|')}|`,
    ...t.rows.map(r => `| ${r.map(fmt).join(' | ')} |`),
  ].join('\n');
}

/** Prints rows as a Markdown table (so it can be pasted into the README) and records it for `writeResults`. */
export function printTable(title: string, header: string[], rows: (string | number)[][], id: string = tableId(title)): void {
  const t = {id, title, header, rows};
  recorded.push(t);
  console.log(markdownTable(t));
}

/** Prints a line of context (peer versions, BLAS, machine load) and records it with the tables. */
export function note(text: string): void {
  notes.push(text);
  console.log(text);
}

/** The machine a result was measured on (load average at the time of writing). */
function machine(): Record<string, unknown> {
  return {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    loadavg: os.loadavg().map(v => Math.round(v * 100) / 100),
  };
}

/** The default results directory, bench/results. */
export const RESULTS_DIR = path.join(__dirname, 'results');

/**
 * Writes every table printed so far (and the notes) to `<dir>/<name>.json` and
 * `<dir>/<name>.md`; returns the JSON path. `compareResults` reads the JSON back.
 */
export function writeResults(name: string, dir: string = RESULTS_DIR): string {
  fs.mkdirSync(dir, {recursive: true});
  const base = path.join(dir, name);
  const command = process.argv.slice(1).map(a => path.relative(process.cwd(), a) || a).join(' ');
  const result = {name, date: new Date().toISOString(), command, machine: machine(), notes, tables: recorded};
  fs.writeFileSync(`${base}.json`, JSON.stringify(result, null, 1) + '\n');
  const md = [`# ${name}`, '', `${result.date}: \`${command}\``, '', `Machine: ${JSON.stringify(result.machine)}`, '', ...notes.map(n => `- ${n}`), ...recorded.map(markdownTable)];
  fs.writeFileSync(`${base}.md`, md.join('\n') + '\n');
  return `${base}.json`;
}

/** The value of `--name value` in argv, or null. */
export function argValue(name: string, argv: string[] = process.argv): string | null {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : null;
}

/** For standalone benches: writes the results when `--out <name>` was given. */
export function saveIfAsked(): void {
  const name = argValue('--out');
  if (name) console.log(`\nwrote ${writeResults(name)}`);
}

/**
 * Synthetic predictions for the metric benches: fills `labels` (n) and `probs`
 * (n x C) with long-tailed labels (class k with weight 0.7^k) and noisy softmax
 * rows with a signal of 1.5 on the true class. Successive calls with the same
 * `rng` continue one stream (chunked writers).
 */
export function longTailPredictions(rng: Random, n: number, C: number, probs: Float32Array, labels: Int32Array): void {
  const z = new Float64Array(C);
  for (let i = 0; i < n; i++) {
    let u = (rng.uniform() * (1 - Math.pow(0.7, C))) / 0.3;
    let y = 0;
    for (let w = 1; y < C - 1 && u >= w; y++) {
      u -= w;
      w *= 0.7;
    }
    labels[i] = y;
    let max = -Infinity;
    for (let k = 0; k < C; k++) {
      z[k] = rng.normal() + (k === y ? 1.5 : 0);
      if (z[k] > max) max = z[k];
    }
    let s = 0;
    for (let k = 0; k < C; k++) {
      z[k] = Math.exp(z[k] - max);
      s += z[k];
    }
    for (let k = 0; k < C; k++) probs[i * C + k] = z[k] / s;
  }
}

/** For a bench's standalone entry: a failure prints its error and exits with code 1. */
export function exitOnError(main: Promise<unknown>): void {
  main.catch(e => {
    console.error(e);
    process.exit(1);
  });
}

/** The label part of a row (its string cells), which identifies it across runs. */
function rowKey(row: (string | number)[]): string {
  return row.filter(v => typeof v === 'string' && v !== '').join(' / ');
}

type ResultFile = {name: string; date: string; machine: {loadavg?: number[]}; tables: TableRecord[]};

/**
 * Compares two result files: for every table id and row label present in
 * both, the ratio b / a of each numeric column (times: below 1, b is faster).
 * Returns the ratio tables (also printed).
 */
export function compareResults(aPath: string, bPath: string): TableRecord[] {
  const read = (p: string) => JSON.parse(fs.readFileSync(p, 'utf8')) as ResultFile;
  const a = read(aPath);
  const b = read(bPath);
  console.log(`b / a for matching rows; a = ${a.name} (${a.date}, load ${a.machine.loadavg?.join(' ')}), b = ${b.name} (${b.date}, load ${b.machine.loadavg?.join(' ')})`);
  const out: TableRecord[] = [];
  for (const tb of b.tables) {
    const ta = a.tables.find(t => t.id === tb.id);
    if (!ta) continue;
    const numeric = tb.header.map((_, c) => c).filter(c => tb.rows.some(r => typeof r[c] === 'number'));
    const rows: (string | number)[][] = [];
    for (const rb of tb.rows) {
      const ra = ta.rows.find(r => rowKey(r) === rowKey(rb));
      if (!ra) continue;
      rows.push([rowKey(rb) || '(row)', ...numeric.map(c => (typeof ra[c] === 'number' && typeof rb[c] === 'number' && ra[c] !== 0 ? (rb[c] as number) / (ra[c] as number) : '–'))]);
    }
    if (rows.length === 0) continue;
    const t = {id: tb.id, title: `${tb.title} (b / a)`, header: ['row', ...numeric.map(c => tb.header[c])], rows};
    out.push(t);
    console.log(markdownTable(t));
  }
  if (out.length === 0) console.log('no table of b matches one of a');
  return out;
}

/** Peak resident set size of this process so far, in bytes (it never decreases: measure in a fresh process). */
export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

const tempDirs: string[] = [];
process.on('exit', () => {
  for (const dir of tempDirs) fs.rmSync(dir, {recursive: true, force: true});
});

/** Writes a temporary file (removed when the process exits) and returns its path (for handing data to a Python peer). */
export function tempFile(name: string, data: Buffer | string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-imbalanced-bench-'));
  tempDirs.push(dir);
  const file = `${dir}/${name}`;
  fs.writeFileSync(file, data);
  return file;
}

/** A compiled model and its time per training step, measured over one epoch of `fit`. */
export interface StepTimer {
  /** Runs one epoch of `fit` (no shuffle) and returns its wall time in ms divided by its steps. */
  msPerStep(): Promise<number>;
  dispose(): void;
}

/** The reference MLP for `xs` [n, d] / one-hot `ys` [n, C], compiled with Adam(1e-3) and `loss`; see {@link StepTimer}. */
export function stepTimer(loss: string | ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor), xs: tf.Tensor, ys: tf.Tensor, batchSize: number): StepTimer {
  const model = referenceMlp(xs.shape[1] as number, ys.shape[1] as number);
  model.compile({optimizer: tf.train.adam(1e-3), loss: loss as string});
  const steps = Math.ceil(xs.shape[0] / batchSize);
  return {
    msPerStep: async () => {
      const t0 = process.hrtime.bigint();
      await model.fit(xs, ys, {epochs: 1, batchSize, shuffle: false, verbose: 0});
      return Number(process.hrtime.bigint() - t0) / 1e6 / steps;
    },
    dispose: () => model.dispose(),
  };
}

/**
 * Times `candidate` against `base` in pairs after a warm-up of each, in ABBA
 * order (whichever runs second in a pair gets no systematic edge); the ratio is
 * the median of the per-pair ratios, which cancels the slow drift of a shared machine.
 */
export async function pairedRatio(base: () => Promise<number>, candidate: () => Promise<number>, repeats: number): Promise<{ms: number; baseMs: number; ratio: number}> {
  await base();
  await candidate();
  const b: number[] = [];
  const c: number[] = [];
  for (let r = 0; r < repeats; r++) {
    if (r % 2 === 0) {
      b.push(await base());
      c.push(await candidate());
    } else {
      c.push(await candidate());
      b.push(await base());
    }
  }
  return {ms: median(c), baseMs: median(b), ratio: median(c.map((t, i) => t / b[i]))};
}

/**
 * Runs `script --child ...args` in a fresh Node process (same loader flags, plus
 * `nodeFlags`) and returns the JSON object it prints last: how the scale benches
 * measure each point (a process's peak RSS never falls).
 */
export function runChild<T>(script: string, args: (string | number)[], nodeFlags: string[] = []): T {
  const out = execFileSync(process.execPath, [...process.execArgv, ...nodeFlags, script, '--child', ...args.map(String)], {encoding: 'utf8', maxBuffer: 16 << 20});
  return JSON.parse(out.trim().split('\n').pop() as string) as T;
}

/** The reference MLP of the benches: inputDim-128-64-numClasses, ReLU, softmax, seeded initialisers (uncompiled). */
export function referenceMlp(inputDim: number, numClasses: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 128, inputShape: [inputDim], activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({seed: 1})}));
  model.add(tf.layers.dense({units: 64, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({seed: 2})}));
  model.add(tf.layers.dense({units: numClasses, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({seed: 3})}));
  return model;
}
