/**
 * Scale curve of SMOTE: a minority class of m = 5k, 20k, 50k, 100k rows x 32
 * features next to a majority of 2m rows (so m synthetic rows), k = 5: time,
 * peak memory and the ratio to imbalanced-learn on the same bytes, per size.
 *
 * Each of our points runs in a fresh process (Node's peak RSS never falls):
 * warm-up on a small problem, then the median of the repeats; reported are the
 * peak RSS above the process's RSS before the call (data and tensors loaded),
 * tfjs' peak tensor bytes during one call (`tf.profile`) and the bytes the wasm
 * k-NN kernel allocates (which grow like n (d + k), not n^2). The peer runs in
 * its own process per BLAS setup (bench/peers/smote_peer.py, warm-up on 1000
 * rows per class), before and after ours. The growth exponent between
 * consecutive sizes (log t2 / t1 over log n2 / n1) reads 1 for linear, ~1.1
 * for n log n, 2 for quadratic.
 *   npx tsx bench/scale-smote.ts [--quick] [--out name]     (--quick: 5k and 20k only)
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import {Random} from '../src/core/random';
import {smote} from '../src/data/smote';
import {wasmKnnBytes} from '../src/data/knnWasm';
import {availableCores, knnThreads} from '../src/node/knnThreads';
import {medianMs, note, peakRss, printTable, runChild, saveIfAsked, tempFile, useBackend, exitOnError} from './lib';
import {summarisePeers, timePeers} from './smote';

const D = 32;
const K = 5;
const MB = 1 << 20;

/** Seeded data: m minority rows ~ N(0.5, I) spread among 2m majority rows ~ N(0, I). */
function makeData(m: number): {x: Float32Array; y: Int32Array} {
  const n = 3 * m;
  const rng = new Random(m);
  const x = new Float32Array(n * D);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3 === 1 ? 1 : 0;
    for (let t = 0; t < D; t++) x[i * D + t] = rng.normal() + 0.5 * y[i];
  }
  return {x, y};
}

interface ChildResult {
  ms: number;
  rssBeforeMb: number;
  rssPeakExtraMb: number;
  tfPeakExtraMb: number;
  tensorsLeaked: number;
  rows: number;
}

/** One measurement point, in this (fresh) process: `--child xPath yPath n backend threads repeats`. */
async function child(argv: string[]): Promise<void> {
  const [xPath, yPath, nStr, backend, threadsStr, repeatsStr] = argv;
  const n = Number(nStr);
  const x = new Float32Array(fs.readFileSync(xPath).buffer.slice(0));
  const y = new Int32Array(fs.readFileSync(yPath).buffer.slice(0));
  await useBackend(backend as 'cpu' | 'wasm');
  knnThreads(Number(threadsStr));
  // Warm-up (JIT, wasm compile, workers) on 3000 rows.
  tf.tidy(() => {
    const w = smote(tf.tensor2d(x.subarray(0, 3000 * D), [3000, D]), tf.tensor1d(y.subarray(0, 3000), 'int32'), {k: K, seed: 1});
    tf.dispose([w.xs, w.ys]);
  });
  const xs = tf.tensor2d(x, [n, D]);
  const ys = tf.tensor1d(y, 'int32');
  const tensorsBefore = tf.memory().numTensors;
  const rssBefore = process.memoryUsage().rss;
  let rows = 0;
  const ms = await medianMs(() => {
    const r = smote(xs, ys, {k: K, seed: 1});
    rows = r.ys.shape[0];
    tf.dispose([r.xs, r.ys]);
  }, Number(repeatsStr), 0);
  const rssPeakExtra = peakRss() - rssBefore;
  const bytesBefore = tf.memory().numBytes;
  const profile = await tf.profile(() => {
    const r = smote(xs, ys, {k: K, seed: 1});
    tf.dispose([r.xs, r.ys]);
  });
  const result: ChildResult = {
    ms,
    rssBeforeMb: rssBefore / MB,
    rssPeakExtraMb: rssPeakExtra / MB,
    tfPeakExtraMb: (profile.peakBytes - bytesBefore) / MB,
    tensorsLeaked: tf.memory().numTensors - tensorsBefore,
    rows,
  };
  knnThreads(1);
  console.log(JSON.stringify(result));
}

