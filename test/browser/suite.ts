/**
 * The browser conformance suite. It runs inside the test page (bundled with
 * the packed package, see conformance.test.ts) on cpu, wasm and webgl, and
 * its fixed-batch part also runs in Node (jest, cpu), so every backend can be
 * compared with Node to 1e-4.
 *
 * It takes `tf` and the library as arguments and imports only types, so the
 * same file works with `src/` in Node and with the packed `dist/esm` build in
 * the page. Everything returned is plain JSON.
 */
import type * as TfNamespace from '@tensorflow/tfjs';
import type * as ImbNamespace from '../../src/index';

type TF = typeof TfNamespace;
type Imb = typeof ImbNamespace;
type Tensor = TfNamespace.Tensor;

/** Per-backend report of {@link runConformance}. */
export interface ConformanceReport {
  backend: string;
  /** What `backend.init(<backend>)` returned. */
  selection: {choice: string; backend: string; source: string; skipped: {choice: string; reason: string}[]};
  /** Loss values, loss gradients and metric results on the fixed batch, flattened. */
  fixedBatch: Record<string, number[]>;
  /** Results of the training steps (all should be finite). */
  training: Record<string, number>;
  /**
   * `io.save` to `indexeddb://` then `io.load`, for a model compiled with each
   * loss: the largest |prediction difference| (should be 0) and whether the
   * loaded loss has the same config.
   */
  io: Record<string, {maxDiff: number; sameConfig: boolean; metrics: string[]}>;
  /** Same-seed transforms: checksums compared across backends. */
  seeded: Record<string, number[]>;
  /** Tensors left over after each step, beyond what should be alive then (all should be 0). */
  leaked: Record<string, number>;
  /** Median ms per epoch of `model.fit` for each reference MLP (not asserted). */
  epochMs: Record<string, number>;
  /** Extra facts (webgl float precision, ...). */
  facts: Record<string, string | number | boolean>;
}

