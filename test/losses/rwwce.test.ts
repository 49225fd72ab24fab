import * as tf from '@tensorflow/tfjs';
import {rwwce, rwwceBinary} from '../../src/losses/rwwce';
import {weightedCrossEntropy} from '../../src/losses/weightedCrossEntropy';
import {fromConfig} from '../../src/losses';
import {ImbalancedInputError} from '../../src/errors';
import {analyticGrad, expectClose, expectNoGrowth, numericGrad, smallModel, take, tensorCountsPerEpoch, toyData} from '../helpers';

// Oracles: specs/rwwce.md §7 (Eq. 6 values: per-example sum over classes, mean over the batch).
const ZERO3 = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
const ONES_OFF = [[0, 1, 1], [1, 0, 1], [1, 1, 0]];

describe('rwwceBinary (eq. 5)', () => {
  it('B1: BCE 0.5402714, RWWCE(2, 1) 0.7956842, RWWCE(2000, 100) 539.3114808 = 100 WBCE(w = 20)', () => {
    const y = tf.tensor1d([1, 0, 1, 0]);
    const h = tf.tensor1d([0.9, 0.2, 0.4, 0.6]);
    expectClose(take(rwwceBinary({costFN: 1, costFP: 1, reduction: 'mean'})(y, h)), 0.5402714);
    expectClose(take(rwwceBinary({costFN: 2, costFP: 1, reduction: 'mean'})(y, h)), 0.7956842);
    const big = take<number>(rwwceBinary({costFN: 2000, costFP: 100, reduction: 'mean'})(y, h));
    expectClose(big, 539.3114808);
    const wbce = take<number>(weightedCrossEntropy({classWeights: [1, 20], reduction: 'mean'})(y, h.reshape([4, 1])));
    expectClose(big, 100 * wbce, 1e-5);
    // (1, 1) is the built-in binary cross-entropy.
    expectClose(take(rwwceBinary({costFN: 1, costFP: 1})(y, h)), take(tf.metrics.binaryCrossentropy(y.reshape([4, 1]), h.reshape([4, 1]))), 1e-5);
  });

  it('B2: coin with (9, 1) is minimised by the constant p = 0.9 (J = 1.6254149), J(0.5) = 3.4657359', () => {
    const y = tf.tensor1d([1, 0]);
    const loss = rwwceBinary({costFN: 9, costFP: 1, reduction: 'mean'});
    const constant = (p: tf.Tensor) => loss(y, tf.tile(p.reshape([1, 1]), [2, 1]));
    expectClose(take(constant(tf.scalar(0.9))), 1.6254149);
    expectClose(take(constant(tf.scalar(0.5))), 3.4657359);
    // dJ/dp = 0 at 0.9 (a minimum: negative just below, positive just above).
    expect(Math.abs(analyticGrad(constant, tf.scalar(0.9))[0])).toBeLessThan(1e-4);
    expect(analyticGrad(constant, tf.scalar(0.85))[0]).toBeLessThan(0);
    expect(analyticGrad(constant, tf.scalar(0.95))[0]).toBeGreaterThan(0);
    // 630 positives, 63,000 negatives, (2000, 100): p* = 2000·630 / (2000·630 + 100·63000) = 1/6.
    const big = rwwceBinary({costFN: 2000, costFP: 100});
    const weighted = (p: tf.Tensor) => {
      const v = big(y, tf.tile(p.reshape([1, 1]), [2, 1]));
      return tf.sum(tf.mul(v, tf.tensor1d([630, 63000])));
    };
    const g = (p: number) => analyticGrad(weighted, tf.scalar(p))[0];
    expect(Math.abs(g(1 / 6))).toBeLessThan(1e-3 * Math.abs(g(0.15)));
    expect(g(0.15)).toBeLessThan(0);
    expect(g(0.18)).toBeGreaterThan(0);
  });

  it('B2: a bias-only model trained on the coin converges to p = 0.9', async () => {
    const model = tf.sequential();
    model.add(tf.layers.dense({units: 1, inputShape: [1], activation: 'sigmoid', kernelInitializer: 'zeros'}));
    model.compile({optimizer: tf.train.sgd(2), loss: rwwceBinary({costFN: 9, costFP: 1})});
    await model.fit(tf.zeros([2, 1]), tf.tensor2d([[1], [0]]), {epochs: 60, batchSize: 2, verbose: 0});
    const p = take<number[][]>(model.predict(tf.zeros([1, 1])) as tf.Tensor)[0][0];
    expect(Math.abs(p - 0.9)).toBeLessThan(1e-3);
    model.dispose();
  });

  it('B3: from logits z = [2, -1, 0, 3], y = [1, 0, 0, 1], (2000, 100) gives 112.9179030', () => {
    const z = tf.tensor2d([[2], [-1], [0], [3]]);
    const y = tf.tensor1d([1, 0, 0, 1]);
    expectClose(take(rwwceBinary({costFN: 2000, costFP: 100, fromLogits: true, reduction: 'mean'})(y, z)), 112.9179030);
    const h = [0.8807971, 0.2689414, 0.5, 0.9525741];
    expectClose(take(rwwceBinary({costFN: 2000, costFP: 100, reduction: 'mean'})(y, tf.tensor1d(h))), 112.9179030, 1e-5);
    // A two-column softmax with column 1 the positive class gives the same value.
    const z2 = tf.concat([tf.zerosLike(z), z], 1);
    expectClose(take(rwwceBinary({costFN: 2000, costFP: 100, fromLogits: true, reduction: 'mean'})(y, z2)), 112.9179030, 1e-5);
  });

  it('autodiff agrees with finite differences and with c_fn y (p - 1) + c_fp (1 - y) p', () => {
    const z = tf.tensor2d([[0.4], [-1.3], [2.2], [0.05]]);
    const y = tf.tensor1d([1, 0, 0, 1]);
    const loss = rwwceBinary({costFN: 5, costFP: 2, fromLogits: true});
    const g = analyticGrad(v => loss(y, v), z);
    expectClose(g, numericGrad(v => loss(y, v), z), 2e-3, 2e-4);
    const p = [0.4, -1.3, 2.2, 0.05].map(v => 1 / (1 + Math.exp(-v)));
    expectClose(g, [5 * (p[0] - 1), 2 * p[1], 2 * p[2], 5 * (p[3] - 1)], 1e-5, 1e-7);
  });
});

