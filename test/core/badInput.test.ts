/**
 * Issue 9, "What we measured": every case a new user hit, as a test. Each one
 * returned a value (or hung) before the shared input reader
 * (src/core/inputs.ts), the loss label check and checkKeys; each is now an
 * ImbalancedInputError naming the parameter, or the documented reading.
 */
import * as tf from '@tensorflow/tfjs';
import * as imb from '../../src';
import {inputErrorAsync, smallModel} from '../helpers';

const probs5 = () => tf.softmax(tf.tensor2d([[1, 2, 0, 0, 1], [0, 0, 3, 1, 0], [2, 1, 0, 0, 0]]));

describe('issue 9: bad input becomes a clear error', () => {
  it('classCounts(ds) on an unbatched dataset of one-hot rows reads 3 classes, as ds.balance() does (was [8, 4])', async () => {
    const rows = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 1, 0]];
    const ds = tf.data.array(rows.map((y, i) => ({xs: [i, -i], ys: y})));
    expect(await imb.data.classCounts(ds)).toEqual([4, 3, 1]);
    const seen = [0, 0, 0];
    await ds.balance({batchSize: 6, seed: 1}).take(1).forEachAsync(b => {
      (b.ys.argMax(1).arraySync() as number[]).forEach(c => seen[c]++);
      tf.dispose(b);
    });
    expect(seen).toEqual([2, 2, 2]); // balance reads the same 3 classes
  });

  it('a loss given sparse labels 7, -1 or 1.5 for 5 classes throws, naming the label (was a value, one of them negative)', async () => {
    for (const loss of [imb.losses.focal(), imb.losses.dwb({classCounts: [5, 4, 3, 2, 1], regularizer: 'allClasses'}), imb.losses.weightedCrossEntropy({classWeights: [1, 1, 1, 1, 1]})]) {
      for (const [label, shown] of [[7, '7'], [-1, '-1'], [1.5, '1.5']] as const) {
        const e = await inputErrorAsync(() => tf.tidy(() => loss(tf.tensor1d([0, label, 2]), probs5())));
        expect(e.parameter).toBe('yTrue[1]');
        expect(e.message).toBe(`yTrue[1]: expected a class index: an integer in [0, 4], got ${shown}`);
      }
      loss.dispose();
    }
    // A binary sigmoid output reads P(y = 1): 7 is not in [0, 1].
    const bin = imb.losses.crcen({lambda: 0.8});
    expect((await inputErrorAsync(() => bin(tf.tensor1d([1, 7]), tf.tensor2d([[0.4], [0.6]])))).parameter).toBe('yTrue[1]');
  });

  it('the same labels in training (fitDataset, no sync in the step) stop the fit at the next call of the loss', async () => {
    const model = smallModel(2, 5);
    model.compile({optimizer: 'sgd', loss: imb.losses.focal()});
    const batch = (labels: number[]) => ({xs: tf.randomNormal([labels.length, 2], 0, 1, 'float32', 1), ys: tf.tensor2d(labels, [labels.length, 1])});
    // The bad labels arrive in the second batch of the first epoch.
    const ds = tf.data.array([batch([0, 1, 2, 3]), batch([4, 7, -1, 1.5]), batch([0, 1, 2, 3])]);
    const e = await inputErrorAsync(() => model.fitDataset(ds, {epochs: 2, verbose: 0}));
    expect(e.message).toMatch(/^yTrue\[1\]: expected a class index: an integer in \[0, 4\], got 7 \(in a training batch; reported at the next call of the loss\)/);
    model.dispose();
  });

  it('model.fit with one-hot rows that do not sum to 1, or a sigmoid output and a label 7, stops the fit', async () => {
    const xs = tf.randomNormal([12, 2], 0, 1, 'float32', 2);
    const soft = smallModel(2, 3);
    soft.compile({optimizer: 'sgd', loss: imb.losses.dwb({classCounts: [6, 4, 2]})});
    const rows = Array.from({length: 12}, (_, i) => (i === 5 ? [0.9, 0.9, 0] : [1, 0, 0]));
    await expect(soft.fit(xs, tf.tensor2d(rows), {epochs: 2, batchSize: 4, shuffle: false, verbose: 0})).rejects.toThrow(/^yTrue\[1\]: expected a one-hot or soft label row summing to 1, got \[0.9, 0.9, 0\]/);
    const sigmoid = smallModel(2, 1, 'sigmoid');
    sigmoid.compile({optimizer: 'sgd', loss: imb.losses.crcen({classCounts: [8, 4]})});
    const ys = tf.tensor2d(Array.from({length: 12}, (_, i) => (i === 9 ? 7 : i % 2)), [12, 1]);
    await expect(sigmoid.fit(xs, ys, {epochs: 2, batchSize: 4, shuffle: false, verbose: 0})).rejects.toThrow(/^yTrue\[1\]: expected P\(y = 1\) in \[0, 1\].*got 7/);
    soft.dispose();
    sigmoid.dispose();
  });

  it('a misspelt option (regulariser) is an error suggesting the right name (was ignored)', async () => {
    const e = await inputErrorAsync(() => imb.losses.dwb({classCounts: [10, 2], regulariser: 'none'} as never));
    expect(e.parameter).toBe('regulariser');
    expect(e.message).toMatch(/^regulariser: expected an option of dwb: did you mean 'regularizer'\?/);
    // The same in every kind of factory.
    expect((await inputErrorAsync(() => imb.metrics.ece({bin: 10} as never))).message).toMatch(/did you mean 'bins'/);
    expect((await inputErrorAsync(() => imb.data.smote(tf.zeros([4, 2]), [0, 0, 1, 1], {kNeighbors: 1} as never))).parameter).toBe('kNeighbors');
    expect((await inputErrorAsync(() => new imb.callbacks.ProgressBar({widht: 20} as never))).message).toMatch(/did you mean 'width'/);
  });

  it('ece refuses probability rows that sum to 1.8 (was 0.3)', async () => {
    const m = imb.metrics.ece();
    const e = await inputErrorAsync(() => m.update([0, 1], [[0.9, 0.9], [0.5, 0.5]]));
    expect(e.message).toMatch(/^yPred\[0\]: expected probabilities summing to 1 over the classes .*, got a row summing to 1.8/);
    // Logits are any finite values.
    expect(() => imb.metrics.ece({fromLogits: true}).update([0, 1], [[0.9, 0.9], [0.5, 0.5]])).not.toThrow();
  });

  it("f1({average: 'binary'}) on 5 classes is an error, as in scikit-learn (was class 1's F1)", async () => {
    const m = imb.metrics.f1({average: 'binary'});
    const e = await inputErrorAsync(() => m.update([0, 1, 2, 3, 4], tf.eye(5)));
    expect(e.parameter).toBe('average');
    expect(e.message).toMatch(/'binary' only for 2 classes/);
  });

  it('.balance() and .remix() on an empty dataset are errors (were an empty epoch)', async () => {
    const empty = tf.data.array([] as Array<{xs: number[]; ys: number}>);
    const first = async (ds: tf.data.Dataset<tf.TensorContainer>) => (await ds.iterator()).next();
    expect((await inputErrorAsync(() => first(empty.balance({batchSize: 4, numClasses: 2})))).message).toBe('dataset: expected at least one row, got an empty dataset');
    expect((await inputErrorAsync(() => first(empty.remix({batchSize: 4, numClasses: 2})))).message).toBe('dataset: expected at least one row, got an empty dataset');
    expect((await inputErrorAsync(() => first(empty.remix({batchSize: 4, numClasses: 2, source: 'dataset'})))).parameter).toBe('dataset');
  });

  it('.smote() on a repeat()ed dataset is refused up front (was 100 % CPU forever); an endless generator stops at maxRows', async () => {
    const rows = tf.data.array([{xs: [0, 0], ys: 0}, {xs: [1, 1], ys: 0}, {xs: [2, 2], ys: 1}, {xs: [3, 3], ys: 1}, {xs: [4, 4], ys: 0}]);
    const e = await inputErrorAsync(() => rows.repeat().smote({k: 1}));
    expect(e.message).toMatch(/^dataset: expected a finite dataset: smote reads all of it \(take\(n\) first\), got a dataset of size Infinity/);
    expect(() => rows.repeat().balance({batchSize: 2})).toThrow(/pass poolSize and epochSize/);
    // Unknown size (a generator) that never ends: an error after maxRows, and timers keep firing meanwhile.
    const endless = tf.data.generator(function* () { for (let i = 0; ; i++) yield {xs: [i % 5, 1], ys: i % 3 === 0 ? 1 : 0}; });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      await expect(endless.smote({k: 1, maxRows: 20000}).take(1).toArray()).rejects.toThrow(/at most maxRows = 20000 rows/);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });

  it('ds.smote() takes the plain-array rows ds.balance() takes (was "expected {xs: Tensor, ys: Tensor}")', async () => {
    const plain = tf.data.array([{xs: [0, 0], ys: 0}, {xs: [1, 1], ys: 0}, {xs: [2, 2], ys: 0}, {xs: [3, 3], ys: 1}, {xs: [4, 4], ys: 1}]);
    const out = await plain.smote({k: 1, seed: 1}).toArray();
    expect(out).toHaveLength(6); // 5 rows, then one synthetic row of class 1
    const synthetic = out[5] as {xs: number[]; ys: number};
    expect(synthetic.ys).toBe(1);
    expect(synthetic.xs[0]).toBeGreaterThanOrEqual(3);
    expect(synthetic.xs[0]).toBeLessThanOrEqual(4);
    expect(synthetic.xs[0]).toBeCloseTo(synthetic.xs[1], 5); // on the segment between (3, 3) and (4, 4)
  });
});
