/**
 * Training-step time of each loss divided by tfjs' built-in
 * categoricalCrossentropy: same model, same data, same process, cpu and wasm.
 *   npx tsx bench/losses.ts [--quick]
 */
import * as tf from '@tensorflow/tfjs';
import * as imb from '../src';
import {medianMs, printTable, useBackend} from './lib';

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
  ];
  for (const [name, make] of optional) {
    const factory = name.split(' ')[0];
    if (typeof L[factory] === 'function') list.push([name, make]);
  }
  return list;
}

function buildModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 128, inputShape: [D], activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({seed: 1})}));
  model.add(tf.layers.dense({units: 64, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({seed: 2})}));
  model.add(tf.layers.dense({units: C, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({seed: 3})}));
  return model;
}

/** Median time of one epoch of `fit` (N / BATCH steps), in ms per step. */
async function stepMs(loss: LossOrName, xs: tf.Tensor, ys: tf.Tensor, repeats: number): Promise<number> {
  const model = buildModel();
  model.compile({optimizer: tf.train.adam(1e-3), loss: loss as string});
  const ms = await medianMs(() => model.fit(xs, ys, {epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0}), repeats, 1);
  model.dispose();
  return ms / Math.ceil(N / BATCH);
}

export async function run(opts: {quick?: boolean} = {}): Promise<void> {
  const repeats = opts.quick ? 3 : 7;
  for (const backend of ['cpu', 'wasm'] as const) {
    await useBackend(backend);
    const xs = tf.randomNormal([N, D], 0, 1, 'float32', 11);
    const total = COUNTS.reduce((a, b) => a + b, 0);
    const cumulative = COUNTS.map((_, k) => COUNTS.slice(0, k + 1).reduce((a, b) => a + b, 0) / total);
    // Deterministic long-tailed labels: row i gets the class whose cumulative share covers (i + 0.5) / N.
    const labels = Array.from({length: N}, (_, i) => cumulative.findIndex(c => (i + 0.5) / N <= c));
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), C);
    const rows: (string | number)[][] = [];
    // Paired measurements (baseline right before each loss) cancel slow drift of the machine.
    for (const [name, make] of candidates().slice(1)) {
      const base = await stepMs('categoricalCrossentropy', xs, ys, repeats);
      const t = await stepMs(make(), xs, ys, repeats);
      rows.push([name, t, base, t / base]);
    }
    printTable(`Loss step time, ${backend} backend (MLP ${D}-128-64-${C}, batch ${BATCH}, ${N} rows)`, ['loss', 'ms / step', 'built-in CE ms / step', 'ratio'], rows);
    tf.dispose([xs, ys]);
  }
}

if (require.main === module) {
  run({quick: process.argv.includes('--quick')}).catch(e => {
    console.error(e);
    process.exit(1);
  });
}