/** Mulberry32: a tiny seeded PRNG, so the data are identical in Node and every browser. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const B = 12;
const C = 3;
const LABELS = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2];
const COUNTS = [700, 200, 100];

/** The fixed batch as plain arrays: 3-class logits / probabilities, a binary column, soft labels. */
export function fixedBatchArrays(): {logits: number[][]; probs: number[][]; binaryLogit: number[]; binaryProb: number[]; soft: number[][]} {
  const rand = prng(7);
  const logits = LABELS.map(y => Array.from({length: C}, (_, k) => 3 * (rand() - 0.5) + (k === y ? 1 : 0)));
  const probs = logits.map(row => {
    const m = Math.max(...row);
    const e = row.map(v => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map(v => v / s);
  });
  const binaryLogit = LABELS.map(y => 4 * (rand() - 0.5) + (y > 0 ? 1 : -0.5));
  const binaryProb = binaryLogit.map(z => 1 / (1 + Math.exp(-z)));
  const soft = LABELS.map((y, i) => {
    const lam = 0.2 + 0.6 * rand();
    const other = (y + 1 + (i % 2)) % C;
    return Array.from({length: C}, (_, k) => (k === y ? lam : 0) + (k === other ? 1 - lam : 0));
  });
  return {logits, probs, binaryLogit, binaryProb, soft};
}

type LossCase = {name: string; make: (imb: Imb) => ImbNamespace.losses.LossFunction; input: 'probs' | 'logits' | 'binaryProb' | 'binaryLogit'; labels: 'sparse' | 'binary' | 'soft'};

/** Every loss factory, on softmax probabilities, logits and a sigmoid column where it applies. */
export const LOSS_CASES: LossCase[] = [
  {name: 'dwb', make: imb => imb.losses.dwb({classCounts: COUNTS}), input: 'probs', labels: 'sparse'},
  {name: 'dwb.logits.allClasses', make: imb => imb.losses.dwb({classCounts: COUNTS, fromLogits: true, regularizer: 'allClasses'}), input: 'logits', labels: 'sparse'},
  {name: 'dwb.sigmoid', make: imb => imb.losses.dwb({classCounts: [900, 100]}), input: 'binaryProb', labels: 'binary'},
  {name: 'weightedCrossEntropy', make: imb => imb.losses.weightedCrossEntropy({classWeights: [0.5, 1.5, 3]}), input: 'probs', labels: 'sparse'},
  {name: 'weightedCrossEntropy.softLabels', make: imb => imb.losses.weightedCrossEntropy({classWeights: [1, 1, 1], fromLogits: true}), input: 'logits', labels: 'soft'},
  {name: 'crcen.binary', make: imb => imb.losses.crcen({classCounts: [900, 100], costMultiplier: 1}), input: 'binaryProb', labels: 'binary'},
  {name: 'crcen.multiclass', make: imb => imb.losses.crcen({classCounts: COUNTS, fromLogits: true}), input: 'logits', labels: 'sparse'},
  {name: 'rwwceBinary', make: imb => imb.losses.rwwceBinary({costFN: 5, costFP: 1, fromLogits: true}), input: 'binaryLogit', labels: 'binary'},
  {name: 'rwwce', make: imb => imb.losses.rwwce({costFN: [1, 4, 8], costFP: [[0, 1, 1], [2, 0, 1], [3, 1, 0]]}), input: 'probs', labels: 'sparse'},
  {name: 'focal', make: imb => imb.losses.focal({gamma: 2}), input: 'probs', labels: 'sparse'},
  {name: 'focal.logits.alpha', make: imb => imb.losses.focal({gamma: 1, alpha: [0.25, 0.5, 0.25], fromLogits: true}), input: 'logits', labels: 'sparse'},
  {name: 'classBalanced.softmax', make: imb => imb.losses.classBalanced({classCounts: COUNTS, beta: 0.999}), input: 'probs', labels: 'sparse'},
  {name: 'classBalanced.sigmoid', make: imb => imb.losses.classBalanced({classCounts: COUNTS, beta: 0.99, base: 'sigmoid', fromLogits: true}), input: 'logits', labels: 'sparse'},
  {name: 'classBalanced.focal', make: imb => imb.losses.classBalanced({classCounts: COUNTS, beta: 0.9, base: 'focal', gamma: 1, fromLogits: true}), input: 'logits', labels: 'sparse'},
  {name: 'ldam', make: imb => imb.losses.ldam({classCounts: COUNTS, fromLogits: true}), input: 'logits', labels: 'sparse'},
  {name: 'csl', make: imb => imb.losses.csl({numClasses: C, fromLogits: true}), input: 'logits', labels: 'sparse'},
];

type MetricCase = {name: string; make: (imb: Imb) => ImbNamespace.metrics.Metric<unknown>; input: 'probs' | 'binaryProb'};

/** Every metric factory (the multiclass ones on probabilities, the binary ones on a sigmoid column). */
export const METRIC_CASES: MetricCase[] = [
  {name: 'ece', make: imb => imb.metrics.ece(), input: 'probs'},
  {name: 'ece.quantile.classwise', make: imb => imb.metrics.ece({bins: 4, binning: 'quantile', mode: 'classwise'}), input: 'probs'},
  {name: 'mce', make: imb => imb.metrics.mce({bins: 10}), input: 'probs'},
  {name: 'brier', make: imb => imb.metrics.brier(), input: 'probs'},
  {name: 'balancedBrier', make: imb => imb.metrics.balancedBrier(), input: 'probs'},
  {name: 'gmean', make: imb => imb.metrics.gmean(), input: 'probs'},
  {name: 'balancedAccuracy', make: imb => imb.metrics.balancedAccuracy(), input: 'probs'},
  {name: 'precision.macro', make: imb => imb.metrics.precision({average: 'macro'}), input: 'probs'},
  {name: 'recall.none', make: imb => imb.metrics.recall({average: 'none'}), input: 'probs'},
  {name: 'f1.weighted', make: imb => imb.metrics.f1({average: 'weighted'}), input: 'probs'},
  {name: 'mcc', make: imb => imb.metrics.mcc(), input: 'probs'},
  {name: 'auroc', make: imb => imb.metrics.auroc(), input: 'probs'},
  {name: 'auprc', make: imb => imb.metrics.auprc(), input: 'probs'},
  {name: 'realWorldCost.binary', make: imb => imb.metrics.realWorldCost({costFN: 5, costFP: 1}), input: 'binaryProb'},
  {name: 'confusionMatrix', make: imb => imb.metrics.confusionMatrix(), input: 'probs'},
];

function flat(x: unknown): number[] {
  if (typeof x === 'number') return [x];
  if (Array.isArray(x)) return x.flatMap(flat);
  if (x && typeof x === 'object') return Object.values(x).flatMap(flat);
  return [];
}

/**
 * Every loss (per-sample values and the gradient of their sum with respect to
 * the loss input) and every metric (`update` + `result`, and the compile-time
 * function) on the fixed batch, plus `metrics.reliabilityDiagram`. Disposes
 * everything it creates.
 */
export function fixedBatchValues(tf: TF, imb: Imb): Record<string, number[]> {
  const a = fixedBatchArrays();
  const out: Record<string, number[]> = {};
  const inputs = {
    probs: tf.tensor2d(a.probs),
    logits: tf.tensor2d(a.logits),
    binaryProb: tf.tensor2d(a.binaryProb, [B, 1]),
    binaryLogit: tf.tensor2d(a.binaryLogit, [B, 1]),
  };
  const labels = {
    sparse: tf.tensor1d(LABELS, 'int32'),
    binary: tf.tensor1d(LABELS.map(y => (y > 0 ? 1 : 0)), 'int32'),
    soft: tf.tensor2d(a.soft),
  };
  try {
    for (const c of LOSS_CASES) {
      const loss = c.make(imb);
      const yTrue = labels[c.labels];
      const yPred = inputs[c.input];
      out[`loss.${c.name}`] = tf.tidy(() => Array.from(loss(yTrue, yPred).dataSync()));
      const grad = tf.tidy(() => tf.grad((p: Tensor) => tf.sum(loss(yTrue, p)))(yPred));
      out[`grad.${c.name}`] = Array.from(grad.dataSync());
      grad.dispose();
      loss.dispose();
    }
    for (const c of METRIC_CASES) {
      const metric = c.make(imb);
      const yTrue = c.input === 'binaryProb' ? labels.binary : labels.sparse;
      metric.update(yTrue, inputs[c.input]);
      out[`metric.${c.name}`] = flat(metric.result());
      const batchValue = metric(yTrue, inputs[c.input]);
      out[`metricFn.${c.name}`] = Array.from(batchValue.dataSync());
      batchValue.dispose();
    }
    const diagram = imb.metrics.reliabilityDiagram(labels.sparse, inputs.probs, {bins: 5});
    const filled = diagram.bins.filter(b => b.count > 0); // an empty bin's confidence and accuracy are NaN
    out['metric.reliabilityDiagram'] = [diagram.ece, diagram.mce, ...filled.flatMap(b => [b.lower, b.count, b.meanConfidence, b.accuracy])];
  } finally {
    tf.dispose([...Object.values(inputs), ...Object.values(labels)]);
  }
  return out;
}

/** An imbalanced 3-class problem with a learnable signal: rows, one-hot labels and class indices. */
function syntheticData(tf: TF, n: number, d: number, seed: number): {xs: TfNamespace.Tensor2D; ys: TfNamespace.Tensor2D; labels: number[]} {
  const rand = prng(seed);
  const labels = Array.from({length: n}, () => {
    const u = rand();
    return u < 0.8 ? 0 : u < 0.94 ? 1 : 2;
  });
  const rows = labels.map(y => Array.from({length: d}, (_, k) => 2 * (rand() - 0.5) + (k % C === y ? 1.5 : 0)));
  return {xs: tf.tensor2d(rows), ys: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), C) as TfNamespace.Tensor2D), labels};
}

