import * as tf from '@tensorflow/tfjs';
import {
  classBalancedWeights, crcenWeights, dwbWeights, inverseFrequencyWeights, ldamMargins, toClassWeightMap,
} from '../../src/losses/classWeights';
import {ImbalancedInputError} from '../../src/errors';
import {expectClose} from '../helpers';

// The formulas are checked against their spec oracles in each loss's test; here: the
// helpers without an oracle elsewhere, edge cases and validation.
describe('class weight helpers', () => {
  it("inverseFrequencyWeights: n / (C n_j), scikit-learn's 'balanced' (mean weight over samples = 1)", () => {
    const counts = [100, 50, 10];
    const w = inverseFrequencyWeights(counts);
    expectClose(w, [160 / 300, 160 / 150, 160 / 30]);
    expectClose(counts.reduce((acc, n, j) => acc + n * w[j], 0) / 160, 1);
  });

  it('toClassWeightMap gives the object model.fit({classWeight}) takes, and fit accepts it', async () => {
    expect(toClassWeightMap([1, 2.5, 4])).toEqual({0: 1, 1: 2.5, 2: 4});
    const model = tf.sequential({layers: [tf.layers.dense({units: 2, inputShape: [1], activation: 'softmax'})]});
    model.compile({optimizer: 'sgd', loss: 'categoricalCrossentropy'});
    const h = await model.fit(tf.zeros([4, 1]), tf.oneHot(tf.tensor1d([0, 1, 0, 1], 'int32'), 2), {epochs: 1, verbose: 0, classWeight: toClassWeightMap(dwbWeights([3, 1]))});
    expect(Number.isFinite(h.history.loss[0] as number)).toBe(true);
    model.dispose();
  });

  it('edge cases: equal counts give equal weights, β = 0 gives ones, maxMargin 0 gives no margin', () => {
    expectClose(dwbWeights([7, 7, 7]), [1, 1, 1]);
    expectClose(inverseFrequencyWeights([7, 7]), [1, 1]);
    expectClose(classBalancedWeights([5000, 500, 50], 0), [1, 1, 1]);
    expectClose(ldamMargins([100, 10], 0), [0, 0]);
    // crcenWeights with an explicit minority class that is not the rarest: λ = N0 / (N0 + N1) = 10 / 100 on class 1.
    expectClose(crcenWeights([10, 90], 1, 1), [0.9, 0.1]);
  });

  it('rejects bad input with ImbalancedInputError naming the parameter', () => {
    expect(() => inverseFrequencyWeights([3, 0])).toThrow(/classCounts\[1\]/);
    expect(() => classBalancedWeights([3, 1], 1)).toThrow(/beta/);
    expect(() => crcenWeights([3, 1], 0)).toThrow(/costMultiplier/);
    expect(() => crcenWeights([3, 1], 1, 2)).toThrow(/minorityClass/);
    expect(() => ldamMargins([3, 1], -1)).toThrow(/maxMargin/);
    expect(() => toClassWeightMap([1, -2])).toThrow(/weights\[1\]: expected a finite number >= 0/);
    expect(() => toClassWeightMap([1, NaN])).toThrow(ImbalancedInputError);
    expect(() => toClassWeightMap('1,2' as never)).toThrow(/weights: expected an array of numbers/);
  });
});
