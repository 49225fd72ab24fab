/**
 * Prediction passes over a large validation set on wasm: ExactMetrics'
 * `validationData`, `calibration.temperatureScaling`, `CRCENExpense` and
 * `metrics.evaluate` (all through src/core/predict.ts) against the
 * `model.predict` / `model.evaluate` calls they replaced, at the batch sizes
 * those used (32 or 256). On wasm every `tf.slice` copies the whole source
 * tensor, so `model.predict` costs rows² / batch: 534 s for one pass at batch
 * 32 over 50k × 784 rows here (`model.evaluate` cuts its batches with a gather:
 * linear, but wasm's gather copies element by element). By default the old calls are timed on
 * `--baseline-rows` rows (2500) and twice as many, and α·n + β·n² fitted to
 * the two is evaluated at `--rows` — marked "extrapolated"; `--full` times
 * them on all rows (about 15 min).
 *   npx tsx bench/predict.ts [--quick] [--full] [--rows 50000] [--baseline-rows 5000]
 */
import * as tf from '@tensorflow/tfjs';
import * as imb from '../src';
import {predictionBatches} from '../src/core/predict';
import {printTable, useBackend, exitOnError} from './lib';

const D = 784;
const C = 10;

/** The MLP of the issue: 784-128-C, seeded. */
function mlp(outputs: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 128, inputShape: [D], activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({seed: 1})}));
  model.add(tf.layers.dense({units: outputs, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({seed: 2})}));
  model.compile({optimizer: 'sgd', loss: 'categoricalCrossentropy'});
  return model;
}

