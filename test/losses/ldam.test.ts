import * as tf from '@tensorflow/tfjs';
import {ldam} from '../../src/losses/ldam';
import {ldamMargins} from '../../src/losses/classWeights';
import {fromConfig} from '../../src/losses';
import {ImbalancedInputError} from '../../src/errors';
import {analyticGrad, expectClose, expectNoGrowth, numericGrad, smallModel, take, tensorCountsPerEpoch, toyData} from '../helpers';

// Oracles: specs/csl.md §7.5 (LDAM, n = [5000, 500, 50]).
const COUNTS = [5000, 500, 50];

describe('ldam values (csl.md 7.5)', () => {
  it('Δ = [.158114, .281171, .5]', () => {
    expectClose(ldamMargins(COUNTS), [0.158114, 0.281171, 0.5], 2e-6);
  });

  it('z = [.2, .1, -.1], y = 2, s = 30 gives 24.048587; CE 1.272919 without margin and scale', () => {
    const z = tf.tensor2d([[0.2, 0.1, -0.1]]);
    const y = tf.tensor1d([2], 'int32');
    expectClose(take(ldam({classCounts: COUNTS, fromLogits: true})(y, z)), [24.048587]);
    expectClose(take(ldam({classCounts: COUNTS, maxMargin: 0, scale: 1, fromLogits: true})(y, z)), [1.272919]);
    // From probabilities: z = ln p differs from the logits by a per-row constant, which softmax ignores.
    expectClose(take(ldam({classCounts: COUNTS})(y, tf.softmax(z))), [24.048587], 1e-5);
    // One-hot labels give the same value.
    expectClose(take(ldam({classCounts: COUNTS, fromLogits: true})(tf.oneHot(y, 3), z)), [24.048587]);
  });

  it('a one-column sigmoid logit o is the two-class softmax over [0, o]', () => {
    const counts = [900, 100];
    const o = tf.tensor2d([[0.4], [-1.1]]);
    const y = tf.tensor1d([1, 0]);
    const two = tf.concat([tf.zerosLike(o), o], 1);
    const loss = ldam({classCounts: counts, scale: 5, fromLogits: true});
    expectClose(take(loss(y, o)), take(loss(tf.tensor1d([1, 0], 'int32'), two)), 1e-6);
  });

  it('classWeights (deferred re-weighting) multiply the loss by w_y; reductions', () => {
    const z = tf.tensor2d([[0.2, 0.1, -0.1], [0.2, 0.1, -0.1]]);
    const y = tf.tensor1d([2, 2], 'int32');
    expectClose(take(ldam({classCounts: COUNTS, classWeights: [0.1, 0.5, 3], fromLogits: true})(y, z)), [3 * 24.048587, 3 * 24.048587]);
    expectClose(take(ldam({classCounts: COUNTS, fromLogits: true, reduction: 'sum'})(y, z)), 2 * 24.048587);
    expectClose(take(ldam({classCounts: COUNTS, fromLogits: true, reduction: 'mean'})(y, z)), 24.048587);
  });
});

describe('ldam gradient', () => {
  it('equals s (softmax(s (z - Δ_y e_y)) - e_y) and finite differences', () => {
    const zs = [0.2, 0.1, -0.1];
    const z = tf.tensor2d([zs]);
    const y = tf.tensor1d([2], 'int32');
    const delta = ldamMargins(COUNTS);
    const shifted = zs.map((v, k) => 30 * (v - (k === 2 ? delta[2] : 0)));
    const m = Math.max(...shifted);
    const e = shifted.map(v => Math.exp(v - m));
    const sum = e.reduce((a, b) => a + b, 0);
    const expected = e.map((v, k) => 30 * (v / sum - (k === 2 ? 1 : 0)));
    const loss = ldam({classCounts: COUNTS, fromLogits: true});
    expectClose(analyticGrad(v => loss(y, v), z), expected, 1e-5, 1e-6);
    // Finite differences at a moderate scale (s = 30 makes the loss nearly piecewise linear).
    const z2 = tf.tensor2d([[0.5, -1, 0.2], [1.5, 0.3, -0.7]]);
    const y2 = tf.tensor1d([1, 0], 'int32');
    const soft = ldam({classCounts: COUNTS, scale: 2, classWeights: [1, 2, 3], fromLogits: true});
    expectClose(analyticGrad(v => soft(y2, v), z2), numericGrad(v => soft(y2, v), z2), 2e-3, 2e-4);
  });
});

