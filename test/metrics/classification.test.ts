// Direct tests of src/metrics/classification.ts helpers and options not covered by the fixture tests.
import type {Metric} from '../../src/metrics/metric';
import {balancedAccuracy, confusionMatrix, f1, gmean, mcc, nanAverage, precision, recall} from '../../src/metrics/classification';

const y = [0, 0, 1, 1, 2, 2];
const pred = [[.9, .05, .05], [.1, .8, .1], [.2, .7, .1], [.1, .8, .1], [.1, .1, .8], [.6, .2, .2]];
// argmax = [0, 1, 1, 1, 2, 0]: confusion rows (true) [[1,1,0],[0,2,0],[1,0,1]]

describe('classification metrics', () => {
  it('nanAverage skips NaN entries and weights the rest', () => {
    expect(nanAverage([1, NaN, 3])).toBe(2);
    expect(nanAverage([1, NaN, 3], [1, 5, 3])).toBe(2.5);
    expect(nanAverage([NaN])).toBeNaN();
  });

  it('per-class and averaged precision / recall / F1 from a hand-counted confusion matrix', () => {
    const update = <T>(m: Metric<T>) => {
      m.update(y, pred);
      return m.result();
    };
    expect(update(confusionMatrix())).toEqual([[1, 1, 0], [0, 2, 0], [1, 0, 1]]);
    expect(update(precision({average: 'none'}))).toEqual([0.5, 2 / 3, 1]);
    expect(update(recall({average: 'none'}))).toEqual([0.5, 1, 0.5]);
    expect(update(f1({average: 'none'}))[1]).toBeCloseTo(0.8, 12);
    expect(update(f1({average: 'micro'}))).toBeCloseTo(4 / 6, 12);
    expect(update(balancedAccuracy())).toBeCloseTo((0.5 + 1 + 0.5) / 3, 12);
    expect(update(gmean())).toBeCloseTo(Math.cbrt(0.25), 12);
    expect(Number.isFinite(update(mcc()))).toBe(true);
  });

  it('zeroDivision decides a class never predicted', () => {
    const never = [[.9, .1, 0], [.8, .2, 0], [.1, .9, 0]];
    const p = (zd: 0 | 1 | 'nan') => {
      const m = precision({average: 'none', zeroDivision: zd});
      m.update([0, 2, 1], never);
      return m.result()[2];
    };
    expect(p(0)).toBe(0);
    expect(p(1)).toBe(1);
    expect(p('nan')).toBeNaN();
    expect(() => precision({zeroDivision: 2 as never})).toThrow(/zeroDivision/);
  });
});
