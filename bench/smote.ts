/**
 * SMOTE on 100k x 32 with a 5k minority (90k synthetic rows, up to the 95k
 * majority): in-process time (tensors in, tensors out) divided by
 * imbalanced-learn's on the same bytes (bench/peers/smote_peer.py), and the
 * k-NN search inside the class alone (5k x 5k x 32, k = 5) divided by
 * scikit-learn's NearestNeighbors, for each k-NN kernel, on the cpu and wasm
 * backends, on 1 thread and with the Node entry's worker threads.
 *
 * The peer runs before and after ours (same data, same k, one warm-up, median
 * of the repeats), once per BLAS setup (the system's libblas.so.3 and, after
 * `sh bench/peers/openblas.sh`, OpenBLAS); a peer time that moves by more
 * than 20 % between its two runs is flagged. Ratios use the mean of the two.
 *   npx tsx bench/smote.ts [--quick] [--out name]
 */
import * as tf from '@tensorflow/tfjs';
import * as path from 'path';
import {Random} from '../src/core/random';
import {smote} from '../src/data/smote';
import {kNeighbors} from '../src/data/neighbors';
import type {KnnKernel} from '../src/data/neighbors';
import {availableCores, knnThreads} from '../src/node/knnThreads';
import {exitOnError, medianMs, note, peerBlasSetups, printTable, runPython, saveIfAsked, tempFile, useBackend} from './lib';

const N = 100_000;
const D = 32;
const MINORITY = 5_000;
const K = 5;

/** What bench/peers/smote_peer.py prints. */
export interface SmotePeerResult {
  seconds?: number;
  all?: number[];
  first?: number | null;
  counts?: number[];
  knn_seconds?: number;
  knn_all?: number[];
  knn_first?: number | null;
  base_rss_mb: number;
  algorithm: string;
  peak_rss_mb: number;
  imblearn: string;
  sklearn: string;
  numpy: string;
  blas: {kind: string; libraries: string[]; threadpools: Array<{api: string; threads: number; version: string | null}>};
}

/** One peer setup timed twice (before and after ours). */
export interface PeerTiming {
  name: string;
  runs: SmotePeerResult[];
  /** Mean of the runs' medians, ms. */
  smoteMs: number;
  knnMs: number;
}

/** Seeded data: majority ~ N(0, I), minority ~ N(0.5, I); the minority rows are spread through the set. */
function makeData(): {x: Float32Array; y: Int32Array} {
  const rng = new Random(2024);
  const x = new Float32Array(N * D);
  const y = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    y[i] = i % (N / MINORITY) === 7 ? 1 : 0;
    for (let t = 0; t < D; t++) x[i * D + t] = rng.normal() + 0.5 * y[i];
  }
  return {x, y};
}

/** Runs the peer script once per BLAS setup: SMOTE and / or the k-NN alone (`what`); `warmup: 'small'` warms up on 1000 rows per class. */
export function timePeers(
  x: Float32Array, y: Int32Array, n: number, d: number, repeats: number, what: 'both' | 'smote' | 'knn' = 'both', warmup: 'full' | 'small' = 'full',
): Array<{name: string; result: SmotePeerResult}> | null {
  const xPath = tempFile('smote_x.f32', Buffer.from(x.buffer, x.byteOffset, x.byteLength));
  const yPath = tempFile('smote_y.i32', Buffer.from(y.buffer, y.byteOffset, y.byteLength));
  const script = path.join(__dirname, 'peers', 'smote_peer.py');
  const out: Array<{name: string; result: SmotePeerResult}> = [];
  for (const blas of peerBlasSetups()) {
    const result = runPython<SmotePeerResult>(script, {x: xPath, y: yPath, n, d, k: K, repeats, knn_only: what === 'knn', smote_only: what === 'smote', warmup}, blas.env);
    if (result === null) return null;
    out.push({name: blas.name, result});
  }
  return out;
}

/** Merges two peer passes, notes versions, BLAS and spread, and flags a drift above 20 %. */
export function summarisePeers(before: Array<{name: string; result: SmotePeerResult}>, after: Array<{name: string; result: SmotePeerResult}>, label: string): PeerTiming[] {
  return before.map((b, i) => {
    const runs = [b.result, after[i].result];
    const mean = (f: (r: SmotePeerResult) => number) => (f(runs[0]) + f(runs[1])) / 2;
    const smoteMs = runs[0].seconds === undefined ? NaN : mean(r => (r.seconds as number) * 1000);
    const knnMs = runs[0].knn_seconds === undefined ? NaN : mean(r => (r.knn_seconds as number) * 1000);
    const r0 = runs[0];
    const pools = r0.blas.threadpools.map(p => `${p.api} ${p.threads} threads`).join(', ');
    note(
      `${label} peer, ${b.name}: imbalanced-learn ${r0.imblearn}, scikit-learn ${r0.sklearn}, numpy ${r0.numpy}; ` +
        `BLAS ${r0.blas.kind} (${r0.blas.libraries.map(l => path.basename(l)).join(', ')}); ${pools}; NearestNeighbors algorithm '${r0.algorithm}'.`,
    );
    const ms = (v: number[] | undefined) => (v ?? []).map(s => (s * 1000).toFixed(0)).join(' ');
    for (const [pass, r] of runs.entries()) {
      note(
        `  pass ${pass + 1}: SMOTE ${r.seconds === undefined ? '-' : (r.seconds * 1000).toFixed(0)} ms median (runs ${ms(r.all)}; first call ${r.first == null ? '-' : (r.first * 1000).toFixed(0)}), ` +
          `k-NN ${r.knn_seconds === undefined ? '-' : (r.knn_seconds * 1000).toFixed(0)} ms (runs ${ms(r.knn_all)}; first ${r.knn_first == null ? '-' : (r.knn_first * 1000).toFixed(0)}); peak RSS ${r.peak_rss_mb.toFixed(0)} MB`,
      );
    }
    const drift = (a: number, c: number) => Math.abs(a - c) / Math.min(a, c);
    const moved = (f: (r: SmotePeerResult) => number | undefined) => {
      const [a, c] = runs.map(f);
      return a !== undefined && c !== undefined && drift(a, c) > 0.2;
    };
    if (moved(r => r.knn_seconds) || moved(r => r.seconds)) {
      note(`  WARNING: ${b.name} peer time moved by more than 20 % between its passes (machine load?): do not quote these ratios.`);
    }
    return {name: b.name, runs, smoteMs, knnMs};
  });
}

