import * as tf from '@tensorflow/tfjs';
import {weightedCrossEntropy} from '../../src/losses/weightedCrossEntropy';
import {inverseFrequencyWeights} from '../../src/losses/classWeights';
import {fromConfig} from '../../src/losses';
import {ImbalancedInputError} from '../../src/errors';
import {analyticGrad, expectClose, expectNoGrowth, numericGrad, smallModel, take, tensorCountsPerEpoch, toyData} from '../helpers';

// The WCE baseline of dwb.md §2 (inverse-frequency weights n / (C n_j)).
describe('weightedCrossEntropy values', () => {
  const P = [[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.2, 0.5, 0.3]];
  const T = [0, 1, 2];
  const W = [0.5, 1, 3];

  it('is -w_y ln p_y per sample; all weights 1 is the built-in categorical cross-entropy', () => {
    const p = tf.tensor2d(P);
    const t = tf.tensor1d(T, 'int32');
    expectClose(take(weightedCrossEntropy({classWeights: W})(t, p)), T.map((y, i) => -W[y] * Math.log(P[i][y])));
    expectClose(take(weightedCrossEntropy({classWeights: [1, 1, 1]})(tf.oneHot(t, 3), p)), take(tf.metrics.categoricalCrossentropy(tf.oneHot(t, 3), p)), 1e-6);
  });

  it("'mean' divides by the batch size, not by Σ w_y (PyTorch); 'sum' sums", () => {
    const per = T.map((y, i) => -W[y] * Math.log(P[i][y]));
    const sum = per.reduce((a, b) => a + b, 0);
    const t = tf.tensor1d(T, 'int32');
    expectClose(take(weightedCrossEntropy({classWeights: W, reduction: 'mean'})(t, tf.tensor2d(P))), sum / 3);
    expectClose(take(weightedCrossEntropy({classWeights: W, reduction: 'sum'})(t, tf.tensor2d(P))), sum);
  });

  it('a sigmoid column takes [w_negative, w_positive]; logits give the same values as probabilities', () => {
    const z = [0.4, -1.2, 2];
    const y = [1, 0, 0];
    const p = z.map(v => 1 / (1 + Math.exp(-v)));
    const want = y.map((yi, i) => (yi === 1 ? -3 * Math.log(p[i]) : -0.5 * Math.log(1 - p[i])));
    const loss = weightedCrossEntropy({classWeights: [0.5, 3]});
    expectClose(take(loss(tf.tensor1d(y), tf.tensor2d(p, [3, 1]))), want, 1e-5);
    expectClose(take(weightedCrossEntropy({classWeights: [0.5, 3], fromLogits: true})(tf.tensor1d(y), tf.tensor2d(z, [3, 1]))), want, 1e-5);
  });

  it('gradient: w_y (softmax(z) - e_y), equal to finite differences', () => {
    const zs = [[0.5, -1, 0.2], [1.5, 0.3, -0.7]];
    const z = tf.tensor2d(zs);
    const t = tf.tensor1d([1, 2], 'int32');
    const loss = weightedCrossEntropy({classWeights: W, fromLogits: true});
    const expected = zs.flatMap((row, i) => {
      const e = row.map(Math.exp);
      const s = e.reduce((a, b) => a + b, 0);
      const y = [1, 2][i];
      return e.map((v, k) => W[y] * (v / s - (k === y ? 1 : 0)));
    });
    const g = analyticGrad(v => loss(t, v), z);
    expectClose(g, expected, 1e-5, 1e-7);
    expectClose(g, numericGrad(v => loss(t, v), z), 2e-3, 2e-4);
  });

  it('is finite at logits ±1e4 and probabilities 0 and 1, with finite gradients', () => {
    const t = tf.tensor1d([1, 0, 2], 'int32');
    for (const [loss, x] of [
      [weightedCrossEntropy({classWeights: W, fromLogits: true}), tf.tensor2d([[1e4, -1e4, 0], [-1e4, 1e4, 0], [0, 0, 1e4]])],
      [weightedCrossEntropy({classWeights: W}), tf.tensor2d([[1, 0, 0], [0, 1, 0], [0, 0, 1]])],
    ] as const) {
      expect(take<number[]>(loss(t, x)).every(Number.isFinite)).toBe(true);
      expect(analyticGrad(v => loss(t, v), x).every(Number.isFinite)).toBe(true);
    }
  });
});

describe('weightedCrossEntropy input errors, config and model.fit', () => {
  it('rejects bad weights and mismatched shapes, naming the parameter', () => {
    expect(() => weightedCrossEntropy({classWeights: [1, 0]})).toThrow(/classWeights\[1\]/);
    expect(() => weightedCrossEntropy({classWeights: [1, NaN]})).toThrow(ImbalancedInputError);
    expect(() => weightedCrossEntropy({} as never)).toThrow(/classWeights: expected an array of numbers/);
    expect(() => weightedCrossEntropy({classWeights: [1, 2], fromLogits: 1 as never})).toThrow(/fromLogits/);
    const loss = weightedCrossEntropy({classWeights: [0.5, 1, 3]});
    expect(() => loss(tf.tensor1d([0, 1], 'int32'), tf.tensor2d([[0.5, 0.5], [0.5, 0.5]]))).toThrow(/yPred: expected 3 classes \(the length of classWeights\)/);
    expect(() => loss(tf.tensor1d([0, 1, 2], 'int32'), tf.tensor2d([[0.2, 0.3, 0.5], [0.2, 0.3, 0.5]]))).toThrow(/yTrue: expected the same batch size/);
  });

  it('round-trips through fromConfig, trains with inverse-frequency weights and does not leak', async () => {
    const loss = weightedCrossEntropy({classWeights: inverseFrequencyWeights([80, 15, 5]), reduction: 'mean'});
    expect(loss.name).toBe('weightedCrossEntropy');
    expect(fromConfig(loss.config).config).toEqual(loss.config);
    const {xs, labels} = toyData(96, 4, [0.8, 0.15, 0.05]);
    const model = smallModel(4, 3);
    model.compile({optimizer: 'adam', loss: weightedCrossEntropy({classWeights: inverseFrequencyWeights([80, 15, 5])})});
    expectNoGrowth(await tensorCountsPerEpoch(model, xs, tf.oneHot(tf.tensor1d(labels, 'int32'), 3), {}, 3));
  });
});
