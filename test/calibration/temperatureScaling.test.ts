import * as tf from '@tensorflow/tfjs';
import {temperatureScaling} from '../../src/calibration/temperatureScaling';
import {ece} from '../../src/metrics/ece';
import {satimage} from '../../src/node/datasets';
import {selectRows, standardize, stratifiedSplit, toTensors} from '../../src/datasets/tabular';

describe('temperatureScaling', () => {
  // An over-fitted MLP on 600 satimage rows is over-confident on unseen rows.
  const split = stratifiedSplit(satimage(), {testFraction: 0.5, seed: 5});
  const small = selectRows(split.train, Array.from({length: 600}, (_, i) => i));
  const half = stratifiedSplit(split.test, {testFraction: 0.5, seed: 6});
  const [train, val, test] = standardize(small, half.train, half.test);
  let model: tf.Sequential;

  beforeAll(async () => {
    model = tf.sequential();
    model.add(tf.layers.dense({units: 64, inputShape: [36], activation: 'relu', kernelInitializer: tf.initializers.heNormal({seed: 1})}));
    model.add(tf.layers.dense({units: 6, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({seed: 2})}));
    model.compile({optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy'});
    const t = toTensors(train);
    const y = tf.oneHot(t.ys, 6);
    await model.fit(t.xs, y, {epochs: 150, batchSize: 600, verbose: 0});
    tf.dispose([t.xs, t.ys, y]);
  });

  it('fits T > 1 on held-out data and lowers ECE on a third split (fixed seed)', async () => {
    const v = toTensors(val);
    const scaler = await temperatureScaling(model, [v.xs, v.ys]);
    expect(scaler.temperature).toBeGreaterThan(1);
    expect(scaler.after.nll).toBeLessThan(scaler.before.nll);
    expect(scaler.after.ece).toBeLessThan(scaler.before.ece);

    const t = toTensors(test);
    const raw = model.predict(t.xs) as tf.Tensor;
    const calibrated = scaler.predict(t.xs);
    const eceRaw = ece();
    const eceCal = ece();
    eceRaw.update(t.ys, raw);
    eceCal.update(t.ys, calibrated);
    expect(eceCal.result()).toBeLessThan(eceRaw.result());
    // Accuracy is unchanged: the argmax does not move.
    expect(Array.from(tf.argMax(calibrated, 1).dataSync())).toEqual(Array.from(tf.argMax(raw, 1).dataSync()));
    tf.dispose([v.xs, v.ys, t.xs, t.ys, raw, calibrated]);
  });

  it('handles a sigmoid column and logits, and does not leak', async () => {
    const m = tf.sequential();
    m.add(tf.layers.dense({units: 1, inputShape: [2]}));
    m.setWeights([tf.tensor2d([[4], [-4]]), tf.tensor1d([0])]);
    const xs = tf.tensor2d([[1, 0], [0, 1], [0.2, 0.1], [0.1, 0.3], [0.5, 0.4], [0.3, 0.6]]);
    const ys = tf.tensor1d([1, 0, 0, 1, 1, 0], 'int32');
    const before = tf.memory().numTensors;
    const scaler = await temperatureScaling(m, [xs, ys], {fromLogits: true});
    const p = scaler.predict(xs);
    expect(p.shape).toEqual([6, 1]);
    const z = tf.tidy(() => (m.predict(xs) as tf.Tensor).dataSync());
    const expected = Array.from(z, v => 1 / (1 + Math.exp(-v / scaler.temperature)));
    Array.from(p.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    p.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad validation data', async () => {
    await expect(temperatureScaling(model, [tf.zeros([2, 36]), tf.zeros([3], 'int32')])).rejects.toThrow(/validationData: expected xs and ys with the same number of rows/);
    await expect(temperatureScaling(model, [tf.zeros([1, 36]), tf.tensor1d([7], 'int32')])).rejects.toThrow(/validationData ys\[0\]: expected a class index below 6/);
    await expect(temperatureScaling(model, null as never)).rejects.toThrow(/validationData/);
    await expect(temperatureScaling(model, [tf.zeros([1, 36]), tf.tensor1d([0], 'int32')], {fromLogits: 'no' as never})).rejects.toThrow(/fromLogits: expected a boolean/);
  });

  it('rejects bad labels and non-finite outputs without leaking the prediction', async () => {
    const xs = tf.zeros([2, 36]);
    const ys = tf.tensor1d([0, 7], 'int32');
    const before = tf.memory().numTensors;
    await expect(temperatureScaling(model, [xs, ys])).rejects.toThrow(/validationData ys\[1\]/);
    expect(tf.memory().numTensors).toBe(before);
    const nanModel = tf.sequential({layers: [tf.layers.dense({units: 3, inputShape: [1], activation: 'softmax'})]});
    nanModel.setWeights([tf.tensor2d([[NaN, 0, 0]]), tf.zeros([3])]);
    const x1 = tf.ones([2, 1]);
    const y1 = tf.tensor1d([0, 1], 'int32');
    const count = tf.memory().numTensors;
    await expect(temperatureScaling(nanModel, [x1, y1])).rejects.toThrow(/model output: expected finite probabilities, got NaN/);
    expect(tf.memory().numTensors).toBe(count);
    nanModel.dispose();
    tf.dispose([xs, ys, x1, y1]);
  });
});
