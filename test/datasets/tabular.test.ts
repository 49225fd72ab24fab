import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import {Random} from '../../src/core/random';
import {
  countLabels, minMaxScale, parseCsvDataset, relabel, selectRows, splitCsvLine, standardize, stratifiedIndices, stratifiedSplit, toTensors,
} from '../../src/datasets/tabular';
import {glass, satimage} from '../../src/node/datasets';

const CSV = 'a,b,class\n1,2,0\n3,4,1\n5,6,0\n7,8,2\n';

describe('tabular datasets', () => {
  it('parses a CSV with the label column anywhere', () => {
    const ds = parseCsvDataset('class,a\n1,0.5\n0,1.5\n');
    expect(Array.from(ds.features)).toEqual([0.5, 1.5]);
    expect(Array.from(ds.labels)).toEqual([1, 0]);
    expect(ds.featureNames).toEqual(['a']);
    expect(ds.numClasses).toBe(2);
  });

  it('rejects bad CSV input with the row and column', () => {
    expect(() => parseCsvDataset('a,b\n1,2\n')).toThrow(/labelColumn: expected a column of the CSV header/);
    expect(() => parseCsvDataset('a,class\n1,0\nx,1\n')).toThrow(/CSV row 3, column a: expected a finite number, got "x"/);
    expect(() => parseCsvDataset('a,class\n1,0\n1\n')).toThrow(/CSV row 3: expected 2 cells/);
    // Labels used to be truncated into the Int32Array (1.5 -> 1) or kept negative (-1 broke countLabels).
    expect(() => parseCsvDataset('a,class\n1,0\n2,1.5\n')).toThrow(/CSV row 3, column class: expected a class index \(an integer >= 0\), got "1.5"/);
    expect(() => parseCsvDataset('a,class\n1,-1\n')).toThrow(/CSV row 2, column class: expected a class index/);
    expect(() => parseCsvDataset('\n')).toThrow(/^text: expected a CSV with a header row/);
    expect(parseCsvDataset('a,class\n').numClasses).toBe(0);
  });

  it('maps string labels to classes sorted or in order of first appearance', () => {
    const text = 'x,species\n1,versicolor\n2,setosa\n3,versicolor\n4,virginica\n';
    const sorted = parseCsvDataset(text, {labelColumn: 'species', labels: 'sorted'});
    expect(sorted.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(Array.from(sorted.labels)).toEqual([1, 0, 1, 2]);
    const seen = parseCsvDataset(text, {labelColumn: 'species', labels: 'appearance'});
    expect(seen.classNames).toEqual(['versicolor', 'setosa', 'virginica']);
    expect(Array.from(seen.labels)).toEqual([0, 1, 0, 2]);
    // Numbers sort numerically, not as strings ("10" after "9"); labels with gaps (glass: 1..7) become 0..k-1.
    const nums = parseCsvDataset('x,class\n1,10\n2,9\n3,1\n', {labels: 'sorted'});
    expect(nums.classNames).toEqual(['1', '9', '10']);
    expect(Array.from(nums.labels)).toEqual([2, 1, 0]);
    expect(nums.numClasses).toBe(3);
  });

  it('reads quoted cells, other delimiters, and leaves out ignored columns', () => {
    expect(splitCsvLine('1, "a, b" ,"say ""hi""",')).toEqual(['1', 'a, b', 'say "hi"', '']);
    const ds = parseCsvDataset('id;"f 1";label\nr1;"0.5";"yes"\nr2;1.5;no\n', {delimiter: ';', labelColumn: 'label', labels: 'sorted', ignoreColumns: ['id']});
    expect(ds.featureNames).toEqual(['f 1']);
    expect(Array.from(ds.features)).toEqual([0.5, 1.5]);
    expect(ds.classNames).toEqual(['no', 'yes']);
    const crlf = parseCsvDataset('a,class\r\n\r\n1,0\r\n2,1\r\n');
    expect(Array.from(crlf.features)).toEqual([1, 2]);
  });

  it('names the file row and column of missing and non-numeric cells (blank lines counted)', () => {
    expect(() => parseCsvDataset('a,b,class\n1,2,0\n\n3,,1\n')).toThrow(/^CSV row 4, column b: expected a finite number, got a missing value \(""\)/);
    expect(() => parseCsvDataset('a,b,class\n1,NA,0\n')).toThrow(/CSV row 2, column b: expected a finite number, got a missing value \("NA"\)/);
    expect(() => parseCsvDataset('a,b,class\n1,?,0\n')).toThrow(/CSV row 2, column b: .*missing value \("\?"\)/);
    expect(() => parseCsvDataset('a,b,class\n1,abc,0\n')).toThrow(/CSV row 2, column b: expected a finite number, got "abc"/);
    expect(() => parseCsvDataset('a,class\n1,\n', {labels: 'sorted'})).toThrow(/CSV row 2, column class: expected a class label, got a missing value/);
    expect(() => parseCsvDataset('a,class\n1,x\n', {labels: 'sorted', ignoreColumns: ['b']})).toThrow(/^ignoreColumns: expected columns of the CSV header \(a, class\)/);
    expect(() => parseCsvDataset('a,class\n1,x\n', {labels: 'sorted', classNames: ['x']})).toThrow(/^classNames:/);
    expect(() => parseCsvDataset('a,class\n1,x\n', {labels: 'alphabetical' as never})).toThrow(/^labels: expected one of/);
    expect(() => parseCsvDataset('a,class,class\n1,0,0\n')).toThrow(/^labelColumn: expected a header name used by one column only/);
    expect(() => parseCsvDataset('a,class\n1,0\n', {delimiter: ';;'})).toThrow(/^delimiter:/);
  });

  it('minRowsPerClass names the row of a class that is too small', () => {
    const text = 'a,class\n1,x\n2,y\n3,x\n4,z\n5,y\n';
    expect(() => parseCsvDataset(text, {labels: 'sorted', minRowsPerClass: 2})).toThrow(/^CSV row 5, column class: expected at least 2 rows of every class, got 1 row of class "z"/);
    expect(parseCsvDataset(text, {labels: 'sorted', minRowsPerClass: 1}).numClasses).toBe(3);
    // With class indices, an index that never occurs has 0 rows.
    expect(() => parseCsvDataset('a,class\n1,0\n2,0\n3,2\n4,2\n', {minRowsPerClass: 2})).toThrow(/^column class: expected at least 2 rows of every class, got 0 rows of class "1"/);
  });

  it('stratifiedIndices: disjoint parts covering every row, round(f · n_c) rows per class and part (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({min: 0, max: 3}), {minLength: 1, maxLength: 80}),
      fc.double({min: 0.05, max: 0.45, noNaN: true}),
      fc.double({min: 0, max: 0.45, noNaN: true}),
      fc.integer({min: 0, max: 1000}),
      (labels, test, validation, seed) => {
        const fractions = validation > 0.01 ? [test, validation] : [test];
        const parts = stratifiedIndices(labels, 4, fractions, new Random(seed));
        expect(parts.flat().sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
        for (let c = 0; c < 4; c++) {
          const n = labels.filter(y => y === c).length;
          let left = n;
          fractions.forEach((f, p) => {
            const want = Math.min(left, Math.round(f * n));
            expect(parts[p + 1].filter(i => labels[i] === c).length).toBe(want);
            left -= want;
          });
        }
        expect(stratifiedIndices(labels, 4, fractions, new Random(seed))).toEqual(parts);
      },
    ), {seed: 7, numRuns: 60});
    expect(() => stratifiedIndices([0, 1], 2, [0.6, 0.5], new Random(1))).toThrow(/^fractions: expected fractions summing to less than 1/);
  });

  it('relabel checks the mapping against the class names', () => {
    const ds = parseCsvDataset(CSV);
    expect(() => relabel(ds, y => y, ['a', 'b'])).toThrow(/^mapping\(2\): expected a class index in \[0, 1\]/);
    expect(() => relabel(ds, y => y / 2, ['a', 'b'])).toThrow(/mapping\(1\)/);
  });

  it('selects, relabels, counts and converts', () => {
    const ds = parseCsvDataset(CSV);
    const sub = selectRows(ds, [3, 0]);
    expect(Array.from(sub.features)).toEqual([7, 8, 1, 2]);
    expect(Array.from(sub.labels)).toEqual([2, 0]);
    expect(countLabels(ds)).toEqual([2, 1, 1]);
    const bin = relabel(ds, y => (y === 2 ? 1 : 0), ['rest', 'two']);
    expect(countLabels(bin)).toEqual([3, 1]);
    const {xs, ys} = toTensors(ds);
    expect(xs.shape).toEqual([4, 2]);
    expect(Array.from(ys.dataSync())).toEqual([0, 1, 0, 2]);
    tf.dispose([xs, ys]);
  });

  it('stratified split keeps class proportions and is seeded', () => {
    const ds = glass();
    const {train, test} = stratifiedSplit(ds, {testFraction: 0.25, seed: 3});
    expect(train.numRows + test.numRows).toBe(214);
    const full = countLabels(ds);
    countLabels(test).forEach((c, k) => expect(c).toBe(Math.round(0.25 * full[k])));
    const again = stratifiedSplit(ds, {testFraction: 0.25, seed: 3});
    expect(Array.from(again.test.features)).toEqual(Array.from(test.features));
    expect(() => stratifiedSplit(ds, {testFraction: 1})).toThrow(/testFraction/);
  });

  it('standardize uses the training statistics for every split', () => {
    const ds = parseCsvDataset(CSV);
    const [a, b] = standardize(ds, selectRows(ds, [0]));
    const col0 = [0, 2, 4, 6].map(i => a.features[i]);
    expect(col0.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 6);
    expect(col0.reduce((s, v) => s + v * v, 0) / 4).toBeCloseTo(1, 5);
    expect(b.features[0]).toBeCloseTo(a.features[0], 6);
  });

  it('minMaxScale maps the fitted rows to [0, 1] per column and applies the same map to the others', () => {
    const ds = {features: Float32Array.from([1, 5, 2, 5, 3, 5, 9, 5]), labels: Int32Array.from([0, 1, 0, 1]), numRows: 4, numFeatures: 2, numClasses: 2, featureNames: ['a', 'b'], classNames: ['0', '1']};
    const [a, b] = minMaxScale(selectRows(ds, [0, 1, 2]), selectRows(ds, [3]));
    expect(Array.from(a.features)).toEqual([0, 0, 0.5, 0, 1, 0]); // column b is constant: 0
    expect(Array.from(b.features)).toEqual([4, 0]); // (9 - 1) / (3 - 1): outside [0, 1]
  });
});

describe('shipped datasets', () => {
  it('satimage: 6435 x 36 with the documented class counts; binary view has IR 9.3', () => {
    const ds = satimage();
    expect([ds.numRows, ds.numFeatures, ds.numClasses]).toEqual([6435, 36, 6]);
    expect(countLabels(ds)).toEqual([1533, 703, 1358, 626, 707, 1508]);
    const bin = satimage({task: 'binary'});
    expect(countLabels(bin)).toEqual([5809, 626]);
    expect(bin.classNames).toEqual(['rest', 'damp grey soil']);
    expect(() => satimage({task: 'x' as never})).toThrow(/task/);
  });

  it('glass: 214 x 9, six classes', () => {
    const ds = glass();
    expect([ds.numRows, ds.numFeatures]).toEqual([214, 9]);
    expect(countLabels(ds)).toEqual([70, 76, 17, 13, 9, 29]);
  });
});
