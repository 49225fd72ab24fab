import * as tf from '@tensorflow/tfjs';
import {
  ElementLayout, ElementReader, batchLabelShape, checkFiniteFeatures, featureShape, flattenFeatureRows, readArray, readArrayAsync,
  readLabels, shapeOf,
} from '../../src/core/inputs';
import {ImbalancedInputError} from '../../src/errors';

const data = (values: number[], shape: number[]) => ({values, shape});

describe('readArray: one reader for every container', () => {
  it('reads tensors, numbers, typed arrays, nested arrays and {values, shape} to the same flat values', async () => {
    const expected = {values: [1, 2, 3, 4], shape: [2, 2]};
    const t = tf.tensor2d([[1, 2], [3, 4]]);
    for (const x of [t, [[1, 2], [3, 4]], [Float32Array.from([1, 2]), Int32Array.from([3, 4])], {values: [1, 2, 3, 4], shape: [2, 2]}]) {
      const r = readArray(x, 'x');
      expect({values: Array.from(r.values), shape: r.shape}).toEqual(expected);
    }
    const a = await readArrayAsync(t, 'x');
    expect({values: Array.from(a.values), shape: a.shape}).toEqual(expected);
    expect(readArray(3, 'x')).toEqual({values: [3], shape: []});
    expect(readArray(Uint8Array.from([1, 0]), 'x').shape).toEqual([2]);
    t.dispose();
  });

  it('names the bad entry: ragged rows, strings, disposed or string tensors, inconsistent {values, shape}', () => {
    expect(() => readArray([[1, 2], [3]], 'ys')).toThrow(/^ys\[1\]: expected an array of shape \[2\] \(rectangular/);
    expect(() => readArray([[1, 2], [3, 'a']], 'ys')).toThrow(/^ys\[1\]\[1\]: expected a number, got "a"/);
    expect(() => readArray([1, '2'], 'ys')).toThrow(/^ys\[1\]: expected a number/);
    expect(() => readArray({values: [1, 2], shape: [3]}, 'ys')).toThrow(/^ys\.values: expected 3 values/);
    expect(() => readArray('abc', 'ys')).toThrow(/^ys: expected a tensor, a number, an array or \{values, shape\}/);
    const gone = tf.tensor1d([1]);
    gone.dispose();
    expect(() => readArray(gone, 'ys')).toThrow(/^ys: expected a live tensor/);
    const s = tf.tensor1d(['a'], 'string');
    expect(() => readArray(s, 'ys')).toThrow(/numeric tensor/);
    s.dispose();
  });

  it('shapeOf does not read values', () => {
    const t = tf.zeros([3, 4]);
    const spy = jest.spyOn(t, 'dataSync');
    expect(shapeOf(t, 'xs')).toEqual([3, 4]);
    expect(spy).not.toHaveBeenCalled();
    expect(shapeOf([[1, 2, 3]], 'xs')).toEqual([1, 3]);
    expect(shapeOf(5, 'xs')).toEqual([]);
    t.dispose();
  });
});

describe('readLabels: the rank-1 rule for labels of a batch', () => {
  it('[n] and [n, 1] are class indices, [n, C] one-hot or soft rows read by argmax (first on ties)', () => {
    expect(batchLabelShape([4], 'y')).toEqual({n: 4, format: 'indices', width: 1});
    expect(batchLabelShape([4, 1], 'y')).toEqual({n: 4, format: 'column', width: 1});
    expect(batchLabelShape([4, 3], 'y')).toEqual({n: 4, format: 'rows', width: 3});
    expect(() => batchLabelShape([], 'y')).toThrow(/^y: expected labels of a batch/);
    expect(() => batchLabelShape([2, 2, 2], 'y')).toThrow(/got shape \[2, 2, 2\]/);
    expect(Array.from(readLabels(data([2, 0, 1], [3]), 'y').classes)).toEqual([2, 0, 1]);
    expect(Array.from(readLabels(data([2, 0], [2, 1]), 'y').classes)).toEqual([2, 0]);
    const soft = readLabels(data([0.5, 0.5, 0.2, 0.8, 0, 1], [3, 2]), 'y');
    expect(Array.from(soft.classes)).toEqual([0, 1, 1]);
    expect(soft.soft).toBe(true);
    expect(readLabels(data([1, 0, 0, 1], [2, 2]), 'y').soft).toBe(false);
    expect(readLabels(data([1, 3], [2]), 'y').maxClass).toBe(3);
  });

  it('class indices: integers in [0, numClasses)', () => {
    expect(() => readLabels(data([0, 7], [2]), 'yTrue', {numClasses: 5})).toThrow(/^yTrue\[1\]: expected a class index: an integer in \[0, 4\], got 7$/);
    expect(() => readLabels(data([-1], [1]), 'yTrue', {numClasses: 5})).toThrow(/got -1/);
    expect(() => readLabels(data([1.5], [1]), 'yTrue', {numClasses: 5})).toThrow(/got 1.5/);
    expect(() => readLabels(data([NaN], [1]), 'yTrue')).toThrow(/an integer >= 0, got NaN/);
    expect(() => readLabels(data([0, 2], [2]), 'y', {numClasses: 2, firstRow: 10})).toThrow(/^y\[11\]: .*\(0 or 1 for a binary task\)/);
  });

  it('label rows: values in [0, 1] summing to 1, as wide as numClasses; hard refuses soft rows', () => {
    expect(() => readLabels(data([0.9, 0.9], [1, 2]), 'y')).toThrow(/^y\[0\]: expected a one-hot or soft label row summing to 1, got \[0.9, 0.9\] \(sum 1.8\)/);
    expect(() => readLabels(data([1.5, -0.5], [1, 2]), 'y')).toThrow(/^y\[0\]\[0\]: expected a label value in \[0, 1\]/);
    expect(() => readLabels(data([0, 0], [1, 2]), 'y')).toThrow(/sum 0/);
    expect(() => readLabels(data([1, 0], [1, 2]), 'y', {numClasses: 3})).toThrow(/label rows of width 3/);
    expect(() => readLabels(data([0.5, 0.5], [1, 2]), 'y', {hard: true})).toThrow(/^y\[0\]: expected a one-hot row/);
    // float32 softmax noise is within the tolerance
    expect(() => readLabels({values: Float32Array.from([0.1, 0.2, 0.7 + 1e-6]), shape: [1, 3]}, 'y')).not.toThrow();
  });
});

describe('ElementLayout: one row or a batch per dataset element', () => {
  const ys = (values: number[]) => ({values, shape: [values.length]});
  it('scalar: one row; rank 2: a batch; rank 1 decided by what fits', () => {
    expect(new ElementLayout(undefined).kind({values: [1], shape: []}, [4], undefined, 0)).toBe('row');
    expect(new ElementLayout(undefined).kind({values: [1, 0], shape: [2, 1]}, [2, 4], undefined, 0)).toBe('batch');
    expect(new ElementLayout(undefined).kind(ys([0, 2, 1]), [3, 4], undefined, 0)).toBe('batch'); // not a label row
    expect(new ElementLayout(undefined).kind(ys([0, 0, 1]), [4], undefined, 0)).toBe('row'); // xs has no 3 rows
    expect(new ElementLayout(undefined).kind(ys([0.2, 0.8]), [2, 4], undefined, 0)).toBe('row'); // not class indices
    expect(new ElementLayout(undefined, true).kind(ys([0, 1]), [2], undefined, 0)).toBe('either');
    expect(new ElementLayout(true).kind(ys([0, 1]), [2], undefined, 0)).toBe('batch');
    expect(new ElementLayout(false).kind(ys([0, 1]), [2], undefined, 0)).toBe('row');
  });

  it('the first deciding element fixes the layout for every later element', () => {
    const layout = new ElementLayout(undefined);
    expect(layout.kind(ys([0, 2, 1]), [3, 4], undefined, 0)).toBe('batch');
    expect(layout.batched).toBe(true);
    expect(layout.kind(ys([0, 1]), [2, 4], undefined, 1)).toBe('batch');
    expect(() => layout.kind({values: [1], shape: []}, [4], undefined, 2)).toThrow(/^dataset element 2 ys: expected a batch of labels/);
    // Neither reading fits: [3, 3] for xs [4].
    expect(() => new ElementLayout(undefined).kind(ys([3, 3]), [4], undefined, 5)).toThrow(ImbalancedInputError);
    expect(() => new ElementLayout(undefined).kind(ys([3, 3]), [4], undefined, 5)).toThrow(/^dataset element 5 ys: expected one row's label/);
  });

  it('ElementReader: rows of batched and unbatched elements, features checked, feature shape kept', () => {
    const reader = new ElementReader();
    const a = reader.read({xs: [[1, 2], [3, 4]], ys: [[0], [1]]}, true) as ReturnType<ElementReader['read']> & {n: number};
    expect(a.n).toBe(2);
    expect(reader.featureShape).toEqual([2]);
    expect(() => reader.read({xs: [1, 2, 3], ys: 0}, true)).toThrow(/^xs\[2\]: expected features of shape \[2\] like the first row/);
    expect(() => new ElementReader().read({xs: [NaN, 1], ys: 0}, true)).toThrow(/^xs\[0\]: expected finite feature values, got NaN/);
    // Features only for the elements a test picks (SMOTE reads only the classes it grows).
    const picky = new ElementReader({features: classes => classes[0] === 1});
    expect((picky.read({xs: [NaN, 1], ys: 0}, true) as {x: unknown}).x).toBeNull();
  });
});

describe('features', () => {
  it('featureShape and flattenFeatureRows: tensors, number rows, typed rows, nested rows', () => {
    expect(featureShape(tf.zeros([3, 2, 2]))).toEqual({n: 3, rowShape: [2, 2]});
    expect(featureShape([1, 2, 3])).toEqual({n: 3, rowShape: []});
    expect(featureShape([Float32Array.from([1, 2])])).toEqual({n: 1, rowShape: [2]});
    expect(() => featureShape([])).toThrow(/^xs: expected at least one row/);
    expect(() => featureShape([[]])).toThrow(/^xs\[0\]: expected a non-empty feature row/);
    expect(Array.from(flattenFeatureRows([[[1], [2]], [[3], [4]]], [2, 1]))).toEqual([1, 2, 3, 4]);
    expect(() => flattenFeatureRows([[1, 2], [3]], [2])).toThrow(/^xs\[1\]: expected an array of shape \[2\]/);
  });

  it('checkFiniteFeatures names the row', () => {
    expect(() => checkFiniteFeatures([1, 2, 3, Infinity], 2, 10)).toThrow(/^xs\[11\]: expected finite feature values, got Infinity/);
    expect(() => checkFiniteFeatures([1, 'a' as unknown as number], 1)).toThrow(/^xs\[1\]/);
  });
});
