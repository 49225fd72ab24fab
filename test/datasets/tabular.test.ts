import * as tf from '@tensorflow/tfjs';
import {countLabels, parseCsvDataset, relabel, selectRows, standardize, stratifiedSplit, toTensors} from '../../src/datasets/tabular';
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
