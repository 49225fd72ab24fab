import * as tf from '@tensorflow/tfjs';
import {fromTensors} from '../../src/data/fromTensors';
import '../../src/data/datasetMethods';
import {expectNoGrowth} from '../helpers';

const xs = tf.tensor2d(Array.from({length: 10}, (_, i) => [i, 10 * i]));
const ys = tf.tensor1d([0, 0, 0, 0, 0, 0, 1, 1, 2, 2], 'int32');

async function rowsOf(ds: tf.data.Dataset<{xs: tf.Tensor; ys: tf.Tensor}>): Promise<{x: number[][]; y: number[][]; sizes: number[]}> {
  const out = {x: [] as number[][], y: [] as number[][], sizes: [] as number[]};
  await ds.forEachAsync(el => {
    out.sizes.push(el.xs.shape[0]);
    out.x.push(...(el.xs.arraySync() as number[][]));
    out.y.push(...(el.ys.arraySync() as number[][]));
    tf.dispose(el);
  });
  return out;
}

describe('data.fromTensors', () => {
  it('yields every row once per epoch in chunks, labels as [chunk, 1]', async () => {
    const r = await rowsOf(fromTensors(xs, ys, {chunkSize: 4, seed: 1}));
    expect(r.sizes).toEqual([4, 4, 2]);
    expect(r.x.map(row => row[0]).sort((a, b) => a - b)).toEqual(Array.from({length: 10}, (_, i) => i));
    r.x.forEach((row, i) => expect(r.y[i][0]).toBe(ys.arraySync()[row[0]] as number));
  });

  it('reshuffles each epoch, reproducibly for a seed; keeps order without shuffle', async () => {
    const a = fromTensors(xs, ys, {chunkSize: 3, seed: 7});
    const e0 = (await rowsOf(a)).x.map(r => r[0]);
    const e1 = (await rowsOf(a)).x.map(r => r[0]);
    expect(e1).not.toEqual(e0);
    const b = fromTensors(xs, ys, {chunkSize: 5, seed: 7});
    expect((await rowsOf(b)).x.map(r => r[0])).toEqual(e0);
    expect((await rowsOf(fromTensors(xs, ys, {shuffle: false, chunkSize: 6}))).x.map(r => r[0])).toEqual(Array.from({length: 10}, (_, i) => i));
  });

  it('one-hot labels stay one-hot; feeds ds.remix() as rows', async () => {
    const oneHot = tf.oneHot(ys, 3);
    const r = await rowsOf(fromTensors(xs, oneHot, {chunkSize: 4, seed: 2}));
    expect(r.y[0]).toHaveLength(3);
    const batches = await rowsOf(fromTensors(xs, ys, {chunkSize: 4, seed: 2}).remix({batchSize: 5, numClasses: 3, seed: 3}));
    expect(batches.sizes).toEqual([5, 5]);
    batches.y.forEach(row => expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6));
    oneHot.dispose();
  });

  it('trains with fitDataset through remix without leaking tensors', async () => {
    const model = tf.sequential({layers: [tf.layers.dense({units: 3, inputShape: [2], activation: 'softmax'})]});
    model.compile({optimizer: 'sgd', loss: 'categoricalCrossentropy'});
    const ds = fromTensors(xs, ys, {chunkSize: 4, seed: 1}).remix({batchSize: 5, numClasses: 3, seed: 1});
    const counts: number[] = [];
    await model.fitDataset(ds, {epochs: 3, verbose: 0, callbacks: {onEpochEnd: async () => { counts.push(tf.memory().numTensors); }}});
    expectNoGrowth(counts);
  });

  it('rejects mismatched or malformed inputs', () => {
    expect(() => fromTensors(xs, tf.zeros([3], 'int32'))).toThrow(/ys: expected 10 rows \(as many as xs\), got 3 rows/);
    expect(() => fromTensors(xs, tf.zeros([10, 2, 2]))).toThrow(/ys: expected labels of a batch: class indices of shape \[n\] or \[n, 1\]/);
    expect(() => fromTensors(xs, ys, {chunkSize: 0})).toThrow(/chunkSize/);
    expect(() => fromTensors(xs, ys, {shuffle: 'no' as never})).toThrow(/^shuffle: expected a boolean/);
    expect(() => fromTensors([1, 2] as never, ys)).toThrow(/xs/);
  });
});