function mlp(tf: TF, layers: number[], outputActivation: 'softmax' | 'sigmoid', seed: number): TfNamespace.Sequential {
  const model = tf.sequential();
  for (let i = 1; i < layers.length; i++) {
    const last = i === layers.length - 1;
    model.add(tf.layers.dense({
      units: layers[i],
      inputShape: i === 1 ? [layers[0]] : undefined,
      activation: last ? outputActivation : 'relu',
      kernelInitializer: tf.initializers.glorotUniform({seed: seed + i}),
    }));
  }
  return model;
}

const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

/**
 * The training steps of the checklist: fit with a DWB loss, compile
 * metrics and ExactMetrics; fitDataset on `fromTensors(...).remix(...)`;
 * `ds.balance()`; `data.smote`; temperature scaling. Records in `leaked` the
 * tensors left over after each step (after disposing what the step made).
 */
export async function trainingSteps(tf: TF, imb: Imb, leaked: Record<string, number>): Promise<{training: Record<string, number>; seeded: Record<string, number[]>}> {
  const training: Record<string, number> = {};
  const seeded: Record<string, number[]> = {};
  const data = syntheticData(tf, 240, 6, 11);
  const val = syntheticData(tf, 120, 6, 12);
  const counts = imb.data.classCounts(data.ys);
  const base = tf.memory().numTensors; // with the 4 data tensors, disposed at the end

  // 1. fit with DWB, compile metrics and ExactMetrics (exact epoch values in history).
  const model = mlp(tf, [6, 16, 3], 'softmax', 1);
  const loss = imb.losses.dwb({classCounts: counts});
  const optimizer = tf.train.adam(0.01); // an optimizer object is the caller's to dispose
  model.compile({optimizer, loss, metrics: [imb.metrics.gmean(), imb.metrics.ece()]});
  const exact = new imb.callbacks.ExactMetrics({metrics: [imb.metrics.gmean(), imb.metrics.ece({bins: 10}), imb.metrics.auroc()]});
  const fit = await model.fit(data.xs, data.ys, {epochs: 3, batchSize: 32, validationData: [val.xs, val.ys], callbacks: [exact], verbose: 0, shuffle: false});
  for (const key of ['loss', 'gmean', 'ece', 'val_gmean', 'val_ece', 'val_auroc']) training[`fit.${key}`] = fit.history[key]?.[2] as number;

  // 2. fitDataset on a ReMix stream (class indices as labels: fitDataset does not check targets).
  const remixLabels = tf.tensor2d(data.labels, [data.labels.length, 1], 'int32');
  const remixed = imb.data.fromTensors(data.xs, remixLabels, {seed: 3}).remix({batchSize: 30, numClasses: C, seed: 4});
  const fitDs = await model.fitDataset(remixed, {epochs: 2, verbose: 0});
  training['remix.loss'] = fitDs.history.loss[1] as number;
  let firstRemix: number[] = [];
  await remixed.take(1).forEachAsync(b => {
    const e = b as {xs: Tensor; ys: Tensor};
    firstRemix = tf.tidy(() => [tf.sum(e.xs).dataSync()[0], ...Array.from(tf.sum(e.ys, 0).dataSync())]);
    tf.dispose([e.xs, e.ys]);
  });
  seeded['remix.firstBatch'] = firstRemix;

  // 3. temperature scaling on the validation split.
  const scaler = await imb.calibration.temperatureScaling(model, [val.xs, val.ys]);
  training['temperature'] = scaler.temperature;
  training['temperature.nllBefore'] = scaler.before.nll;
  training['temperature.nllAfter'] = scaler.after.nll;
  model.dispose();
  optimizer.dispose();
  loss.dispose();
  remixLabels.dispose();
  leaked.fitRemixTemperature = tf.memory().numTensors - base;

  // 4. ds.balance(): every batch holds the classes in equal shares.
  const balanced = imb.data.fromTensors(data.xs, data.ys, {seed: 5}).balance({batchSize: 30, seed: 6});
  const perClass = [0, 0, 0];
  let batches = 0;
  await balanced.forEachAsync(b => {
    const e = b as {xs: Tensor; ys: Tensor};
    tf.tidy(() => tf.sum(e.ys, 0).dataSync().forEach((v, k) => (perClass[k] += v)));
    batches++;
    tf.dispose([e.xs, e.ys]);
  });
  training['balance.batches'] = batches;
  training['balance.maxShareGap'] = (Math.max(...perClass) - Math.min(...perClass)) / (batches * 30);
  seeded['balance.perClass'] = perClass;
  leaked.balance = tf.memory().numTensors - base;

  // 5. SMOTE on tensors: the minority classes grow to the majority count.
  const sm = imb.data.smote(data.xs, data.labels, {k: 5, seed: 7});
  const smCounts = imb.data.classCounts(sm.ys);
  training['smote.rows'] = sm.xs.shape[0];
  training['smote.countGap'] = Math.max(...smCounts) - Math.min(...smCounts);
  seeded['smote.sumOfRows'] = [tf.tidy(() => tf.sum(sm.xs).dataSync()[0])];
  tf.dispose([sm.xs, sm.ys]);
  leaked.smote = tf.memory().numTensors - base;
  tf.dispose([data.xs, data.ys, val.xs, val.ys]);
  for (const [k, v] of Object.entries(training)) if (!finite(v)) training[k] = NaN;
  return {training, seeded};
}

