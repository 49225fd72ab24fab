import * as tf from '@tensorflow/tfjs';
import {crcen, crcenLambda, eq6Lhs, eq7MinorityMean, expense, impliedLambda} from '../../src/losses/crcen';
import {crcenWeights} from '../../src/losses/classWeights';
import {fromConfig} from '../../src/losses';
import {ImbalancedInputError} from '../../src/errors';
import {analyticGrad, expectClose, expectNoGrowth, numericGrad, smallModel, take, tensorCountsPerEpoch, toyData} from '../helpers';

// Oracles: specs/crcen.md §6.
describe('crcen λ from counts (§6 "λ from counts")', () => {
  it('λ(a) = a N0 / (a N0 + N1) for N0 = 90, N1 = 10', () => {
    expectClose([0.5, 1, 1.5, 2].map(a => crcenLambda(90, 10, a)), [0.8181818, 0.9, 0.9310345, 0.9473684]);
    expect(crcenLambda(90, 10)).toBeCloseTo(0.9, 12);
  });

  it('the loss built from counts weights the minority class by λ and the other by 1 - λ', () => {
    // λ = 0.9: w1 = 0.9, w0 = 0.1, duplication factor 9.
    expectClose(crcenWeights([90, 10]), [0.1, 0.9]);
    const y = tf.tensor1d([1, 0]);
    const p = tf.tensor2d([[0.3], [0.3]]);
    const got = take<number[]>(crcen({classCounts: [90, 10]})(y, p));
    expectClose(got, [0.9 * -Math.log(0.3), 0.1 * -Math.log(0.7)]);
    expect(got[0] / -Math.log(0.3) / (got[1] / -Math.log(0.7))).toBeCloseTo(9, 5);
    // costMultiplier a = 2 -> λ = 18/19; the minority may be class 0.
    expectClose(take(crcen({classCounts: [90, 10], costMultiplier: 2})(y, p)), [(18 / 19) * -Math.log(0.3), (1 / 19) * -Math.log(0.7)]);
    expectClose(take(crcen({classCounts: [10, 90]})(y, p)), [0.1 * -Math.log(0.3), 0.9 * -Math.log(0.7)]);
  });
});

describe('crcen loss values and gradient (§6 "Loss")', () => {
  // Built per test: tensors made at describe time would exist before test/setup.ts runs.
  let y: tf.Tensor;
  let p: tf.Tensor;
  beforeEach(() => {
    y = tf.tensor1d([1, 0, 0, 0]);
    p = tf.tensor2d([[0.8], [0.3], [0.1], [0.2]]);
  });

  it('sum 0.3386524, mean 0.0846631 at λ = 0.75', () => {
    expectClose(take(crcen({lambda: 0.75, reduction: 'sum'})(y, p)), 0.3386524);
    expectClose(take(crcen({lambda: 0.75, reduction: 'mean'})(y, p)), 0.0846631);
  });

  it('λ = 1/2 is plain BCE scaled by 1/2', () => {
    expectClose(take(crcen({lambda: 0.5, reduction: 'sum'})(y, p)), 0.4541613);
    const bce = take<number>(tf.losses.logLoss(y, p.reshape([4]), undefined, 1e-7, tf.Reduction.SUM));
    expectClose(2 * take<number>(crcen({lambda: 0.5, reduction: 'sum'})(y, p)), [bce], 1e-5);
    expectClose(bce, 0.9083226, 1e-5);
  });

  it('same values from logits (softplus form) and with one-hot or sparse labels', () => {
    const z = tf.log(tf.div(p, tf.sub(1, p)));
    expectClose(take(crcen({lambda: 0.75, reduction: 'sum', fromLogits: true})(y, z)), 0.3386524, 1e-5);
    // Two-column softmax with one-hot labels: weights per column.
    const p2 = tf.concat([tf.sub(1, p), p], 1);
    expectClose(take(crcen({lambda: 0.75, reduction: 'sum'})(tf.oneHot(tf.tensor1d([1, 0, 0, 0], 'int32'), 2), p2)), 0.3386524, 1e-5);
    expectClose(take(crcen({lambda: 0.75, reduction: 'sum'})(tf.tensor2d([[1], [0], [0], [0]], [4, 1], 'int32'), p2)), 0.3386524, 1e-5);
  });

  it('d/dlogit = λ(p - 1) for y = 1 and (1 - λ) p for y = 0: [-0.15, 0.075, 0.025, 0.05]', () => {
    const z = tf.log(tf.div(p, tf.sub(1, p)));
    const loss = crcen({lambda: 0.75, fromLogits: true});
    expectClose(analyticGrad(v => loss(y, v), z), [-0.15, 0.075, 0.025, 0.05], 1e-5, 1e-7);
  });

  it('autodiff agrees with finite differences (binary sigmoid and multiclass softmax)', () => {
    const z = tf.tensor2d([[0.4], [-1.2], [2.0], [0.1]]);
    const loss = crcen({classCounts: [90, 10], fromLogits: true});
    expectClose(analyticGrad(v => loss(y, v), z), numericGrad(v => loss(y, v), z), 2e-3, 2e-4);
    const z3 = tf.tensor2d([[0.5, -1, 0.2], [1.5, 0.3, -0.7]]);
    const y3 = tf.tensor1d([2, 0], 'int32');
    const multi = crcen({classCounts: [100, 30, 5], costMultiplier: 1.5, fromLogits: true});
    expectClose(analyticGrad(v => multi(y3, v), z3), numericGrad(v => multi(y3, v), z3), 2e-3, 2e-4);
  });

  it('multiclass extension: w_k ∝ a_k / N_k, summing to 1', () => {
    const w = crcenWeights([100, 30, 5], 1.5);
    const raw = [1 / 100, 1 / 30, 1.5 / 5];
    const sum = raw.reduce((a, b) => a + b, 0);
    expectClose(w, raw.map(v => v / sum));
    const p3 = tf.tensor2d([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]]);
    const loss = crcen({classCounts: [100, 30, 5], costMultiplier: 1.5});
    expectClose(take(loss(tf.tensor1d([2, 0], 'int32'), p3)), [w[2] * -Math.log(0.5), w[0] * -Math.log(0.6)]);
  });
});

