import * as tf from '@tensorflow/tfjs';
import {classCounts} from '../../src/data/classCounts';

describe('data.classCounts', () => {
  it('counts sparse, column and one-hot labels, tensors and arrays', () => {
    expect(classCounts([0, 2, 2, 1, 2])).toEqual([1, 1, 3]);
    expect(classCounts(tf.tensor1d([1, 1, 0], 'int32'))).toEqual([1, 2]);
    expect(classCounts(tf.tensor2d([[1], [0], [1]]))).toEqual([1, 2]);
    expect(classCounts(tf.tensor2d([[0, 1, 0], [0, 0, 1], [0, 1, 0]]))).toEqual([0, 2, 1]);
    expect(classCounts([0, 1], {numClasses: 4})).toEqual([1, 1, 0, 0]);
    // Nested arrays: [index] rows or one-hot / soft rows (argmax).
    expect(classCounts([[2], [0], [2]])).toEqual([1, 0, 2]);
    expect(classCounts([[0, 1, 0], [0.7, 0.2, 0.1]])).toEqual([1, 1, 0]);
    expect(() => classCounts([[0, 1], [1]])).toThrow(/^ys\[1\]: expected a label row of length 2 like row 0/);
    expect(() => classCounts([[0, NaN]])).toThrow(/^ys\[0\]\[1\]: expected a finite label value/);
  });

  it('counts a dataset of {xs, ys} elements, batched or not', async () => {
    const unbatched = tf.data.array([0, 1, 1, 2, 1].map(y => ({xs: [y], ys: y})));
    expect(await classCounts(unbatched)).toEqual([1, 3, 1]);
    const oneHot = tf.data.array([[1, 0], [0, 1], [0, 1]].map(y => ({xs: [0], ys: y}))).batch(2);
    expect(await classCounts(oneHot)).toEqual([1, 2]);
    const before = tf.memory().numTensors;
    await classCounts(unbatched.batch(2));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects labels out of range, non-integers, NaN and bad shapes', async () => {
    expect(() => classCounts([0, 3], {numClasses: 3})).toThrow(/ys: expected class indices below numClasses = 3, got a label 3/);
    expect(() => classCounts([0, -1])).toThrow(/ys\[1\]: expected a class index/);
    expect(() => classCounts([0, 1.5])).toThrow(/ys\[1\]/);
    // The parameter names the cell as [row][column]: it used to be the flat index, which reads as a row for 2-D labels.
    expect(() => classCounts(tf.tensor2d([[NaN, 1]]))).toThrow(/ys\[0\]\[0\]: expected a finite label value, got NaN/);
    expect(() => classCounts(tf.tensor2d([[1, 0], [0, Infinity]]))).toThrow(/ys\[1\]\[1\]: expected a finite label value/);
    expect(() => classCounts(tf.zeros([2, 2, 2]))).toThrow(/ys: expected labels of shape/);
    expect(() => classCounts(tf.tensor2d([[1, 0]]), {numClasses: 3})).toThrow(/width numClasses = 3/);
    await expect(classCounts(tf.data.array([1, 2]) as never)).rejects.toThrow(/dataset: expected elements of the form \{xs, ys\}/);
    // One-hot widths must agree across elements; a rejected element is still disposed.
    const before = tf.memory().numTensors;
    const mixed = tf.data.array([{xs: [0], ys: [1, 0]}, {xs: [0], ys: [0, 0, 1]}]).batch(1);
    await expect(classCounts(mixed)).rejects.toThrow(/dataset ys: expected one-hot rows of width 2 in every element/);
    expect(tf.memory().numTensors).toBe(before);
    await expect(classCounts(tf.data.array([{xs: [0], ys: 3}]), {numClasses: 2})).rejects.toThrow(/below numClasses = 2/);
  });

  it('reads soft rows by their argmax (first index on ties) and plain-array ys of dataset elements', async () => {
    expect(classCounts(tf.tensor2d([[0.2, 0.8], [0.5, 0.5], [0.6, 0.4]]))).toEqual([2, 1]);
    const arrays = {iterator: async () => {
      const els = [{xs: [0], ys: [0, 1, 1]}, {xs: [0], ys: [2]}];
      let i = 0;
      return {next: async () => (i < els.length ? {value: els[i++], done: false} : {value: undefined, done: true})};
    }};
    expect(await classCounts(arrays)).toEqual([1, 2, 1]);
  });
});
