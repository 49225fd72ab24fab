/**
 * What the input checks cost (issue 9), each against a baseline measured in
 * the same run:
 *  (a) the label check of a loss in a training step: `fit` with tfjs'
 *      categoricalCrossentropy wrapped in our value check ÷ the same loss
 *      without it (paired epochs; cpu and wasm);
 *  (b) metrics' reading of 1M rows × 10 classes (readArray + readBatch: labels,
 *      range and row-sum checks, argmax) ÷ a bare argmax scan of the same values;
 *  (c) `classCounts` over a tf.data dataset of single rows (reader, layout rule,
 *      event-loop pauses) ÷ a bare loop over the same dataset's iterator.
 *   npx tsx bench/inputs.ts [--quick]
 */
import * as tf from '@tensorflow/tfjs';
import * as imb from '../src';
import {checkTargetValues} from '../src/losses/labelCheck';
import {readArray} from '../src/core/inputs';
import {readBatch} from '../src/metrics/metric';
import {medianMs, pairedRatio, printTable, stepTimer, useBackend, exitOnError} from './lib';

const C = 10;
const D = 32;
const N = 2048;
const BATCH = 128;

type Loss = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** Per-sample categorical cross-entropy (tfjs' own), with or without our label check in front. */
function crossEntropy(check: boolean): Loss {
  const fn = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor => {
    if (check) checkTargetValues(yTrue, 'rows', C);
    return tf.metrics.categoricalCrossentropy(yTrue, yPred);
  };
  Object.defineProperty(fn, 'name', {value: check ? 'ceChecked' : 'ce'});
  return fn;
}

/** (a) Paired epochs (ABBA order); the ratio is the median of per-pair ratios. */
async function lossCheck(repeats: number): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const backend of ['cpu', 'wasm'] as const) {
    await useBackend(backend);
    const xs = tf.randomNormal([N, D], 0, 1, 'float32', 11);
    const ys = tf.oneHot(tf.tensor1d(Array.from({length: N}, (_, i) => (i * 7) % C), 'int32'), C);
    const base = stepTimer(crossEntropy(false), xs, ys, BATCH);
    const checked = stepTimer(crossEntropy(true), xs, ys, BATCH);
    const {ms, baseMs, ratio} = await pairedRatio(base.msPerStep, checked.msPerStep, repeats);
    base.dispose();
    checked.dispose();
    tf.dispose([xs, ys]);
    rows.push([backend, ms, baseMs, ratio, await checkAloneUs()]);
  }
  printTable(
    `(a) Label check in a training step (MLP ${D}-128-64-${C}, batch ${BATCH}, one-hot labels)`,
    ['backend', 'ms / step with check', 'ms / step without', 'ratio (median of paired epochs)', 'µs per check alone (taped call)'],
    rows,
  );
}

/** The check by itself: µs per call under a gradient tape (as in a training step), labels of one batch. */
async function checkAloneUs(): Promise<number> {
  const y = tf.oneHot(tf.tensor1d(Array.from({length: BATCH}, (_, i) => i % C), 'int32'), C);
  const x = tf.scalar(1);
  const step = (check: boolean) => tf.grad((v: tf.Tensor) => {
    if (check) checkTargetValues(y, 'rows', C);
    return tf.mul(v, 2);
  });
  const withCheck = step(true);
  const without = step(false);
  const calls = 200;
  const time = async (g: (v: tf.Tensor) => tf.Tensor) => medianMs(async () => {
    for (let i = 0; i < calls; i++) {
      tf.dispose(g(x));
      if (i % 20 === 0) await Promise.resolve(); // let the asynchronous reads finish, as between training steps
    }
    await Promise.resolve();
  }, 7);
  const a = await time(withCheck);
  const b = await time(without);
  tf.dispose([x, y]);
  return ((a - b) / calls) * 1000;
}

/** (b) 1M rows × 10 classes, float32 softmax rows and int32 labels, as a model's output would be. */
async function metricRead(repeats: number): Promise<void> {
  await useBackend('cpu');
  const n = 1_000_000;
  const probs = new Float32Array(n * C);
  const labels = new Int32Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < C; j++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      probs[i * C + j] = 0.05 + s / 4294967296;
      sum += probs[i * C + j];
    }
    for (let j = 0; j < C; j++) probs[i * C + j] /= sum;
    labels[i] = i % C;
  }
  const yTrue = {values: labels, shape: [n]};
  const yPred = {values: probs, shape: [n, C]};
  const read = {fromLogits: false, threshold: 0.5};
  let sink = 0;
  const ours = await medianMs(() => { sink += readBatch(readArray(yTrue, 'yTrue'), readArray(yPred, 'yPred'), read).pred[0]; }, repeats);
  // The least any reader does: one argmax pass over the probabilities.
  const bare = await medianMs(() => {
    const pred = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const row = i * C;
      let best = 0;
      for (let j = 1; j < C; j++) if (probs[row + j] > probs[row + best]) best = j;
      pred[i] = best;
    }
    sink += pred[0];
  }, repeats);
  printTable('(b) Metrics read 1M rows x 10 classes (cpu)', ['reader', 'ms', 'ratio'], [
    ['bare argmax scan (baseline)', bare, 1],
    ['readBatch: shapes, label range, finite and in [0, 1], row sums, argmax', ours, ours / bare],
  ]);
  if (sink === -1) console.log(sink);
}

/** (c) classCounts over 100k single-row elements against a bare iteration of the same dataset. */
async function datasetCounts(repeats: number): Promise<void> {
  await useBackend('cpu');
  const n = 100_000;
  const elements = Array.from({length: n}, (_, i) => ({xs: [i % 7, 1, 2, 3], ys: i % 3 === 0 ? 1 : 0}));
  const ds = tf.data.array(elements);
  const bare = await medianMs(async () => {
    const it = await ds.iterator();
    let rows = 0;
    for (let r = await it.next(); !r.done; r = await it.next()) rows++;
    if (rows !== n) throw new Error('short');
  }, repeats);
  const ours = await medianMs(() => imb.data.classCounts(ds), repeats);
  printTable('(c) classCounts over a tf.data.array of 100 000 single rows (cpu)', ['pass', 'ms', 'ratio'], [
    ['bare iteration (baseline)', bare, 1],
    ['classCounts(ds)', ours, ours / bare],
  ]);
}

export async function run(opts: {quick?: boolean} = {}): Promise<void> {
  await lossCheck(opts.quick ? 5 : 11);
  await metricRead(opts.quick ? 3 : 7);
  await datasetCounts(opts.quick ? 3 : 5);
}

if (require.main === module) {
  exitOnError(run({quick: process.argv.includes('--quick')}));
}
