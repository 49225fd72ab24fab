/**
 * Metrics at scale: N predictions x 10 classes streamed in 64k-row chunks (a
 * float32 tensor per chunk, as `model.predict` returns them), for N up to 10M,
 * next to scikit-learn / imbalanced-learn / numpy on the same rows.
 *
 * Every (metric, size, side) runs in a fresh process, so its peak RSS (Linux
 * VmHWM / ru_maxrss) is its own; each process warms up on the first chunk, then
 * times `update` over every chunk + `result()` (file reads excluded), median of
 * `repeats`. The sides alternate and the whole table is measured `rounds` times
 * (default 2): times are medians over rounds, a ratio is reported with every
 * round's value, and a peer whose time moves by more than 20 % between rounds
 * is flagged. AUROC exact and binned are both compared with scikit-learn's
 * (exact) AUROC, measured once per round and size.
 *
 * Our side never holds the whole set: memory is the metric state plus one
 * chunk. The peer must load every row (its peak RSS includes them; `peer data`
 * says how much).
 *
 *   npx tsx bench/scale-metrics.ts [--quick] [--sizes 1e6,1e7] [--rounds 2] [--metrics ece,auroc] [--out name]
 *   --quick: sizes 250k and 1M, one repeat per process.
 */
import * as tf from '@tensorflow/tfjs';
import {execFileSync} from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as imb from '../src';
import {Random} from '../src/core/random';
import {argValue, exitOnError, findPython, longTailPredictions, median, peakRss, printTable, runChild, saveIfAsked} from './lib';

const C = 10;
const CHUNK = 65536;

/** The benchmarked metrics: our factory call and the peer's metric name. */
const METRICS: Record<string, {make: () => imb.metrics.Metric<number>; peer: string; label: string}> = {
  ece: {make: () => imb.metrics.ece(), peer: 'ece', label: 'ECE (15 bins) vs numpy'},
  auroc: {make: () => imb.metrics.auroc(), peer: 'auroc', label: 'AUROC exact (OvR macro) vs roc_auc_score'},
  aurocBinned: {make: () => imb.metrics.auroc({bins: 4096}), peer: 'auroc', label: 'AUROC, bins: 4096 vs roc_auc_score (exact)'},
  gmean: {make: () => imb.metrics.gmean(), peer: 'gmean', label: 'g-mean vs geometric_mean_score(argmax)'},
  f1: {make: () => imb.metrics.f1(), peer: 'f1', label: 'macro F1 vs f1_score(argmax)'},
};

interface Measure {
  ms: number;
  value: number;
  peakRssBytes: number;
  /** Our side: RSS before the timed passes; peer: bytes of the loaded data. */
  baseBytes: number;
  peakTfBytes?: number;
  stateBytes?: number;
  bound?: number;
}

/** Long-tailed labels (class k with weight 0.7^k) and noisy softmax rows with a signal on the true class (bench/lib's longTailPredictions, as bench/metrics.ts). */
function writeData(dir: string, n: number): {probs: string; labels: string} {
  const probs = path.join(dir, 'probs.f32');
  const labels = path.join(dir, 'labels.i32');
  const fp = fs.openSync(probs, 'w');
  const fl = fs.openSync(labels, 'w');
  const rng = new Random(7);
  for (let start = 0; start < n; start += CHUNK) {
    const rows = Math.min(CHUNK, n - start);
    const p = new Float32Array(rows * C);
    const y = new Int32Array(rows);
    longTailPredictions(rng, rows, C, p, y);
    fs.writeSync(fp, new Uint8Array(p.buffer));
    fs.writeSync(fl, new Uint8Array(y.buffer));
  }
  fs.closeSync(fp);
  fs.closeSync(fl);
  return {probs, labels};
}

/** Characters of the JSON text of a value, without building it (an exact 10M x 10 state is over V8's string limit). */
function jsonLength(v: unknown): number {
  if (typeof v === 'string') return v.length + 2;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return JSON.stringify(v).length;
  // "[a,b]": brackets plus one comma fewer than elements (likewise for objects: "key": value).
  if (Array.isArray(v)) return Math.max(2, v.reduce((a: number, x) => a + jsonLength(x) + 1, 1));
  return Math.max(2, Object.entries(v as object).reduce((a, [k, x]) => a + JSON.stringify(k).length + 1 + jsonLength(x) + 1, 1));
}

