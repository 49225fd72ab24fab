/**
 * Fashion-MNIST-LT: CE vs CSL (batch = the authors' code, epoch = the paper's
 * narrative) vs focal vs class-balanced, on a long-tailed training set built as
 * the CSL paper builds CIFAR-10-LT (csl.md §4): n_k = floor(6000·μ^k), imbalance
 * 100 (6000 ... 60, Σ 14 886). Tested on the balanced test set (1000 per class):
 * balanced accuracy = mean per-class recall (= top-1 accuracy here).
 *
 * Data: Debian's `dataset-fashion-mnist` (/usr/share/datasets/fashion-mnist).
 * Validation data (passed to every method, used only by CSL): a held-out set with
 * the same long-tailed profile, n_k / 10 (rounded up), from unused training images.
 * Every method gets the same subset, initial weights and batch order per seed.
 *
 *   npx tsx examples/fashion-mnist-lt.ts [--seeds 3] [--epochs 15] [--model mlp|cnn]
 *     [--imbalance 100] [--batch 128] [--lr 0.001] [--methods ce,csl-batch,csl-epoch,focal,cb] [--backend wasm|cpu]
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {Random} from '../src/core/random';
import {fashionMnist, longTailCounts, subsetByClass, FASHION_MNIST_CLASSES} from '../src/node/datasets';
import {csl} from '../src/losses/csl';
import {CSL} from '../src/callbacks/csl';
import {focal} from '../src/losses/focal';
import {classBalanced} from '../src/losses/classBalanced';
import {weightedCrossEntropy} from '../src/losses/weightedCrossEntropy';

type MethodName = 'ce' | 'csl-batch' | 'csl-epoch' | 'focal' | 'cb';
const LABELS: Record<MethodName, string> = {
  'ce': 'CE',
  'csl-batch': 'CE + CSL, batch mode (REF)',
  'csl-epoch': 'CE + CSL, epoch mode (§1.6)',
  'focal': 'Focal (γ = 1)',
  'cb': 'Class-balanced CE (β = 0.9999)',
};

interface Method { loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor; callbacks: tf.Callback[]; dispose(): void }

function makeMethod(name: MethodName, counts: number[]): Method {
  const C = counts.length;
  if (name === 'csl-batch' || name === 'csl-epoch') {
    const loss = csl({numClasses: C, fromLogits: true, mode: name === 'csl-batch' ? 'batch' : 'epoch'});
    return {loss, callbacks: [new CSL(loss, {log: false})], dispose: () => loss.state.dispose()};
  }
  const loss = name === 'ce' ? weightedCrossEntropy({classWeights: new Array(C).fill(1), fromLogits: true})
    : name === 'focal' ? focal({gamma: 1, fromLogits: true})
      : classBalanced({classCounts: counts, beta: 0.9999, fromLogits: true});
  return {loss, callbacks: [], dispose: () => undefined};
}

function buildModel(kind: 'mlp' | 'cnn', seed: number): tf.Sequential {
  const init = (k: number) => tf.initializers.heNormal({seed: seed * 100 + k});
  const m = tf.sequential();
  if (kind === 'cnn') {
    m.add(tf.layers.conv2d({inputShape: [28, 28, 1], filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: init(1)}));
    m.add(tf.layers.maxPooling2d({poolSize: 2}));
    m.add(tf.layers.conv2d({filters: 32, kernelSize: 3, activation: 'relu', kernelInitializer: init(2)}));
    m.add(tf.layers.maxPooling2d({poolSize: 2}));
    m.add(tf.layers.flatten());
    m.add(tf.layers.dense({units: 64, activation: 'relu', kernelInitializer: init(3)}));
  } else {
    m.add(tf.layers.dense({inputShape: [784], units: 128, activation: 'relu', kernelInitializer: init(1)}));
    m.add(tf.layers.dense({units: 64, activation: 'relu', kernelInitializer: init(2)}));
  }
  // Linear last layer: every loss reads logits (fromLogits: true), as CSL's REF does.
  m.add(tf.layers.dense({units: 10, kernelInitializer: tf.initializers.glorotUniform({seed: seed * 100 + 9})}));
  return m;
}

/** Pixels / 255 as [n, 784] or [n, 28, 28, 1]; labels one-hot. */
function tensors(images: Uint8Array, labels: Uint8Array, idx: number[], kind: 'mlp' | 'cnn'): {xs: tf.Tensor; ys: tf.Tensor2D; labels: number[]} {
  const x = new Float32Array(idx.length * 784);
  idx.forEach((i, r) => {
    for (let p = 0; p < 784; p++) x[r * 784 + p] = images[i * 784 + p] / 255;
  });
  const lab = idx.map(i => labels[i]);
  return {
    xs: kind === 'cnn' ? tf.tensor4d(x, [idx.length, 28, 28, 1]) : tf.tensor2d(x, [idx.length, 784]),
    ys: tf.oneHot(tf.tensor1d(lab, 'int32'), 10).toFloat() as tf.Tensor2D,
    labels: lab,
  };
}

