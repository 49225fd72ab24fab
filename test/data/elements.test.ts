import * as tf from '@tensorflow/tfjs';
import {allocateCounts, canReadSync, epochRandom, mixRows, readBatchElement, RowReader, SourceIterator} from '../../src/data/elements';
import {Random} from '../../src/core/random';

function iter(elements: unknown[]): SourceIterator {
  let i = 0;
  return {next: async () => (i < elements.length ? {value: elements[i++], done: false} : {value: undefined, done: true})};
}

async function readAll(elements: unknown[], numClasses?: number): Promise<{x: number[]; labels: number[]; reader: RowReader}> {
  const reader = new RowReader(iter(elements), numClasses);
  const x: number[] = [];
  const labels: number[] = [];
  for (let c = await reader.next(); c !== null; c = await reader.next()) {
    x.push(...Array.from(c.x));
    labels.push(...Array.from(c.labels));
  }
  return {x, labels, reader};
}

describe('allocateCounts', () => {
  it('exact, equal weights: ⌊B/C⌋ each and B mod C extra rows to distinct, uniformly chosen classes', () => {
    const rng = new Random(1);
    const extra = [0, 0, 0, 0, 0];
    for (let t = 0; t < 5000; t++) {
      const c = allocateCounts(67, [1, 1, 1, 1, 1], rng, 'exact'); // 13 each + 2
      if (c.reduce((s, v) => s + v, 0) !== 67) throw new Error(`sum ${c}`);
      if (c.some(v => v !== 13 && v !== 14)) throw new Error(`bad allocation ${c}`);
      c.forEach((v, k) => (extra[k] += v - 13));
    }
    // Each class gets an extra row with probability 2/5; s.e. of the share 0.007.
    extra.forEach(e => expect(Math.abs(e / 5000 - 0.4)).toBeLessThan(0.03));
  });

  it('exact, C | B: no randomness needed, counts B/C', () => {
    expect(Array.from(allocateCounts(63, [1, 1, 1], new Random(2), 'exact'))).toEqual([21, 21, 21]);
    expect(Array.from(allocateCounts(12, [2, 1, 0, 1], new Random(2), 'exact'))).toEqual([6, 3, 0, 3]);
  });

  it('exact with fractional shares: E[count] = B·w/W, and zero-weight classes get nothing', () => {
    const rng = new Random(3);
    const w = [0.55, 0.3, 0, 0.15];
    const sum = [0, 0, 0, 0];
    for (let t = 0; t < 4000; t++) allocateCounts(7, w, rng, 'exact').forEach((v, k) => (sum[k] += v));
    expect(sum[2]).toBe(0);
    w.forEach((p, k) => expect(Math.abs(sum[k] / 4000 - 7 * p)).toBeLessThan(0.03));
  });

  it('multinomial: counts vary, mean B/C', () => {
    const rng = new Random(4);
    const first: number[] = [];
    for (let t = 0; t < 2000; t++) first.push(allocateCounts(64, [1, 1], rng, 'multinomial')[0]);
    const mean = first.reduce((s, v) => s + v, 0) / first.length;
    expect(Math.abs(mean - 32)).toBeLessThan(0.4);
    expect(new Set(first).size).toBeGreaterThan(10);
  });
});