/** Growth exponent between two points, and what it reads as. */
function growth(n1: number, t1: number, n2: number, t2: number): string {
  const e = Math.log(t2 / t1) / Math.log(n2 / n1);
  const kind = e < 1.05 ? 'linear' : e < 1.4 ? 'n log n' : e < 1.8 ? 'between n log n and n^2' : 'quadratic';
  return `${e.toFixed(2)} (${kind})`;
}

export async function run(opts: {quick?: boolean} = {}): Promise<void> {
  const sizes = opts.quick ? [5_000, 20_000] : [5_000, 20_000, 50_000, 100_000];
  const cores = availableCores();
  const configs: Array<[backend: 'cpu' | 'wasm', threads: number]> = [['wasm', 1], ['wasm', cores], ['cpu', cores]].filter(
    ([, t], i) => i === 0 || (t as number) > 1,
  ) as Array<['cpu' | 'wasm', number]>;
  const rows: (string | number)[][] = [];
  const times: Record<string, Array<[number, number]>> = {};
  const push = (key: string, m: number, ms: number) => (times[key] ??= []).push([m, ms]);
  let peerNames: string[] = [];
  for (const m of sizes) {
    const repeats = m <= 5_000 ? 3 : m <= 20_000 ? 2 : 1;
    const {x, y} = makeData(m);
    const n = 3 * m;
    const before = timePeers(x, y, n, D, repeats, 'smote', 'small');
    const xPath = tempFile('scale_x.f32', Buffer.from(x.buffer));
    const yPath = tempFile('scale_y.i32', Buffer.from(y.buffer));
    const ours = configs.map(([backend, threads]) => ({backend, threads, r: runChild<ChildResult>(__filename, [xPath, yPath, n, backend, threads, repeats])}));
    const after = timePeers(x, y, n, D, repeats, 'smote', 'small');
    const peers = before && after ? summarisePeers(before, after, `SMOTE m = ${m}`) : [];
    peerNames = peers.map(p => p.name);
    for (const {backend, threads, r} of ours) {
      const key = `ours, ${backend} backend, ${threads} thread${threads > 1 ? 's' : ''}`;
      push(key, m, r.ms);
      rows.push([
        String(m), key, r.ms, r.rssPeakExtraMb, r.tfPeakExtraMb, wasmKnnBytes(m, m, D, K, true, threads) / MB,
        ...peers.map(p => r.ms / p.smoteMs),
      ]);
      if (r.tensorsLeaked !== 0) note(`WARNING: ${key} at m = ${m} left ${r.tensorsLeaked} tensors behind`);
    }
    for (const p of peers) {
      const key = `imbalanced-learn, ${p.name}`;
      push(key, m, p.smoteMs);
      const extra = Math.max(...p.runs.map(r => r.peak_rss_mb - r.base_rss_mb));
      rows.push([String(m), key, p.smoteMs, extra, '', '', ...peers.map(() => '')]);
    }
  }
  printTable(
    `SMOTE scale: m minority rows x ${D} next to 2m majority rows, k = ${K} (ms: median; MB: peak above the pre-call RSS)`,
    ['m', 'who', 'ms', 'peak RSS extra MB', 'tf peak extra MB', 'k-NN kernel MB', ...peerNames.map(p => `ratio to imblearn (${p})`)],
    rows,
    'smote scale',
  );
  const growthRows = Object.entries(times).map(([key, pts]) => [key, ...pts.slice(1).map(([m2, t2], i) => growth(pts[i][0], pts[i][1], m2, t2))]);
  printTable(
    'SMOTE scale: growth exponent of the time between consecutive sizes',
    ['who', ...sizes.slice(1).map((m, i) => `${sizes[i] / 1000}k -> ${m / 1000}k`)],
    growthRows,
    'smote scale growth',
  );
}

if (require.main === module) {
  const i = process.argv.indexOf('--child');
  const main = i >= 0 ? child(process.argv.slice(i + 1)) : run({quick: process.argv.includes('--quick')}).then(saveIfAsked);
  exitOnError(main);
}
