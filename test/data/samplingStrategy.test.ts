import {checkSamplingStrategy, resolveSamplingStrategy} from '../../src/data/samplingStrategy';
import {ImbalancedInputError} from '../../src/errors';

// Semantics of imbalanced-learn's sampling_strategy (utils/_validation.py); counts [50, 10, 25].
const counts = [50, 10, 25];

describe('resolveSamplingStrategy, over-sampling (rows to add)', () => {
  it('named strategies', () => {
    expect(resolveSamplingStrategy('auto', counts, 'over')).toEqual([0, 40, 25]);
    expect(resolveSamplingStrategy('not majority', counts, 'over')).toEqual([0, 40, 25]);
    expect(resolveSamplingStrategy('minority', counts, 'over')).toEqual([0, 40, 0]);
    expect(resolveSamplingStrategy('not minority', counts, 'over')).toEqual([0, 0, 25]);
    expect(resolveSamplingStrategy('all', counts, 'over')).toEqual([0, 40, 25]);
  });

  it('a ratio (binary): floor(ratio * n_max) - n_min, absent classes ignored', () => {
    expect(resolveSamplingStrategy(0.5, [100, 0, 10], 'over')).toEqual([0, 0, 40]);
    expect(resolveSamplingStrategy(1, [100, 10], 'over')).toEqual([0, 90]);
    expect(() => resolveSamplingStrategy(0.1, [100, 10], 'over')).toThrow(/^samplingStrategy: expected a ratio above the current/);
    expect(() => resolveSamplingStrategy(0.5, counts, 'over')).toThrow(/only for binary labels/);
  });

  it('a dict, a Map and a function', () => {
    expect(resolveSamplingStrategy({1: 30, 2: 25}, counts, 'over')).toEqual([0, 20, 0]);
    expect(resolveSamplingStrategy(new Map([[1, 12]]), counts, 'over')).toEqual([0, 2, 0]);
    expect(resolveSamplingStrategy((c: number[]) => ({1: c[0] * 2}), counts, 'over')).toEqual([0, 90, 0]);
  });

  it('clear errors: unknown names, absent classes, shrinking targets, one class', () => {
    expect(() => checkSamplingStrategy('balanced', 'over')).toThrow(ImbalancedInputError);
    expect(() => checkSamplingStrategy('balanced', 'over')).toThrow(/^samplingStrategy: expected one of 'auto'/);
    expect(() => checkSamplingStrategy('majority', 'over')).toThrow(/over-sampler/);
    expect(() => checkSamplingStrategy(1.5, 'over')).toThrow(/in \(0, 1\]/);
    expect(() => checkSamplingStrategy([1, 2], 'over')).toThrow(/^samplingStrategy:/);
    expect(() => resolveSamplingStrategy({3: 10}, counts, 'over')).toThrow(/^samplingStrategy\[3\]: expected a class present in the data/);
    expect(() => resolveSamplingStrategy({1: 5}, [50, 0, 25], 'over')).toThrow(/class 1 has no rows/);
    expect(() => resolveSamplingStrategy({1: 5}, counts, 'over')).toThrow(/^samplingStrategy\[1\]: expected a target count >= the 10 rows/);
    expect(() => resolveSamplingStrategy({x: 5} as never, counts, 'over')).toThrow(/^samplingStrategy key: expected a class index/);
    expect(() => resolveSamplingStrategy({1: 2.5}, counts, 'over')).toThrow(/^samplingStrategy\[1\]: expected a target count/);
    expect(() => resolveSamplingStrategy('auto', [0, 7], 'over')).toThrow(/^ys: expected labels of at least 2 classes/);
    // The counts and kind of a direct call are checked too.
    expect(() => resolveSamplingStrategy('auto', [50, -1, 3], 'over')).toThrow(/^counts\[1\]: expected an integer >= 0, got -1/);
    expect(() => resolveSamplingStrategy('auto', [50, 2.5], 'over')).toThrow(/^counts\[1\]: expected an integer/);
    expect(() => resolveSamplingStrategy('auto', [], 'over')).toThrow(/^counts: expected a non-empty array/);
    expect(() => resolveSamplingStrategy('auto', counts, 'both' as never)).toThrow(/^kind: expected one of 'over', 'under'/);
  });

  it('ties: the lowest class index is the majority / minority', () => {
    expect(resolveSamplingStrategy('auto', [20, 20, 5], 'over')).toEqual([0, 0, 15]);
    expect(resolveSamplingStrategy('minority', [5, 20, 5], 'over')).toEqual([15, 0, 0]);
  });
});

describe('resolveSamplingStrategy, under-sampling (rows to keep, -1 = untouched)', () => {
  it('named strategies, ratio, dict', () => {
    expect(resolveSamplingStrategy('auto', counts, 'under')).toEqual([10, -1, 10]);
    expect(resolveSamplingStrategy('majority', counts, 'under')).toEqual([10, -1, -1]);
    expect(resolveSamplingStrategy('all', counts, 'under')).toEqual([10, 10, 10]);
    expect(resolveSamplingStrategy(0.5, [100, 10], 'under')).toEqual([20, -1]);
    expect(resolveSamplingStrategy({0: 30}, counts, 'under')).toEqual([30, -1, -1]);
    expect(() => resolveSamplingStrategy({0: 60}, counts, 'under')).toThrow(/<= the 50 rows/);
    expect(() => resolveSamplingStrategy(0.05, [100, 10], 'under')).toThrow(/at least 0.1000/);
    expect(() => checkSamplingStrategy('minority', 'under')).toThrow(/under-sampler/);
  });
});
