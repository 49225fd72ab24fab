/**
 * What `io.save` + `io.load` cost over tfjs' own `model.save` + `tf.loadLayersModel`
 * (through memory, JSON parts stringified as a storage would), same model, same run:
 * (a) without the optimizer: a model compiled with dwb + ece + gmean vs plain tfjs
 *     (which saves no loss and loads uncompiled);
 * (b) with the optimizer: ours vs tfjs saving a model compiled with a string loss
 *     (`includeOptimizer: true`, which tfjs refuses for function losses).
 *
 *   npx tsx bench/io.ts [--quick]
 */
import * as tf from '@tensorflow/tfjs';
import * as imb from '../src';
import {median, printTable, useBackend, exitOnError} from './lib';

type Artifacts = tf.io.ModelArtifacts;

/** A save handler that keeps the artifacts as a storage would (JSON parts through a string). */
function sink(): {handler: tf.io.IOHandler; stored: () => Artifacts} {
  let stored: Artifacts | null = null;
  const handler = tf.io.withSaveHandler(async a => {
    const {weightData, ...json} = a;
    stored = {...JSON.parse(JSON.stringify(json)), weightData};
    return {modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a)};
  });
  return {handler, stored: () => stored as unknown as Artifacts};
}

function mlp(sizes: number[]): tf.Sequential {
  const model = tf.sequential();
  sizes.slice(1).forEach((units, i) => model.add(tf.layers.dense({
    units, inputShape: i === 0 ? [sizes[0]] : undefined, activation: i === sizes.length - 2 ? 'softmax' : 'relu',
    kernelInitializer: tf.initializers.glorotUniform({seed: i + 1}),
  })));
  return model;
}

/** A model of these layer sizes trained one step (so the optimizer has state), compiled with `loss`. */
async function trained(sizes: number[], loss: string | imb.losses.LossFunction, metrics: tf.ModelCompileArgs['metrics']): Promise<tf.LayersModel> {
  const model = mlp(sizes);
  model.compile({optimizer: tf.train.adam(0.001), loss, metrics});
  const C = sizes[sizes.length - 1];
  const xs = tf.randomNormal([64, sizes[0]], 0, 1, 'float32', 3);
  const ys = tf.oneHot(tf.tensor1d(Array.from({length: 64}, (_, i) => i % C), 'int32'), C);
  await model.fit(xs, ys, {epochs: 1, batchSize: 64, verbose: 0});
  tf.dispose([xs, ys]);
  return model;
}

/** One save + load + dispose, in ms. */
async function saveLoadOnce(save: (h: tf.io.IOHandler) => Promise<unknown>, load: (a: Artifacts) => Promise<tf.LayersModel>): Promise<number> {
  const t0 = process.hrtime.bigint();
  const s = sink();
  await save(s.handler);
  imb.io.dispose(await load(s.stored()));
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

type SaveLoad = [(h: tf.io.IOHandler) => Promise<unknown>, (a: Artifacts) => Promise<tf.LayersModel>];

/** Paired runs (ours, then tfjs, `repeats` times after 2 warm-ups): medians and the median of the per-pair ratios. */
async function paired(ours: SaveLoad, tfjs: SaveLoad, repeats: number): Promise<[number, number, number]> {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < repeats + 2; i++) {
    const x = await saveLoadOnce(...ours);
    const y = await saveLoadOnce(...tfjs);
    if (i >= 2) {
      a.push(x);
      b.push(y);
    }
  }
  return [median(a), median(b), median(a.map((x, i) => x / b[i]))];
}

export async function run(opts: {quick?: boolean} = {}): Promise<void> {
  const repeats = opts.quick ? 7 : 21;
  await useBackend('cpu');
  const rows: (string | number)[][] = [];
  for (const sizes of [[32, 128, 64, 10], [784, 512, 256, 10]]) {
    const C = sizes[sizes.length - 1];
    const ours = await trained(sizes, imb.losses.dwb({classCounts: Array.from({length: C}, (_, k) => 100 * (k + 1))}), [imb.metrics.ece(), imb.metrics.gmean()]);
    const plain = await trained(sizes, 'categoricalCrossentropy', ['accuracy']);
    const label = `MLP ${sizes.join('-')} (${ours.countParams()} weights)`;
    const loadOurs = (a: Artifacts) => imb.io.load(tf.io.fromMemory(a));
    const loadTfjs = (a: Artifacts) => tf.loadLayersModel(tf.io.fromMemory(a));
    const noOpt = await paired([h => imb.io.save(ours, h), loadOurs], [h => ours.save(h), loadTfjs], repeats);
    rows.push([label, 'no', ...noOpt]);
    const opt = await paired([h => imb.io.save(ours, h, {includeOptimizer: true}), loadOurs], [h => plain.save(h, {includeOptimizer: true}), loadTfjs], repeats);
    rows.push([label, 'yes', ...opt]);
    imb.io.dispose(ours);
    imb.io.dispose(plain);
  }
  printTable('io.save + io.load vs model.save + tf.loadLayersModel (memory, cpu backend, median)', ['model', 'optimizer', 'ours ms', 'tfjs ms', 'ratio (median of pairs)'], rows);
}

if (require.main === module) {
  exitOnError(run({quick: process.argv.includes('--quick')}));
}
