import * as tf from '@tensorflow/tfjs';
import {focal} from '../../src/losses/focal';
import {fromConfig} from '../../src/losses';
import {ImbalancedInputError} from '../../src/errors';
import {analyticGrad, expectClose, expectNoGrowth, numericGrad, smallModel, take, tensorCountsPerEpoch, toyData} from '../helpers';

// Oracles: specs/csl.md §7.5 (Focal) and specs/remix.md §7 (Focal loss).
describe('focal loss values', () => {
  it('csl.md 7.5: p_t = 0.8 gives 0.0089257 (γ = 2) and 0.0446287 (γ = 1)', () => {
    const p = tf.tensor2d([[0.8, 0.15, 0.05]]);
    const y = tf.tensor1d([0], 'int32');
    expectClose(take(focal({gamma: 2})(y, p)), [0.0089257]);
    expectClose(take(focal({gamma: 1})(y, p)), [0.0446287]);
    expectClose(take(focal()(y, p)), [0.0089257]); // γ = 2 is the default
    // Sigmoid column, y = 1, p = 0.8: the same numbers.
    expectClose(take(focal({gamma: 2})(tf.tensor1d([1]), tf.tensor2d([[0.8]]))), [0.0089257]);
  });

  it('remix.md §7: p_t = 0.9, γ = 2, α = 0.25 gives 2.634013e-4; γ = 0 is CE 0.1053605', () => {
    expectClose(take(focal({gamma: 2, alpha: 0.25})(tf.tensor1d([1]), tf.tensor2d([[0.9]]))), [2.634013e-4]);
    expectClose(take(focal({gamma: 2, alpha: 0.25})(tf.tensor1d([0], 'int32'), tf.tensor2d([[0.9, 0.1]]))), [2.634013e-4]);
    expectClose(take(focal({gamma: 0})(tf.tensor1d([1]), tf.tensor2d([[0.9]]))), [0.1053605]);
    const p = tf.tensor2d([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3]]);
    const y = tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3);
    expectClose(take(focal({gamma: 0})(y, p)), take(tf.metrics.categoricalCrossentropy(y, p)), 1e-6);
  });

  it('scalar α: α for y = 1 and 1 - α for y = 0 on a sigmoid column (TF Addons); α on every class for softmax (Keras)', () => {
    // y = 0 with p = 0.1 is p_t = 0.9: weight 1 - α = 0.75, three times the y = 1 value.
    expectClose(take(focal({gamma: 2, alpha: 0.25})(tf.tensor1d([0]), tf.tensor2d([[0.1]]))), [3 * 2.634013e-4]);
    // Softmax: α = 0.25 on class 1 too.
    expectClose(take(focal({gamma: 2, alpha: 0.25})(tf.tensor1d([1], 'int32'), tf.tensor2d([[0.1, 0.9]]))), [2.634013e-4]);
  });

  it('per-class α and soft labels: -Σ_k y_k α_k (1 - p_k)^γ ln p_k', () => {
    const p = [0.6, 0.3, 0.1];
    const alpha = [0.2, 1, 3];
    const loss = focal({gamma: 1.5, alpha});
    const term = (k: number) => -alpha[k] * Math.pow(1 - p[k], 1.5) * Math.log(p[k]);
    expectClose(take(loss(tf.tensor1d([2], 'int32'), tf.tensor2d([p]))), [term(2)]);
    expectClose(take(loss(tf.tensor2d([[0.5, 0.5, 0]]), tf.tensor2d([p]))), [0.5 * term(0) + 0.5 * term(1)]);
    // An array on a sigmoid column is [α_negative, α_positive].
    expectClose(take(focal({gamma: 2, alpha: [0.75, 0.25]})(tf.tensor1d([1]), tf.tensor2d([[0.9]]))), [2.634013e-4]);
  });

  it('reductions', () => {
    const p = tf.tensor2d([[0.8], [0.9]]);
    const y = tf.tensor1d([1, 1]);
    expectClose(take(focal({gamma: 2, reduction: 'sum'})(y, p)), 0.0089257 + 2.634013e-4 * 4);
    expectClose(take(focal({gamma: 2, reduction: 'mean'})(y, p)), (0.0089257 + 2.634013e-4 * 4) / 2);
  });
});

describe('focal gradient', () => {
  it('matches the closed form (1 - p)^γ [γ p ln p - (1 - p)] for y = 1 on a sigmoid logit', () => {
    const zs = [-2, -0.3, 0.7, 3];
    const z = tf.tensor2d(zs.map(v => [v]));
    const y = tf.ones([4]);
    const loss = focal({gamma: 2, fromLogits: true});
    const expected = zs.map(v => {
      const p = 1 / (1 + Math.exp(-v));
      return Math.pow(1 - p, 2) * (2 * p * Math.log(p) - (1 - p));
    });
    expectClose(analyticGrad(v => loss(y, v), z), expected, 1e-5, 1e-7);
  });

  it('autodiff agrees with finite differences (softmax, γ = 2 and γ = 0.5, per-class α)', () => {
    const z = tf.tensor2d([[0.5, -1, 0.2], [1.5, 0.3, -0.7]]);
    const y = tf.tensor1d([1, 0], 'int32');
    for (const loss of [focal({gamma: 2, fromLogits: true}), focal({gamma: 0.5, alpha: [0.3, 1, 2], fromLogits: true})]) {
      expectClose(analyticGrad(v => loss(y, v), z), numericGrad(v => loss(y, v), z), 2e-3, 2e-4);
    }
    const p = tf.tensor2d([[0.3, 0.5, 0.2], [0.6, 0.1, 0.3]]);
    const probLoss = focal({gamma: 2});
    expectClose(analyticGrad(v => probLoss(y, v), p), numericGrad(v => probLoss(y, v), p, 1e-3), 5e-3, 1e-3);
  });
});