/**
 * For each loss of {@link LOSS_CASES}: a small model compiled with it (and two
 * metrics), trained one epoch, saved with `io.save` (optimizer included) to
 * `url(name)`, loaded with `io.load`; predictions compared, models freed with
 * `io.dispose`, the saved copy removed.
 */
export async function ioRoundTrip(tf: TF, imb: Imb, url: (name: string) => string, leaked: Record<string, number>): Promise<ConformanceReport['io']> {
  const out: ConformanceReport['io'] = {};
  const data = syntheticData(tf, 96, 6, 21);
  const binaryYs = tf.tidy(() => tf.reshape(tf.cast(tf.greater(tf.argMax(data.ys, 1), 0), 'float32'), [-1, 1]));
  const base = tf.memory().numTensors;
  for (const c of LOSS_CASES) {
    const binary = c.input.startsWith('binary');
    const activation = c.input === 'probs' ? 'softmax' : c.input === 'binaryProb' ? 'sigmoid' : 'linear';
    const model = tf.sequential({layers: [
      tf.layers.dense({inputShape: [6], units: 8, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({seed: 1})}),
      tf.layers.dense({units: binary ? 1 : C, activation, kernelInitializer: tf.initializers.glorotUniform({seed: 2})}),
    ]});
    const loss = c.make(imb);
    const fromLogits = activation === 'linear';
    model.compile({optimizer: 'adam', loss, metrics: [imb.metrics.gmean({fromLogits}), imb.metrics.ece({bins: 5, fromLogits})]});
    await model.fit(data.xs, binary ? binaryYs : data.ys, {epochs: 1, batchSize: 32, verbose: 0, shuffle: false});
    await imb.io.save(model, url(c.name), {includeOptimizer: true});
    const loaded = await imb.io.load(url(c.name));
    const maxDiff = tf.tidy(() => tf.max(tf.abs(tf.sub(model.predict(data.xs) as Tensor, loaded.predict(data.xs) as Tensor))).dataSync()[0]);
    const loadedLoss = loaded.loss as unknown as ImbNamespace.losses.LossFunction;
    out[c.name] = {maxDiff, sameConfig: JSON.stringify(loadedLoss.config) === JSON.stringify(loss.config), metrics: loaded.metricsNames};
    imb.io.dispose(model);
    imb.io.dispose(loaded);
    await tf.io.removeModel(url(c.name));
  }
  leaked.io = tf.memory().numTensors - base;
  tf.dispose([data.xs, data.ys, binaryYs]);
  return out;
}

