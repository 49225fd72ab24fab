import * as tf from '@tensorflow/tfjs';
import {dwb} from '../../src/losses/dwb';
import {dwbWeights} from '../../src/losses/classWeights';
import {ImbalancedInputError} from '../../src/errors';
import {analyticGrad, expectClose, expectNoGrowth, numericGrad, smallModel, take, tensorCountsPerEpoch, toyData} from '../helpers';

// Oracles: specs/dwb.md §7.
describe('dwb weights (eq. 8, oracle W1)', () => {
  it('matches ln(max n / n_j) + 1', () => {
    expectClose(dwbWeights([100, 50, 10]), [1, 1.6931472, 3.3025851]);
    expectClose(dwbWeights([900, 100]), [1, 3.1972246]);
    const cicids = [44002, 23107, 15893, 4183, 1029, 794, 590, 580, 550, 218, 197];
    const w = dwbWeights(cicids);
    expectClose([w[10], w[9], w[3], w[1]], [6.40879, 6.30750, 3.35321, 1.64410], 1e-5);
  });
});

describe('dwb loss values', () => {
  it('O1: p = [0.7, 0.3], w = [1, 3], all regulariser modes', () => {
    const p = tf.tensor2d([[0.7, 0.3], [0.7, 0.3]]);
    const y = tf.tensor1d([0, 1], 'int32');
    expectClose(take(dwb({classWeights: [1, 3]})(y, p)), [0.1466749, 2.3877751]);
    expectClose(take(dwb({classWeights: [1, 3]}, {reduction: 'mean'})(y, p)), 1.2672250);
    expectClose(take(dwb({classWeights: [1, 3], regularizer: 'allClasses'})(y, p)), [-0.0633251, 2.1777751]);
    expectClose(take(dwb({classWeights: [1, 3]}, {regularizer: 'none'})(y, p)), [0.3566749, 2.5977751]);
  });

  it('O2: logits [2, 1, 0] with counts [100, 50, 10], every true class', () => {
    const z = tf.tensor2d([[2, 1, 0], [2, 1, 0], [2, 1, 0]]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2], 'int32'), 3);
    const loss = dwb({classCounts: [100, 50, 10]}, {fromLogits: true});
    expectClose(take(loss(y, z)), [0.1849105, 1.9102778, 7.0585433]);
    expectClose(take(dwb({classCounts: [100, 50, 10]}, {fromLogits: true, reduction: 'mean'})(y, z)), 3.0512439);
    expectClose(take(dwb({classCounts: [100, 50, 10]}, {fromLogits: true, regularizer: 'allClasses'})(y, z)), [-0.0818510, 1.6056573, 6.6510115]);
    // Same values from probabilities.
    const p = tf.softmax(z);
    expectClose(take(dwb({classCounts: [100, 50, 10]})(y, p)), [0.1849105, 1.9102778, 7.0585433], 1e-5);
  });

  it('O3: Fig. 1 curve with w = 2 (binary sigmoid column)', () => {
    const p = tf.tensor2d([[0.1], [0.25], [0.5], [0.9], [1.0]]);
    const y = tf.ones([5, 1]);
    const got = take<number[]>(dwb({classWeights: [1, 2]})(y, p));
    expectClose(got.slice(0, 4), [4.2067757, 2.1439599, 0.7302581, 0.0229226], 1e-5);
    expect(Math.abs(got[4])).toBeLessThan(1e-6);
  });

  it('soft labels: -Σ_j y_j w_j^(1-p_j) ln p_j, minus the true-class regulariser at the argmax label (dwb.md §6)', () => {
    const p = [0.6, 0.3, 0.1];
    const w = [1, 2, 4];
    const y = [0.2, 0.7, 0.1];
    const ce = -y.reduce((acc, yj, j) => acc + yj * Math.pow(w[j], 1 - p[j]) * Math.log(p[j]), 0);
    const got = take<number[]>(dwb({classWeights: w})(tf.tensor2d([y]), tf.tensor2d([p])));
    expectClose(got, [ce - p[1] * (1 - p[1])]);
    expectClose(take(dwb({classWeights: w}, {regularizer: 'none'})(tf.tensor2d([y]), tf.tensor2d([p]))), [ce]);
  });

  it('sum reduction and sparse [batch, 1] labels', () => {
    const p = tf.tensor2d([[0.7, 0.3], [0.7, 0.3]]);
    const y = tf.tensor2d([[0], [1]]);
    expectClose(take(dwb({classWeights: [1, 3]}, {reduction: 'sum'})(y, p)), 0.1466749 + 2.3877751);
  });
});