/** Child process: one metric over the first n rows, streamed from the files. */
async function child(args: {metric: string; n: number; probs: string; labels: string; repeats: number}): Promise<Measure> {
  await tf.setBackend('cpu');
  await tf.ready();
  const spec = METRICS[args.metric];
  const fdP = fs.openSync(args.probs, 'r');
  const fdL = fs.openSync(args.labels, 'r');
  const p = new Float32Array(CHUNK * C);
  const y = new Int32Array(CHUNK);
  let peakTfBytes = 0;
  const pass = (rows: number) => {
    const m = spec.make();
    let ms = 0;
    for (let start = 0; start < rows; start += CHUNK) {
      const k = Math.min(CHUNK, rows - start);
      fs.readSync(fdP, new Uint8Array(p.buffer, 0, k * C * 4), 0, k * C * 4, start * C * 4);
      fs.readSync(fdL, new Uint8Array(y.buffer, 0, k * 4), 0, k * 4, start * 4);
      const t0 = performance.now();
      const yPred = tf.tensor2d(p.subarray(0, k * C), [k, C]);
      const yTrue = tf.tensor1d(y.subarray(0, k), 'int32');
      m.update(yTrue, yPred);
      peakTfBytes = Math.max(peakTfBytes, tf.memory().numBytes);
      tf.dispose([yPred, yTrue]);
      ms += performance.now() - t0;
    }
    const t0 = performance.now();
    const value = m.result();
    return {ms: ms + performance.now() - t0, value, m};
  };
  pass(CHUNK); // warm-up: JIT-compile the paths on one chunk
  const baseBytes = process.memoryUsage().rss;
  const runs = Array.from({length: args.repeats}, () => pass(args.n));
  const peakRssBytes = peakRss(); // before getState() builds the JSON state
  const times = runs.map(r => r.ms).sort((a, b) => a - b);
  const last = runs[runs.length - 1];
  const state = last.m.getState();
  const bound = (last.m as unknown as {errorBound?: () => number}).errorBound?.();
  return {
    ms: times[Math.floor(times.length / 2)], value: last.value, peakRssBytes, baseBytes,
    peakTfBytes, stateBytes: jsonLength(state), bound,
  };
}

function runOurs(metric: string, n: number, files: {probs: string; labels: string}, repeats: number): Measure {
  return runChild<Measure>(__filename, [JSON.stringify({metric, n, ...files, repeats})]);
}

function runPeer(py: string, metric: string, n: number, files: {probs: string; labels: string}, repeats: number): Measure & {versions: string} {
  const out = execFileSync(py, [path.join(__dirname, 'peers', 'scale_sklearn.py'), JSON.stringify({...files, n, c: C, metric: METRICS[metric].peer, bins: 15, repeats})], {
    encoding: 'utf8', maxBuffer: 1 << 20,
  });
  const r = JSON.parse(out.trim().split('\n').pop() as string) as {seconds: number; value: number; peakRssBytes: number; dataBytes: number; versions: string};
  return {ms: r.seconds * 1000, value: r.value, peakRssBytes: r.peakRssBytes, baseBytes: r.dataBytes, versions: r.versions};
}

