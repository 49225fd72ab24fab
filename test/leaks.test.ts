/**
 * Creating, using and disposing one of every loss, metric, callback, data
 * transform and temperature scaling's predictor returns `tf.memory().numTensors`
 * to where it started (issue 8: every `losses.csl()` used to keep 7 tensors that
 * `dispose()` never freed). Where it means something, each one also trains a
 * model for an epoch. The export lists at the top make a new export fail here
 * until it is added to one of them.
 */
import * as tf from '@tensorflow/tfjs';
import * as imb from '../src';
import {smallModel, toyData} from './helpers';

const LOSS_FACTORIES = ['dwb', 'weightedCrossEntropy', 'crcen', 'rwwceBinary', 'rwwce', 'focal', 'classBalanced', 'ldam', 'csl'] as const;
const LOSS_HELPERS = [
  'CslState', 'classBalancedWeights', 'crcenLambda', 'crcenWeights', 'cslStatistics', 'cslTerm', 'dwbWeights', 'eq6Lhs', 'eq7MinorityMean',
  'expense', 'fromConfig', 'impliedLambda', 'inverseFrequencyWeights', 'isCslLoss', 'ldamMargins', 'toClassWeightMap',
];
const METRIC_FACTORIES = [
  'auprc', 'auroc', 'balancedAccuracy', 'balancedBrier', 'brier', 'confusionMatrix', 'ece', 'f1', 'gmean', 'mcc', 'mce', 'precision', 'realWorldCost', 'recall',
] as const;
const METRIC_HELPERS = ['fromConfig', 'fromState', 'reliabilityDiagram', 'evaluate'];
const CALLBACKS = ['CRCENExpense', 'CSL', 'ExactMetrics', 'ProgressBar', 'crcenExpenseSweep'];
const CALLBACK_HELPERS = ['formatDuration', 'resolveLogs'];
const TENSOR_TRANSFORMS = ['smote', 'borderlineSmote', 'adasyn', 'randomOverSample', 'randomUnderSample', 'smoteNC', 'remixBatch'];
const SAMPLER_CLASSES = ['SMOTE', 'BorderlineSMOTE', 'ADASYN', 'RandomOverSampler', 'RandomUnderSampler', 'SMOTENC'];
const DATASET_TRANSFORMS = ['fromTensors', 'balancedBatches', 'remix', 'rebalancedMixup', 'mixup', 'smoteDataset'];
const DATA_HELPERS = ['classCounts', 'installDatasetMethods', 'kNeighbors', 'rebalancedLabelWeight', 'resolveSamplingStrategy'];
const CALIBRATION = ['temperatureScaling', 'fitTemperature', 'nllAtTemperature'];

// Data made once, before any count is taken.
const C = 3;
const {xs, labels} = toyData(48, 4, [0.6, 0.3, 0.1], 5);
const yIdx = tf.tensor1d(labels, 'int32');
const ys = tf.oneHot(yIdx, C).toFloat() as tf.Tensor2D;
const COUNTS = [0, 1, 2].map(c => labels.filter(l => l === c).length);
const binLabels = labels.map(l => (l === 0 ? 0 : 1));
const yBin = tf.tensor2d(binLabels, [48, 1]);
const yBinIdx = tf.tensor1d(binLabels, 'int32');
const BIN_COUNTS = [binLabels.filter(l => l === 0).length, binLabels.filter(l => l === 1).length];
// Every fifth row is class 1 whatever its features: the classes overlap (ADASYN needs that).
const xsCat = tf.concat([xs, tf.zeros([48, 1])], 1); // a categorical column for SMOTE-NC
const yMixed = tf.tensor1d(labels.map((_, i) => (i % 5 === 0 ? 1 : 0)), 'int32');

/** Runs `body` and expects the tensor count to be back where it started. */
async function expectNoLeak(what: string, body: () => unknown): Promise<void> {
  const before = tf.memory().numTensors;
  await body();
  const after = tf.memory().numTensors;
  if (after !== before) throw new Error(`${what}: ${after - before} tensor(s) left behind`);
}