describe('dwb gradient (O4)', () => {
  const z = tf.tensor2d([[0.5, -1, 0.2]]);
  const y = tf.tensor2d([[0, 1, 0]]);
  const full = dwb({classWeights: [1, 4, 2]}, {fromLogits: true});
  const firstTerm = dwb({classWeights: [1, 4, 2]}, {fromLogits: true, regularizer: 'none'});

  it('loss values', () => {
    expectClose(take(full(y, z)), [7.3313476]);
    expectClose(take(firstTerm(y, z)), [7.4320527]);
  });

  it('autodiff equals the corrected eq. 17 and the full-loss gradient', () => {
    expectClose(analyticGrad(v => firstTerm(y, v), z), [2.3359372, -4.0664420, 1.7305048], 1e-5);
    expectClose(analyticGrad(v => full(y, v), z), [2.3806416, -4.1442643, 1.7636227], 1e-5);
  });

  it('the paper’s printed eq. 17 (sign error) does not match', () => {
    const g = analyticGrad(v => firstTerm(y, v), z);
    const paper = [1.1438930, -1.9913097, 0.8474167];
    expect(() => expectClose(g, paper, 1e-2)).toThrow();
  });

  it('autodiff agrees with finite differences', () => {
    expectClose(analyticGrad(v => full(y, v), z), numericGrad(v => full(y, v), z), 2e-3, 2e-4);
  });

  it('detachWeight drops the d(w^(1-p)) term from the gradient', () => {
    const detached = dwb({classWeights: [1, 4, 2]}, {fromLogits: true, regularizer: 'none', detachWeight: true});
    const g = analyticGrad(v => detached(y, v), z);
    // Only w^(1-p) * d(-ln p)/dz = w^(1-p) (p - e_y).
    const p = take<number[][]>(tf.softmax(z))[0];
    const wExp = Math.pow(4, 1 - p[1]);
    expectClose(g, p.map((pi, i) => wExp * (pi - (i === 1 ? 1 : 0))), 1e-5);
  });
});

describe('dwb stability', () => {
  it('is finite at logits ±1e4 and probabilities 0 and 1, with finite gradients', () => {
    const loss = dwb({classCounts: [100, 50, 10]}, {fromLogits: true});
    const z = tf.tensor2d([[1e4, -1e4, 0], [-1e4, 1e4, 0], [0, 0, 1e4]]);
    const y = tf.tensor1d([1, 0, 2], 'int32');
    expect(take<number[]>(loss(y, z)).every(Number.isFinite)).toBe(true);
    expect(analyticGrad(v => loss(y, v), z).every(Number.isFinite)).toBe(true);
    const probLoss = dwb({classCounts: [100, 50, 10]});
    const p = tf.tensor2d([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(take<number[]>(probLoss(y, p)).every(Number.isFinite)).toBe(true);
    expect(analyticGrad(v => probLoss(y, v), p).every(Number.isFinite)).toBe(true);
    // Clipped p_y = 0 with w = 5: ≈ 80.59 (dwb.md §6).
    const pz = tf.tensor2d([[1, 0]]);
    expectClose(take(dwb({classWeights: [1, 5]})(tf.tensor1d([1], 'int32'), pz)), [80.5904], 1e-4);
  });
});

describe('dwb input errors', () => {
  it('rejects bad weights and counts, naming the parameter', () => {
    expect(() => dwb({classCounts: [10, 0, 5]})).toThrow(/classCounts\[1\]/);
    expect(() => dwb({classCounts: [10, -1]})).toThrow(ImbalancedInputError);
    expect(() => dwb({classWeights: [1, 0]})).toThrow(/classWeights\[1\]/);
    expect(() => dwb({classWeights: [1, NaN]})).toThrow(/classWeights\[1\].*NaN/);
    expect(() => dwb({} as never)).toThrow(/classCounts \/ classWeights/);
    expect(() => dwb({classWeights: [1, 2]}, {regularizer: 'bogus' as never})).toThrow(/regularizer/);
    expect(() => dwb({classWeights: [1, 2]}, {reduction: 'avg' as never})).toThrow(/reduction/);
    // A string 'false' would otherwise be truthy and detach the weight.
    expect(() => dwb({classWeights: [1, 2]}, {detachWeight: 'false' as never})).toThrow(/detachWeight: expected a boolean/);
    expect(() => dwb({classCounts: [10, 5], classWeights: [1, 2]} as never)).toThrow(/classCounts \/ classWeights: expected exactly one/);
  });

  it('rejects weight vectors of the wrong length and shape mismatches', () => {
    const loss = dwb({classWeights: [1, 2, 3]});
    expect(() => loss(tf.tensor1d([0, 1], 'int32'), tf.tensor2d([[0.5, 0.5], [0.5, 0.5]]))).toThrow(/yPred: expected 3 classes/);
    expect(() => loss(tf.tensor1d([0, 1, 2], 'int32'), tf.tensor2d([[0.2, 0.3, 0.5], [0.2, 0.3, 0.5]]))).toThrow(/yTrue: expected the same batch size/);
    expect(() => loss(tf.tensor2d([[0, 1], [1, 0]]), tf.tensor2d([[0.2, 0.3, 0.5], [0.2, 0.3, 0.5]]))).toThrow(/yTrue/);
  });
});

describe('dwb in model.fit', () => {
  it('sets its name, trains, and does not leak tensors across epochs', async () => {
    const loss = dwb({classCounts: [80, 15, 5]});
    expect(loss.name).toBe('dwb');
    const {xs, labels} = toyData(96, 4, [0.8, 0.15, 0.05]);
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
    const model = smallModel(4, 3);
    model.compile({optimizer: 'adam', loss});
    const counts = await tensorCountsPerEpoch(model, xs, ys, {}, 3);
    expectNoGrowth(counts);
  });
});
