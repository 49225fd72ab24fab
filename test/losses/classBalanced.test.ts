import * as tf from '@tensorflow/tfjs';
import {classBalanced} from '../../src/losses/classBalanced';
import {classBalancedWeights} from '../../src/losses/classWeights';
import {fromConfig} from '../../src/losses';
import {ImbalancedInputError} from '../../src/errors';
import {analyticGrad, expectClose, expectNoGrowth, numericGrad, smallModel, take, tensorCountsPerEpoch, toyData} from '../helpers';

// Oracles: specs/csl.md §7.5 (CB weights, n = [5000, 500, 50]).
const COUNTS = [5000, 500, 50];
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

describe('classBalanced weights (csl.md 7.5)', () => {
  it('β = 0.999 gives [.125629, .317017, 2.557354]; β = 0.9999 gives [.034107, .275167, 2.690725]', () => {
    expectClose(classBalancedWeights(COUNTS, 0.999), [0.125629, 0.317017, 2.557354], 1e-5);
    expectClose(classBalancedWeights(COUNTS, 0.9999), [0.034107, 0.275167, 2.690725], 1e-5);
  });

  it('the softmax base multiplies each sample’s CE by w_y (default β = 0.9999)', () => {
    const p = tf.tensor2d([[0.5, 0.3, 0.2], [0.5, 0.3, 0.2], [0.5, 0.3, 0.2]]);
    const y = tf.tensor1d([0, 1, 2], 'int32');
    const ce = [0.5, 0.3, 0.2].map(v => -Math.log(v));
    expectClose(take(classBalanced({classCounts: COUNTS})(y, p)), [0.034107 * ce[0], 0.275167 * ce[1], 2.690725 * ce[2]], 1e-5);
    expectClose(take(classBalanced({classCounts: COUNTS, beta: 0.999})(y, p)), [0.125629 * ce[0], 0.317017 * ce[1], 2.557354 * ce[2]], 1e-5);
    // β = 0: every weight 1, plain CE.
    expectClose(take(classBalanced({classCounts: COUNTS, beta: 0})(y, p)), ce, 1e-6);
  });
});

describe('classBalanced sigmoid and focal bases', () => {
  const zs = [0.2, -1.0, 0.6];
  it('sigmoid: w_y · Σ_k BCE(y_k, σ(z_k)), from logits and from per-class probabilities', () => {
    const w = classBalancedWeights(COUNTS, 0.999);
    const y = 2;
    const bce = zs.map((z, k) => (k === y ? -Math.log(sigmoid(z)) : -Math.log(1 - sigmoid(z))));
    const expected = w[y] * bce.reduce((a, b) => a + b, 0);
    const loss = classBalanced({classCounts: COUNTS, beta: 0.999, base: 'sigmoid', fromLogits: true});
    expectClose(take(loss(tf.tensor1d([y], 'int32'), tf.tensor2d([zs]))), [expected]);
    const probs = classBalanced({classCounts: COUNTS, beta: 0.999, base: 'sigmoid'});
    expectClose(take(probs(tf.oneHot(tf.tensor1d([y], 'int32'), 3), tf.tensor2d([zs.map(sigmoid)]))), [expected], 1e-5);
  });

  it('focal: w_y · Σ_k (1 - p_t,k)^γ BCE_k (Cui et al.’s sigmoid focal)', () => {
    const w = classBalancedWeights(COUNTS, 0.999);
    const y = 1;
    const terms = zs.map((z, k) => {
      const pt = k === y ? sigmoid(z) : 1 - sigmoid(z);
      return Math.pow(1 - pt, 2) * -Math.log(pt);
    });
    const expected = w[y] * terms.reduce((a, b) => a + b, 0);
    const loss = classBalanced({classCounts: COUNTS, beta: 0.999, base: 'focal', fromLogits: true});
    expectClose(take(loss(tf.tensor1d([y], 'int32'), tf.tensor2d([zs]))), [expected]);
    // γ = 0 is the sigmoid base.
    const g0 = classBalanced({classCounts: COUNTS, beta: 0.999, base: 'focal', gamma: 0, fromLogits: true});
    const sig = classBalanced({classCounts: COUNTS, beta: 0.999, base: 'sigmoid', fromLogits: true});
    expectClose(take(g0(tf.tensor1d([y], 'int32'), tf.tensor2d([zs]))), take(sig(tf.tensor1d([y], 'int32'), tf.tensor2d([zs]))), 1e-6);
  });

  it('a one-column sigmoid output: every base is w_y times that column’s (focal) BCE', () => {
    const counts = [900, 100];
    const w = classBalancedWeights(counts, 0.99);
    const p = tf.tensor2d([[0.3], [0.8]]);
    const y = tf.tensor1d([1, 0]);
    const bce = [-Math.log(0.3), -Math.log(0.2)];
    for (const base of ['softmax', 'sigmoid'] as const) {
      expectClose(take(classBalanced({classCounts: counts, beta: 0.99, base})(y, p)), [w[1] * bce[0], w[0] * bce[1]], 1e-5);
    }
    expectClose(take(classBalanced({classCounts: counts, beta: 0.99, base: 'focal'})(y, p)), [w[1] * 0.49 * bce[0], w[0] * 0.64 * bce[1]], 1e-5);
  });

  it('autodiff agrees with finite differences for every base', () => {
    const z = tf.tensor2d([[0.5, -1, 0.2], [1.5, 0.3, -0.7]]);
    const y = tf.tensor1d([2, 0], 'int32');
    for (const base of ['softmax', 'sigmoid', 'focal'] as const) {
      const loss = classBalanced({classCounts: COUNTS, beta: 0.999, base, fromLogits: true});
      expectClose(analyticGrad(v => loss(y, v), z), numericGrad(v => loss(y, v), z), 2e-3, 2e-4);
    }
  });
});

