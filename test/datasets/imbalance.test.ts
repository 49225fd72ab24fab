import fc from 'fast-check';
import {downsampleToRatio, oneVsRestBlock} from '../../src/datasets/imbalance';
import {ImbalancedInputError} from '../../src/errors';

const count = (labels: number[], idx: number[], c: number) => idx.filter(i => labels[i] === c).length;

describe('downsampleToRatio (ReMix: minority classes shrunk to ⌊IR·n_max⌋)', () => {
  // 3 classes: 100 / 60 / 40 rows.
  const labels = Array.from({length: 200}, (_, i) => (i < 100 ? 0 : i < 160 ? 1 : 2));

  it('keeps ⌊IR·n_max⌋ of each minority class and all other rows', () => {
    const idx = downsampleToRatio(labels, {minorityClasses: [1, 2], ratio: 0.25, seed: 1});
    expect([0, 1, 2].map(c => count(labels, idx, c))).toEqual([100, 25, 25]);
    expect(idx).toEqual([...idx].sort((a, b) => a - b));
    expect(new Set(idx).size).toBe(idx.length);
  });

  it('one-vs-rest: the ratio refers to majoritySize, a class smaller than the target is kept whole', () => {
    const idx = downsampleToRatio(labels, {minorityClasses: [2], ratio: 0.01, seed: 3, majoritySize: 160});
    expect(count(labels, idx, 2)).toBe(1);
    expect(count(labels, downsampleToRatio(labels, {minorityClasses: [2], ratio: 1, seed: 3}), 2)).toBe(40);
  });

  it('is seeded: same seed same rows, another seed other rows', () => {
    const a = downsampleToRatio(labels, {minorityClasses: [0], ratio: 0.3, seed: 7});
    expect(downsampleToRatio(labels, {minorityClasses: [0], ratio: 0.3, seed: 7})).toEqual(a);
    expect(downsampleToRatio(labels, {minorityClasses: [0], ratio: 0.3, seed: 8})).not.toEqual(a);
  });

  it('rejects bad options with the parameter name', () => {
    expect(() => downsampleToRatio(labels, {minorityClasses: [5], ratio: 0.1, seed: 1})).toThrow(/^minorityClasses: expected classes that occur in labels, got 5/);
    expect(() => downsampleToRatio(labels, {minorityClasses: [1], ratio: 0, seed: 1})).toThrow(/^ratio: expected a finite number > 0 and <= 1/);
    expect(() => downsampleToRatio(labels, {minorityClasses: [0, 1, 2], ratio: 0.1, seed: 1})).toThrow(ImbalancedInputError);
    expect(() => downsampleToRatio([0, 1.5], {minorityClasses: [0], ratio: 0.1, seed: 1})).toThrow(/^labels\[1\]: expected a class index/);
  });

  it('property: every minority class ends at min(n_c, max(1, ⌊IR·n_max⌋)), the rest untouched', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({min: 0, max: 3}), {minLength: 2, maxLength: 300}), fc.double({min: 0.001, max: 1, noNaN: true}), fc.integer(), (ys, ratio, seed) => {
        const present = Array.from(new Set(ys)).sort();
        if (present.length < 2) return;
        const minority = present.slice(1);
        const idx = downsampleToRatio(ys, {minorityClasses: minority, ratio, seed});
        const nMax = count(ys, ys.map((_, i) => i), present[0]);
        const target = Math.max(1, Math.floor(ratio * nMax + 1e-9));
        expect(count(ys, idx, present[0])).toBe(nMax);
        for (const c of minority) expect(count(ys, idx, c)).toBe(Math.min(count(ys, ys.map((_, i) => i), c), target));
      }),
      {seed: 42, numRuns: 100},
    );
  });
});

describe('oneVsRestBlock (RWWCE: a block of one class vs every other class)', () => {
  const labels = [0, 1, 0, 2, 0, 1, 0, 0, 2];

  it('takes block b of the positive class in dataset order and all other classes as negatives', () => {
    // class 0 rows: 0, 2, 4, 6, 7 -> blocks of 2: [0, 2], [4, 6]
    expect(oneVsRestBlock(labels, {positiveClass: 0, blockSize: 2, block: 1})).toEqual({
      indices: [1, 3, 4, 5, 6, 8],
      labels: [0, 0, 1, 0, 1, 0],
    });
    expect(oneVsRestBlock(labels, {positiveClass: 2, blockSize: 1}).labels.filter(y => y === 1)).toHaveLength(1);
  });

  it('rejects a block past the end of the class', () => {
    expect(() => oneVsRestBlock(labels, {positiveClass: 0, blockSize: 2, block: 2})).toThrow(/^block: expected a block of class 0 inside its 5 rows \(block < 2\), got 2/);
    expect(() => oneVsRestBlock(labels, {positiveClass: 0, blockSize: 0})).toThrow(/^blockSize:/);
  });
});