function perClassRecall(pred: number[], truth: number[]): number[] {
  const hit = new Array(10).fill(0);
  const n = new Array(10).fill(0);
  truth.forEach((t, i) => {
    n[t] += 1;
    if (pred[i] === t) hit[t] += 1;
  });
  return hit.map((h, c) => h / n[c]);
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: number[]) => (v.length < 2 ? 0 : Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1)));
const pct = (v: number[]) => `${(100 * mean(v)).toFixed(2)}${v.length > 1 ? ` ± ${(100 * sd(v)).toFixed(2)}` : ''}`;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const arg = (name: string, dflt: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
  const seeds = Number(arg('--seeds', '3'));
  const epochs = Number(arg('--epochs', '15'));
  const kind = arg('--model', 'mlp') as 'mlp' | 'cnn';
  const imbalance = Number(arg('--imbalance', '100'));
  const batchSize = Number(arg('--batch', '128'));
  const lr = Number(arg('--lr', '0.001'));
  const methods = arg('--methods', 'ce,csl-batch,csl-epoch,focal,cb').split(',') as MethodName[];
  methods.forEach(m => {
    if (!(m in LABELS)) throw new Error(`--methods: unknown method ${m}; use ${Object.keys(LABELS).join(',')}`);
  });
  const started = Date.now();
  await tf.setBackend(arg('--backend', 'wasm'));
  await tf.ready();

  const train = fashionMnist({split: 'train'});
  const test = fashionMnist({split: 'test'});
  const counts = longTailCounts(6000, 10, imbalance);
  const valCounts = counts.map(n => Math.ceil(n / 10));
  const te = tensors(test.images, test.labels, Array.from({length: test.count}, (_, i) => i), kind);
  console.log(`backend ${tf.getBackend()}, model ${kind}, ${epochs} epochs, batch ${batchSize}, Adam lr ${lr}, seeds ${seeds}`);
  console.log(`train counts ${counts.join('/')} (Σ ${counts.reduce((a, b) => a + b, 0)}), validation ${valCounts.join('/')}, test 10 x 1000`);

  const results = new Map<MethodName, {bal: number[]; recalls: number[][]; seconds: number[]}>();
  for (let seed = 0; seed < seeds; seed++) {
    const trIdx = subsetByClass(train.labels, counts, 1000 + seed);
    const vaIdx = subsetByClass(train.labels, valCounts, 2000 + seed, new Set(trIdx));
    const tr = tensors(train.images, train.labels, trIdx, kind);
    const va = tensors(train.images, train.labels, vaIdx, kind);
    for (const name of methods) {
      const t0 = Date.now();
      const model = buildModel(kind, seed);
      const method = makeMethod(name, counts);
      model.compile({optimizer: tf.train.adam(lr), loss: method.loss});
      for (let epoch = 0; epoch < epochs; epoch++) {
        // Same seeded batch order for every method; one fit call per epoch (the CSL state carries over).
        const perm = tf.tensor1d(Array.from(new Random(seed * 7919 + epoch).permutation(trIdx.length)), 'int32');
        const xs = tf.gather(tr.xs, perm);
        const ys = tf.gather(tr.ys, perm);
        await model.fit(xs, ys, {epochs: 1, batchSize, shuffle: false, verbose: 0, validationData: [va.xs, va.ys], callbacks: method.callbacks});
        tf.dispose([perm, xs, ys]);
      }
      const pred = tf.tidy(() => tf.argMax(model.predict(te.xs, {batchSize: 1000}) as tf.Tensor, 1).arraySync() as number[]);
      const recalls = perClassRecall(pred, te.labels);
      const r = results.get(name) ?? {bal: [], recalls: [], seconds: []};
      r.bal.push(mean(recalls));
      r.recalls.push(recalls);
      r.seconds.push((Date.now() - t0) / 1000);
      results.set(name, r);
      console.log(`seed ${seed} ${LABELS[name].padEnd(32)} balanced acc ${(100 * mean(recalls)).toFixed(2)}%  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      model.dispose();
      method.dispose();
    }
    tf.dispose([tr.xs, tr.ys, va.xs, va.ys]);
  }

  const head = [0, 1, 2];
  const mid = [3, 4, 5, 6];
  const tail = [7, 8, 9];
  const group = (recalls: number[][], cls: number[]) => recalls.map(r => mean(cls.map(c => r[c])));
  console.log(`\n### Fashion-MNIST-LT (imbalance ${imbalance}), ${kind.toUpperCase()}, ${epochs} epochs, ${seeds} seed${seeds > 1 ? 's' : ''} (mean ± sd, %)\n`);
  console.log(`| Method | Balanced acc. | Head (${head.join(',')}) | Middle (${mid.join(',')}) | Tail (${tail.join(',')}) | s / run |`);
  console.log('|---|---|---|---|---|---|');
  for (const name of methods) {
    const r = results.get(name)!;
    console.log(`| ${LABELS[name]} | ${pct(r.bal)} | ${pct(group(r.recalls, head))} | ${pct(group(r.recalls, mid))} | ${pct(group(r.recalls, tail))} | ${mean(r.seconds).toFixed(0)} |`);
  }
  console.log(`\nPer-class recall (%, mean over seeds), classes ${FASHION_MNIST_CLASSES.map((c, i) => `${i} ${c} (n=${counts[i]})`).join(', ')}:\n`);
  console.log(`| Method | ${FASHION_MNIST_CLASSES.map((_, i) => i).join(' | ')} |`);
  console.log(`|---|${FASHION_MNIST_CLASSES.map(() => '---').join('|')}|`);
  for (const name of methods) {
    const r = results.get(name)!;
    console.log(`| ${LABELS[name]} | ${FASHION_MNIST_CLASSES.map((_, c) => (100 * mean(r.recalls.map(x => x[c]))).toFixed(1)).join(' | ')} |`);
  }
  console.log(`\nCommand: npx tsx examples/fashion-mnist-lt.ts ${argv.join(' ')}`.trimEnd());
  console.log(`Wall time: ${((Date.now() - started) / 60000).toFixed(1)} min`);
  tf.dispose([te.xs, te.ys]);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
