/**
 * callbacks.ExactMetrics: exact epoch-level values in fit / fitDataset logs,
 * training and validation kept apart, per-class keys, EarlyStopping on an
 * exact key, the loss restored (also after a failing fit), no tensor leaks.
 */
import * as tf from '@tensorflow/tfjs';
import * as metrics from '../../src/metrics';
import {ExactMetrics} from '../../src/callbacks/exactMetrics';
import {expectClose, expectNoGrowth, inputError, smallModel, tensorCountsPerEpoch, toyData} from '../helpers';

/** The LayersModel whose lossFunctions tfjs uses (a Sequential trains an inner model). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const inner = (model: tf.LayersModel): tf.LayersModel => ((model as any).model ?? model) as tf.LayersModel;

function data(n: number, seed: number, classes = 3) {
  const shares = classes === 3 ? [0.6, 0.3, 0.1] : [0.8, 0.2];
  const {xs, labels} = toyData(n, 4, shares, seed);
  return {xs, labels, ys: tf.oneHot(tf.tensor1d(labels, 'int32'), classes).toFloat() as tf.Tensor2D};
}

/** The metrics used in most tests, fresh each time. */
const suite = () => [metrics.ece({bins: 10}), metrics.gmean(), metrics.auroc(), metrics.balancedBrier(), metrics.f1()];

/** Each metric of `suite()` on all of (ys, model(xs)) at once. */
function direct(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor): Record<string, number> {
  const p = model.predict(xs) as tf.Tensor;
  const out: Record<string, number> = {};
  for (const m of suite()) {
    m.update(ys, p);
    out[m.name] = m.result();
  }
  p.dispose();
  return out;
}