/** The reference MLPs of the epoch timing: [name, layer sizes, rows, batch size]. */
export const TIMED_MLPS: [string, number[], number, number][] = [
  ['36-32-16-1 (demo), 2048 rows, batch 32', [36, 32, 16, 1], 2048, 32],
  ['64-128-64-5, 2048 rows, batch 64', [64, 128, 64, 5], 2048, 64],
  ['784-256-128-10, 1024 rows, batch 128', [784, 256, 128, 10], 1024, 128],
];

/** Median ms per epoch of `model.fit` (Adam, built-in cross-entropy) after one warm-up epoch. */
export async function epochTimes(tf: TF, epochs: number, which: number[] = TIMED_MLPS.map((_, i) => i)): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const i of which) {
    const [name, layers, n, batchSize] = TIMED_MLPS[i];
    const classes = layers[layers.length - 1];
    const rand = prng(100 + i);
    const xs = tf.tensor2d(Array.from({length: n * layers[0]}, () => rand() - 0.5), [n, layers[0]]);
    const ys = classes === 1
      ? tf.tensor2d(Array.from({length: n}, () => (rand() < 0.1 ? 1 : 0)), [n, 1])
      : tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({length: n}, () => Math.floor(rand() * classes)), 'int32'), classes));
    const model = mlp(tf, layers, classes === 1 ? 'sigmoid' : 'softmax', 1);
    model.compile({optimizer: 'adam', loss: classes === 1 ? 'binaryCrossentropy' : 'categoricalCrossentropy'});
    const times: number[] = [];
    for (let e = 0; e <= epochs; e++) {
      const t0 = performance.now();
      await model.fit(xs, ys, {epochs: 1, batchSize, verbose: 0, shuffle: true});
      // make sure queued GPU work is done before stopping the clock
      const w = model.getWeights()[0];
      await w.data();
      if (e > 0) times.push(performance.now() - t0);
    }
    times.sort((x, y) => x - y);
    out[name] = times[Math.floor(times.length / 2)];
    model.dispose();
    tf.dispose([xs, ys]);
  }
  return out;
}

