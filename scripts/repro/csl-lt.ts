/**
 * csl-lt: the CSL long-tail paper ("cost-sensitive loss with reinforcement",
 * Tables 1-2: ResNet-32 on CIFAR-10-LT) on the nearest setting 2 cores can
 * train: Fashion-MNIST made long-tailed as CIFAR-10-LT is (n_k = ⌊n_max·μ^k⌋,
 * imbalance 100: 6000 ... 60, Σ 14 886), a small CNN (and optionally the MLP
 * of the former examples/fashion-mnist-lt.ts: `--model mlp --side 28`), tested on the balanced test set.
 * CE, focal (γ = 1), class-balanced CE (β = 0.9999), LDAM-DRW, CE + CSL in
 * both modes; balanced accuracy and head / middle / tail accuracy, mean ± sd
 * over seeds. Every method gets the same subset, initial weights and batch
 * order per seed.
 */
import * as tf from '@tensorflow/tfjs';
import type {CompareData, MethodSpec, ModelBuilder, SplitIndices} from '../../src/compare';
import {fashionMnist} from '../../src/node/datasets';
import {FASHION_MNIST_CLASSES, longTailCounts, subsetByClass} from '../../src/datasets';
import {compactResult, compareRun, evaluationsOf, failures, mdTable, mean, meanSd, Preset, ReproContext} from './lib';
import {registerWasmConv2DBackpropFilter} from './wasmConv';

export type CslMethod = 'CE' | 'focal' | 'CB' | 'LDAM-DRW' | 'CSL-batch' | 'CSL-epoch';
const LABELS: Record<CslMethod, string> = {
  'CE': 'CE',
  'focal': 'focal (γ = 1)',
  'CB': 'class-balanced CE (β = 0.9999)',
  'LDAM-DRW': 'LDAM-DRW (s = 1, DRW at 80 % of the epochs)',
  'CSL-batch': "CE + CSL, mode 'batch' (authors' code)",
  'CSL-epoch': "CE + CSL, mode 'epoch' (paper's narrative)",
};

/** The paper's Table 2, CIFAR-10-LT imbalance 100 (ResNet-32, 200 epochs). */
const PAPER_C10_100: Partial<Record<CslMethod, number>> = {'CE': 70.4, 'focal': 70.4, 'CB': 72.4, 'LDAM-DRW': 77, 'CSL-batch': 78};

/** The engine's method for each of ours (every loss reads logits: `fromLogits: true`). */
function methodSpec(method: CslMethod, drwEpoch: number): MethodSpec {
  const label = LABELS[method];
  switch (method) {
    case 'CE': return {method: 'ce', label};
    case 'focal': return {method: 'focal', label, options: {focal: {gamma: 1}}};
    case 'CB': return {method: 'cb', label, options: {cb: {beta: 0.9999, base: 'softmax'}}};
    // Deferred re-weighting: the same optimizer (its moments carry over), class-balanced weights from drwEpoch on.
    case 'LDAM-DRW': return {method: 'ldam', label, options: {ldam: {scale: 1, drwEpoch, drwBeta: 0.9999}}};
    case 'CSL-batch': return {method: 'csl', label, options: {csl: {mode: 'batch'}}};
    case 'CSL-epoch': return {method: 'csl', label, options: {csl: {mode: 'epoch'}}};
  }
}

/** The network, with a linear last layer: every loss reads logits, as CSL's reference code does. */
function builder(kind: 'cnn' | 'mlp'): ModelBuilder {
  return (inputShape, numClasses, seed) => {
    const init = (k: number) => tf.initializers.heNormal({seed: seed + k}); // seed >= 1: never tfjs' unseeded 0
    const m = tf.sequential();
    if (kind === 'cnn') {
      // The ReMix paper's image network shape: two 3x3 conv + 2x2 max-pool, then a dense layer (narrow, for 2 cores).
      m.add(tf.layers.conv2d({inputShape, filters: 8, kernelSize: 3, activation: 'relu', kernelInitializer: init(1)}));
      m.add(tf.layers.maxPooling2d({poolSize: 2}));
      m.add(tf.layers.conv2d({filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: init(2)}));
      m.add(tf.layers.maxPooling2d({poolSize: 2}));
      m.add(tf.layers.flatten());
      m.add(tf.layers.dense({units: 32, activation: 'relu', kernelInitializer: init(3)}));
    } else {
      m.add(tf.layers.dense({inputShape, units: 128, activation: 'relu', kernelInitializer: init(1)}));
      m.add(tf.layers.dense({units: 64, activation: 'relu', kernelInitializer: init(2)}));
    }
    m.add(tf.layers.dense({units: numClasses, kernelInitializer: tf.initializers.glorotUniform({seed: seed + 9})}));
    return m;
  };
}