describe('ExactMetrics with fit', () => {
  it('val_ values equal each metric computed on all of that epoch\'s validation predictions at once', async () => {
    const train = data(120, 3);
    const val = data(90, 11);
    const model = smallModel(4, 3);
    model.compile({optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy', metrics: [metrics.ece({bins: 10})]});
    const expected: Record<string, number>[] = [];
    const logged: Record<string, number>[] = [];
    const h = await model.fit(train.xs, train.ys, {
      epochs: 3,
      batchSize: 8,
      verbose: 0,
      validationData: [val.xs, val.ys],
      callbacks: [
        new ExactMetrics({metrics: suite()}),
        new tf.CustomCallback({onEpochEnd: async (_e, logs) => {
          // Validation ran after the last batch's update: the weights now are the ones it used.
          expected.push(direct(model, val.xs, val.ys));
          logged.push({...(logs as Record<string, number>)});
        }}),
      ],
    });
    for (let e = 0; e < 3; e++) {
      for (const name of ['ece', 'gmean', 'auroc', 'balancedBrier', 'f1']) {
        expectClose(h.history[`val_${name}`][e] as number, expected[e][name], 1e-6, 1e-7);
        expect(logged[e][`val_${name}`]).toBe(h.history[`val_${name}`][e]);
      }
    }
    // The compile-time ece (batch-averaged) was overwritten by the exact value.
    expect(h.history.ece.length).toBe(3);
    tf.dispose([train.xs, train.ys, val.xs, val.ys]);
  });

  it('training values are exact over the epoch (lr = 0: equal to one pass over the training data), unlike the batch average', async () => {
    const train = data(120, 5);
    const model = smallModel(4, 3);
    model.compile({optimizer: tf.train.sgd(0), loss: 'categoricalCrossentropy', metrics: [metrics.ece({bins: 10, name: 'eceBatchAvg'})]});
    const h = await model.fit(train.xs, train.ys, {epochs: 2, batchSize: 8, verbose: 0, callbacks: [new ExactMetrics({metrics: suite()})]});
    const once = direct(model, train.xs, train.ys);
    for (const name of ['ece', 'gmean', 'auroc', 'balancedBrier', 'f1']) {
      for (let e = 0; e < 2; e++) expectClose(h.history[name][e] as number, once[name], 1e-6, 1e-7);
    }
    // tfjs' own batch average of ECE over batches of 8 is not the epoch ECE.
    expect(Math.abs((h.history.eceBatchAvg[0] as number) - once.ece)).toBeGreaterThan(0.01);
    expect(h.history.val_ece).toBeUndefined();
    tf.dispose([train.xs, train.ys]);
  });

  it('training and validation statistics are kept apart (tensorflow#36250)', async () => {
    // Validation labels are all class 0, training labels mixed: mixing would change both values.
    const train = data(60, 8);
    const valX = train.xs.slice([0, 0], [20, 4]);
    const valY = tf.oneHot(tf.zeros([20], 'int32'), 3).toFloat();
    const model = smallModel(4, 3);
    model.compile({optimizer: tf.train.sgd(0), loss: 'categoricalCrossentropy'});
    const h = await model.fit(train.xs, train.ys, {
      epochs: 1, batchSize: 16, verbose: 0, validationData: [valX, valY], callbacks: [new ExactMetrics({metrics: [metrics.brier(), metrics.balancedAccuracy()]})],
    });
    const tr = metrics.brier();
    const va = metrics.brier();
    const p1 = model.predict(train.xs) as tf.Tensor;
    const p2 = model.predict(valX) as tf.Tensor;
    tr.update(train.ys, p1);
    va.update(valY, p2);
    expectClose(h.history.brier[0] as number, tr.result(), 1e-6);
    expectClose(h.history.val_brier[0] as number, va.result(), 1e-6);
    tf.dispose([train.xs, train.ys, valX, valY, p1, p2]);
  });

  it('per-class results write one key per class; confusionMatrix one key per cell; the metrics passed in stay untouched', async () => {
    const train = data(40, 2, 2);
    const model = smallModel(4, 2);
    model.compile({optimizer: tf.train.sgd(0), loss: 'categoricalCrossentropy'});
    const f1 = metrics.f1({average: 'none'});
    const cm = metrics.confusionMatrix({name: 'cm'});
    const h = await model.fit(train.xs, train.ys, {epochs: 1, batchSize: 16, verbose: 0, validationSplit: 0.25, callbacks: [new ExactMetrics({metrics: [f1, cm]})]});
    for (const key of ['f1_0', 'f1_1', 'val_f1_0', 'val_f1_1', 'cm_0_0', 'cm_0_1', 'cm_1_0', 'cm_1_1', 'val_cm_1_1']) expect(h.history[key]).toHaveLength(1);
    const cells = ['cm_0_0', 'cm_0_1', 'cm_1_0', 'cm_1_1'].map(k => h.history[k][0] as number);
    expect(cells.reduce((a, b) => a + b, 0)).toBe(30); // 40 rows, 10 held out by validationSplit
    expect(f1.result()).toEqual([]);
    tf.dispose([train.xs, train.ys]);
  });

  it('EarlyStopping can monitor an exact key (ExactMetrics placed before it)', async () => {
    const train = data(40, 4);
    const model = smallModel(4, 3);
    model.compile({optimizer: tf.train.sgd(0), loss: 'categoricalCrossentropy'});
    const h = await model.fit(train.xs, train.ys, {
      epochs: 6, batchSize: 16, verbose: 0, validationData: [train.xs, train.ys],
      callbacks: [new ExactMetrics({metrics: [metrics.gmean()]}), tf.callbacks.earlyStopping({monitor: 'val_gmean', mode: 'max', patience: 1})],
    });
    // lr = 0: val_gmean never improves, so training stops after the second epoch.
    expect(h.epoch).toEqual([0, 1]);
    expect(h.history.val_gmean).toHaveLength(2);
    tf.dispose([train.xs, train.ys]);
  });

  it('restores the loss after training, and after a fit that threw', async () => {
    const train = data(48, 6);
    const model = smallModel(4, 3);
    model.compile({optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy'});
    const original = inner(model).lossFunctions[0];
    const exact = new ExactMetrics({metrics: [metrics.ece()]});
    await model.fit(train.xs, train.ys, {epochs: 1, batchSize: 16, verbose: 0, callbacks: [exact]});
    expect(inner(model).lossFunctions[0]).toBe(original);

    const boom = new tf.CustomCallback({onBatchEnd: async (batch: number) => { if (batch === 1) throw new Error('boom'); }});
    // boom runs before ExactMetrics' onBatchEnd, so batch 1's tap is still pending when fit throws.
    // tfjs itself leaves a few tensors behind when a callback throws (the batch's loss, the epoch's index array).
    let before = tf.memory().numTensors;
    await expect(model.fit(train.xs, train.ys, {epochs: 1, batchSize: 16, verbose: 0, callbacks: [boom]})).rejects.toThrow('boom');
    const tfjsLeak = tf.memory().numTensors - before;
    before = tf.memory().numTensors;
    await expect(model.fit(train.xs, train.ys, {epochs: 1, batchSize: 16, verbose: 0, callbacks: [boom, exact]})).rejects.toThrow('boom');
    // tfjs skipped onTrainEnd, yet the fit's session put the loss back and freed the pending tap.
    expect(inner(model).lossFunctions[0]).toBe(original);
    expect(tf.memory().numTensors - before).toBe(tfjsLeak);
    // The same callback works again.
    const h = await model.fit(train.xs, train.ys, {epochs: 1, batchSize: 16, verbose: 0, callbacks: [exact]});
    expect(h.history.ece).toHaveLength(1);
    expect(inner(model).lossFunctions[0]).toBe(original);
    tf.dispose([train.xs, train.ys]);
  });

  it('given the outer tf.Sequential (not the inner model fit passes), taps the inner model\'s loss', async () => {
    const model = smallModel(4, 3);
    model.compile({optimizer: tf.train.sgd(0), loss: 'categoricalCrossentropy'});
    const original = inner(model).lossFunctions[0];
    const exact = new ExactMetrics({metrics: [metrics.ece()]});
    exact.setModel(model);
    await exact.onTrainBegin();
    expect(inner(model).lossFunctions[0]).not.toBe(original);
    await exact.onTrainEnd();
    expect(inner(model).lossFunctions[0]).toBe(original);
  });

  it('no tensor leaks across epochs with ExactMetrics and compile-time metrics', async () => {
    const train = data(64, 9);
    const val = data(32, 10);
    const model = smallModel(4, 3);
    model.compile({optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: [metrics.ece(), metrics.auroc()]});
    const withTap = await tensorCountsPerEpoch(model, train.xs, train.ys, {validationData: [val.xs, val.ys], callbacks: [new ExactMetrics({metrics: suite()})]}, 3);
    expectNoGrowth(withTap);
    const withPredict = await tensorCountsPerEpoch(model, train.xs, train.ys, {callbacks: [new ExactMetrics({metrics: suite(), validationData: [val.xs, val.ys]})]}, 3);
    expectNoGrowth(withPredict);
    tf.dispose([train.xs, train.ys, val.xs, val.ys]);
  });
});

describe('ExactMetrics with fitDataset', () => {
  const dataset = (xs: tf.Tensor, ys: tf.Tensor, batch: number) =>
    tf.data.zip({xs: tf.data.array(xs.arraySync() as number[][]), ys: tf.data.array(ys.arraySync() as number[][])}).batch(batch);

  it('validationData given to ExactMetrics (tensors or a dataset) gives val_ values for fitDataset without validation', async () => {
    const train = data(64, 12);
    const val = data(40, 13);
    const model = smallModel(4, 3);
    model.compile({optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy'});
    const original = inner(model).lossFunctions[0];
    const expected: Record<string, number>[] = [];
    const h = await model.fitDataset(dataset(train.xs, train.ys, 16), {
      epochs: 2, verbose: 0,
      callbacks: [
        new ExactMetrics({metrics: suite(), validationData: [val.xs, val.ys]}),
        new ExactMetrics({metrics: [metrics.ece({bins: 10, name: 'eceDs'})], validationData: dataset(val.xs, val.ys, 7)}),
        new tf.CustomCallback({onEpochEnd: async () => { expected.push(direct(model, val.xs, val.ys)); }}),
      ],
    });
    for (let e = 0; e < 2; e++) {
      for (const name of ['ece', 'gmean', 'auroc', 'balancedBrier', 'f1']) expectClose(h.history[`val_${name}`][e] as number, expected[e][name], 1e-6, 1e-7);
      expectClose(h.history.val_eceDs[e] as number, expected[e].ece, 1e-6, 1e-7);
      expect(Number.isFinite(h.history.ece[e] as number)).toBe(true);
    }
    // Two ExactMetrics wrapped the same loss; both wrappers are gone after training.
    expect(inner(model).lossFunctions[0]).toBe(original);
    tf.dispose([train.xs, train.ys, val.xs, val.ys]);
  });

  it('taps fitDataset\'s own validation (a dataset) and is leak-free', async () => {
    const train = data(64, 14);
    const val = data(30, 15);
    const model = smallModel(4, 3);
    model.compile({optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy'});
    const expected: Record<string, number>[] = [];
    const counts: number[] = [];
    const h = await model.fitDataset(dataset(train.xs, train.ys, 16), {
      epochs: 3, verbose: 0, validationData: dataset(val.xs, val.ys, 8),
      callbacks: [
        new ExactMetrics({metrics: suite()}),
        new tf.CustomCallback({onEpochEnd: async () => { expected.push(direct(model, val.xs, val.ys)); counts.push(tf.memory().numTensors); }}),
      ],
    });
    for (let e = 0; e < 3; e++) {
      for (const name of ['ece', 'gmean', 'auroc', 'balancedBrier', 'f1']) expectClose(h.history[`val_${name}`][e] as number, expected[e][name], 1e-6, 1e-7);
    }
    expectNoGrowth(counts);
    tf.dispose([train.xs, train.ys, val.xs, val.ys]);
  });
});

describe('ExactMetrics options', () => {
  it('rejects bad options with ImbalancedInputError', () => {
    const err = (f: () => unknown) => inputError(f).parameter;
    expect(err(() => new ExactMetrics({metrics: []}))).toBe('metrics');
    expect(err(() => new ExactMetrics({metrics: [(() => tf.scalar(0)) as unknown as metrics.Metric]}))).toBe('metrics[0]');
    expect(err(() => new ExactMetrics({metrics: [metrics.ece(), metrics.ece({bins: 10})]}))).toBe('metrics[1].name');
    expect(err(() => new ExactMetrics({metrics: [metrics.ece()], validationData: [1, 2] as unknown as [tf.Tensor, tf.Tensor]}))).toBe('validationData');
    expect(err(() => new ExactMetrics({metrics: [metrics.ece()], outputIndex: -1}))).toBe('outputIndex');
  });
});
