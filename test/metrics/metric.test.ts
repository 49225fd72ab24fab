/**
 * The shared metric contract (src/metrics/metric.ts): input formats, clear
 * errors, the callable form (name, fresh statistics, compile-time use),
 * config round trip, no tensor leaks.
 */
import * as fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import * as metrics from '../../src/metrics';
import {readBatch} from '../../src/metrics/metric';
import {ImbalancedInputError} from '../../src/errors';
import {expectClose, expectNoGrowth, inputError, smallModel, tensorCountsPerEpoch, toyData} from '../helpers';

describe('input validation', () => {
  const P = [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]];

  it('shape mismatch between yTrue and yPred', () => {
    const e = inputError(() => metrics.ece().update([0, 1, 2], P));
    expect(e.parameter).toBe('yTrue');
    expect(e.message).toMatch(/labels for the 2 rows of yPred/);
    const w = inputError(() => metrics.f1().update([[1, 0], [0, 1]], P));
    expect(w.parameter).toBe('yTrue');
    expect(w.message).toMatch(/label rows of width 3/);
    const t = inputError(() => metrics.brier().update(tf.zeros([2]), tf.zeros([2, 3, 1])));
    expect(t.parameter).toBe('yPred');
  });

  it('bins < 1 and other bad options', () => {
    expect(inputError(() => metrics.ece({bins: 0})).parameter).toBe('bins');
    expect(inputError(() => metrics.mce({bins: 2.5})).parameter).toBe('bins');
    expect(inputError(() => metrics.reliabilityDiagram([0], [[1, 0]], {bins: 0})).parameter).toBe('bins');
    expect(inputError(() => metrics.ece({binning: 'adaptive' as 'uniform'})).parameter).toBe('binning');
    expect(inputError(() => metrics.ece({mode: 'marginal' as 'topLabel'})).parameter).toBe('mode');
    expect(inputError(() => metrics.f1({average: 'samples' as 'macro'})).parameter).toBe('average');
    expect(inputError(() => metrics.f1({zeroDivision: 2 as 0})).parameter).toBe('zeroDivision');
    expect(inputError(() => metrics.gmean({correction: -1})).parameter).toBe('correction');
    expect(inputError(() => metrics.auroc({threshold: 2})).parameter).toBe('threshold');
    expect(inputError(() => metrics.brier({name: ''})).parameter).toBe('name');
    expect(inputError(() => metrics.realWorldCost({costFN: -1, costFP: 1})).parameter).toBe('costFN');
    expect(inputError(() => metrics.realWorldCost({costFN: [1, 1], costFP: [[0, 1], [1, 1]]})).parameter).toBe('costFP[1][1]');
    expect(inputError(() => metrics.realWorldCost({costFN: [1, 1, 1], costFP: [[0, 1], [1, 0]]})).parameter).toBe('costFP');
  });

  it('NaN / Infinity predictions and probabilities outside [0, 1]', () => {
    const e = inputError(() => metrics.ece().update([0, 1], [[0.7, NaN, 0.1], [0.1, 0.8, 0.1]]));
    expect(e.parameter).toBe('yPred[0][1]');
    expect(e.message).toMatch(/finite/);
    expect(inputError(() => metrics.auroc().update(tf.tensor1d([0, 1]), tf.tensor1d([0.5, Infinity]))).parameter).toBe('yPred[1]');
    expect(inputError(() => metrics.auroc({fromLogits: true}).update([0, 1], [0.5, -Infinity])).parameter).toBe('yPred[1]');
    const r = inputError(() => metrics.brier().update([0, 1], [0.5, 1.5]));
    expect(r.message).toMatch(/fromLogits/);
    // With fromLogits any finite value is fine.
    expect(() => metrics.brier({fromLogits: true}).update([0, 1], [-5, 1.5])).not.toThrow();
  });

  it('labels out of range, non-integer or negative; bad one-hot rows', () => {
    expect(inputError(() => metrics.f1().update([0, 3], P)).parameter).toBe('yTrue[1]');
    expect(inputError(() => metrics.f1().update([0.5, 1], P)).parameter).toBe('yTrue[0]');
    expect(inputError(() => metrics.f1().update([-1, 1], P)).parameter).toBe('yTrue[0]');
    expect(inputError(() => metrics.f1().update([0, 2], [0.3, 0.6])).message).toMatch(/0 or 1 for a binary task/);
    expect(inputError(() => metrics.f1().update([[1, 0, 0], [0, 0, 0]], P)).parameter).toBe('yTrue[1]');
    expect(inputError(() => metrics.f1().update([[1, 0, 0], [0, 2, 0]], P)).parameter).toBe('yTrue[1][1]');
  });

  it('numClasses changing between updates (until reset)', () => {
    const m = metrics.auroc();
    m.update([0, 1], P);
    const e = inputError(() => m.update([0, 1], [0.2, 0.9]));
    expect(e.parameter).toBe('yPred');
    expect(e.message).toMatch(/3 classes, as in the earlier updates/);
    m.reset();
    expect(() => m.update([0, 1], [0.2, 0.9])).not.toThrow();
    expect(m.result()).toBe(1);
  });

  it('cost size must match the number of classes', () => {
    expect(inputError(() => metrics.realWorldCost({costFN: 1, costFP: 1}).update([0, 1], P)).parameter).toBe('yPred');
    expect(inputError(() => metrics.f1({average: 'binary', positiveClass: 3}).update([0, 1], [0.2, 0.9])).parameter).toBe('positiveClass');
    // 'binary' on 3 classes is an error (it used to report class 1's F1 alone), as in scikit-learn.
    expect(inputError(() => metrics.f1({average: 'binary'}).update([0, 1], P)).parameter).toBe('average');
  });

  it('malformed inputs', () => {
    expect(inputError(() => metrics.ece().update([0, 1], [[0.5, 0.5], [0.5]])).parameter).toBe('yPred[1]');
    expect(inputError(() => metrics.ece().update({values: [0, 1], shape: [3]}, [0.5, 0.5])).parameter).toBe('yTrue.values');
    expect(inputError(() => metrics.ece().update('abc' as unknown as number[], [0.5])).parameter).toBe('yTrue');
    const t = tf.tensor1d([0.5]);
    t.dispose();
    expect(inputError(() => metrics.ece().update([0], t)).parameter).toBe('yPred');
  });
});

