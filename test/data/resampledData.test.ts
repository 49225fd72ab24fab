import * as tf from '@tensorflow/tfjs';
import {SampleTable, readLabels} from '../../src/data/resampledData';

describe('readLabels (label encodings the samplers give back unchanged)', () => {
  it('reads sparse, column and one-hot labels from arrays and tensors', () => {
    expect(readLabels([0, 2, 1])).toEqual({labels: Int32Array.from([0, 2, 1]), encoding: 'sparse'});
    expect(readLabels([[1], [0]])).toMatchObject({labels: Int32Array.from([1, 0]), encoding: 'column'});
    expect(readLabels([[0, 1, 0], [1, 0, 0]])).toMatchObject({labels: Int32Array.from([1, 0]), encoding: 'onehot', width: 3});
    expect(readLabels(tf.tensor1d([1, 0], 'int32'))).toMatchObject({encoding: 'sparse'});
    expect(readLabels(tf.tensor2d([[1], [0]]))).toMatchObject({encoding: 'column'});
    expect(readLabels(tf.tensor2d([[0, 1], [1, 0]]))).toMatchObject({labels: Int32Array.from([1, 0]), encoding: 'onehot', width: 2});
  });

  it('rejects malformed labels, naming the row', () => {
    expect(() => readLabels([[0, 1], [1]])).toThrow(/ys\[1\]: expected an array of shape \[2\]/);
    expect(() => readLabels([[1], [0, 1]])).toThrow(/ys\[1\]: expected an array of shape \[1\]/);
    expect(() => readLabels(tf.scalar(1))).toThrow(/ys: expected labels of a batch/);
    expect(() => readLabels('abc' as never)).toThrow(/ys: expected a tensor/);
  });
});

describe('SampleTable', () => {
  it('reads features of any rank, counts classes and checks lengths', () => {
    const t = new SampleTable(tf.zeros([4, 2, 3]), [0, 1, 1, 2]);
    expect([t.n, t.d, t.numClasses]).toEqual([4, 6, 3]);
    expect(t.rowShape).toEqual([2, 3]);
    expect(t.counts).toEqual([1, 2, 1]);
    expect(t.float64).toBe(false);
    expect(new SampleTable([[1, 2], [3, 4]], [[0, 1], [1, 0]]).numClasses).toBe(2);
    expect(() => new SampleTable([[1, 2], [3, 4]], [0, 1, 1])).toThrow(/ys: expected 2 labels \(one per row of xs\), got 3 labels/);
  });

  it('rejects NaN features when asked to check them', () => {
    const t = new SampleTable([[1, NaN], [3, 4]], [0, 1]);
    expect(() => t.checkFinite()).toThrow(/xs\[0\]/);
  });
});