/**
 * Everything for one backend, in a fresh page: `backend.init(backend)`, the
 * fixed batch, the training steps, `io.save` / `io.load` through `ioUrl(name)`
 * (e.g. `indexeddb://...`) when given, and (with `timingEpochs` > 0) the epoch
 * timing. Tensor counts start after `init`.
 */
export async function runConformance(tf: TF, imb: Imb, backend: string, timingEpochs = 0, ioUrl?: (name: string) => string): Promise<ConformanceReport> {
  const selection = await imb.backend.init(backend as ImbNamespace.backend.BackendChoice);
  const start = tf.memory().numTensors;
  const leaked: Record<string, number> = {};
  const fixedBatch = fixedBatchValues(tf, imb);
  leaked.fixedBatch = tf.memory().numTensors - start;
  const {training, seeded} = await trainingSteps(tf, imb, leaked);
  const io = ioUrl ? await ioRoundTrip(tf, imb, ioUrl, leaked) : {};
  const epochMs = timingEpochs > 0 ? await epochTimes(tf, timingEpochs) : {};
  leaked.total = tf.memory().numTensors - start;
  const facts: ConformanceReport['facts'] = {tfjsVersion: tf.version.tfjs, libraryVersion: imb.VERSION};
  if (tf.getBackend() === 'webgl') {
    facts.webglVersion = tf.env().getNumber('WEBGL_VERSION');
    facts.webglFloat32 = tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED');
  }
  return {backend: tf.getBackend(), selection: JSON.parse(JSON.stringify(selection)), fixedBatch, training, io, seeded, leaked, epochMs, facts};
}