describe('input formats', () => {
  const y = [0, 1, 1, 0, 1];
  const p = [0.2, 0.7, 0.4, 0.55, 0.9];
  it('sigmoid [N], [N, 1], two columns, sparse / [N, 1] / one-hot labels, tensors, {values, shape} agree', () => {
    const ref = metrics.ece({bins: 5});
    ref.update(y, p);
    const expected = ref.result();
    const variants: [metrics.LabelInput, metrics.PredictionInput][] = [
      [y.map(v => [v]), p.map(v => [v])],
      [y.map(v => (v ? [0, 1] : [1, 0])), p.map(v => [1 - v, v])],
      [tf.tensor1d(y, 'int32'), tf.tensor2d(p, [5, 1], 'float32')],
      [tf.tensor2d(y, [5, 1]), tf.tensor1d(p)],
      [{values: Int32Array.from(y), shape: [5]}, {values: Float64Array.from(p), shape: [5, 1]}],
    ];
    for (const [yt, yp] of variants) {
      const m = metrics.ece({bins: 5});
      m.update(yt, yp);
      expectClose(m.result(), expected, 1e-6);
    }
    tf.dispose(variants.flat().filter((t): t is tf.Tensor => t instanceof tf.Tensor));
  });
  it('soft label rows are read by their argmax', () => {
    const m = metrics.recall({average: 'none'});
    m.update([[0.7, 0.3], [0.2, 0.8]], [[0.9, 0.1], [0.9, 0.1]]);
    expect(m.result()).toEqual([1, 0]);
  });
  it('argmax ties take the first index; p = 0.5 is class 0 for a sigmoid', () => {
    const m = metrics.confusionMatrix();
    m.update([1, 1], [[0.4, 0.4, 0.2], [0.2, 0.4, 0.4]]);
    expect(m.result()).toEqual([[0, 0, 0], [1, 1, 0], [0, 0, 0]]);
    const s = metrics.confusionMatrix();
    s.update([1], [0.5]);
    expect(s.result()).toEqual([[0, 0], [1, 0]]);
  });
  it('streams of empty chunks change nothing', () => {
    const m = metrics.gmean();
    m.update([], []);
    m.update(y, p);
    m.update({values: [], shape: [0]}, {values: [], shape: [0, 2]});
    const once = metrics.gmean();
    once.update(y, p);
    expect(m.result()).toBe(once.result());
  });
  it('AUROC keeps float64 scores exactly (no float32 rounding into ties)', () => {
    const m = metrics.auroc();
    // 0.5 and 0.5 + 1e-12 are the same float32 but distinct float64 scores.
    m.update([0, 1], [0.5, 0.5 + 1e-12]);
    expect(m.result()).toBe(1);
    const f = metrics.auroc();
    f.update(tf.tensor1d([0, 1]), tf.tensor1d([0.5, 0.5 + 1e-12]));
    expect(f.result()).toBe(0.5); // float32 tensor: the scores are tied
  });
});