const mb = (bytes: number | undefined) => (bytes === undefined ? '' : bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} kB` : `${(bytes / 1e6).toFixed(bytes < 1e8 ? 1 : 0)} MB`);
const sizeLabel = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);

/** Least-squares slope of log(time) against log(n): ~1 linear, ~2 quadratic. */
function growth(sizes: number[], times: number[]): number {
  const x = sizes.map(Math.log);
  const y = times.map(Math.log);
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let num = 0;
  let den = 0;
  x.forEach((xi, i) => {
    num += (xi - mx) * (y[i] - my);
    den += (xi - mx) ** 2;
  });
  return num / den;
}

function growthLabel(e: number, sizes: number[]): string {
  // What n log n would give over the same sizes, for reference.
  const nlogn = growth(sizes, sizes.map(n => n * Math.log(n)));
  const kind = e < 1.25 ? 'linear or n log n' : e < 1.8 ? 'super-linear' : 'quadratic';
  return `${e.toFixed(2)} (${kind}; n log n = ${nlogn.toFixed(2)})`;
}

export async function run(opts: {quick?: boolean; sizes?: number[]; rounds?: number; metrics?: string[]} = {}): Promise<void> {
  const sizes = opts.sizes ?? (opts.quick ? [250_000, 1_000_000] : [1_000_000, 4_000_000, 10_000_000]);
  const rounds = opts.rounds ?? 2;
  const names = opts.metrics ?? Object.keys(METRICS);
  const py = findPython();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-imbalanced-scale-'));
  try {
    const files = writeData(dir, Math.max(...sizes));
    const repeatsFor = (n: number) => (opts.quick || n > 1_000_000 ? 1 : 3);
    // results[metric][size] = per-round measures
    const ours: Record<string, Measure[][]> = {};
    const peer: Record<string, (Measure | null)[][]> = {};
    let versions = '';
    for (let r = 0; r < rounds; r++) {
      // One peer run per (peer metric, size) and round: AUROC exact and binned share scikit-learn's exact AUROC.
      const peerRuns = new Map<string, Measure | null>();
      for (const name of names) {
        ours[name] ??= sizes.map(() => []);
        peer[name] ??= sizes.map(() => []);
        sizes.forEach((n, s) => {
          ours[name][s].push(runOurs(name, n, files, repeatsFor(n)));
          const key = `${METRICS[name].peer}@${n}`;
          if (!peerRuns.has(key)) {
            const pm = py ? runPeer(py, name, n, files, repeatsFor(n)) : null;
            if (pm) versions = pm.versions;
            peerRuns.set(key, pm);
          }
          peer[name][s].push(peerRuns.get(key) as Measure | null);
        });
      }
    }
    const rows: (string | number)[][] = [];
    const notes: string[] = [];
    for (const name of names) {
      sizes.forEach((n, s) => {
        const o = ours[name][s];
        const p = peer[name][s];
        const ratios = o.map((m, r) => (p[r] ? (m.ms / (p[r] as Measure).ms).toFixed(2) : 'n/a'));
        const peerTimes = p.filter((m): m is Measure => m !== null).map(m => m.ms);
        if (peerTimes.length > 1 && Math.max(...peerTimes) / Math.min(...peerTimes) > 1.2 && !notes.some(t => t.startsWith(`${METRICS[name].peer} at ${sizeLabel(n)}:`))) {
          notes.push(`${METRICS[name].peer} at ${sizeLabel(n)}: peer time moved ${peerTimes.map(t => t.toFixed(0)).join(' / ')} ms between rounds`);
        }
        const last = o[o.length - 1];
        const pv = p[p.length - 1];
        rows.push([
          METRICS[name].label, sizeLabel(n), median(o.map(m => m.ms)), pv ? median(peerTimes) : 'n/a', ratios.join(' / '),
          `${mb(median(o.map(m => m.peakRssBytes)))} (${mb(median(o.map(m => m.baseBytes)))} before)`, mb(last.peakTfBytes), mb(last.stateBytes),
          pv ? mb(median(p.map(m => (m as Measure).peakRssBytes))) : 'n/a', pv ? mb(pv.baseBytes) : 'n/a',
          pv ? Math.abs(last.value - pv.value).toExponential(1) + (last.bound !== undefined && last.bound > 0 ? ` (bound ${last.bound.toExponential(1)})` : '') : 'n/a',
        ]);
      });
    }
    printTable(
      `Metrics over N predictions x ${C} classes streamed in ${CHUNK}-row float32 tensors (cpu backend), update + result, ` +
        `vs ${versions || 'no Python peer (no python3 with scikit-learn)'}; ${rounds} interleaved rounds, fresh process per cell`,
      ['metric', 'N', 'ours ms', 'peer ms', 'ratio ours / peer (per round)', 'our peak RSS', 'peak tf.memory()', 'state (JSON)', 'peer peak RSS', 'peer data', '|ours - peer|'],
      rows,
    );
    if (sizes.length > 1) {
      printTable(
        'Growth: slope of log(time) against log(N) over the measured sizes',
        ['metric', 'ours', 'peer'],
        names.map(name => [
          METRICS[name].label,
          growthLabel(growth(sizes, sizes.map((_, s) => median(ours[name][s].map(m => m.ms)))), sizes),
          py ? growthLabel(growth(sizes, sizes.map((_, s) => median(peer[name][s].map(m => (m as Measure).ms)))), sizes) : 'n/a',
        ]),
      );
    }
    if (notes.length) console.log(`\nPeer timing moved by more than 20 % between rounds:\n- ${notes.join('\n- ')}`);
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
}

if (require.main === module) {
  const childArgs = argValue('--child');
  const main = childArgs
    ? child(JSON.parse(childArgs)).then(m => console.log(JSON.stringify(m)))
    : run({
        quick: process.argv.includes('--quick'),
        sizes: argValue('--sizes')?.split(',').map(Number),
        rounds: argValue('--rounds') ? Number(argValue('--rounds')) : undefined,
        metrics: argValue('--metrics')?.split(','),
      }).then(saveIfAsked);
  exitOnError(main);
}