describe('focal stability', () => {
  it('is finite at logits ±1e4 and probabilities 0 and 1, with finite gradients, also for γ < 1', () => {
    const z = tf.tensor2d([[1e4, -1e4, 0], [-1e4, 1e4, 0], [0, 0, 1e4]]);
    const y = tf.tensor1d([0, 0, 2], 'int32');
    const p = tf.tensor2d([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    const zb = tf.tensor2d([[1e4], [-1e4], [1e4], [-1e4]]);
    const pb = tf.tensor2d([[1], [0], [1], [0]]);
    const yb = tf.tensor1d([1, 1, 0, 0]);
    for (const gamma of [2, 0.5, 0]) {
      for (const [loss, yt, x] of [
        [focal({gamma, fromLogits: true}), y, z],
        [focal({gamma, alpha: 0.25}), y, p],
        [focal({gamma, alpha: 0.25, fromLogits: true}), yb, zb],
        [focal({gamma}), yb, pb],
      ] as const) {
        expect(take<number[]>(loss(yt, x)).every(Number.isFinite)).toBe(true);
        expect(analyticGrad(v => loss(yt, v), x).every(Number.isFinite)).toBe(true);
      }
    }
    // p_t -> 1 with γ = 0.5: (1 - p)^γ written as exp(γ ln(1 - p)) keeps the gradient finite and ~0.
    const g = analyticGrad(v => focal({gamma: 0.5, fromLogits: true})(tf.tensor1d([1]), v), tf.tensor2d([[40]]));
    expect(Number.isFinite(g[0])).toBe(true);
    expect(Math.abs(g[0])).toBeLessThan(1e-6);
  });
});

describe('focal input errors', () => {
  it('rejects bad γ and α, naming the parameter', () => {
    expect(() => focal({gamma: -1})).toThrow(/gamma: expected a finite number >= 0/);
    expect(() => focal({gamma: NaN})).toThrow(/gamma/);
    for (const alpha of [0, 1, -0.5, 1.5]) expect(() => focal({alpha})).toThrow(/alpha: expected a finite number > 0 and < 1/);
    expect(() => focal({alpha: [0.5, 0]})).toThrow(/alpha\[1\]/);
    expect(() => focal({alpha: [0.5, -1]})).toThrow(ImbalancedInputError);
    expect(() => focal({alpha: 'x' as never})).toThrow(/alpha/);
    expect(() => focal({reduction: 'avg' as never})).toThrow(/reduction/);
  });

  it('rejects α of the wrong length and yTrue / yPred shape mismatches', () => {
    const loss = focal({alpha: [1, 2, 3]});
    expect(() => loss(tf.tensor1d([0, 1], 'int32'), tf.tensor2d([[0.5, 0.5], [0.5, 0.5]]))).toThrow(/yPred: expected 3 classes \(the length of alpha\)/);
    const plain = focal();
    expect(() => plain(tf.tensor1d([0, 1, 2], 'int32'), tf.tensor2d([[0.2, 0.3, 0.5], [0.2, 0.3, 0.5]]))).toThrow(/yTrue: expected the same batch size/);
    expect(() => plain(tf.tensor2d([[0, 1], [1, 0]]), tf.tensor2d([[0.2, 0.3, 0.5], [0.2, 0.3, 0.5]]))).toThrow(/yTrue/);
  });
});

describe('focal config and model.fit', () => {
  it('round-trips through fromConfig', () => {
    const y = tf.tensor1d([0, 2], 'int32');
    const p = tf.tensor2d([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3]]);
    for (const loss of [focal(), focal({gamma: 1, alpha: 0.25, reduction: 'mean'}), focal({alpha: [0.2, 0.5, 1], fromLogits: true})]) {
      const again = fromConfig(loss.config);
      expect(again.config).toEqual(loss.config);
      expect(take(again(y, p))).toEqual(take(loss(y, p)));
    }
    expect(focal().config.options).toEqual({gamma: 2, fromLogits: false, reduction: 'none'});
  });

  it('sets its name, trains, and does not leak tensors across epochs', async () => {
    const loss = focal({gamma: 2, alpha: [0.25, 0.5, 1]});
    expect(loss.name).toBe('focal');
    const {xs, labels} = toyData(96, 4, [0.8, 0.15, 0.05]);
    const model = smallModel(4, 3);
    model.compile({optimizer: 'adam', loss});
    expectNoGrowth(await tensorCountsPerEpoch(model, xs, tf.oneHot(tf.tensor1d(labels, 'int32'), 3), {}, 3));
    const sig = focal({gamma: 2, alpha: 0.25});
    const sigModel = smallModel(4, 1, 'sigmoid');
    sigModel.compile({optimizer: 'adam', loss: sig});
    expectNoGrowth(await tensorCountsPerEpoch(sigModel, xs, tf.tensor2d(labels.map(l => (l === 0 ? 0 : 1)), [labels.length, 1]), {}, 3));
  });
});