describe('ldam stability', () => {
  it('is finite at logits ±1e4 and probabilities 0 and 1, with finite gradients', () => {
    const z = tf.tensor2d([[1e4, -1e4, 0], [-1e4, 1e4, 0], [0, 0, 1e4]]);
    const p = tf.tensor2d([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    const y = tf.tensor1d([1, 0, 2], 'int32');
    for (const [loss, x] of [
      [ldam({classCounts: COUNTS, fromLogits: true}), z],
      [ldam({classCounts: COUNTS}), p],
    ] as const) {
      expect(take<number[]>(loss(y, x)).every(Number.isFinite)).toBe(true);
      expect(analyticGrad(v => loss(y, v), x).every(Number.isFinite)).toBe(true);
    }
    const zb = tf.tensor2d([[1e4], [-1e4]]);
    const bin = ldam({classCounts: [90, 10], fromLogits: true});
    expect(take<number[]>(bin(tf.tensor1d([0, 1]), zb)).every(Number.isFinite)).toBe(true);
    expect(analyticGrad(v => bin(tf.tensor1d([0, 1]), v), zb).every(Number.isFinite)).toBe(true);
  });
});

describe('ldam input errors', () => {
  it('rejects bad counts, margins, scales and weights, naming the parameter', () => {
    expect(() => ldam({classCounts: [10, 0, 5]})).toThrow(/classCounts\[1\]/);
    expect(() => ldam({classCounts: [10, -1]})).toThrow(ImbalancedInputError);
    expect(() => ldam({classCounts: [10]})).toThrow(/classCounts: expected counts for at least 2 classes/);
    expect(() => ldam({classCounts: [10, 2], maxMargin: -0.1})).toThrow(/maxMargin/);
    expect(() => ldam({classCounts: [10, 2], scale: 0})).toThrow(/scale/);
    expect(() => ldam({classCounts: [10, 2], classWeights: [1, 0]})).toThrow(/classWeights\[1\]/);
    expect(() => ldam({classCounts: [10, 2], classWeights: [1, 2, 3]})).toThrow(/classWeights: expected an array of length 2/);
  });

  it('rejects a wrong number of classes and yTrue / yPred shape mismatches', () => {
    const loss = ldam({classCounts: COUNTS});
    expect(() => loss(tf.tensor1d([0, 1], 'int32'), tf.tensor2d([[0.5, 0.5], [0.5, 0.5]]))).toThrow(/yPred: expected 3 classes/);
    expect(() => loss(tf.tensor1d([0, 1, 2], 'int32'), tf.tensor2d([[0.2, 0.3, 0.5], [0.2, 0.3, 0.5]]))).toThrow(/yTrue: expected the same batch size/);
    expect(() => loss(tf.tensor2d([[0, 1], [1, 0]]), tf.tensor2d([[0.2, 0.3, 0.5], [0.2, 0.3, 0.5]]))).toThrow(/yTrue/);
  });
});

describe('ldam config and model.fit', () => {
  it('round-trips through fromConfig', () => {
    const z = tf.tensor2d([[0.5, -1, 0.2], [1.5, 0.3, -0.7]]);
    const y = tf.tensor1d([2, 0], 'int32');
    for (const loss of [ldam({classCounts: COUNTS}), ldam({classCounts: COUNTS, maxMargin: 0.3, scale: 10, classWeights: [1, 2, 3], fromLogits: true, reduction: 'mean'})]) {
      const again = fromConfig(loss.config);
      expect(again.config).toEqual(loss.config);
      expect(take(again(y, z))).toEqual(take(loss(y, z)));
    }
    expect(ldam({classCounts: COUNTS}).config.options).toEqual({classCounts: COUNTS, maxMargin: 0.5, scale: 30, fromLogits: false, reduction: 'none'});
  });

  it('sets its name, trains, and does not leak tensors across epochs', async () => {
    const loss = ldam({classCounts: [80, 15, 5], scale: 5, fromLogits: true});
    expect(loss.name).toBe('ldam');
    const {xs, labels} = toyData(96, 4, [0.8, 0.15, 0.05]);
    const model = smallModel(4, 3, 'linear');
    model.compile({optimizer: 'adam', loss});
    expectNoGrowth(await tensorCountsPerEpoch(model, xs, tf.oneHot(tf.tensor1d(labels, 'int32'), 3), {}, 3));
  });
});
