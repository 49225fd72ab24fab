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
import * as imb from '../../src';
import {fashionMnist} from '../../src/node/datasets';
import {FASHION_MNIST_CLASSES, longTailCounts, subsetByClass} from '../../src/datasets';
import {fitSeeded, mdTable, mean, meanSd, Preset, ReproContext} from './lib';
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

function buildModel(kind: 'cnn' | 'mlp', side: number, seed: number): tf.Sequential {
  const init = (k: number) => tf.initializers.heNormal({seed: seed * 100 + k});
  const m = tf.sequential();
  if (kind === 'cnn') {
    // The ReMix paper's image network shape: two 3x3 conv + 2x2 max-pool, then a dense layer (narrow, for 2 cores).
    m.add(tf.layers.conv2d({inputShape: [side, side, 1], filters: 8, kernelSize: 3, activation: 'relu', kernelInitializer: init(1)}));
    m.add(tf.layers.maxPooling2d({poolSize: 2}));
    m.add(tf.layers.conv2d({filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: init(2)}));
    m.add(tf.layers.maxPooling2d({poolSize: 2}));
    m.add(tf.layers.flatten());
    m.add(tf.layers.dense({units: 32, activation: 'relu', kernelInitializer: init(3)}));
  } else {
    m.add(tf.layers.dense({inputShape: [side * side], units: 128, activation: 'relu', kernelInitializer: init(1)}));
    m.add(tf.layers.dense({units: 64, activation: 'relu', kernelInitializer: init(2)}));
  }
  // Linear last layer: every loss reads logits (fromLogits: true), as CSL's reference code does.
  m.add(tf.layers.dense({units: 10, kernelInitializer: tf.initializers.glorotUniform({seed: seed * 100 + 9})}));
  return m;
}

/**
 * Pixels / 255 as [n, side, side, 1] (CNN) or [n, side²] (MLP), labels one-hot;
 * side 14 averages 2x2 pixel blocks (4x less convolution work than 28).
 */
function tensors(images: Uint8Array, labels: Uint8Array, idx: number[], kind: 'cnn' | 'mlp', side: number): {xs: tf.Tensor; ys: tf.Tensor2D; labels: number[]} {
  const f = 28 / side;
  const x = new Float32Array(idx.length * side * side);
  idx.forEach((i, r) => {
    for (let p = 0; p < 784; p++) {
      const [row, col] = [Math.floor(p / 28 / f), Math.floor((p % 28) / f)];
      x[r * side * side + row * side + col] += images[i * 784 + p] / 255 / (f * f);
    }
  });
  const lab = idx.map(i => labels[i]);
  return {
    xs: kind === 'cnn' ? tf.tensor4d(x, [idx.length, side, side, 1]) : tf.tensor2d(x, [idx.length, side * side]),
    ys: tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(lab, 'int32'), 10), 'float32') as tf.Tensor2D),
    labels: lab,
  };
}

