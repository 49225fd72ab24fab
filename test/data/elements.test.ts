import * as tf from '@tensorflow/tfjs';
import {allocateCounts, epochRandom, labelRows, mixRows, RowReader, RowReaderOptions, SourceIterator} from '../../src/data/elements';
import {canReadSync} from '../../src/core/hostMemory';
import {Random} from '../../src/core/random';

function iter(elements: unknown[]): SourceIterator {
  let i = 0;
  return {next: async () => (i < elements.length ? {value: elements[i++], done: false} : {value: undefined, done: true})};
}

async function readAll(elements: unknown[], options: RowReaderOptions = {}): Promise<{x: number[]; labels: number[]; reader: RowReader}> {
  const reader = new RowReader(iter(elements), options);
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
    expect(reader.batched).toBe(false); // element 0 (a scalar ys) made the dataset one of rows
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
    await expect(readAll([[1, 2]])).rejects.toThrow(/dataset element 0: expected an object \{xs, ys\}/);
    await expect(readAll([{xs: ['a'], ys: 0}])).rejects.toThrow(/dataset element 0 xs\[0\]: expected a number/);
    await expect(readAll([{xs: [[1, 2], [3]], ys: [[0], [1]]}])).rejects.toThrow(/rectangular/);
    await expect(readAll([{xs: [1], ys: [[[0]]]}])).rejects.toThrow(/ys/);
    await expect(readAll([{xs: [[1], [2]], ys: [[0], [1], [1]]}])).rejects.toThrow(/xs: expected a batch \[3, \.\.\.\]/);
    await expect(readAll([{xs: [1], ys: [0, 1]}, {xs: [1], ys: [0, 0, 1]}])).rejects.toThrow(/width 2/);
    await expect(readAll([{xs: [1], ys: [1, 1]}])).rejects.toThrow(/one row's label/);
    // A non-0/1 value before the 1 used to be skipped, reading [0.5, 1] and [NaN, 1] as class 1.
    await expect(readAll([{xs: [1], ys: [0.5, 1]}])).rejects.toThrow(/dataset element 0 ys: expected one row's label/);
    await expect(readAll([{xs: [1], ys: [NaN, 1]}])).rejects.toThrow(/one row's label/);
    await expect(readAll([{xs: [[1], [2]], ys: [[0, 1], [2, 1]]}])).rejects.toThrow(/ys\[1\]\[0\]: expected a label value in \[0, 1\]/);
    await expect(readAll([{xs: [1], ys: 'a'}])).rejects.toThrow(/ys/);
    // Soft rows are refused where every row needs one class.
    await expect(readAll([{xs: [[1], [2]], ys: [[0, 1], [0.5, 0.5]]}], {hardLabels: true})).rejects.toThrow(/ys\[1\]: expected a one-hot row/);
  });

  it('reads a rank-1 ys as one row or a batch of class indices, by the data or by batched', async () => {
    // xs [3, 2] and ys [3] with a 2: only a batch of class indices fits.
    const batch = await readAll([{xs: [[1, 1], [2, 2], [3, 3]], ys: [0, 2, 1]}]);
    expect(batch.labels).toEqual([0, 2, 1]);
    expect(batch.reader.featureShape).toEqual([2]);
    // xs [2] and ys [3]: only one row with a one-hot label fits.
    const row = await readAll([{xs: [1, 1], ys: [0, 0, 1]}]);
    expect(row.labels).toEqual([2]);
    expect(row.reader.featureShape).toEqual([2]);
    // Both fit (xs [2], ys [1, 0]): one row, unless batched says otherwise.
    expect((await readAll([{xs: [5, 6], ys: [1, 0]}])).labels).toEqual([0]);
    expect((await readAll([{xs: [5, 6], ys: [1, 0]}], {batched: true})).labels).toEqual([1, 0]);
    // ...and a later element that can only be a batch asks for batched: true.
    await expect(readAll([{xs: [[5], [6]], ys: [1, 0]}, {xs: [[5], [6]], ys: [1, 1]}])).rejects.toThrow(/^batched: expected true or false.*element 1's ys \[2\]/);
    // A scalar ys in a dataset of batches.
    await expect(readAll([{xs: [[5], [6]], ys: [2, 1]}, {xs: [5], ys: 1}])).rejects.toThrow(/dataset element 1 ys: expected a batch of labels/);
  });

  it('refuses an empty source and stops an endless one at maxRows', async () => {
    await expect(readAll([])).rejects.toThrow(/^dataset: expected at least one row, got an empty dataset/);
    expect((await readAll([], {requireRows: false})).labels).toEqual([]);
    const endless: SourceIterator = {next: async () => ({value: {xs: [1], ys: 0}, done: false})};
    const reader = new RowReader(endless, {maxRows: 100});
    await expect((async () => { for (;;) await reader.next(); })()).rejects.toThrow(/at most maxRows = 100 rows/);
  });

  it('gives the event loop a turn during a long read', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      const endless: SourceIterator = {next: async () => ({value: {xs: [1, 2], ys: 0}, done: false})};
      const reader = new RowReader(endless, {maxRows: Infinity});
      const start = Date.now();
      while (Date.now() - start < 300) await reader.next();
    } finally {
      clearInterval(timer);
    }
    // Without the pauses a microtask-only source never lets the interval fire.
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('RowReader with batched: true (mixup, rebalancedMixup)', () => {
  it('class indices → one-hot rows; soft rows kept', async () => {
    const a = new RowReader(iter([{xs: [[1], [2]], ys: [1, 0]}]), {batched: true, numClasses: 3});
    expect(Array.from(labelRows((await a.next())!, 3))).toEqual([0, 1, 0, 1, 0, 0]);
    const b = new RowReader(iter([{xs: [[1], [2]], ys: [[0.2, 0.8], [0, 1]]}]), {batched: true});
    const chunk = (await b.next())!;
    expect(chunk.soft).toBe(true);
    expect(Array.from(labelRows(chunk, 2))).toEqual([0.2, 0.8, 0, 1].map(v => Math.fround(v)));
    expect(b.numClasses).toBe(2);
  });

  it('rejects label values outside [0, 1], NaN and rows not summing to 1, naming the row', async () => {
    const read = (els: unknown[]) => readAll([{xs: [[0], [0], [0], [0], [0], [0], [0]], ys: [0, 0, 0, 0, 0, 0, 0]}, ...els], {batched: true});
    await expect(read([{xs: [[1], [2]], ys: [[0, 1], [-0.5, 1.5]]}])).rejects.toThrow(/ys\[8\]\[0\]: expected a label value in \[0, 1\]/);
    await expect(read([{xs: [[1]], ys: [[NaN, 1]]}])).rejects.toThrow(/label value in \[0, 1\] \(one-hot or soft rows\), got NaN/);
    await expect(read([{xs: [[1]], ys: [[0.5, 1]]}])).rejects.toThrow(/ys\[7\]: expected a one-hot or soft label row summing to 1, got \[0.5, 1\] \(sum 1.5\)/);
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
