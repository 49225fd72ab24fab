import * as tf from '@tensorflow/tfjs';
import * as imb from '../../src';
import {LossFunction} from '../../src/losses';
import {smallModel, toyData} from '../helpers';
import {block, roundTrip, saveToMemory} from './memory';

// The "must show": imb.io.save then imb.io.load gives identical predictions
// (and the same loss on a fixed batch, and equal configs) for a model compiled with each loss.

const COUNTS = [40, 15, 5];
const N = 60;

function data(classes: number): {xs: tf.Tensor2D; ys: tf.Tensor} {
  const {xs, labels} = toyData(N, 4, classes === 2 ? [3, 1] : COUNTS, 11);
  const ys = classes === 2 ? tf.tensor2d(labels, [N, 1]) : tf.oneHot(tf.tensor1d(labels, 'int32'), classes);
  return {xs, ys};
}

type Case = {name: string; classes: 2 | 3; make: () => LossFunction};
const LOSSES: Case[] = [
  {name: 'dwb', classes: 3, make: () => imb.losses.dwb({classCounts: COUNTS}, {regularizer: 'allClasses'})},
  {name: 'crcen (multiclass counts)', classes: 3, make: () => imb.losses.crcen({classCounts: COUNTS, costMultiplier: 1.5})},
  {name: 'crcen (binary lambda)', classes: 2, make: () => imb.losses.crcen({lambda: 0.8})},
  {name: 'rwwceBinary', classes: 2, make: () => imb.losses.rwwceBinary({costFN: 5, costFP: 1})},
  {name: 'rwwce', classes: 3, make: () => imb.losses.rwwce({costFN: [1, 2, 4], costFP: [[0, 1, 1], [2, 0, 1], [3, 1, 0]]})},
  {name: 'csl (batch mode, focal base)', classes: 3, make: () => imb.losses.csl({numClasses: 3, k: 1, base: imb.losses.focal({gamma: 1})})},
  {name: 'csl (epoch mode)', classes: 3, make: () => imb.losses.csl({numClasses: 3, mode: 'epoch', targetClasses: [1, 2]})},
  {name: 'weightedCrossEntropy', classes: 3, make: () => imb.losses.weightedCrossEntropy({classWeights: [1, 2, 5]})},
  {name: 'focal', classes: 3, make: () => imb.losses.focal({gamma: 1.5, alpha: [0.2, 0.3, 0.5]})},
  {name: 'classBalanced', classes: 3, make: () => imb.losses.classBalanced({classCounts: COUNTS, beta: 0.99, base: 'focal'})},
  {name: 'ldam', classes: 3, make: () => imb.losses.ldam({classCounts: COUNTS, maxMargin: 0.4, scale: 10})},
];

function compiled(classes: 2 | 3, loss: string | LossFunction, metrics?: tf.ModelCompileArgs['metrics']): tf.LayersModel {
  const model = smallModel(4, classes === 2 ? 1 : classes, classes === 2 ? 'sigmoid' : 'softmax', 5);
  model.compile({optimizer: tf.train.adam(0.01), loss, metrics});
  return model;
}

function values(result: tf.Scalar | tf.Scalar[]): number[] {
  return (Array.isArray(result) ? result : [result]).map(t => {
    const v = t.dataSync()[0];
    t.dispose();
    return v;
  });
}

