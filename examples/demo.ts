/**
 * The main job: train the same small network on a shipped imbalanced dataset
 * with plain cross-entropy and with the package's losses, and compare them on
 * the held-out split with imbalance-aware metrics.
 *
 *   npm run demo                               # satimage, damp grey soil vs rest (IR 9.3)
 *   npm run demo -- --dataset glass --epochs 60 --seeds 5
 *
 * Options: --dataset satimage-binary | satimage | glass, --epochs N, --seeds N,
 * --backend wasm | cpu | node (default: fastest available).
 */
import * as tf from '@tensorflow/tfjs';
import * as imb from '../src/node';

interface Args {
  dataset: string;
  epochs: number;
  seeds: number;
  backend?: imb.backend.BackendChoice;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {dataset: 'satimage-binary', epochs: 30, seeds: 3};
  for (let i = 0; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (key === '--dataset') args.dataset = value;
    else if (key === '--epochs') args.epochs = Number(value);
    else if (key === '--seeds') args.seeds = Number(value);
    else if (key === '--backend') args.backend = value as imb.backend.BackendChoice;
    else throw new Error(`unknown option ${key} (see the comment at the top of examples/demo.ts)`);
  }
  return args;
}

function loadDataset(name: string): imb.datasets.TabularDataset {
  if (name === 'satimage-binary') return imb.datasets.satimage({task: 'binary'});
  if (name === 'satimage') return imb.datasets.satimage();
  if (name === 'glass') return imb.datasets.glass();
  throw new Error(`unknown dataset '${name}': use satimage-binary, satimage or glass`);
}

type LossSpec = {name: string; make: (counts: number[]) => string | imb.losses.LossFunction};

/** CE vs DWB vs focal vs CRCEN; binary tasks use one sigmoid unit, multiclass a softmax. */
function lossesFor(binary: boolean): LossSpec[] {
  return [
    {name: 'cross-entropy (tfjs built-in)', make: () => (binary ? 'binaryCrossentropy' : 'categoricalCrossentropy')},
    {name: 'DWB', make: counts => imb.losses.dwb({classCounts: counts})},
    {name: 'focal (γ = 2)', make: () => imb.losses.focal({gamma: 2})},
    {name: 'CRCEN', make: counts => imb.losses.crcen({classCounts: counts})},
  ];
}

function buildModel(inputDim: number, numClasses: number, seed: number): tf.Sequential {
  const binary = numClasses === 2;
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 32, inputShape: [inputDim], activation: 'relu', kernelInitializer: tf.initializers.heNormal({seed})}));
  model.add(tf.layers.dense({units: 16, activation: 'relu', kernelInitializer: tf.initializers.heNormal({seed: seed + 1})}));
  model.add(tf.layers.dense({units: binary ? 1 : numClasses, activation: binary ? 'sigmoid' : 'softmax', kernelInitializer: tf.initializers.glorotUniform({seed: seed + 2})}));
  return model;
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: number[]) => Math.sqrt(mean(v.map(x => (x - mean(v)) ** 2)) * (v.length / Math.max(1, v.length - 1)));
const fmt = (v: number[]) => `${mean(v).toFixed(3)} ± ${sd(v).toFixed(3)}`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const {backend: backendName} = await imb.backend.init(args.backend);
  const full = loadDataset(args.dataset);
  const binary = full.numClasses === 2;
  const counts = imb.datasets.countLabels(full);
  console.log(`dataset ${args.dataset}: ${full.numRows} rows x ${full.numFeatures} features, class counts ${counts.join('/')}, ` +
    `imbalance ratio ${(Math.max(...counts) / Math.min(...counts)).toFixed(1)}; backend ${backendName}; ${args.epochs} epochs x ${args.seeds} seeds`);

  const results = new Map<string, {bacc: number[]; f1: number[]; gmean: number[]; ece: number[]; seconds: number[]}>();
  for (let seed = 0; seed < args.seeds; seed++) {
    // Stratified 75/25 split per seed (the CRCEN protocol), scaled on the training part.
    const split = imb.datasets.stratifiedSplit(full, {testFraction: 0.25, seed});
    const [train, test] = imb.datasets.standardize(split.train, split.test);
    const trainCounts = imb.datasets.countLabels(train);
    const {xs, ys} = imb.datasets.toTensors(train);
    const {xs: testXs, ys: testYs} = imb.datasets.toTensors(test);
    const targets = binary ? ys.reshape([-1, 1]).toFloat() : tf.oneHot(ys, full.numClasses);
    for (const spec of lossesFor(binary)) {
      const model = buildModel(full.numFeatures, full.numClasses, 100 * seed + 1);
      model.compile({optimizer: tf.train.adam(1e-3), loss: spec.make(trainCounts) as string});
      const t0 = Date.now();
      // The split is already in a seeded random order; tfjs' own shuffle is not seedable.
      await model.fit(xs, targets, {epochs: args.epochs, batchSize: 64, shuffle: false, verbose: 0});
      const seconds = (Date.now() - t0) / 1000;
      const probs = model.predict(testXs) as tf.Tensor;
      const scores = {
        bacc: imb.metrics.balancedAccuracy(),
        f1: imb.metrics.f1({average: 'macro'}),
        gmean: imb.metrics.gmean(),
        ece: imb.metrics.ece(),
      };
      for (const m of Object.values(scores)) m.update(testYs, probs);
      const r = results.get(spec.name) ?? {bacc: [], f1: [], gmean: [], ece: [], seconds: []};
      r.bacc.push(scores.bacc.result() as number);
      r.f1.push(scores.f1.result() as number);
      r.gmean.push(scores.gmean.result() as number);
      r.ece.push(scores.ece.result() as number);
      r.seconds.push(seconds);
      results.set(spec.name, r);
      tf.dispose([probs]);
      model.dispose();
    }
    tf.dispose([xs, ys, testXs, testYs, targets]);
  }

  console.log(`\nHeld-out 25% split, mean ± sd over ${args.seeds} seeds:\n`);
  console.log('| loss | balanced accuracy | macro F1 | g-mean | ECE (15 bins) | train s |');
  console.log('|---|---|---|---|---|---|');
  for (const [name, r] of results) {
    console.log(`| ${name} | ${fmt(r.bacc)} | ${fmt(r.f1)} | ${fmt(r.gmean)} | ${fmt(r.ece)} | ${mean(r.seconds).toFixed(1)} |`);
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