describe('rwwce categorical (eq. 6)', () => {
  it('C1: dog example, CCE 0.5108256; W_fp[0][1] = 2 gives 1.2241755 (notebook ÷K: 0.4080585)', () => {
    const h = tf.tensor2d([[0.6, 0.3, 0.1]]);
    const t = tf.tensor1d([0], 'int32');
    // w_fn = 1, W_fp = 0 is plain CCE.
    expectClose(take(rwwce({costFN: [1, 1, 1], costFP: ZERO3})(t, h)), [0.5108256]);
    const fp = [[0, 2, 0], [0, 0, 0], [0, 0, 0]];
    const ours = take<number[]>(rwwce({costFN: [1, 1, 1], costFP: fp})(t, h));
    expectClose(ours, [1.2241755]);
    // The notebook's M·K normalisation: divide every cost by K (the loss is linear in the costs).
    const K = 3;
    const notebook = rwwce({costFN: [1, 1, 1].map(c => c / K), costFP: fp.map(r => r.map(c => c / K)), reduction: 'mean'});
    expectClose(take(notebook(t, h)), 0.4080585);
    expectClose(ours[0] / K, 0.4080585);
  });

  it('C2: all-ones W_fp is Σ_k BCE(column k) = K × Keras binaryCrossentropy', () => {
    const h = tf.tensor2d([[0.6, 0.3, 0.1], [0.6, 0.2, 0.2]]);
    const t = tf.tensor1d([0, 0], 'int32');
    const v = take<number[]>(rwwce({costFN: [1, 1, 1], costFP: ONES_OFF})(t, h));
    expectClose(v, [0.9728611, 0.9571127]);
    const keras = take<number[]>(tf.metrics.binaryCrossentropy(tf.oneHot(t, 3), h));
    expectClose(keras, [0.3242870, 0.3190376], 1e-5);
    expectClose(v.map(x => x / 3), keras, 1e-5);
  });

  it('C3: batch example, Eq. 6 = 2.1483718 (÷MK: 0.7161239); CCE 0.6904911', () => {
    const t = tf.tensor1d([0, 1, 2], 'int32');
    const P = tf.tensor2d([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.2, 0.5, 0.3]]);
    const fp = [[0, 0, 0], [0, 0, 5], [0, 3, 0]];
    const mean = take<number>(rwwce({costFN: [1, 2, 1], costFP: fp, reduction: 'mean'})(t, P));
    expectClose(mean, 2.1483718);
    expectClose(mean / 3, 0.7161239);
    expectClose(take(rwwce({costFN: [1, 2, 1], costFP: fp, reduction: 'sum'})(t, P)), 3 * 2.1483718);
    // w_fn = 1, W_fp = 0 is CCE (the built-in categorical cross-entropy).
    expectClose(take(rwwce({costFN: [1, 1, 1], costFP: ZERO3, reduction: 'mean'})(t, P)), 0.6904911);
    expectClose(take(rwwce({costFN: [1, 1, 1], costFP: ZERO3})(t, P)), take(tf.metrics.categoricalCrossentropy(tf.oneHot(t, 3), P)), 1e-5);
    // Soft labels: linear in y (the one-hot rows give the same value).
    expectClose(take(rwwce({costFN: [1, 2, 1], costFP: fp, reduction: 'mean'})(tf.oneHot(t, 3), P)), 2.1483718);
    // The notebook's diagonal-matrix form of costFN is accepted.
    expectClose(take(rwwce({costFN: [[1, 0, 0], [0, 2, 0], [0, 0, 1]], costFP: fp, reduction: 'mean'})(t, P)), 2.1483718);
  });

  it('C4: from logits z = [2, 1, 0], t = 0, W_fp[0][1] = 19 gives 5.7404871 (stable ln(1 - p_1) = -0.2806780)', () => {
    const z = tf.tensor2d([[2, 1, 0]]);
    const t = tf.tensor1d([0], 'int32');
    const fp = [[0, 19, 0], [0, 0, 0], [0, 0, 0]];
    expectClose(take(rwwce({costFN: [1, 1, 1], costFP: fp, fromLogits: true})(t, z)), [5.7404871]);
    // Only the ln(1 - p_1) term with cost 1 minus plain CE.
    const only = take<number[]>(rwwce({costFN: [0, 0, 0], costFP: [[0, 1, 0], [0, 0, 0], [0, 0, 0]], fromLogits: true})(t, z));
    expectClose(only, [0.2806780]);
  });

  it('autodiff agrees with finite differences (softmax logits, soft labels)', () => {
    const z = tf.tensor2d([[0.5, -1, 0.2], [1.5, 0.3, -0.7]]);
    const y = tf.tensor2d([[0.1, 0.7, 0.2], [0, 0, 1]]);
    const loss = rwwce({costFN: [1, 2, 3], costFP: [[0, 4, 1], [0.5, 0, 2], [3, 0, 0]], fromLogits: true});
    expectClose(analyticGrad(v => loss(y, v), z), numericGrad(v => loss(y, v), z), 2e-3, 2e-4);
  });
});