describe('io round trip: every loss factory', () => {
  it.each(LOSSES)('$name: identical predictions, loss on a fixed batch and config', async ({classes, make}) => {
    const {xs, ys} = data(classes);
    const model = compiled(classes, make());
    await model.fit(xs, ys, {epochs: 2, batchSize: 16, verbose: 0, shuffle: false});
    const loaded = await roundTrip(model);

    const loss = model.loss as LossFunction;
    const reloaded = loaded.loss as LossFunction;
    expect(reloaded).not.toBe(loss);
    expect(reloaded.config).toEqual(loss.config);
    expect(tf.tidy(() => (loaded.predict(xs) as tf.Tensor).arraySync())).toEqual(tf.tidy(() => (model.predict(xs) as tf.Tensor).arraySync()));
    // Each evaluate starts from the saved state (CSL updates its state on every call).
    const original = values(model.evaluate(xs, ys, {batchSize: N}) as tf.Scalar);
    const restored = values(loaded.evaluate(xs, ys, {batchSize: N}) as tf.Scalar);
    expect(restored).toEqual(original);
    expect(Number.isFinite(original[0])).toBe(true);
    imb.io.dispose(model);
    imb.io.dispose(loaded);
    tf.dispose([xs, ys]);
  });

  it('the CSL state travels with the loss: without it the loss on the same batch differs', async () => {
    const {xs, ys} = data(3);
    const model = compiled(3, imb.losses.csl({numClasses: 3, k: 2}));
    await model.fit(xs, ys, {epochs: 2, batchSize: 16, verbose: 0, shuffle: false});
    const loaded = await roundTrip(model);
    const fresh = compiled(3, imb.losses.csl({numClasses: 3, k: 2}));
    fresh.setWeights(model.getWeights());
    const original = values(model.evaluate(xs, ys, {batchSize: N}) as tf.Scalar)[0];
    expect(values(loaded.evaluate(xs, ys, {batchSize: N}) as tf.Scalar)[0]).toBe(original);
    expect(Math.abs(values(fresh.evaluate(xs, ys, {batchSize: N}) as tf.Scalar)[0] - original)).toBeGreaterThan(1e-3);
    [model, loaded, fresh].forEach(m => imb.io.dispose(m));
    tf.dispose([xs, ys]);
  });

  it('keeps settings a callbacks.CSL override changed (the config reflects the current settings)', async () => {
    const loss = imb.losses.csl({numClasses: 3});
    const model = compiled(3, loss);
    new imb.callbacks.CSL(loss, {mode: 'epoch', k: 3, rho: 1});
    const loaded = await roundTrip(model);
    const options = (loaded.loss as LossFunction).config.options;
    expect(options).toMatchObject({mode: 'epoch', k: 3, rho: 1});
    imb.io.dispose(model);
    imb.io.dispose(loaded);
  });

  it('tfjs loss names stay strings and are compiled by tfjs', async () => {
    const {xs, ys} = data(3);
    const model = compiled(3, 'categoricalCrossentropy', ['accuracy']);
    await model.fit(xs, ys, {epochs: 1, batchSize: 16, verbose: 0});
    const artifacts = await saveToMemory(model);
    expect(block(artifacts).compile).toMatchObject({loss: 'categoricalCrossentropy', metrics: ['accuracy']});
    const loaded = await imb.io.load(tf.io.fromMemory(artifacts));
    expect(loaded.loss).toBe('categoricalCrossentropy');
    expect(values(loaded.evaluate(xs, ys) as tf.Scalar[])).toEqual(values(model.evaluate(xs, ys) as tf.Scalar[]));
    imb.io.dispose(model);
    imb.io.dispose(loaded);
    tf.dispose([xs, ys]);
  });
});

type MetricCase = {name: string; make: () => imb.metrics.Metric<unknown>};
const METRICS: MetricCase[] = [
  {name: 'ece', make: () => imb.metrics.ece({bins: 10, binning: 'quantile'})},
  {name: 'mce', make: () => imb.metrics.mce({mode: 'classwise'})},
  {name: 'brier', make: () => imb.metrics.brier()},
  {name: 'balancedBrier', make: () => imb.metrics.balancedBrier({name: 'bb'})},
  {name: 'gmean', make: () => imb.metrics.gmean()},
  {name: 'balancedAccuracy', make: () => imb.metrics.balancedAccuracy()},
  {name: 'precision', make: () => imb.metrics.precision({average: 'weighted'})},
  {name: 'recall', make: () => imb.metrics.recall({average: 'micro'})},
  {name: 'f1', make: () => imb.metrics.f1({average: 'macro', zeroDivision: 1, name: 'macroF1'})},
  {name: 'mcc', make: () => imb.metrics.mcc()},
  {name: 'auroc', make: () => imb.metrics.auroc({average: 'weighted'})},
  {name: 'auprc', make: () => imb.metrics.auprc()},
  {name: 'realWorldCost', make: () => imb.metrics.realWorldCost({costFN: [1, 2, 4], costFP: [[0, 1, 5], [2, 0, 5], [1, 1, 0]]})},
  {name: 'confusionMatrix', make: () => imb.metrics.confusionMatrix()},
];

describe('io round trip: every metric factory', () => {
  it.each(METRICS)('$name: equal config, log name and evaluate values', async ({make}) => {
    const {xs, ys} = data(3);
    const metric = make();
    const model = compiled(3, imb.losses.focal(), [metric, 'accuracy']);
    await model.fit(xs, ys, {epochs: 1, batchSize: 16, verbose: 0});
    const loaded = await roundTrip(model);
    const [reloaded, acc] = loaded.metrics as [imb.metrics.Metric<unknown>, string];
    expect(reloaded).not.toBe(metric);
    expect(reloaded.config).toEqual(metric.config);
    expect(reloaded.name).toBe(metric.name);
    expect(acc).toBe('accuracy');
    expect(loaded.metricsNames).toEqual(model.metricsNames);
    expect(values(loaded.evaluate(xs, ys, {batchSize: N}) as tf.Scalar[])).toEqual(values(model.evaluate(xs, ys, {batchSize: N}) as tf.Scalar[]));
    imb.io.dispose(model);
    imb.io.dispose(loaded);
    tf.dispose([xs, ys]);
  });
});