describe('readBatch on float32 input (the branch-free argmax on bit patterns)', () => {
  const read = {fromLogits: false, threshold: 0.5};
  it('equals the float64 argmax (first index on ties) and accepts -0 (fast-check)', () => {
    const value = fc.oneof(fc.constantFrom(0, -0, 1, 0.5, 0.25), fc.float({min: 0, max: 1, noNaN: true}));
    fc.assert(
      fc.property(fc.integer({min: 2, max: 6}).chain(C => fc.array(fc.array(value, {minLength: C, maxLength: C}), {minLength: 1, maxLength: 30})), rows => {
        const C = rows[0].length;
        // Rows scaled to sum to 1 (x / s keeps ties, zeros and -0); all-zero rows become one-hot.
        const f32 = Float32Array.from(rows.flatMap(r => {
          const s = r.reduce((a, b) => a + b, 0);
          return s === 0 ? r.map((v, j) => (j === 0 ? 1 : v)) : r.map(v => v / s);
        }));
        const labels = {values: new Int32Array(rows.length), shape: [rows.length]};
        const a = readBatch(labels, {values: f32, shape: [rows.length, C]}, read);
        const b = readBatch(labels, {values: Float64Array.from(f32), shape: [rows.length, C]}, read);
        expect(Array.from(a.pred)).toEqual(Array.from(b.pred));
        expect(a.top).toBe(a.pred);
      }),
      {seed: 11, numRuns: 200},
    );
  });
  it('rejects NaN, Infinity, negatives and values above 1 at their exact position', () => {
    const at = (bad: number, row: number, col: number) => {
      const v = new Float32Array(12).fill(0.25);
      v[row * 4 + col] = bad;
      return inputError(() => readBatch({values: new Int32Array(3), shape: [3]}, {values: v, shape: [3, 4]}, read));
    };
    expect(at(NaN, 1, 2).parameter).toBe('yPred[1][2]');
    expect(at(Infinity, 2, 0).message).toMatch(/finite/);
    expect(at(-1e-30, 0, 3).parameter).toBe('yPred[0][3]');
    const above = at(Math.fround(1 + 2 ** -23), 2, 3);
    expect(above.parameter).toBe('yPred[2][3]');
    expect(above.message).toMatch(/probability in \[0, 1\]/);
  });
  it('rows must sum to 1; a value out of range anywhere is reported before a bad row sum', () => {
    const labels = {values: new Int32Array(3), shape: [3]};
    const rows = Float32Array.from([0.5, 0.5, 0.5, 0.2, 0.3, 0.7]);
    const sumError = inputError(() => readBatch(labels, {values: rows, shape: [3, 2]}, read));
    expect(sumError.parameter).toBe('yPred[1]');
    expect(sumError.message).toMatch(/summing to 1 .* a row summing to 0\.7/);
    const withNaN = rows.slice();
    withNaN[5] = NaN;
    expect(inputError(() => readBatch(labels, {values: withNaN, shape: [3, 2]}, read)).parameter).toBe('yPred[2][1]');
    expect(inputError(() => readBatch(labels, {values: Float64Array.from(withNaN), shape: [3, 2]}, read)).parameter).toBe('yPred[2][1]');
    expect(inputError(() => readBatch(labels, {values: Float64Array.from(rows), shape: [3, 2]}, read)).parameter).toBe('yPred[1]');
  });
  it('top-label ECE of a sigmoid column does not depend on the decision threshold', () => {
    const y = [0, 1, 1, 0, 1, 0];
    const p = [0.2, 0.7, 0.4, 0.55, 0.95, 0.5];
    const a = metrics.ece({bins: 5});
    const b = metrics.ece({bins: 5, threshold: 0.9});
    a.update(y, p);
    b.update(y, p);
    expect(b.result()).toBe(a.result());
    const r = readBatch({values: y, shape: [6]}, {values: p, shape: [6]}, {fromLogits: false, threshold: 0.9});
    expect(Array.from(r.pred)).toEqual([0, 0, 0, 0, 1, 0]);
    expect(Array.from(r.top)).toEqual([0, 1, 0, 1, 1, 0]); // p = 0.5 ties [0.5, 0.5]: class 0
  });
});