describe('rwwce stability', () => {
  it('is finite at logits ±1e4 and probabilities 0 and 1, with finite gradients', () => {
    const loss = rwwce({costFN: [1, 2, 1], costFP: [[0, 3, 1], [1, 0, 5], [2, 3, 0]], fromLogits: true});
    const z = tf.tensor2d([[1e4, -1e4, 0], [-1e4, 1e4, 0], [0, 0, 1e4], [1e4, 0, -1e4]]);
    const y = tf.tensor1d([1, 0, 2, 0], 'int32');
    const v = take<number[]>(loss(y, z));
    expect(v.every(Number.isFinite)).toBe(true);
    // True class 1, p_1 ≈ e^-2e4: -2 ln p_1 = 4e4; 1 - p_0 ≈ p_2 = e^-1e4: -1·ln(1 - p_0) = 1e4.
    expectClose(v[0], 5e4, 1e-5);
    expect(analyticGrad(t => loss(y, t), z).every(Number.isFinite)).toBe(true);
    const probLoss = rwwce({costFN: [1, 2, 1], costFP: [[0, 3, 1], [1, 0, 5], [2, 3, 0]]});
    const p = tf.tensor2d([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]]);
    const pv = take<number[]>(probLoss(y, p));
    expect(pv.every(Number.isFinite)).toBe(true);
    // Max per-unit-weight term -ln(1e-7) = 16.118 (spec §6).
    expect(Math.max(...pv)).toBeLessThan(20 * 16.2);
    expect(analyticGrad(t => probLoss(y, t), p).every(Number.isFinite)).toBe(true);
    const bin = rwwceBinary({costFN: 2000, costFP: 100, fromLogits: true});
    const zb = tf.tensor2d([[1e4], [-1e4], [1e4], [-1e4]]);
    const yb = tf.tensor1d([1, 1, 0, 0]);
    expect(take<number[]>(bin(yb, zb)).every(Number.isFinite)).toBe(true);
    expect(analyticGrad(t => bin(yb, t), zb).every(Number.isFinite)).toBe(true);
    const binP = rwwceBinary({costFN: 2000, costFP: 100});
    const pb = tf.tensor2d([[1], [0], [1], [0]]);
    expect(take<number[]>(binP(yb, pb)).every(Number.isFinite)).toBe(true);
    expect(analyticGrad(t => binP(yb, t), pb).every(Number.isFinite)).toBe(true);
  });
});

