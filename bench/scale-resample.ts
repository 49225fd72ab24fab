/**
 * Scale curve of `remix` / `balance` with `source: 'dataset'` (per-class pools
 * of the whole stream) over streams of N = 250k, 500k and 1M rows x 32
 * features in 5 classes (shares 60 / 20 / 10 / 7 / 3 %), read from a generator
 * of 1024-row chunks made on the fly (the source holds nothing), batch 64,
 * N / 64 batches per epoch: one epoch's time and peak memory.
 *
 * Full mode (default) keeps every row: its pools hold N·d float32 values (up
 * to twice that while they grow). `poolSize: P` keeps a uniform reservoir of
 * at most P rows per class: at most C·P·d float32 values, whatever N. Each
 * point runs in a fresh process (the bare source stream too, as a baseline:
 * its chunk buffers are part of every other row): one timed epoch, then a second epoch that
 * samples, every 256 batches (4 chunks of the bare stream), the live ArrayBuffer bytes after a full GC (the
 * pools are typed arrays) and the tfjs tensor bytes. Reported: the epoch time,
 * the peak RSS above the RSS before the epochs, the peak live ArrayBuffer bytes
 * above their start, the peak tensor bytes and the bound the options give.
 *   npx tsx bench/scale-resample.ts [--quick] [--out name]   (--quick: 100k and 250k rows)
 */
import * as tf from '@tensorflow/tfjs';
import {Random} from '../src/core/random';
import '../src/data/datasetMethods';
import {peakRss, printTable, runChild, saveIfAsked, useBackend, exitOnError} from './lib';

const D = 32;
const C = 5;
const SHARES = [0.6, 0.2, 0.1, 0.07, 0.03];
const CHUNK = 1024;
const B = 64;
const POOL = 10_000;
const MB = 1 << 20;

type Element = {xs: tf.Tensor; ys: tf.Tensor};

/** A seeded stream of n rows in CHUNK-row elements {xs: [b, D], ys: [b, 1]}, generated as it is read. */
function stream(n: number): tf.data.Dataset<Element> {
  return tf.data.generator(function* () {
    const rng = new Random(7);
    for (let at = 0; at < n; at += CHUNK) {
      const b = Math.min(CHUNK, n - at);
      const x = new Float32Array(b * D);
      const y = new Int32Array(b);
      for (let i = 0; i < b; i++) {
        let u = rng.uniform();
        let c = 0;
        while (c < C - 1 && u >= SHARES[c]) u -= SHARES[c++];
        y[i] = c;
        for (let t = 0; t < D; t++) x[i * D + t] = rng.normal() + (t % C === c ? 1 : 0);
      }
      yield {xs: tf.tensor2d(x, [b, D]), ys: tf.tensor2d(y, [b, 1], 'int32')};
    }
  }) as unknown as tf.data.Dataset<Element>;
}

interface ChildResult {
  ms: number;
  batches: number;
  rssExtraMb: number;
  arrayBuffersExtraMb: number;
  tfPeakMb: number;
  tensorsLeaked: number;
}

/** One point in this (fresh) process: `--child transform mode n`. */
async function child([transform, mode, nStr]: string[]): Promise<void> {
  const n = Number(nStr);
  await useBackend('cpu');
  const epochSize = Math.ceil(n / B);
  const pool = mode === 'full' ? {} : {poolSize: POOL};
  const source = stream(n);
  const ds = (transform === 'remix'
    ? source.remix({source: 'dataset', batchSize: B, numClasses: C, seed: 1, epochSize, ...pool})
    : transform === 'balance'
      ? source.balance({batchSize: B, numClasses: C, seed: 1, epochSize, ...pool})
      : source) as unknown as tf.data.Dataset<Element>;
  const gc = (globalThis as {gc?: () => void}).gc as () => void;
  const fullGc = async () => {
    // Twice, with a macrotask between, so the sweeper releases the ArrayBuffers of the first.
    gc();
    await new Promise(resolve => setImmediate(resolve));
    gc();
  };
  await fullGc();
  const abBefore = process.memoryUsage().arrayBuffers;
  const tensorsBefore = tf.memory().numTensors;
  const rssBefore = process.memoryUsage().rss;
  // Pass 1, timed.
  let batches = 0;
  const t0 = process.hrtime.bigint();
  await ds.forEachAsync(b => {
    tf.dispose([b.xs, b.ys]);
    batches++;
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  // Pass 2: the live ArrayBuffer bytes (after a full GC) and tensor bytes every 256 batches.
  await fullGc();
  let abPeak = abBefore;
  let tfPeak = 0;
  let seen = 0;
  await ds.forEachAsync(b => {
    if (++seen % (transform === 'none' ? 4 : 256) === 0) {
      tfPeak = Math.max(tfPeak, tf.memory().numBytes);
      gc();
      abPeak = Math.max(abPeak, process.memoryUsage().arrayBuffers);
    }
    tf.dispose([b.xs, b.ys]);
  });
  const result: ChildResult = {
    ms,
    batches,
    rssExtraMb: (peakRss() - rssBefore) / MB,
    arrayBuffersExtraMb: (abPeak - abBefore) / MB,
    tfPeakMb: tfPeak / MB,
    tensorsLeaked: tf.memory().numTensors - tensorsBefore,
  };
  console.log(JSON.stringify(result));
}

export async function run(opts: {quick?: boolean} = {}): Promise<void> {
  const sizes = opts.quick ? [100_000, 250_000] : [250_000, 500_000, 1_000_000];
  const rows: (string | number)[][] = [];
  // The bare stream first: what reading costs without any pool (its buffers are in every other row too).
  for (const n of sizes) {
    const r = runChild<ChildResult>(__filename, ['none', 'full', n], ['--expose-gc']);
    rows.push(['(the source stream alone)', '', String(n), r.ms, r.batches, r.rssExtraMb, r.arrayBuffersExtraMb, '0', r.tfPeakMb, r.tensorsLeaked]);
  }
  for (const transform of ['remix', 'balance']) {
    for (const mode of ['full', `poolSize ${POOL}`]) {
      for (const n of sizes) {
        const r = runChild<ChildResult>(__filename, [transform, mode === 'full' ? 'full' : 'pool', n], ['--expose-gc']);
        // Full mode: N·d floats (x2 while growing); reservoirs: C·P·d floats.
        const bound = mode === 'full' ? `${((n * D * 4) / MB).toFixed(0)}-${((2 * n * D * 4) / MB).toFixed(0)} (N·d·4 B, x2 while growing)` : `${((C * POOL * D * 4) / MB).toFixed(1)} (C·P·d·4 B)`;
        rows.push([transform, mode, String(n), r.ms, r.batches, r.rssExtraMb, r.arrayBuffersExtraMb, bound, r.tfPeakMb, r.tensorsLeaked]);
      }
    }
  }
  printTable(
    `remix / balance, source 'dataset', over an N-row stream x ${D} features, ${C} classes, batch ${B}, N / ${B} batches (cpu backend)`,
    ['transform', 'pools', 'N', 'epoch ms', 'batches', 'peak RSS extra MB', 'peak live ArrayBuffer extra MB', 'pool bound MB', 'tf peak MB', 'tensors left'],
    rows,
    'resample scale',
  );
}

if (require.main === module) {
  const i = process.argv.indexOf('--child');
  const main = i >= 0 ? child(process.argv.slice(i + 1)) : run({quick: process.argv.includes('--quick')}).then(saveIfAsked);
  exitOnError(main);
}