async function ms(f: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await f();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Rows with labels: features uniform in [0, 1), class i % C (binary: i % 10 == 0 is class 1). */
function data(n: number): {xs: tf.Tensor2D; ys: tf.Tensor2D; yIdx: tf.Tensor1D; yBin: tf.Tensor2D} {
  return tf.tidy(() => {
    const labels = Array.from({length: n}, (_, i) => i % C);
    const yIdx = tf.tensor1d(labels, 'int32');
    return {
      xs: tf.randomUniform([n, D], 0, 1, 'float32', 7) as tf.Tensor2D,
      ys: tf.oneHot(yIdx, C).toFloat() as tf.Tensor2D,
      yIdx,
      yBin: tf.oneHot(tf.tensor1d(labels.map(l => (l === 0 ? 1 : 0)), 'int32'), 2).toFloat() as tf.Tensor2D,
    };
  });
}

interface Pass {
  name: string;
  /** The call the pass used before (and its batch size). */
  old: string;
  ours: (d: ReturnType<typeof data>, model: tf.LayersModel, binary: tf.LayersModel) => Promise<unknown>;
  before: (d: ReturnType<typeof data>, model: tf.LayersModel, binary: tf.LayersModel) => Promise<unknown>;
}

const metricList = () => [imb.metrics.ece(), imb.metrics.gmean(), imb.metrics.auroc()];

/** Drives a callback's epoch end by hand (no training): for ExactMetrics and CRCENExpense that is their prediction pass. */
async function epochEnd(cb: tf.Callback, model: tf.LayersModel): Promise<void> {
  cb.setModel(model);
  await cb.onTrainBegin();
  await cb.onEpochEnd(0, {});
  await cb.onTrainEnd();
}

async function readPredict(model: tf.LayersModel, xs: tf.Tensor, batchSize: number): Promise<void> {
  const out = model.predict(xs, {batchSize}) as tf.Tensor;
  await out.data();
  out.dispose();
}

const PASSES: Pass[] = [
  {
    name: 'ExactMetrics({validationData}) epoch end',
    old: 'model.predict, batch 32',
    ours: (d, model) => epochEnd(new imb.callbacks.ExactMetrics({metrics: metricList(), validationData: [d.xs, d.ys]}), model),
    before: (d, model) => readPredict(model, d.xs, 32),
  },
  {
    name: 'calibration.temperatureScaling',
    old: 'model.predict, batch 256',
    ours: (d, model) => imb.calibration.temperatureScaling(model, [d.xs, d.yIdx]),
    before: (d, model) => readPredict(model, d.xs, 256),
  },
  {
    name: 'CRCENExpense epoch end (validation)',
    old: 'model.predict, batch 256',
    ours: (d, _m, binary) => epochEnd(new imb.callbacks.CRCENExpense({validationData: [d.xs, d.yBin], lambda: 0.9}), binary),
    before: (d, _m, binary) => readPredict(binary, d.xs, 256),
  },
  {
    name: 'metrics.evaluate (ece, gmean, auroc)',
    old: 'model.evaluate, batch 32',
    ours: (d, model) => imb.metrics.evaluate(model, d.xs, d.ys, {metrics: metricList()}),
    before: async (d, model) => {
      const out = model.evaluate(d.xs, d.ys, {batchSize: 32}) as tf.Scalar;
      await out.data();
      out.dispose();
    },
  },
];

export async function run(opts: {quick?: boolean; full?: boolean; rows?: number; baselineRows?: number} = {}): Promise<void> {
  await useBackend('wasm');
  const rows = opts.rows ?? 50000;
  const m = opts.baselineRows ?? (opts.quick ? 1250 : 2500);
  const model = mlp(C);
  const binary = mlp(2);
  const big = data(rows);
  const small = opts.full ? [] : [data(m), data(2 * m)];
  const table: (string | number)[][] = [];
  for (const pass of PASSES) {
    await pass.ours(small[0] ?? big, model, binary); // warm-up (kernels, allocator)
    const ours = await ms(() => pass.ours(big, model, binary));
    let before: string;
    let beforeMs: number;
    if (opts.full) {
      beforeMs = await ms(() => pass.before(big, model, binary));
      before = beforeMs.toFixed(0);
    } else {
      const [c1, c2] = [await ms(() => pass.before(small[0], model, binary)), await ms(() => pass.before(small[1], model, binary))];
      beforeMs = quadraticAt(m, c1, c2, rows);
      before = `${beforeMs.toFixed(0)} (extrapolated from ${c1.toFixed(0)} / ${c2.toFixed(0)} ms on ${m} / ${2 * m} rows)`;
    }
    table.push([pass.name, ours, `${pass.old}: ${before}`, ours / beforeMs]);
  }
  printTable(`Prediction passes over ${rows} × ${D} rows, wasm backend (MLP ${D}-128-${C})`, ['pass', 'ours ms', 'before: call, ms', 'ratio'], table);

  // Linear vs quadratic: the plain pass (ours) and model.predict at its default batch on growing sets.
  const sizes = opts.quick ? [1250, 2500, 5000] : [2500, 5000, 10000];
  const scaling: (string | number)[][] = [];
  for (const n of sizes) {
    const d = data(n);
    const ours = await ms(async () => {
      for (const {outputs: [p]} of predictionBatches(model, d.xs, 256)) await p.data();
    });
    const old = await ms(() => readPredict(model, d.xs, 32));
    const large = await ms(() => readPredict(model, d.xs, 4096));
    scaling.push([n, ours, old, large]);
    tf.dispose(d);
  }
  printTable('One prediction pass, wasm: cost against rows', ['rows', 'ours (batch 256) ms', 'model.predict, batch 32 ms', 'model.predict, batch 4096 ms'], scaling);
  tf.dispose([big, ...small]);
  model.dispose();
  binary.dispose();
}

/** α·n + β·n² through (m, c1) and (2m, c2), at n (β clamped at 0: never below linear). */
function quadraticAt(m: number, c1: number, c2: number, n: number): number {
  const beta = Math.max(0, (c2 - 2 * c1) / (2 * m * m));
  const alpha = (c1 - beta * m * m) / m;
  return alpha * n + beta * n * n;
}

if (require.main === module) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  exitOnError(run({quick: process.argv.includes('--quick'), full: process.argv.includes('--full'), rows: arg('--rows'), baselineRows: arg('--baseline-rows')}));
}
