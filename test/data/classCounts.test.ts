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
    expect(() => classCounts([[0, 1], [1]])).toThrow(/^ys\[1\]: expected an array of shape \[2\]/);
    expect(() => classCounts([[0, NaN]])).toThrow(/^ys\[0\]\[1\]: expected a label value in \[0, 1\]/);
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
    expect(() => classCounts([0, 3], {numClasses: 3})).toThrow(/^ys\[1\]: expected a class index: an integer in \[0, 2\], got 3/);
    expect(() => classCounts([0, -1])).toThrow(/ys\[1\]: expected a class index/);
    expect(() => classCounts([0, 1.5])).toThrow(/ys\[1\]/);
    // The parameter names the cell as [row][column]: it used to be the flat index, which reads as a row for 2-D labels.
    expect(() => classCounts(tf.tensor2d([[NaN, 1]]))).toThrow(/ys\[0\]\[0\]: expected a label value in \[0, 1\] \(one-hot or soft rows\), got NaN/);
    expect(() => classCounts(tf.tensor2d([[1, 0], [0, Infinity]]))).toThrow(/ys\[1\]\[1\]: expected a label value in \[0, 1\]/);
    expect(() => classCounts(tf.tensor2d([[1, 0], [0.9, 0.9]]))).toThrow(/ys\[1\]: expected a one-hot or soft label row summing to 1, got \[0.9/);
    expect(() => classCounts(tf.zeros([2, 2, 2]))).toThrow(/ys: expected labels of a batch/);
    expect(() => classCounts(tf.tensor2d([[1, 0]]), {numClasses: 3})).toThrow(/label rows of width 3/);
    await expect(classCounts(tf.data.array([1, 2]) as never)).rejects.toThrow(/dataset element 0: expected an object \{xs, ys\}/);
    // One-hot widths must agree across elements; a rejected element is still disposed.
    const before = tf.memory().numTensors;
    const mixed = tf.data.array([{xs: [0], ys: [1, 0]}, {xs: [0], ys: [0, 0, 1]}]).batch(1);
    await expect(classCounts(mixed)).rejects.toThrow(/ys: expected class indices \[n\] \/ \[n, 1\] or label rows of width 2/);
    expect(tf.memory().numTensors).toBe(before);
    await expect(classCounts(tf.data.array([{xs: [0], ys: 3}]), {numClasses: 2})).rejects.toThrow(/ys\[0\]: expected a class index: an integer in \[0, 1\]/);
  });

  it('reads soft rows by their argmax (first index on ties) and plain-array ys of dataset elements', async () => {
    expect(classCounts(tf.tensor2d([[0.2, 0.8], [0.5, 0.5], [0.6, 0.4]]))).toEqual([2, 1]);
    const arrays = {iterator: async () => {
      const els = [{xs: [[0], [0], [0]], ys: [0, 1, 1]}, {xs: [[0]], ys: [2]}];
      let i = 0;
      return {next: async () => (i < els.length ? {value: els[i++], done: false} : {value: undefined, done: true})};
    }};
    expect(await classCounts(arrays)).toEqual([1, 2, 1]);
  });

  it('issue 9: an unbatched dataset of one-hot rows counts 3 classes, as ds.balance() reads it', async () => {
    const rows = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0], [1, 0, 0], [0, 0, 1]];
    const ds = tf.data.array(rows.map((y, i) => ({xs: [i, i, i, i], ys: y})));
    // Was [8, 4]: each one-hot row was read as three class indices.
    expect(await classCounts(ds)).toEqual([4, 2, 2]);
    // Tensor elements, and the same rows batched: the same counts.
    const tensors = tf.data.array(rows.map((y, i) => ({xs: tf.tensor1d([i, i]), ys: tf.tensor1d(y)})));
    expect(await classCounts(tensors)).toEqual([4, 2, 2]);
    expect(await classCounts(ds.batch(3))).toEqual([4, 2, 2]);
    // Class indices, unbatched and batched (a rank-1 ys of a batch), agree too.
    const indices = tf.data.array(rows.map((y, i) => ({xs: [i, i, i, i], ys: y.indexOf(1)})));
    expect(await classCounts(indices)).toEqual([4, 2, 2]);
    expect(await classCounts(indices.batch(3))).toEqual([4, 2, 2]);
  });

  it('a rank-1 ys both readings fit waits for the element that decides; batched says it outright', async () => {
    // Batches of 0/1 labels: the first holds a single 1 (also a one-hot row of width 4 for xs [4, 1]), the second two.
    const ys = [0, 0, 1, 0, 1, 1, 0, 0];
    const ds = tf.data.array(ys.map(y => ({xs: [y], ys: y}))).batch(4);
    expect(await classCounts(ds)).toEqual([5, 3]);
    // Every element fits both: one-hot rows of width 2 with xs of 2 features are rows unless batched says otherwise.
    const pairs = tf.data.array([{xs: [1, 2], ys: [0, 1]}, {xs: [3, 4], ys: [0, 1]}, {xs: [5, 6], ys: [1, 0]}]);
    expect(await classCounts(pairs)).toEqual([1, 2]);
    expect(await classCounts(pairs, {batched: true})).toEqual([3, 3]);
    expect(() => classCounts(pairs, {batched: 'yes' as never})).toThrow(/^batched: expected a boolean/);
  });

  it('refuses an infinite dataset, stops an endless one at maxRows, rejects unknown options', async () => {
    const ds = tf.data.array([{xs: [0], ys: 0}, {xs: [1], ys: 1}]);
    await expect(classCounts(ds.repeat())).rejects.toThrow(/^dataset: expected a finite dataset: classCounts reads all of it/);
    const endless = tf.data.generator(function* () { for (;;) yield {xs: [0], ys: 1}; });
    await expect(classCounts(endless, {maxRows: 1000})).rejects.toThrow(/at most maxRows = 1000 rows/);
    expect(() => classCounts([0, 1], {numclasses: 2} as never)).toThrow(/^numclasses: expected an option of classCounts: did you mean 'numClasses'\?/);
  });
});