/** Per-class recall on the test set. */
function perClassRecall(pred: number[], truth: number[]): number[] {
  const hit = new Array(10).fill(0);
  const n = new Array(10).fill(0);
  truth.forEach((t, i) => {
    n[t] += 1;
    if (pred[i] === t) hit[t] += 1;
  });
  return hit.map((h, c) => h / n[c]);
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
    const train = fashionMnist({split: 'train'});
    const test = fashionMnist({split: 'test'});
    const counts = longTailCounts(6000, 10, imbalance);
    const valCounts = counts.map(n => Math.ceil(n / 10));
    const testIdx = ctx.quick ? subsetByClass(test.labels, new Array(10).fill(100), 1) : Array.from({length: test.count}, (_, i) => i);
    const te = tensors(test.images, test.labels, testIdx, kind, side);
    const drwEpoch = Math.floor(0.8 * epochs);
    const settings = {
      data: `Fashion-MNIST train, long-tailed n_k = floor(6000·μ^k), imbalance ${imbalance}: ${counts.join('/')} (Σ ${counts.reduce((a, b) => a + b, 0)}); ` +
        `validation n_k/10 (used by CSL only); test: ${testIdx.length} balanced`,
      input: `${side}x${side}${side === 14 ? ' (2x2 pixel blocks averaged)' : ''}`,
      model: kind === 'cnn' ? 'CNN conv3x3(8)-maxpool2-conv3x3(16)-maxpool2-dense(32)-dense(10), ReLU, logits' : `MLP ${side * side}-128-64-10, logits`,
      optimizer: `Adam lr ${lr}`, epochs, batchSize, seeds, drwEpoch,
      methods: Object.fromEntries(methods.map(m => [m, LABELS[m]])),
    };
    const results = new Map<CslMethod, {recalls: number[][]; seconds: number[]}>(methods.map(m => [m, {recalls: [], seconds: []}]));
    for (let seed = 0; seed < seeds; seed++) {
      const trIdx = subsetByClass(train.labels, counts, 1000 + seed);
      const vaIdx = subsetByClass(train.labels, valCounts, 2000 + seed, new Set(trIdx));
      const tr = tensors(train.images, train.labels, trIdx, kind, side);
      const va = tensors(train.images, train.labels, vaIdx, kind, side);
      for (const method of methods) {
        const t0 = Date.now();
        const model = buildModel(kind, side, seed);
        const optimizer = tf.train.adam(lr);
        const disposables: {dispose(): void}[] = [optimizer];
        let callbacks: tf.Callback[] = [];
        let validationData: [tf.Tensor, tf.Tensor] | undefined;
        let beforeEpoch: ((epoch: number) => void) | undefined;
        let loss: imb.losses.LossFunction;
        if (method === 'CSL-batch' || method === 'CSL-epoch') {
          const csl = imb.losses.csl({numClasses: 10, fromLogits: true, mode: method === 'CSL-batch' ? 'batch' : 'epoch'});
          loss = csl;
          callbacks = [new imb.callbacks.CSL(csl, {log: false})];
          validationData = [va.xs, va.ys];
        } else if (method === 'CE') {
          loss = imb.losses.weightedCrossEntropy({classWeights: new Array(10).fill(1), fromLogits: true});
        } else if (method === 'focal') {
          loss = imb.losses.focal({gamma: 1, fromLogits: true});
        } else if (method === 'CB') {
          loss = imb.losses.classBalanced({classCounts: counts, beta: 0.9999, fromLogits: true});
        } else {
          loss = imb.losses.ldam({classCounts: counts, scale: 1, fromLogits: true});
          const deferred = imb.losses.ldam({classCounts: counts, scale: 1, fromLogits: true, classWeights: imb.losses.classBalancedWeights(counts, 0.9999)});
          disposables.push(deferred);
          // Deferred re-weighting: same optimizer (its moments carry over), class-balanced weights from drwEpoch on.
          beforeEpoch = epoch => {
            if (epoch === drwEpoch) model.compile({optimizer, loss: deferred});
          };
        }
        disposables.push(loss);
        model.compile({optimizer, loss});
        await fitSeeded(model, tr.xs, tr.ys, {epochs, batchSize, seed, callbacks, validationData, beforeEpoch});
        const pred = tf.tidy(() => Array.from(tf.argMax(model.predict(te.xs, {batchSize: 1000}) as tf.Tensor, 1).dataSync()));
        const recalls = perClassRecall(pred, te.labels);
        const r = results.get(method) as {recalls: number[][]; seconds: number[]};
        r.recalls.push(recalls);
        r.seconds.push((Date.now() - t0) / 1000);
        ctx.log(`seed ${seed} ${LABELS[method].padEnd(44)} balanced acc ${(100 * mean(recalls)).toFixed(2)} % ` +
          `(head ${(100 * mean(HEAD.map(c => recalls[c]))).toFixed(1)}, middle ${(100 * mean(MIDDLE.map(c => recalls[c]))).toFixed(1)}, tail ${(100 * mean(TAIL.map(c => recalls[c]))).toFixed(1)}; ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
        model.dispose();
        disposables.forEach(d => d.dispose());
      }
      tf.dispose([tr.xs, tr.ys, va.xs, va.ys]);
    }
    tf.dispose([te.xs, te.ys]);

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
    return {settings, markdown: parts.join('\n'), results: {methods: out, paper: PAPER_C10_100}};
  },
};