/** Compiles a fresh small model with `loss` (and `metrics`), fits one epoch, disposes the model. */
async function fitOnce(loss: unknown, opts: {binary?: boolean; metrics?: unknown[]; callbacks?: tf.Callback[]; validation?: boolean} = {}): Promise<tf.History> {
  const model = smallModel(4, opts.binary ? 1 : C, opts.binary ? 'sigmoid' : 'softmax');
  // An optimizer made from a string is the model's and goes with model.dispose().
  model.compile({optimizer: 'sgd', loss: loss as string, metrics: opts.metrics as string[]});
  const target = opts.binary ? yBin : ys;
  try {
    return await model.fit(xs, target, {epochs: 1, batchSize: 16, verbose: 0, callbacks: opts.callbacks, validationData: opts.validation ? [xs, target] : undefined});
  } finally {
    model.dispose();
  }
}

describe('the lists below cover every export', () => {
  it('every export of losses, metrics, callbacks, data and calibration is classified', () => {
    const sorted = (a: readonly string[]) => [...a].sort();
    expect(sorted(Object.keys(imb.losses))).toEqual(sorted([...LOSS_FACTORIES, ...LOSS_HELPERS]));
    expect(sorted(Object.keys(imb.metrics))).toEqual(sorted([...METRIC_FACTORIES, ...METRIC_HELPERS]));
    expect(sorted(Object.keys(imb.callbacks))).toEqual(sorted([...CALLBACKS, ...CALLBACK_HELPERS]));
    expect(sorted(Object.keys(imb.data))).toEqual(sorted([...TENSOR_TRANSFORMS, ...SAMPLER_CLASSES, ...DATASET_TRANSFORMS, ...DATA_HELPERS]));
    expect(sorted(Object.keys(imb.calibration))).toEqual(sorted(CALIBRATION));
  });
});

describe('losses: create, call, train an epoch, dispose', () => {
  const make: Record<(typeof LOSS_FACTORIES)[number], () => imb.losses.LossFunction> = {
    dwb: () => imb.losses.dwb({classCounts: COUNTS}),
    weightedCrossEntropy: () => imb.losses.weightedCrossEntropy({classWeights: [1, 2, 4]}),
    crcen: () => imb.losses.crcen({classCounts: COUNTS}),
    rwwceBinary: () => imb.losses.rwwceBinary({costFN: 4, costFP: 1}),
    rwwce: () => imb.losses.rwwce({costFN: [1, 2, 3], costFP: [[0, 1, 1], [1, 0, 1], [1, 1, 0]]}),
    focal: () => imb.losses.focal({gamma: 2, alpha: 0.25}),
    classBalanced: () => imb.losses.classBalanced({classCounts: COUNTS, base: 'focal'}),
    ldam: () => imb.losses.ldam({classCounts: COUNTS}),
    csl: () => imb.losses.csl({numClasses: C}),
  };
  for (const name of LOSS_FACTORIES) {
    it(name, async () => {
      const binary = name === 'rwwceBinary';
      await expectNoLeak(`${name} created and disposed`, () => make[name]().dispose());
      await expectNoLeak(`${name} called, fitted, disposed`, async () => {
        const loss = make[name]();
        tf.dispose(tf.tidy(() => loss(binary ? yBin : ys, binary ? tf.fill([48, 1], 0.4) : tf.fill([48, C], 1 / C))));
        await fitOnce(loss, {binary});
        loss.dispose();
      });
    });
  }
});

