/**
 * The compare command's cost.
 * (a) The default comparison (what `npx tfjs-imbalanced compare` runs:
 *     satimage damp grey soil vs rest, 8 methods x 3 repeats, 30 epochs with
 *     early stopping on the exact validation g-mean): wall time against the
 *     3-minute budget of a fresh clone on 2 cores, and seconds per method.
 * (b) The engine's overhead per run: one `ce` run through `compare.run`
 *     (seeded batches through fitDataset, ExactMetrics on the validation rows,
 *     BestEpoch keeping the best weights, test evaluation) divided by a bare
 *     `model.fit` of the same MLP for the same epochs with the same validation
 *     data, same backend, same run. Early stopping is off on both sides.
 *
 *   npx tsx bench/compare.ts            # wasm; (a) in full, (b) median of 3
 *   npx tsx bench/compare.ts --quick    # (a) 4 methods x 1 repeat x 10 epochs, (b) 1 pair
 *   npx tsx bench/compare.ts --backend cpu
 *   npx tsx bench/compare.ts --overhead-only   # (b) only
 */
import * as tf from '@tensorflow/tfjs';
import {median, printTable, useBackend, exitOnError} from './lib';
import * as imb from '../src/node';
import {Random} from '../src/core/random';

const quick = process.argv.includes('--quick');
const backendArg = process.argv.indexOf('--backend');
const backend = (backendArg >= 0 ? process.argv[backendArg + 1] : 'wasm') as 'cpu' | 'wasm';

/** (a) The default comparison, timed. */
async function defaultComparison(): Promise<void> {
  const data = imb.datasets.satimage({task: 'binary'});
  const options: imb.compare.CompareOptions = quick ? {methods: ['ce', 'dwb', 'smote', 'remix'], repeats: 1, epochs: 10} : {};
  const t0 = Date.now();
  const result = await imb.compare.run(data, {...options, dataName: 'satimage-binary'});
  const seconds = (Date.now() - t0) / 1000;
  const rows = result.summary.map(r => [r.label, r.seconds.mean, r.bestEpoch.mean, result.runs.filter(x => x.method === r.method).reduce((a, x) => a + x.epochsRun, 0)]);
  printTable(`(a) ${quick ? 'quick' : 'default'} comparison on ${backend}: ${seconds.toFixed(0)} s in all = ${(seconds / 180).toFixed(2)} x the 180 s budget`,
    ['method', 's / run', 'best epoch (mean)', 'epochs trained (all repeats)'], rows);
}

/** The engine's MLP (64-32, seeded) compiled with Adam and CE. */
function model(inputDim: number): tf.LayersModel {
  const m = imb.compare.mlp([64, 32])([inputDim], 2, 1);
  m.compile({optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy'});
  return m;
}

/** (b) One `ce` run through the engine vs a bare fit. */
async function overhead(): Promise<void> {
  const epochs = quick ? 5 : 15;
  const pairs = quick ? 1 : 3;
  const data = imb.datasets.satimage({task: 'binary'});
  // The bare side trains on the engine's own first split (60 / 20 / 20, standardised).
  const [trainIdx, , valIdx] = imb.datasets.stratifiedIndices(data.labels, 2, [0.2, 0.2], new Random(0));
  const [train, val] = imb.datasets.standardize(imb.datasets.selectRows(data, trainIdx), imb.datasets.selectRows(data, valIdx));
  const tensors = tf.tidy(() => {
    const {xs, ys} = imb.datasets.toTensors(train);
    const v = imb.datasets.toTensors(val);
    return {xs, y: tf.oneHot(ys, 2).toFloat(), xv: v.xs, yv: tf.oneHot(v.ys, 2).toFloat()};
  });
  const engine: number[] = [];
  const bare: number[] = [];
  for (let p = 0; p < pairs; p++) {
    let t0 = Date.now();
    await imb.compare.run(data, {methods: ['ce'], repeats: 1, epochs, patience: Infinity});
    engine.push((Date.now() - t0) / 1000);
    const m = model(data.numFeatures);
    t0 = Date.now();
    await m.fit(tensors.xs, tensors.y, {epochs, batchSize: 64, validationData: [tensors.xv, tensors.yv], verbose: 0});
    bare.push((Date.now() - t0) / 1000);
    m.dispose();
  }
  tf.dispose(Object.values(tensors));
  printTable(`(b) one ce run of ${epochs} epochs on ${backend}, median of ${pairs}`, ['', 'seconds', 'ratio'], [
    ['bare model.fit (baseline)', median(bare), 1],
    ['compare.run (split, fitDataset, ExactMetrics, BestEpoch, evaluation)', median(engine), median(engine) / median(bare)],
  ]);
}

export async function run(): Promise<void> {
  await useBackend(backend);
  await overhead();
  if (!process.argv.includes('--overhead-only')) await defaultComparison();
}

if (require.main === module) {
  exitOnError(run());
}