/**
 * Fashion-MNIST train then test images as pixels / 255 at `side` x `side`
 * (side 14 averages 2x2 pixel blocks: 4x less convolution work than 28).
 */
function images(side: number, featureShape: number[]): CompareData {
  const train = fashionMnist({split: 'train'});
  const test = fashionMnist({split: 'test'});
  const n = train.count + test.count;
  const f = 28 / side;
  const size = side * side;
  const features = new Float32Array(n * size);
  const labels = new Int32Array(n);
  [train, test].forEach((set, s) => {
    const offset = s === 0 ? 0 : train.count;
    for (let i = 0; i < set.count; i++) {
      labels[offset + i] = set.labels[i];
      for (let p = 0; p < 784; p++) {
        const [row, col] = [Math.floor(p / 28 / f), Math.floor((p % 28) / f)];
        features[(offset + i) * size + row * side + col] += set.images[i * 784 + p] / 255 / (f * f);
      }
    }
  });
  return {features, labels, numRows: n, numFeatures: size, featureShape, numClasses: 10, classNames: FASHION_MNIST_CLASSES.slice()};
}

export const HEAD = [0, 1, 2];
export const MIDDLE = [3, 4, 5, 6];
export const TAIL = [7, 8, 9];

export const cslLt: Preset = {
  name: 'csl-lt',
  title: 'CSL (long-tail, Table 1-2 style) on Fashion-MNIST-LT (imbalance 100) with a small CNN on 14x14 inputs',
  async run(ctx: ReproContext) {
    const seeds = ctx.num('seeds', 3, 1);
    const epochs = ctx.num('epochs', 8, 1);
    const kind = ctx.str('model', 'cnn') as 'cnn' | 'mlp';
    const side = ctx.num('side', 14);
    if (side !== 14 && side !== 28) throw new Error('--side: 14 or 28');
    if (kind === 'cnn' && tf.getBackend() === 'wasm' && !registerWasmConv2DBackpropFilter()) throw new Error('this tfjs-backend-wasm cannot train a CNN: use --backend cpu');
    const imbalance = ctx.num('imbalance', 100);
    const batchSize = ctx.num('batch', 128);
    const lr = ctx.num('lr', 1e-3);
    const methods = ctx.str('methods', 'CE,focal,CB,LDAM-DRW,CSL-batch,CSL-epoch', 'CE,CSL-batch').split(',') as CslMethod[];
    methods.forEach(m => {
      if (!(m in LABELS)) throw new Error(`--methods: unknown method ${m}; use ${Object.keys(LABELS).join(',')}`);
    });
    const data = images(side, kind === 'cnn' ? [side, side, 1] : [side * side]);
    const trainLabels = data.labels.subarray(0, 60000);
    const testLabels = data.labels.subarray(60000);
    const counts = longTailCounts(6000, 10, imbalance);
    const valCounts = counts.map(n => Math.ceil(n / 10));
    const testIdx = (ctx.quick ? subsetByClass(testLabels, new Array(10).fill(100), 1) : Array.from({length: testLabels.length}, (_, i) => i)).map(i => 60000 + i);
    const drwEpoch = Math.floor(0.8 * epochs);
    // One fixed split per seed: a long-tailed training subset, a validation subset with the same profile (n_k / 10), the test set.
    const splits: SplitIndices[] = Array.from({length: seeds}, (_, seed) => {
      const train = subsetByClass(trainLabels, counts, 1000 + seed);
      return {train, validation: subsetByClass(trainLabels, valCounts, 2000 + seed, new Set(train)), test: testIdx};
    });
    const settings = {
      data: `Fashion-MNIST train, long-tailed n_k = floor(6000·μ^k), imbalance ${imbalance}: ${counts.join('/')} (Σ ${counts.reduce((a, b) => a + b, 0)}); ` +
        `validation n_k/10 (used by CSL only); test: ${testIdx.length} balanced; imb.compare.run with one fixed split per seed (the engine's seeds)`,
      input: `${side}x${side}${side === 14 ? ' (2x2 pixel blocks averaged)' : ''}`,
      model: (kind === 'cnn' ? 'CNN conv3x3(8)-maxpool2-conv3x3(16)-maxpool2-dense(32)-dense(10), ReLU' : `MLP ${side * side}-128-64-10`) +
        ', logits (compare fromLogits: true)',
      optimizer: `Adam lr ${lr}`, epochs, batchSize, seeds, drwEpoch,
      methods: Object.fromEntries(methods.map(m => [m, LABELS[m]])),
    };
    const result = await compareRun(ctx, 'Fashion-MNIST-LT', data, {
      methods: methods.map(m => methodSpec(m, drwEpoch)), splits, epochs, batchSize, learningRate: lr, monitor: null,
      buildModel: builder(kind), fromLogits: true, standardize: false,
      metrics: ['balancedAccuracy'], classGroups: {head: HEAD, middle: MIDDLE, tail: TAIL}, dataName: `Fashion-MNIST-LT (imbalance ${imbalance})`,
    });
    const results = new Map<CslMethod, {recalls: number[][]; seconds: number[]}>(methods.map(m => [m, {
      recalls: evaluationsOf(result, LABELS[m]).map(e => e.perClass.recall),
      seconds: result.runs.filter(r => r.method === LABELS[m] && r.error === undefined).map(r => r.seconds),
    }]));

    const group = (recalls: number[][], cls: number[]) => recalls.map(r => mean(cls.map(c => r[c])));
    const parts: string[] = [];
    const span = (cls: number[]) => `${counts[cls[0]]}-${counts[cls[cls.length - 1]]}`;
    parts.push(`Balanced test set; accuracy in %, mean ± sd over ${seeds} seed${seeds > 1 ? 's' : ''}. Head = classes 0-2 (${span(HEAD)} training images), ` +
      `middle = 3-6 (${span(MIDDLE)}), tail = 7-9 (${span(TAIL)}). ` +
      `Paper = CSL Table 2, CIFAR-10-LT imbalance 100, ResNet-32 (the baseline rows are quoted there from other papers).\n`);
    parts.push(mdTable(['method', 'balanced accuracy', 'head', 'middle', 'tail', 's / run', 'paper (CIFAR-10-LT)'], methods.map(m => {
      const r = results.get(m) as {recalls: number[][]; seconds: number[]};
      return [LABELS[m], meanSd(r.recalls.map(mean), 2, 100), meanSd(group(r.recalls, HEAD), 2, 100), meanSd(group(r.recalls, MIDDLE), 2, 100),
        meanSd(group(r.recalls, TAIL), 2, 100), mean(r.seconds).toFixed(0), PAPER_C10_100[m]?.toString() ?? ''];
    })));
    parts.push(`\nPer-class accuracy (%, mean over seeds):\n`);
    parts.push(mdTable(['method', ...FASHION_MNIST_CLASSES.map((c, i) => `${i} ${c} (${counts[i]})`)], methods.map(m => {
      const r = results.get(m) as {recalls: number[][]};
      return [LABELS[m], ...FASHION_MNIST_CLASSES.map((_, c) => (100 * mean(r.recalls.map(x => x[c]))).toFixed(1))];
    })));
    const out = Object.fromEntries(methods.map(m => {
      const r = results.get(m) as {recalls: number[][]; seconds: number[]};
      return [m, {label: LABELS[m], perSeedRecalls: r.recalls, balancedAccuracy: r.recalls.map(mean), seconds: r.seconds}];
    }));
    const failed = failures(result);
    if (failed.length) parts.push(`\nFailed runs (left out of the means): ${failed.join('; ')}.`);
    return {settings, markdown: parts.join('\n'), results: {methods: out, paper: PAPER_C10_100, compare: compactResult(result)}};
  },
};