describe('RowReader', () => {
  it('reads numbers, arrays, typed arrays, nested arrays and tensors; disposes the tensors', async () => {
    const before = tf.memory().numTensors;
    const t = {xs: tf.tensor1d([5, 6]), ys: tf.tensor1d([0, 1])};
    const {x, labels, reader} = await readAll([
      {xs: [1, 2], ys: 0},
      {xs: Float32Array.from([3, 4]), ys: [1]},
      t,
      {xs: [[7, 8], [9, 10]], ys: [[1], [0]]},
    ]);
    expect(x).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(labels).toEqual([0, 1, 1, 1, 0]);
    expect(reader.numClasses).toBe(2);
    expect(reader.featureShape).toEqual([2]);
    expect(reader.sawBatchedElement).toBe(true);
    expect(t.xs.isDisposed && t.ys.isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reads with await data() on backends that are not CPU-resident (e.g. webgl)', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const core = require('@tensorflow/tfjs-core');
    const spy = jest.spyOn(core, 'getBackend').mockReturnValue('webgl');
    try {
      expect(canReadSync()).toBe(false);
      const t = tf.tensor2d([[1, 2], [3, 4]]);
      const dataSpy = jest.spyOn(t, 'data');
      const {x, labels} = await readAll([{xs: t, ys: tf.tensor2d([[0], [1]], [2, 1], 'int32')}]);
      expect(dataSpy).toHaveBeenCalled();
      expect(x).toEqual([1, 2, 3, 4]);
      expect(labels).toEqual([0, 1]);
    } finally {
      spy.mockRestore();
    }
    expect(canReadSync()).toBe(true);
  });

  it('disposes the element tensors even when the element is rejected', async () => {
    const before = tf.memory().numTensors;
    await expect(readAll([{xs: tf.tensor1d([NaN]), ys: tf.scalar(0)}])).rejects.toThrow(/finite/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects malformed elements with clear messages', async () => {
    await expect(readAll([[1, 2]])).rejects.toThrow(/dataset: expected elements of the form \{xs, ys\}/);
    await expect(readAll([{xs: ['a'], ys: 0}])).rejects.toThrow(/finite feature values/);
    await expect(readAll([{xs: [[1, 2], [3]], ys: [[0], [1]]}])).rejects.toThrow(/rectangular/);
    await expect(readAll([{xs: [1], ys: [[[0]]]}])).rejects.toThrow(/ys/);
    await expect(readAll([{xs: [[1], [2]], ys: [[0], [1], [1]]}])).rejects.toThrow(/xs: expected a batch \[3, \.\.\.\]/);
    await expect(readAll([{xs: [1], ys: [0, 1]}, {xs: [1], ys: [0, 0, 1]}])).rejects.toThrow(/width numClasses = 2/);
    await expect(readAll([{xs: [1], ys: [1, 1]}])).rejects.toThrow(/one-hot row/);
    // A non-0/1 value before the 1 used to be skipped, reading [0.5, 1] and [NaN, 1] as class 1.
    await expect(readAll([{xs: [1], ys: [0.5, 1]}])).rejects.toThrow(/ys \(row 0\): expected a one-hot row/);
    await expect(readAll([{xs: [1], ys: [NaN, 1]}])).rejects.toThrow(/one-hot row/);
    await expect(readAll([{xs: [[1], [2]], ys: [[0, 1], [2, 1]]}])).rejects.toThrow(/ys \(row 1\): expected a one-hot row/);
    await expect(readAll([{xs: [1], ys: 'a'}])).rejects.toThrow(/ys/);
  });
});

describe('readBatchElement', () => {
  it('sparse labels → one-hot rows; soft rows kept; classes null for soft rows', async () => {
    const a = await readBatchElement({xs: [[1], [2]], ys: [1, 0]}, 3, 0, 'mixup');
    expect(Array.from(a.y)).toEqual([0, 1, 0, 1, 0, 0]);
    expect(Array.from(a.classes as Int32Array)).toEqual([1, 0]);
    const b = await readBatchElement({xs: [[1], [2]], ys: [[0.2, 0.8], [0, 1]]}, undefined, 0, 'mixup');
    expect(b.classes).toBeNull();
    expect(b.numClasses).toBe(2);
    const c = await readBatchElement({xs: [[1], [2]], ys: [[0, 1], [1, 0]]}, undefined, 0, 'mixup');
    expect(Array.from(c.classes as Int32Array)).toEqual([1, 0]);
    // A row that is not exactly one 1 and zeros (here [0.5, 1], once misread as class 1) leaves the batch without hard classes.
    expect((await readBatchElement({xs: [[1]], ys: [[0.5, 1]]}, undefined, 0, 'mixup')).classes).toBeNull();
  });

  it('rejects label values outside [0, 1] and NaN, naming the row', async () => {
    await expect(readBatchElement({xs: [[1], [2]], ys: [[0, 1], [-0.5, 1.5]]}, undefined, 7, 'mixup')).rejects.toThrow(/ys \(row 8\): expected label values in \[0, 1\]/);
    await expect(readBatchElement({xs: [[1]], ys: [[NaN, 1]]}, undefined, 0, 'mixup')).rejects.toThrow(/label values in \[0, 1\] \(one-hot or soft rows\), got NaN/);
  });
});

describe('mixRows and epochRandom', () => {
  it('mixRows computes λ·a + (1−λ)·b per row', () => {
    const out = mixRows([1, 2, 3, 4], 2, 2, 0.25, [1, 0], new Float32Array(4));
    expect(Array.from(out)).toEqual([2.5, 3.5, 1.5, 2.5]);
  });

  it('epochRandom: deterministic per (seed, epoch), different across epochs and seeds', () => {
    const draw = (s: number, e: number) => epochRandom(s, e).nextUint32();
    expect(draw(1, 0)).toBe(draw(1, 0));
    const seen = new Set<number>();
    for (let s = 0; s < 20; s++) for (let e = 0; e < 20; e++) seen.add(draw(s, e));
    expect(seen.size).toBe(400);
  });
});
