import * as tf from '@tensorflow/tfjs';
import {CRCENExpense, crcenExpenseSweep} from '../../src/callbacks/crcenExpense';
import {crcen} from '../../src/losses/crcen';
import {satimage} from '../../src/node/datasets';
import {standardize, stratifiedSplit, toTensors} from '../../src/datasets/tabular';
import {expectNoGrowth, tensorCountsPerEpoch} from '../helpers';

// crcen.md §6: 1-D data, S1 x = [1, 2, 0.5], S0 x = [-1, -2, 0, 0.8, -0.5, -1.5, 1.2, -0.3, 0.1].
const X = [1, 2, 0.5, -1, -2, 0, 0.8, -0.5, -1.5, 1.2, -0.3, 0.1];
const Y = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];

function logistic(): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.dense({units: 1, inputShape: [1], activation: 'sigmoid', kernelInitializer: 'zeros'}));
  return m;
}

describe('CRCENExpense', () => {
  const xs = tf.tensor2d(X, [12, 1]);
  const ys = tf.tensor2d(Y, [12, 1]);

  it('eq. 6 holds at convergence: LHS6 = (1 - λ)/λ on the training data (λ = 0.75, β = 0)', async () => {
    const model = logistic();
    model.compile({optimizer: tf.train.adam(0.1), loss: crcen({lambda: 0.75})});
    const probe = new CRCENExpense({validationData: [xs, ys], trainingData: [xs, ys]});
    const h = await model.fit(xs, ys, {epochs: 600, batchSize: 12, verbose: 0, callbacks: [probe]});
    const last = h.history.crcen_lhs6.length - 1;
    expect(h.history.crcen_rhs6[last]).toBeCloseTo(1 / 3, 6);
    expect(Math.abs((h.history.crcen_lhs6[last] as number) - 1 / 3)).toBeLessThan(2e-3);
    expect(h.history.crcen_implied_lambda[last]).toBeCloseTo(0.75, 2);
    // The Newton-fitted optimum in the spec: w = 2.630585, b = -1.329414.
    const [w, b] = model.getWeights().map(t => t.dataSync()[0]);
    expect(w).toBeCloseTo(2.630585, 1);
    expect(b).toBeCloseTo(-1.329414, 1);
  });

  it('counts FN / FP at the threshold and reports eq. 7 means on the validation data', async () => {
    const model = logistic();
    model.compile({optimizer: 'sgd', loss: crcen({classCounts: [9, 3]})});
    model.setWeights([tf.tensor2d([[3]]), tf.tensor1d([-0.5])]); // p > 0.5 iff x > 1/6
    const probe = new CRCENExpense({validationData: [xs, ys]});
    probe.setModel(model);
    await probe.onTrainBegin();
    const logs: Record<string, number> = {};
    await probe.onEpochEnd(0, logs);
    // positives 1, 2, 0.5 are all > 1/6: FN = 0; negatives 0.8 and 1.2 are above: FP = 2.
    expect([logs.crcen_fn, logs.crcen_fp]).toEqual([0, 2]);
    const p = X.map(x => 1 / (1 + Math.exp(-(3 * x - 0.5))));
    const p1 = (p[0] + p[1] + p[2]) / 3;
    const p0 = p.slice(3).reduce((a, v) => a + v, 0) / 9;
    expect(logs.crcen_p1bar).toBeCloseTo(p1, 5);
    expect(logs.crcen_p0bar).toBeCloseTo(p0, 5);
    // λ = N0 / N = 9/12 from the loss config: N0 (1-λ) / (N1 λ) = 1.
    expect(logs.crcen_eq7_rhs).toBeCloseTo(1, 6);
    expect(logs.crcen_lhs6).toBeUndefined();
  });

  it('threshold: predict the minority class iff p > threshold', async () => {
    const model = logistic();
    model.compile({optimizer: 'sgd', loss: crcen({classCounts: [9, 3]})});
    model.setWeights([tf.tensor2d([[3]]), tf.tensor1d([-0.5])]); // p > 0.9 iff 3x - 0.5 > ln 9, x > 0.899
    const probe = new CRCENExpense({validationData: [xs, ys], threshold: 0.9});
    probe.setModel(model);
    await probe.onTrainBegin();
    await probe.onEpochEnd(0);
    // positive 0.5 falls below: FN = 1; of the negatives only 1.2 is above: FP = 1.
    expect([probe.history[0].fn, probe.history[0].fp]).toEqual([1, 1]);
  });

  it('validates its options and data up front (constructor) or at onTrainBegin (labels), before any epoch', async () => {
    expect(() => new CRCENExpense({validationData: [xs, ys], trainingData: [xs, tf.zeros([3])]})).toThrow(/trainingData: expected \[xs, ys\] tensors with the same number of rows/);
    expect(() => new CRCENExpense({validationData: [xs] as never})).toThrow(/validationData: expected \[xs, ys\]/);
    expect(() => new CRCENExpense({validationData: [xs, ys], minorityClass: 2})).toThrow(/minorityClass/);
    expect(() => new CRCENExpense({validationData: [xs, ys], threshold: 1.5})).toThrow(/threshold/);
    const model = logistic();
    model.compile({optimizer: 'sgd', loss: crcen({lambda: 0.75})});
    const three = tf.tensor1d([0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const probe = new CRCENExpense({validationData: [xs, ys], trainingData: [xs, three]});
    probe.setModel(model);
    await expect(probe.onTrainBegin()).rejects.toThrow(/trainingData ys\[2\]: expected a binary label 0 or 1/);
    three.dispose();
  });

  it('rejects misuse with clear errors', async () => {
    expect(() => new CRCENExpense({} as never)).toThrow(/validationData/);
    expect(() => new CRCENExpense({validationData: [xs, ys], lambda: 1})).toThrow(/lambda: expected a finite number > 0 and < 1/);
    const plain = logistic();
    plain.compile({optimizer: 'sgd', loss: 'binaryCrossentropy'});
    const probe = new CRCENExpense({validationData: [xs, ys]});
    probe.setModel(plain);
    await expect(probe.onTrainBegin()).rejects.toThrow(/lambda: expected a λ option, or a model compiled with losses.crcen/);
    const three = tf.sequential();
    three.add(tf.layers.dense({units: 3, inputShape: [1], activation: 'softmax'}));
    three.compile({optimizer: 'sgd', loss: 'categoricalCrossentropy'});
    const p3 = new CRCENExpense({validationData: [xs, ys], lambda: 0.5});
    p3.setModel(three);
    await p3.onTrainBegin();
    await expect(p3.onEpochEnd(0, {})).rejects.toThrow(/model output: expected one sigmoid column or two softmax columns/);
  });

  it('works with fitDataset too (with and without validation data in fit)', async () => {
    const model = logistic();
    model.compile({optimizer: tf.train.adam(0.1), loss: crcen({lambda: 0.75})});
    const ds = tf.data.zip({xs: tf.data.array(X.map(x => [x])), ys: tf.data.array(Y.map(y => [y]))}).batch(4);
    const h1 = await model.fitDataset(ds, {epochs: 2, verbose: 0, callbacks: [new CRCENExpense({validationData: [xs, ys]})]});
    expect(h1.history.crcen_fn).toHaveLength(2);
    const h2 = await model.fitDataset(ds, {epochs: 2, verbose: 0, validationData: ds, callbacks: [new CRCENExpense({validationData: [xs, ys], trainingData: [xs, ys]})]});
    expect(h2.history.crcen_lhs6).toHaveLength(2);
    expect(h2.history.val_loss).toHaveLength(2);
  });

  it('does not leak tensors across epochs', async () => {
    const model = logistic();
    model.compile({optimizer: 'sgd', loss: crcen({lambda: 0.6})});
    expectNoGrowth(await tensorCountsPerEpoch(model, xs, ys, {callbacks: [new CRCENExpense({validationData: [xs, ys], trainingData: [xs, ys]})]}));
  });
});

describe('crcenExpenseSweep options', () => {
  it('rejects a misspelt option with the closest valid name', async () => {
    const xs = tf.zeros([4, 2]);
    const ys = tf.tensor1d([0, 0, 0, 1], 'int32');
    try {
      const model = () => tf.sequential({layers: [tf.layers.dense({units: 1, inputShape: [2], activation: 'sigmoid'})]});
      await expect(crcenExpenseSweep(model, {train: [xs, ys], test: [xs, ys]}, {alpha: [1]} as never))
        .rejects.toThrow(/^alpha: expected an option of crcenExpenseSweep: did you mean 'alphas'\?/);
    } finally {
      tf.dispose([xs, ys]);
    }
  });
});

describe('crcenExpenseSweep memory', () => {
  it('disposes each run\'s model, optimizer (Adam slots), loss constants and targets', async () => {
    const xs = tf.tensor2d(X, [12, 1]);
    const ys = tf.tensor1d(Y, 'int32');
    const before = tf.memory().numTensors;
    const rows = await crcenExpenseSweep(logistic, {train: [xs, ys], test: [xs, ys]}, {alphas: [1, 2], fitArgs: {epochs: 2}});
    expect(rows).toHaveLength(3);
    // Nothing remains: each run's loss constants are disposed too; an undisposed Adam
    // would leave 6 tensors per run (4 moment slots + 2 β powers), a kept loss row 1.
    expect(tf.memory().numTensors - before).toBe(0);
    tf.dispose([xs, ys]);
  });
});

describe('crcenExpenseSweep on satimage (damp grey soil vs rest)', () => {
  it('trades false negatives for false positives as λ grows, with ΔFP/ΔFN expenses', async () => {
    const split = stratifiedSplit(satimage({task: 'binary'}), {testFraction: 0.25, seed: 0});
    const [train, test] = standardize(split.train, split.test);
    const tr = toTensors(train);
    const te = toTensors(test);
    const build = () => {
      const m = tf.sequential();
      m.add(tf.layers.dense({units: 1, inputShape: [36], activation: 'sigmoid', kernelInitializer: 'zeros'}));
      return m;
    };
    const rows = await crcenExpenseSweep(build, {train: [tr.xs, tr.ys], test: [te.xs, te.ys]}, {
      fitArgs: {epochs: 8, batchSize: 256, shuffle: false},
      optimizer: () => tf.train.adam(0.05),
    });
    expect(rows.map(r => r.costMultiplier)).toEqual([null, 0.5, 1, 1.5, 2]);
    expect(rows[0].lambda).toBe(0.5);
    expect(rows[2].lambda).toBeCloseTo(4357 / (4357 + 469), 10); // λ = N0 / N on the 75% training split
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i].fn).toBeLessThanOrEqual(rows[i - 1].fn);
      expect(rows[i].fp).toBeGreaterThanOrEqual(rows[i - 1].fp);
      expect(rows[i].expense).toBeCloseTo((rows[i].fp - rows[i - 1].fp) / (rows[i - 1].fn - rows[i].fn), 10);
    }
    expect(rows[rows.length - 1].fn).toBeLessThan(rows[0].fn);
    tf.dispose([tr.xs, tr.ys, te.xs, te.ys]);
  });
});