describe('callable form', () => {
  it('names: factory name by default, `name` to override; config round trip', () => {
    expect(metrics.ece().name).toBe('ece');
    expect(metrics.gmean().name).toBe('gmean');
    expect(metrics.f1({average: 'binary'}).name).toBe('f1');
    expect(metrics.balancedBrier().name).toBe('balancedBrier');
    expect(metrics.ece({name: 'ece10', bins: 10}).name).toBe('ece10');
    const m = metrics.ece({name: 'ece10', bins: 10, mode: 'classwise'});
    expect(m.config).toEqual({name: 'ece', options: {fromLogits: false, threshold: 0.5, name: 'ece10', bins: 10, binning: 'uniform', mode: 'classwise'}});
    const back = metrics.fromConfig(m.config);
    expect(back.name).toBe('ece10');
    expect(back.config).toEqual(m.config);
    const rwc = metrics.realWorldCost({costFN: [1, 2], costFP: [[0, 3], [4, 0]]});
    expect(metrics.fromConfig(rwc.config).config).toEqual(rwc.config);
    expect(() => metrics.fromConfig({name: 'nope', options: {}})).toThrow(ImbalancedInputError);
  });

  it('computes the batch alone and does not touch the accumulated state', () => {
    const m = metrics.f1();
    m.update([0, 1, 1], [0.2, 0.8, 0.3]);
    const before = m.result();
    const s = m(tf.tensor1d([1, 1]), tf.tensor1d([0.9, 0.9]));
    expect(s.rank).toBe(0);
    expectClose(s.dataSync()[0], 1, 1e-6); // batch alone: perfect predictions
    expect(m.result()).toBe(before);
    const cm = metrics.confusionMatrix();
    expectClose(cm(tf.tensor1d([1, 0]), tf.tensor1d([0.9, 0.9])).dataSync()[0], 0.5); // accuracy of the batch
  });

  it('compile-time metrics log under their names, values are batch averages; no leaks', async () => {
    const {xs, labels} = toyData(64, 4, [0.7, 0.3]);
    const ys = tf.tensor1d(labels);
    const model = smallModel(4, 1, 'sigmoid');
    const ece = metrics.ece({bins: 10});
    const gm = metrics.gmean();
    model.compile({optimizer: tf.train.sgd(0.05), loss: 'binaryCrossentropy', metrics: [ece, gm, metrics.brier({name: 'bs'})]});
    const counts = await tensorCountsPerEpoch(model, xs, ys, {batchSize: 16, validationData: [xs, ys]}, 3);
    expectNoGrowth(counts);
    const h = await model.fit(xs, ys, {epochs: 1, batchSize: 64, verbose: 0});
    expect(Object.keys(h.history).sort()).toEqual(['bs', 'ece', 'gmean', 'loss']);
    // With one batch per epoch the logged value equals the metric on that batch (before the update).
    expect(Number.isFinite(h.history.ece[0] as number)).toBe(true);
    expect(ece.result()).toBeNaN(); // compile-time use never touches the state
    tf.dispose([xs, ys]);
    model.dispose();
  });
});