describe('rwwce input errors', () => {
  it('rejects negative, non-finite and all-zero binary costs', () => {
    expect(() => rwwceBinary({costFN: -1, costFP: 1})).toThrow(/costFN: expected a finite number >= 0/);
    expect(() => rwwceBinary({costFN: 1, costFP: NaN})).toThrow(/costFP/);
    expect(() => rwwceBinary({costFN: 0, costFP: 0})).toThrow(/costFN \/ costFP: expected at least one cost > 0/);
    expect(() => rwwceBinary({costFN: 1} as never)).toThrow(ImbalancedInputError);
  });

  it('rejects bad cost matrices: wrong shape, non-zero diagonal, negative entries, all zeros', () => {
    expect(() => rwwce({costFN: [1, 1, 1], costFP: [[0, 1], [1, 0]]})).toThrow(/costFP: expected a 3 x 3 matrix/);
    expect(() => rwwce({costFN: [1, 1, 1], costFP: [[0, 1, 1], [1, 0], [1, 1, 0]]})).toThrow(/costFP\[1\]: expected an array of length 3/);
    expect(() => rwwce({costFN: [1, 1, 1], costFP: [[0, 1, 1], [1, 2, 1], [1, 1, 0]]})).toThrow(/costFP\[1\]\[1\]: expected 0 on the diagonal/);
    expect(() => rwwce({costFN: [1, 1, 1], costFP: [[0, 1, 1], [1, 0, -1], [1, 1, 0]]})).toThrow(/costFP\[1\]\[2\]/);
    expect(() => rwwce({costFN: [1, -2, 1], costFP: ZERO3})).toThrow(/costFN\[1\]/);
    expect(() => rwwce({costFN: [0, 0, 0], costFP: ZERO3})).toThrow(/costFN \/ costFP: expected at least one cost > 0/);
    expect(() => rwwce({costFN: [1], costFP: [[0]]})).toThrow(/costFN: expected costs for at least 2 classes/);
    expect(() => rwwce({costFN: [[1, 0], [1, 1]], costFP: [[0, 1], [1, 0]]})).toThrow(/costFN\[1\]\[0\]: expected 0 off the diagonal/);
    expect(() => rwwce({costFN: [1, 1], costFP: [[0, 1, 1], [1, 0, 1], [1, 1, 0]]})).toThrow(/costFP: expected a 2 x 2 matrix/);
  });

  it('rejects yTrue / yPred shape mismatches and a wrong number of classes', () => {
    const loss = rwwce({costFN: [1, 1, 1], costFP: ONES_OFF});
    expect(() => loss(tf.tensor1d([0, 1], 'int32'), tf.tensor2d([[0.5, 0.5], [0.5, 0.5]]))).toThrow(/yPred: expected 3 classes/);
    expect(() => loss(tf.tensor1d([0, 1, 2], 'int32'), tf.tensor2d([[0.2, 0.3, 0.5], [0.2, 0.3, 0.5]]))).toThrow(/yTrue: expected the same batch size/);
    expect(() => loss(tf.tensor2d([[0, 1], [1, 0]]), tf.tensor2d([[0.2, 0.3, 0.5], [0.2, 0.3, 0.5]]))).toThrow(/yTrue/);
    const bin = rwwceBinary({costFN: 3, costFP: 1});
    expect(() => bin(tf.tensor1d([0, 1], 'int32'), tf.tensor2d([[0.2, 0.3, 0.5], [0.2, 0.3, 0.5]]))).toThrow(/yPred: expected 2 classes/);
    expect(() => bin(tf.tensor1d([0, 1, 1]), tf.tensor2d([[0.2], [0.4]]))).toThrow(/yTrue: expected the same batch size/);
  });
});