describe('classBalanced stability', () => {
  it('is finite at logits ±1e4 and probabilities 0 and 1, with finite gradients', () => {
    const z = tf.tensor2d([[1e4, -1e4, 0], [-1e4, 1e4, 0], [0, 0, 1e4]]);
    const p = tf.tensor2d([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    const y = tf.tensor1d([1, 0, 2], 'int32');
    for (const base of ['softmax', 'sigmoid', 'focal'] as const) {
      for (const [loss, x] of [
        [classBalanced({classCounts: COUNTS, base, fromLogits: true}), z],
        [classBalanced({classCounts: COUNTS, base}), p],
      ] as const) {
        expect(take<number[]>(loss(y, x)).every(Number.isFinite)).toBe(true);
        expect(analyticGrad(v => loss(y, v), x).every(Number.isFinite)).toBe(true);
      }
    }
  });
});

describe('classBalanced input errors', () => {
  it('rejects bad counts, β, base and γ, naming the parameter', () => {
    expect(() => classBalanced({classCounts: [10, 0, 5]})).toThrow(/classCounts\[1\]/);
    expect(() => classBalanced({classCounts: [10, -2]})).toThrow(ImbalancedInputError);
    expect(() => classBalanced({classCounts: [10]})).toThrow(/classCounts: expected counts for at least 2 classes/);
    expect(() => classBalanced({classCounts: [10, 2], beta: 1})).toThrow(/beta/);
    expect(() => classBalanced({classCounts: [10, 2], beta: -0.1})).toThrow(/beta/);
    expect(() => classBalanced({classCounts: [10, 2], base: 'softplus' as never})).toThrow(/base/);
    expect(() => classBalanced({classCounts: [10, 2], gamma: -1})).toThrow(/gamma/);
    expect(() => classBalanced({} as never)).toThrow(/classCounts/);
  });

  it('rejects a wrong number of classes and yTrue / yPred shape mismatches', () => {
    for (const base of ['softmax', 'sigmoid', 'focal'] as const) {
      const loss = classBalanced({classCounts: COUNTS, base});
      expect(() => loss(tf.tensor1d([0, 1], 'int32'), tf.tensor2d([[0.5, 0.5], [0.5, 0.5]]))).toThrow(/yPred: expected 3 classes/);
      expect(() => loss(tf.tensor1d([0, 1, 2], 'int32'), tf.tensor2d([[0.2, 0.3, 0.5], [0.2, 0.3, 0.5]]))).toThrow(/yTrue: expected the same batch size/);
      expect(() => loss(tf.tensor2d([[0, 1], [1, 0]]), tf.tensor2d([[0.2, 0.3, 0.5], [0.2, 0.3, 0.5]]))).toThrow(/yTrue/);
    }
  });
});

describe('classBalanced config and model.fit', () => {
  it('round-trips through fromConfig', () => {
    const z = tf.tensor2d([[0.5, -1, 0.2], [1.5, 0.3, -0.7]]);
    const y = tf.tensor1d([2, 0], 'int32');
    for (const base of ['softmax', 'sigmoid', 'focal'] as const) {
      const loss = classBalanced({classCounts: COUNTS, beta: 0.99, base, gamma: 1, fromLogits: true});
      const again = fromConfig(loss.config);
      expect(again.config).toEqual(loss.config);
      expect(take(again(y, z))).toEqual(take(loss(y, z)));
    }
  });

  it('sets its name, trains, and does not leak tensors across epochs', async () => {
    const {xs, labels} = toyData(96, 4, [0.8, 0.15, 0.05]);
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
    const soft = classBalanced({classCounts: [80, 15, 5], beta: 0.99});
    expect(soft.name).toBe('classBalanced');
    const model = smallModel(4, 3);
    model.compile({optimizer: 'adam', loss: soft});
    expectNoGrowth(await tensorCountsPerEpoch(model, xs, ys, {}, 3));
    const focalModel = smallModel(4, 3, 'linear');
    focalModel.compile({optimizer: 'adam', loss: classBalanced({classCounts: [80, 15, 5], beta: 0.99, base: 'focal', fromLogits: true})});
    expectNoGrowth(await tensorCountsPerEpoch(focalModel, xs, ys, {}, 3));
  });
});
