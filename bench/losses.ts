/**
 * Training-step time of each loss divided by tfjs' built-in
 * categoricalCrossentropy: same model, same data, same process, cpu and wasm.
 *   npx tsx bench/losses.ts [--quick] [loss name prefixes, e.g. csl dwb]
 */
import * as tf from '@tensorflow/tfjs';
import * as imb from '../src';
import {pairedRatio, printTable, referenceMlp, stepTimer, useBackend, exitOnError} from './lib';

const C = 10;
const D = 32;
const N = 2048;
const BATCH = 128;
const COUNTS = Array.from({length: C}, (_, k) => Math.round(1000 * Math.pow(0.6, k)) + 5);

type LossOrName = string | ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor);

/** The losses compared, each built for softmax probabilities (the built-in CE's input). */
function candidates(): Array<[string, () => LossOrName]> {
  const L = imb.losses as unknown as Record<string, (...a: unknown[]) => LossOrName>;
  const costFP = Array.from({length: C}, (_, i) => Array.from({length: C}, (_, j) => (i === j ? 0 : 1 + ((i + j) % 3))));
  const list: Array<[string, () => LossOrName]> = [
    ['categoricalCrossentropy (built-in)', () => 'categoricalCrossentropy'],
    ['weightedCrossEntropy', () => L.weightedCrossEntropy({classWeights: imb.losses.inverseFrequencyWeights(COUNTS)})],
    ['dwb', () => L.dwb({classCounts: COUNTS})],
  ];
  const optional: Array<[string, () => LossOrName]> = [
    ['crcen (multiclass)', () => L.crcen({classCounts: COUNTS})],
    ['rwwce', () => L.rwwce({costFN: new Array(C).fill(1), costFP})],
    ['focal', () => L.focal({gamma: 2})],
    ['classBalanced (softmax)', () => L.classBalanced({classCounts: COUNTS})],
    ['ldam', () => L.ldam({classCounts: COUNTS})],
    ['csl (batch mode)', () => L.csl({numClasses: C, mode: 'batch'})],
    ['csl (batch mode, statistics in the graph as on GPU backends)', () => {
      const loss = L.csl({numClasses: C, mode: 'batch'}) as unknown as {state: {statisticsOn: string}};
      loss.state.statisticsOn = 'graph';
      return loss as unknown as LossOrName;
    }],
  ];
  for (const [name, make] of optional) {
    const factory = name.split(' ')[0];
    if (typeof L[factory] === 'function') list.push([name, make]);
  }
  return list;
}

/** Kernels one training step runs (forward, backward and Adam update), counted with tf.profile. */
async function kernelsPerStep(loss: LossOrName, xs: tf.Tensor, ys: tf.Tensor): Promise<number> {
  const model = referenceMlp(D, C);
  model.compile({optimizer: tf.train.adam(1e-3), loss: loss as string});
  const x = tf.slice(xs, 0, BATCH);
  const y = tf.slice(ys, 0, BATCH);
  await model.trainOnBatch(x, y); // creates Adam's slots
  const profile = await tf.profile(async () => {
    tf.dispose(await model.trainOnBatch(x, y) as unknown as tf.Tensor);
  });
  tf.dispose([x, y]);
  model.dispose();
  return profile.kernels.length;
}

/** Training-step time of `loss` against the built-in categoricalCrossentropy, paired epochs (bench/lib.ts: pairedRatio). */
async function lossRatio(loss: LossOrName, xs: tf.Tensor, ys: tf.Tensor, repeats: number): Promise<{ms: number; baseMs: number; ratio: number}> {
  const base = stepTimer('categoricalCrossentropy', xs, ys, BATCH);
  const cand = stepTimer(loss, xs, ys, BATCH);
  try {
    return await pairedRatio(base.msPerStep, cand.msPerStep, repeats);
  } finally {
    base.dispose();
    cand.dispose();
  }
}

export async function run(opts: {quick?: boolean; only?: string[]} = {}): Promise<void> {
  const repeats = opts.quick ? 5 : 11;
  const wanted = (name: string) => !opts.only?.length || opts.only.some(o => name.startsWith(o));
  for (const backend of ['cpu', 'wasm'] as const) {
    await useBackend(backend);
    const xs = tf.randomNormal([N, D], 0, 1, 'float32', 11);
    const total = COUNTS.reduce((a, b) => a + b, 0);
    const cumulative = COUNTS.map((_, k) => COUNTS.slice(0, k + 1).reduce((a, b) => a + b, 0) / total);
    // Deterministic long-tailed labels: row i gets the class whose cumulative share covers (i + 0.5) / N.
    const labels = Array.from({length: N}, (_, i) => cumulative.findIndex(c => (i + 0.5) / N <= c));
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), C);
    const rows: (string | number)[][] = [];
    const baseKernels = await kernelsPerStep('categoricalCrossentropy', xs, ys);
    for (const [name, make] of candidates().slice(1).filter(([n]) => wanted(n))) {
      const {ms, baseMs, ratio} = await lossRatio(make(), xs, ys, repeats);
      rows.push([name, ms, baseMs, ratio, `${await kernelsPerStep(make(), xs, ys)} (${baseKernels})`]);
    }
    printTable(`Loss step time, ${backend} backend (MLP ${D}-128-64-${C}, batch ${BATCH}, ${N} rows)`, ['loss', 'ms / step', 'built-in CE ms / step', 'ratio (median of paired epochs)', 'kernels / step (built-in)'], rows);
    tf.dispose([xs, ys]);
  }
}

if (require.main === module) {
  // npx tsx bench/losses.ts [--quick] [name prefixes...]
  exitOnError(run({quick: process.argv.includes('--quick'), only: process.argv.slice(2).filter(a => !a.startsWith('-'))}));
}