export async function run(opts: {quick?: boolean} = {}): Promise<void> {
  const repeats = opts.quick ? 3 : 7;
  const {x, y} = makeData();
  const minority = new Float32Array(MINORITY * D);
  let m = 0;
  y.forEach((c, i) => { if (c === 1) minority.set(x.subarray(i * D, (i + 1) * D), D * m++); });

  const before = timePeers(x, y, N, D, repeats);
  const cores = availableCores();
  const knnRows: (string | number)[][] = [];
  const smoteRows: (string | number)[][] = [];
  const cases: Array<[backend: 'cpu' | 'wasm', kernel: KnnKernel, threads: number]> = [
    ['cpu', 'wasm', 1], ['cpu', 'wasm', cores], ['cpu', 'js', 1], ['cpu', 'tf', 1],
    ['wasm', 'wasm', 1], ['wasm', 'wasm', cores], ['wasm', 'js', 1], ['wasm', 'tf', 1],
  ];
  const knnMs: Record<string, number> = {};
  const smoteMs: Record<string, number> = {};
  for (const [backend, kernel, threads] of cases) {
    if (threads > 1 && cores < 2) continue;
    await useBackend(backend);
    knnThreads(threads);
    const slow = backend === 'cpu' && kernel === 'tf';
    const reps = slow ? 1 : repeats;
    const key = `${backend} ${kernel} ${threads}`;
    if (kernel === 'tf' || backend === 'cpu') {
      // The wasm and js kernels do not use tfjs: time them once (under the cpu backend).
      knnMs[key] = await medianMs(() => kNeighbors(minority, MINORITY, D, K, {kernel}), reps, slow ? 0 : 1);
    }
    const xs = tf.tensor2d(x, [N, D]);
    const ys = tf.tensor1d(y, 'int32');
    smoteMs[key] = await medianMs(() => {
      const res = smote(xs, ys, {k: K, seed: 1, kernel});
      tf.dispose([res.xs, res.ys]);
    }, reps, slow ? 0 : 1);
    tf.dispose([xs, ys]);
  }
  knnThreads(1);
  const after = timePeers(x, y, N, D, repeats);
  const peers = before && after ? summarisePeers(before, after, 'SMOTE 100k x 32') : [];
  if (!before) note('no Python with scikit-learn and imbalanced-learn: no peer ratios');

  const ratio = (ours: number, peer: number) => (Number.isFinite(peer) ? ours / peer : 'n/a');
  for (const [backend, kernel, threads] of cases) {
    const key = `${backend} ${kernel} ${threads}`;
    const label = [kernel === 'wasm' ? 'wasm (auto)' : kernel, String(threads)];
    const knnLabel = kernel === 'tf' ? [`tf (${backend} backend)`, String(threads)] : label;
    if (knnMs[key] !== undefined) knnRows.push([...knnLabel, knnMs[key], ...peers.map(p => ratio(knnMs[key], p.knnMs))]);
    if (smoteMs[key] !== undefined) smoteRows.push([backend, ...label, smoteMs[key], ...peers.map(p => ratio(smoteMs[key], p.smoteMs))]);
  }
  knnRows.push(...peers.map(p => [`scikit-learn, ${p.name}`, String(p.runs[0].blas.threadpools.find(t => t.api === 'openmp')?.threads ?? '?'), p.knnMs, ...peers.map(() => '')]));
  smoteRows.push(...peers.map(p => ['Python', `imbalanced-learn, ${p.name}`, String(p.runs[0].blas.threadpools.find(t => t.api === 'openmp')?.threads ?? '?'), p.smoteMs, ...peers.map(() => '')]));
  const peerCols = peers.map(p => `ratio to ${p.name}`);
  printTable(`k-NN inside a ${MINORITY} x ${D} class, k = ${K} (ms, median of ${repeats})`, ['kernel', 'threads', 'ms', ...peerCols], knnRows, 'knn inside class');
  printTable(
    `SMOTE ${N} x ${D}, ${MINORITY} minority -> ${2 * (N - MINORITY)} rows (ms, median of ${repeats}; target ratio <= 1)`,
    ['backend', 'k-NN kernel', 'threads', 'ms', ...peerCols],
    smoteRows,
    'smote 100k',
  );
}

if (require.main === module) {
  exitOnError(run({quick: process.argv.includes('--quick')}).then(saveIfAsked));
}
