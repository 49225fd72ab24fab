/**
 * metrics.evaluate: exact values over a whole set in one pass (issue 9: tfjs'
 * model.evaluate averages compile-time metrics over batches).
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import * as metrics from '../../src/metrics';
import {expectClose, inputErrorAsync, smallModel, toyData} from '../helpers';

/** A model that predicts class 0 for every row (p = e² / (e² + 1) ≈ 0.88). */
function alwaysClassZero(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 2, inputShape: [1], activation: 'softmax', kernelInitializer: 'zeros', biasInitializer: tf.initializers.constant({value: 0})}));
  model.setWeights([tf.zeros([1, 2]), tf.tensor1d([2, 0])]);
  return model;
}

/** Each metric on all of (ys, model(xs)) at once. */
function direct(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor, list: metrics.Metric<unknown>[]): Record<string, unknown> {
  const p = model.predict(xs) as tf.Tensor;
  const out: Record<string, unknown> = {};
  for (const m of list) {
    const c = m.clone();
    c.update(ys, p);
    out[m.name] = c.result();
  }
  p.dispose();
  return out;
}

describe('metrics.evaluate', () => {
  it('g-mean over the whole set is 0 where model.evaluate averages batches to 0.9', async () => {
    // 100 rows, the 10 minority rows all in the first batch of 10; the model never predicts them.
    const xs = tf.zeros([100, 1]);
    const ys = tf.oneHot(tf.tensor1d(Array.from({length: 100}, (_, i) => (i < 10 ? 1 : 0)), 'int32'), 2).toFloat();
    const model = alwaysClassZero();
    model.compile({optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: [metrics.gmean()]});
    const [, batchAveraged] = model.evaluate(xs, ys, {batchSize: 10}) as tf.Scalar[];
    expect(batchAveraged.dataSync()[0]).toBeCloseTo(0.9, 6); // batch 0: 0, batches 1-9: 1
    const exact = await metrics.evaluate(model, xs, ys, {metrics: [metrics.gmean(), metrics.recall({average: 'none'})], batchSize: 10});
    expect(exact.gmean).toBe(0);
    expect(exact.recall).toEqual([1, 0]);
    model.dispose();
  });

  it('equals each metric on all predictions at once, for any batch size, from tensors or a dataset', async () => {
    const {xs, labels} = toyData(73, 4, [0.6, 0.3, 0.1], 9);
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 3).toFloat();
    const yIdx = tf.tensor1d(labels, 'int32');
    const model = smallModel(4, 3);
    const list = [metrics.ece({bins: 7}), metrics.auroc(), metrics.gmean(), metrics.f1({average: 'none'}), metrics.confusionMatrix({name: 'cm'}), metrics.brier()];
    const want = direct(model, xs, ys, list);
    const check = (got: metrics.EvaluationResult) => list.forEach(m => expectClose(got[m.name] as number[], want[m.name] as number[], 1e-6, 1e-9));
    await fc.assert(fc.asyncProperty(fc.integer({min: 1, max: 80}), async batchSize => {
      check(await metrics.evaluate(model, xs, ys, {metrics: list, batchSize}));
      check(await metrics.evaluate(model, xs, yIdx, {metrics: list, batchSize})); // class indices
    }), {seed: 11, numRuns: 8});
    const ds = tf.data.zip({xs: tf.data.array(xs.arraySync() as number[][]), ys: tf.data.array(labels)}).batch(20);
    check(await metrics.evaluate(model, ds as unknown as metrics.EvaluationDataset, {metrics: list}));
    // The metric objects passed in are not touched.
    expect(list[0].result()).toBeNaN();
    tf.dispose([xs, ys, yIdx]);
    model.dispose();
  });

  it('reads the output picked by outputIndex of a two-output model', async () => {
    const input = tf.input({shape: [4]});
    const hidden = tf.layers.dense({units: 6, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({seed: 3})}).apply(input) as tf.SymbolicTensor;
    const a = tf.layers.dense({units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({seed: 4})}).apply(hidden) as tf.SymbolicTensor;
    const b = tf.layers.dense({units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({seed: 5})}).apply(hidden) as tf.SymbolicTensor;
    const model = tf.model({inputs: input, outputs: [a, b]});
    const {xs, labels} = toyData(30, 4, [0.5, 0.3, 0.2], 2);
    const ys = tf.tensor1d(labels, 'int32');
    const got = await metrics.evaluate(model, xs, ys, {metrics: [metrics.ece()], outputIndex: 1, batchSize: 7});
    const [, pb] = model.predict(xs) as tf.Tensor[];
    const m = metrics.ece();
    m.update(ys, pb);
    expectClose(got.ece as number, m.result(), 1e-6);
    tf.dispose([xs, ys, pb]);
    model.dispose();
  });

  it('rejects bad input with ImbalancedInputError naming the parameter', async () => {
    const model = smallModel(4, 3);
    const {xs, labels} = toyData(10, 4, [0.5, 0.5], 1);
    const ys = tf.tensor1d(labels, 'int32');
    const param = async (f: () => Promise<unknown>) => (await inputErrorAsync(f)).parameter;
    const ok = {metrics: [metrics.gmean()]};
    expect(await param(() => metrics.evaluate({} as tf.LayersModel, xs, ys, ok))).toBe('model');
    expect(await param(() => metrics.evaluate(model, xs, ys, {metrics: []}))).toBe('metrics');
    expect(await param(() => metrics.evaluate(model, xs, ys, {metrics: [metrics.gmean(), metrics.gmean()]}))).toBe('metrics[1].name');
    expect(await param(() => metrics.evaluate(model, xs, ys, {metrics: [(() => 0) as unknown as metrics.Metric]}))).toBe('metrics[0]');
    expect(await param(() => metrics.evaluate(model, xs, ys, {...ok, batchSize: 0}))).toBe('batchSize');
    expect(await param(() => metrics.evaluate(model, xs, ys, {...ok, outputIndex: 1}))).toBe('outputIndex');
    expect(await param(() => metrics.evaluate(model, xs, ys, {...ok, batchsize: 8} as metrics.EvaluateOptions))).toBe('batchsize');
    expect(await param(() => metrics.evaluate(model, xs, tf.zeros([9]), ok))).toBe('ys');
    expect(await param(() => metrics.evaluate(model, tf.zeros([10, 5]), ys, ok))).toBe('xs');
    expect(await param(() => metrics.evaluate(model, xs, tf.tensor1d(labels.map(() => 3), 'int32'), ok))).toBe('yTrue[0]');
    expect(await param(() => metrics.evaluate(model, {iterator: 1} as unknown as metrics.EvaluationDataset, ok))).toBe('data');
    const bad = tf.data.array([{xs: [1, 2, 3, 4]}]) as unknown as metrics.EvaluationDataset;
    expect(await param(() => metrics.evaluate(model, bad, ok))).toBe('dataset element 0');
    tf.dispose([xs, ys]);
    model.dispose();
  });
});