describe('rwwce config and model.fit', () => {
  it('round-trips through fromConfig', () => {
    const losses = [
      rwwceBinary({costFN: 2000, costFP: 100, fromLogits: true}),
      rwwce({costFN: [[1, 0, 0], [0, 2, 0], [0, 0, 1]], costFP: [[0, 0, 0], [0, 0, 5], [0, 3, 0]], reduction: 'mean'}),
    ];
    const y = tf.tensor1d([0, 1, 2], 'int32');
    const P = tf.tensor2d([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.2, 0.5, 0.3]]);
    for (const loss of losses) {
      const again = fromConfig(loss.config);
      expect(again.config).toEqual(loss.config);
    }
    expect(losses[1].config.options.costFN).toEqual([1, 2, 1]);
    expect(take(fromConfig(losses[1].config)(y, P))).toEqual(take(losses[1](y, P)));
  });

  it('sets its name, trains, and does not leak tensors across epochs', async () => {
    const loss = rwwce({costFN: [1, 1, 2], costFP: [[0, 0, 19], [0, 0, 0], [1, 1, 0]]});
    expect(loss.name).toBe('rwwce');
    const {xs, labels} = toyData(96, 4, [0.8, 0.15, 0.05]);
    const model = smallModel(4, 3);
    model.compile({optimizer: 'adam', loss});
    expectNoGrowth(await tensorCountsPerEpoch(model, xs, tf.oneHot(tf.tensor1d(labels, 'int32'), 3), {}, 3));

    const bin = rwwceBinary({costFN: 20, costFP: 1});
    expect(bin.name).toBe('rwwceBinary');
    const binModel = smallModel(4, 1, 'sigmoid');
    binModel.compile({optimizer: 'adam', loss: bin});
    expectNoGrowth(await tensorCountsPerEpoch(binModel, xs, tf.tensor2d(labels.map(l => (l === 2 ? 1 : 0)), [labels.length, 1]), {}, 3));
  });
});