describe('metrics: create, update, compile-time use for an epoch', () => {
  const make: Record<(typeof METRIC_FACTORIES)[number], () => imb.metrics.Metric<unknown>> = {
    auprc: () => imb.metrics.auprc(), auroc: () => imb.metrics.auroc(), balancedAccuracy: () => imb.metrics.balancedAccuracy(),
    balancedBrier: () => imb.metrics.balancedBrier(), brier: () => imb.metrics.brier(), confusionMatrix: () => imb.metrics.confusionMatrix(),
    ece: () => imb.metrics.ece(), f1: () => imb.metrics.f1(), gmean: () => imb.metrics.gmean(), mcc: () => imb.metrics.mcc(), mce: () => imb.metrics.mce(),
    precision: () => imb.metrics.precision(), realWorldCost: () => imb.metrics.realWorldCost({costFN: [1, 2, 3], costFP: [[0, 1, 1], [1, 0, 1], [1, 1, 0]]}), recall: () => imb.metrics.recall(),
  };
  for (const name of METRIC_FACTORIES) {
    it(name, async () => {
      await expectNoLeak(name, async () => {
        const m = make[name]();
        const p = tf.fill([48, C], 1 / C);
        m.update(ys, p);
        m.result();
        const back = imb.metrics.fromState(JSON.parse(JSON.stringify(m.getState())));
        back.merge(m);
        back.result();
        tf.dispose([m(ys, p), p]);
        await fitOnce('categoricalCrossentropy', {metrics: [m.clone()]});
      });
    });
  }

  it('reliabilityDiagram and evaluate', async () => {
    await expectNoLeak('reliabilityDiagram', () => {
      const p = tf.fill([48, C], 1 / C);
      imb.metrics.reliabilityDiagram(ys, p, {bins: 5});
      p.dispose();
    });
    const model = smallModel(4, C);
    await expectNoLeak('evaluate', () => imb.metrics.evaluate(model, xs, ys, {metrics: [imb.metrics.gmean(), imb.metrics.ece()], batchSize: 10}));
    model.dispose();
  });
});

describe('callbacks: an epoch of training with each, then dispose', () => {
  it('ExactMetrics (tapping the fit, and predicting on its own validationData), ProgressBar', async () => {
    await expectNoLeak('ExactMetrics', () => fitOnce('categoricalCrossentropy', {
      validation: true,
      callbacks: [new imb.callbacks.ExactMetrics({metrics: [imb.metrics.ece(), imb.metrics.auroc()]}), new imb.callbacks.ExactMetrics({metrics: [imb.metrics.gmean()], validationData: [xs, ys]})],
    }));
    await expectNoLeak('ProgressBar', () => fitOnce('categoricalCrossentropy', {callbacks: [new imb.callbacks.ProgressBar({stream: {isTTY: true, write: () => true}})]}));
  });

  it('CSL (batch and epoch mode)', async () => {
    for (const mode of ['batch', 'epoch'] as const) {
      await expectNoLeak(`CSL ${mode}`, async () => {
        const loss = imb.losses.csl({numClasses: C, mode});
        await fitOnce(loss, {validation: true, callbacks: [new imb.callbacks.CSL(loss)]});
        loss.dispose();
      });
    }
  });

  it('CRCENExpense and crcenExpenseSweep', async () => {
    await expectNoLeak('CRCENExpense', async () => {
      const loss = imb.losses.crcen({classCounts: BIN_COUNTS});
      await fitOnce(loss, {binary: true, callbacks: [new imb.callbacks.CRCENExpense({validationData: [xs, yBin], trainingData: [xs, yBin]})]});
      loss.dispose();
    });
    await expectNoLeak('crcenExpenseSweep', () => imb.callbacks.crcenExpenseSweep(() => smallModel(4, 1, 'sigmoid'), {train: [xs, yBinIdx], test: [xs, yBinIdx]}, {alphas: [1], fitArgs: {epochs: 1}}));
  });
});