describe('crcen key equation (eq. 6) and population form (eq. 7)', () => {
  it('LHS6 from predictions = 0.4, implied λ = 0.7142857', () => {
    const lhs = eq6Lhs([0.9, 0.7], [0.1, 0.2, 0.1, 0.1, 0.05, 0.05, 0.1, 0.2, 0.05, 0.05]);
    expectClose(lhs, 0.4);
    expectClose(impliedLambda(lhs), 0.7142857);
    expect(eq6Lhs([0.5], [0])).toBe(Infinity);
    // Undefined without both classes: NaN, not a throw (the expense callback calls it every epoch).
    expect(eq6Lhs([], [0.1, 0.2])).toBeNaN();
    expect(eq6Lhs([0.9], [])).toBeNaN();
  });

  it('eq. 7 helper: the paper’s own examples', () => {
    expectClose(eq7MinorityMean(0.08, 10, 1, 0.5), 0.2);
    expectClose(eq7MinorityMean(0.04, 10, 1, 0.5), 0.6);
    expectClose(eq7MinorityMean(0.4, 10, 1, 20 / 21), 0.8);
  });

  it('expense (32, 158) -> (13, 263) = 105/19 = 5.5263158; ΔFN = 0 gives ±Infinity / NaN, no throw', () => {
    expectClose(expense({fn: 32, fp: 158}, {fn: 13, fp: 263}), 5.5263158);
    expect(expense({fn: 5, fp: 10}, {fn: 5, fp: 12})).toBe(Infinity);
    expect(expense({fn: 5, fp: 10}, {fn: 5, fp: 8})).toBe(-Infinity);
    expect(expense({fn: 5, fp: 10}, {fn: 5, fp: 10})).toBeNaN();
    expect(expense({fn: 5, fp: 10}, {fn: 7, fp: 12})).toBeLessThan(0);
  });

  // A model whose only parameter is the output bias: p* = λN1 / (λN1 + (1-λ)N0), where eq. 6 holds exactly.
  it.each([
    ['λ = 1/2', () => crcen({lambda: 0.5}), 0.5, 0.1],
    ['λ = 0.9 (counts)', () => crcen({classCounts: [90, 10]}), 0.9, 0.5],
    ['λ = 18/19 (counts, a = 2)', () => crcen({classCounts: [90, 10], costMultiplier: 2}), 18 / 19, 2 / 3],
  ])('bias-only model trained with tfjs converges to the closed form, %s', async (_label, make, lambda, pStar) => {
    const N0 = 90;
    const N1 = 10;
    expectClose((lambda * N1) / (lambda * N1 + (1 - lambda) * N0), pStar, 1e-12);
    const model = tf.sequential();
    // Constant (zero) input: the kernel gets no gradient, only the bias learns.
    model.add(tf.layers.dense({units: 1, inputShape: [1], activation: 'sigmoid', kernelInitializer: 'zeros', biasInitializer: 'zeros'}));
    model.compile({optimizer: tf.train.sgd(20), loss: make()});
    const xs = tf.zeros([N0 + N1, 1]);
    const ys = tf.tensor2d(Array.from({length: N0 + N1}, (_, i) => (i < N1 ? 1 : 0)), [N0 + N1, 1]);
    await model.fit(xs, ys, {epochs: 60, batchSize: N0 + N1, shuffle: false, verbose: 0});
    const p = take<number[][]>(model.predict(tf.zeros([1, 1])) as tf.Tensor)[0][0];
    expect(Math.abs(p - pStar)).toBeLessThan(1e-3);
    // eq. 6 at the optimum: N1 (1 - p) / (N0 p) = (1 - λ) / λ.
    const lhs = eq6Lhs(new Array(N1).fill(p), new Array(N0).fill(p));
    expect(Math.abs(lhs - (1 - lambda) / lambda)).toBeLessThan(1e-2 * ((1 - lambda) / lambda));
    expectClose(impliedLambda(lhs), lambda, 1e-3);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  // §6 "Eq. 6 with Newton-fitted 1-D logistic regression": L2 on the kernel only, summed loss.
  it.each([
    [0.75, 0, 2.630585, -1.329414],
    [0.9, 0.1, 1.356196, 0.319739],
  ])('1-D logistic regression, λ = %p, β = %p: same (w, b) as the spec and LHS6 = (1 - λ)/λ', async (lambda, beta, w, b) => {
    const x = tf.tensor2d([1, 2, 0.5, -1, -2, 0, 0.8, -0.5, -1.5, 1.2, -0.3, 0.1], [12, 1]);
    const y = tf.tensor2d([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0], [12, 1]);
    const model = tf.sequential();
    model.add(tf.layers.dense({
      units: 1, inputShape: [1], activation: 'sigmoid', kernelInitializer: 'zeros',
      kernelRegularizer: beta > 0 ? tf.regularizers.l2({l2: beta}) : undefined,
    }));
    model.compile({optimizer: tf.train.adam(0.1), loss: crcen({lambda, reduction: 'sum'})});
    await model.fit(x, y, {epochs: 300, batchSize: 12, shuffle: false, verbose: 0});
    const [kernel, bias] = model.getWeights().map(t => t.dataSync()[0]);
    expectClose([kernel, bias], [w, b], 1e-3, 1e-4);
    const p = take<number[][]>(model.predict(x) as tf.Tensor).map(r => r[0]);
    expectClose(eq6Lhs(p.slice(0, 3), p.slice(3)), (1 - lambda) / lambda, 1e-3);
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('crcen stability', () => {
  it('is finite at logits ±1e4 and probabilities 0 and 1, with finite gradients', () => {
    const y = tf.tensor1d([1, 0, 1, 0]);
    const z = tf.tensor2d([[1e4], [1e4], [-1e4], [-1e4]]);
    const loss = crcen({classCounts: [90, 10], fromLogits: true});
    const v = take<number[]>(loss(y, z));
    expect(v.every(Number.isFinite)).toBe(true);
    expectClose(v, [0, 0.1 * 1e4, 0.9 * 1e4, 0], 1e-6, 1e-6);
    expect(analyticGrad(t => loss(y, t), z).every(Number.isFinite)).toBe(true);
    const p = tf.tensor2d([[1], [1], [0], [0]]);
    const probLoss = crcen({lambda: 0.75});
    expect(take<number[]>(probLoss(y, p)).every(Number.isFinite)).toBe(true);
    expect(analyticGrad(t => probLoss(y, t), p).every(Number.isFinite)).toBe(true);
    const z3 = tf.tensor2d([[1e4, -1e4, 0], [-1e4, 1e4, 0]]);
    const multi = crcen({classCounts: [50, 20, 5], fromLogits: true});
    const y3 = tf.tensor1d([1, 0], 'int32');
    expect(take<number[]>(multi(y3, z3)).every(Number.isFinite)).toBe(true);
    expect(analyticGrad(t => multi(y3, t), z3).every(Number.isFinite)).toBe(true);
  });
});

describe('crcen input errors', () => {
  it('rejects bad counts, λ and multipliers, naming the parameter', () => {
    expect(() => crcen({classCounts: [90, 0]})).toThrow(/classCounts\[1\]/);
    expect(() => crcen({classCounts: [90, -3]})).toThrow(ImbalancedInputError);
    expect(() => crcen({classCounts: [90]})).toThrow(/classCounts: expected counts for at least 2 classes/);
    expect(() => crcen({classCounts: [90, 10], costMultiplier: 0})).toThrow(/costMultiplier/);
    expect(() => crcen({classCounts: [90, 10], minorityClass: 2})).toThrow(/minorityClass/);
    for (const lambda of [0, 1, -0.2, 1.5, NaN]) {
      expect(() => crcen({lambda})).toThrow(/lambda: expected a finite number > 0 and < 1/);
    }
    expect(() => crcen({lambda: 0.7, minorityClass: 2})).toThrow(/minorityClass/);
    expect(() => crcen({lambda: 0.7, costMultiplier: 2} as never)).toThrow(/costMultiplier/);
    expect(() => crcen({lambda: 0.7, classCounts: [9, 1]} as never)).toThrow(/classCounts \/ lambda/);
    expect(() => crcen({} as never)).toThrow(/classCounts \/ lambda/);
    expect(() => crcen({lambda: 0.7, reduction: 'avg' as never})).toThrow(/reduction/);
  });

  it('rejects bad helper inputs', () => {
    expect(() => crcenLambda(0, 10)).toThrow(/n0/);
    expect(() => eq6Lhs([1.2], [0.1])).toThrow(/minorityProbs\[0\]/);
    expect(() => eq7MinorityMean(0.1, 10, 1, 1)).toThrow(/lambda/);
    expect(() => expense({fn: 1, fp: NaN}, {fn: 0, fp: 1})).toThrow(/prev\.fp/);
  });

  it('rejects yTrue / yPred shape mismatches and a wrong number of classes', () => {
    const loss = crcen({lambda: 0.8});
    expect(() => loss(tf.tensor1d([1, 0, 1]), tf.tensor2d([[0.5], [0.5]]))).toThrow(/yTrue: expected the same batch size/);
    expect(() => loss(tf.tensor2d([[1, 0], [0, 1]]), tf.tensor2d([[0.5], [0.5]]))).toThrow(/yTrue/);
    expect(() => loss(tf.tensor1d([1, 0], 'int32'), tf.tensor2d([[0.2, 0.3, 0.5], [0.2, 0.3, 0.5]]))).toThrow(/yPred: expected 2 classes/);
    expect(() => crcen({classCounts: [5, 3, 2]})(tf.tensor1d([1]), tf.tensor2d([[0.5]]))).toThrow(/yPred: expected 3 classes/);
  });
});

describe('crcen config and model.fit', () => {
  it('round-trips through fromConfig', () => {
    for (const loss of [crcen({classCounts: [90, 10], costMultiplier: 1.5}), crcen({lambda: 0.8, minorityClass: 0, fromLogits: true, reduction: 'sum'})]) {
      const again = fromConfig(loss.config);
      expect(again.config).toEqual(loss.config);
      const y = tf.tensor1d([1, 0, 1]);
      const p = tf.tensor2d([[0.3], [0.6], [0.9]]);
      expect(take(again(y, p))).toEqual(take(loss(y, p)));
    }
    expect(crcen({classCounts: [90, 10]}).config.options).toEqual({classCounts: [90, 10], costMultiplier: 1, minorityClass: 1, fromLogits: false, reduction: 'none'});
  });

  it('sets its name, trains a sigmoid model, and does not leak tensors across epochs', async () => {
    const loss = crcen({classCounts: [85, 15]});
    expect(loss.name).toBe('crcen');
    const {xs, labels} = toyData(96, 4, [0.85, 0.15]);
    const ys = tf.tensor2d(labels, [labels.length, 1]);
    const model = smallModel(4, 1, 'sigmoid');
    model.compile({optimizer: 'adam', loss});
    const counts = await tensorCountsPerEpoch(model, xs, ys, {}, 3);
    expectNoGrowth(counts);
  });
});
