/**
 * SMOTE on 100k x 32 with a 5k minority (90k synthetic rows, up to the 95k
 * majority), in-process time (tensors in, tensors out) divided by
 * imbalanced-learn's on the same data (bench/peers/smote_peer.py, same run). Also the k-NN kernels alone
 * (5k x 5k x 32, k = 5): js vs tf on the cpu and wasm backends.
 *   npx tsx bench/smote.ts [--quick]
 */
import * as tf from '@tensorflow/tfjs';
import * as path from 'path';
import {Random} from '../src/core/random';
import {smote} from '../src/data/smote';
import {kNeighbors} from '../src/data/neighbors';
import type {KnnKernel} from '../src/data/neighbors';
import {medianMs, printTable, runPython, tempFile, useBackend} from './lib';

const N = 100_000;
const D = 32;
const MINORITY = 5_000;
const K = 5;

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

export async function run(opts: {quick?: boolean} = {}): Promise<void> {
  const repeats = opts.quick ? 3 : 5;
  const {x, y} = makeData();
  const minority = new Float32Array(MINORITY * D);
  let m = 0;
  y.forEach((c, i) => { if (c === 1) minority.set(x.subarray(i * D, (i + 1) * D), D * m++); });

  // Peer: imbalanced-learn on the same bytes.
  const xPath = tempFile('smote_x.f32', Buffer.from(x.buffer));
  const yPath = tempFile('smote_y.i32', Buffer.from(y.buffer));
  const peer = runPython<{seconds: number; counts: number[]; imblearn: string}>(path.join(__dirname, 'peers', 'smote_peer.py'), {
    x: xPath, y: yPath, n: N, d: D, k: K, repeats,
  });
  const peerMs = peer ? peer.seconds * 1000 : NaN;

  const knnRows: (string | number)[][] = [];
  const smoteRows: (string | number)[][] = [];
  const cases: Array<['cpu' | 'wasm', KnnKernel]> = [['cpu', 'js'], ['cpu', 'tf'], ['cpu', 'auto'], ['wasm', 'js'], ['wasm', 'tf'], ['wasm', 'auto']];
  for (const [backend, kernel] of cases) {
    await useBackend(backend);
    const slow = backend === 'cpu' && kernel === 'tf';
    const reps = slow ? 1 : repeats;
    if (kernel !== 'auto') {
      const ms = await medianMs(() => kNeighbors(minority, MINORITY, D, K, {kernel}), reps, slow ? 0 : 1);
      knnRows.push([backend, kernel, ms]);
    }
    const xs = tf.tensor2d(x, [N, D]);
    const ys = tf.tensor1d(y, 'int32');
    let counts: number[] = [];
    const ms = await medianMs(() => {
      const res = smote(xs, ys, {k: K, seed: 1, kernel});
      counts = [res.ys.shape[0]];
      tf.dispose([res.xs, res.ys]);
    }, reps, slow ? 0 : 1);
    tf.dispose([xs, ys]);
    smoteRows.push([backend, kernel, ms, peer ? ms / peerMs : 'n/a (no python with imblearn)', counts[0]]);
  }
  printTable(`k-NN inside a ${MINORITY} x ${D} class, k = ${K} (ms, median)`, ['backend', 'kernel', 'ms'], knnRows);
  printTable(
    `SMOTE ${N} x ${D}, ${MINORITY} minority -> ${2 * (N - MINORITY)} rows (ms, median of ${repeats}); imblearn ${peer?.imblearn ?? '?'}: ${peer ? peerMs.toFixed(1) : 'n/a'} ms`,
    ['backend', 'kernel', 'ms', 'ratio to imblearn (bar <= 2, aim <= 1)', 'rows out'],
    smoteRows,
  );
}

if (require.main === module) {
  run({quick: process.argv.includes('--quick')}).catch(e => {
    console.error(e);
    process.exit(1);
  });
}