describe('data transforms', () => {
  it('on tensors: results disposed by the caller leave nothing behind', async () => {
    const calls: Record<string, () => {xs: tf.Tensor; ys: tf.Tensor} | {xs: tf.Tensor; ys: tf.Tensor2D}> = {
      smote: () => imb.data.smote(xs, yIdx, {k: 3, seed: 1}),
      borderlineSmote: () => imb.data.borderlineSmote(xs, yIdx, {k: 3, m: 5, seed: 1}),
      adasyn: () => imb.data.adasyn(xs, yMixed, {k: 3, seed: 1}),
      randomOverSample: () => imb.data.randomOverSample(xs, yIdx, {seed: 1}),
      randomUnderSample: () => imb.data.randomUnderSample(xs, yIdx, {seed: 1}),
      smoteNC: () => imb.data.smoteNC(xsCat, yIdx, {categoricalFeatures: [4], k: 3, seed: 1}),
      remixBatch: () => imb.data.remixBatch(xs, ys, 0.3, Array.from({length: 48}, (_, i) => 47 - i)),
      SMOTE: () => new imb.data.SMOTE({k: 3, seed: 1}).fitResample(xs, yIdx),
      BorderlineSMOTE: () => new imb.data.BorderlineSMOTE({k: 3, seed: 1}).fitResample(xs, yIdx),
      ADASYN: () => new imb.data.ADASYN({k: 3, seed: 1}).fitResample(xs, yMixed),
      RandomOverSampler: () => new imb.data.RandomOverSampler({seed: 1}).fitResample(xs, yIdx),
      RandomUnderSampler: () => new imb.data.RandomUnderSampler({seed: 1}).fitResample(xs, yIdx),
      SMOTENC: () => new imb.data.SMOTENC({categoricalFeatures: [4], k: 3, seed: 1}).fitResample(xsCat, yIdx),
    };
    expect(Object.keys(calls).sort()).toEqual([...TENSOR_TRANSFORMS, ...SAMPLER_CLASSES].sort());
    for (const [name, call] of Object.entries(calls)) {
      await expectNoLeak(name, () => {
        const out = call();
        tf.dispose([out.xs, out.ys]);
      });
    }
  });

  it('on datasets: an epoch of fitDataset through each leaves nothing behind', async () => {
    const rows = () => tf.data.zip({xs: tf.data.array(xs.arraySync() as number[][]), ys: tf.data.array(ys.arraySync() as number[][])});
    const batches = () => rows().batch(16) as unknown as tf.data.Dataset<{xs: tf.Tensor; ys: tf.Tensor}>;
    const make: Record<string, () => tf.data.Dataset<tf.TensorContainer>> = {
      fromTensors: () => imb.data.fromTensors(xs, ys, {seed: 1}).batch(16),
      balancedBatches: () => imb.data.balancedBatches(rows(), {batchSize: 16, seed: 1}),
      remix: () => imb.data.remix(batches(), {batchSize: 16, numClasses: C, seed: 1}),
      rebalancedMixup: () => imb.data.rebalancedMixup(batches(), {classCounts: COUNTS, seed: 1}),
      mixup: () => imb.data.mixup(batches(), {alpha: 0.4, seed: 1}),
      smoteDataset: () => imb.data.smoteDataset(batches(), {k: 3, seed: 1, batched: true}),
    };
    expect(Object.keys(make).sort()).toEqual([...DATASET_TRANSFORMS].sort());
    for (const [name, ds] of Object.entries(make)) {
      await expectNoLeak(name, async () => {
        const model = smallModel(4, C);
        model.compile({optimizer: 'sgd', loss: 'categoricalCrossentropy'});
        await model.fitDataset(ds() as tf.data.Dataset<{xs: tf.Tensor; ys: tf.Tensor}>, {epochs: 1, verbose: 0});
        model.dispose();
      });
    }
  });
});

describe('calibration', () => {
  it('temperatureScaling, its predictor and calibrate', async () => {
    const model = smallModel(4, C);
    await expectNoLeak('temperatureScaling', async () => {
      const scaler = await imb.calibration.temperatureScaling(model, [xs, ys], {batchSize: 10});
      tf.dispose(scaler.predict(xs));
      const p = tf.fill([4, C], 1 / C);
      tf.dispose([scaler.calibrate(p), p]);
    });
    model.dispose();
  });
});
