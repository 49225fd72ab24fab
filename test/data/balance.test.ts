import * as tf from '@tensorflow/tfjs';
import {balancedBatches} from '../../src/data/balance';
import {Random} from '../../src/core/random';
import {ImbalancedInputError} from '../../src/errors';

interface Out {
  x: number[][];
  labels: number[];
}

async function collect(ds: tf.data.Dataset<{xs: tf.Tensor; ys: tf.Tensor}>, limit = Infinity): Promise<Out[]> {
  const out: Out[] = [];
  const it = await ds.iterator();
  for (let r = await it.next(); !r.done && out.length < limit; r = await it.next()) {
    const {xs, ys} = r.value;
    const y = ys.arraySync() as number[][];
    // every label row is one-hot
    const bad = y.filter(row => row.filter(v => v === 1).length !== 1 || row.filter(v => v === 0).length !== row.length - 1);
    expect(bad).toEqual([]);
    out.push({x: xs.arraySync() as number[][], labels: y.map(row => row.indexOf(1))});
    xs.dispose();
    ys.dispose();
  }
  return out;
}

/** counts[c] rows of class c, shuffled; feature = [class, id] with a unique id. */
function data(counts: number[], seed = 1): {xs: number[]; ys: number}[] {
  const out: {xs: number[]; ys: number}[] = [];
  counts.forEach((n, c) => {
    for (let i = 0; i < n; i++) out.push({xs: [c, out.length], ys: c});
  });
  return new Random(seed).shuffle(out) as {xs: number[]; ys: number}[];
}

function perClass(batches: Out[], C: number): number[] {
  const m = new Array(C).fill(0);
  batches.forEach(b => b.labels.forEach(c => m[c]++));
  return m;
}

function checkFeaturesMatchLabels(batches: Out[]): void {
  batches.forEach(b => b.x.forEach((row, i) => expect(row[0]).toBe(b.labels[i])));
}

describe('balancedBatches: class shares', () => {
  it("'oversample' (default): equal shares in every batch; one epoch = every majority row once", async () => {
    const counts = [300, 45, 15];
    const ds = balancedBatches(tf.data.array(data(counts)), {batchSize: 30, seed: 1});
    const batches = await collect(ds);
    expect(batches.length).toBe(Math.ceil((3 * 300) / 30));
    expect(ds.size).toBe(30); // learned from the complete epoch
    batches.forEach(b => expect(perClass([b], 3)).toEqual([10, 10, 10]));
    checkFeaturesMatchLabels(batches);
    const ids = (c: number) => batches.flatMap(b => b.x.filter(r => r[0] === c).map(r => r[1]));
    expect(new Set(ids(0)).size).toBe(300); // majority: each row exactly once
    expect(ids(0).length).toBe(300);
    // minority: drawn with replacement, every row 20 times (reshuffled cycles)
    const minority = ids(2);
    expect(new Set(minority).size).toBe(15);
    expect(minority.length).toBe(300);
  });

  it('B not divisible by C: ⌊B/C⌋ or ⌊B/C⌋+1 rows per class, shares equal on average', async () => {
    const batches = await collect(balancedBatches(tf.data.array(data([500, 60, 20])), {batchSize: 32, seed: 2, epochSize: 600}));
    expect(batches.length).toBe(600);
    expect(batches.filter(b => perClass([b], 3).some(k => k !== 10 && k !== 11))).toEqual([]);
    const m = perClass(batches, 3);
    // Mean rows per class per batch → 32/3; s.e. of the mean ≈ 0.02.
    m.forEach(k => expect(Math.abs(k / 600 - 32 / 3)).toBeLessThan(0.1));
  });

  it("'sqrt': shares ∝ √n_c", async () => {
    const counts = [900, 100, 25]; // √: 30, 10, 5
    const batches = await collect(balancedBatches(tf.data.array(data(counts)), {batchSize: 36, strategy: 'sqrt', seed: 3}));
    expect(batches.length).toBe(Math.ceil(1025 / 36));
    const m = perClass(batches, 3);
    const total = m.reduce((s, v) => s + v, 0);
    [30 / 45, 10 / 45, 5 / 45].forEach((p, c) => expect(Math.abs(m[c] / total - p)).toBeLessThan(0.01));
    // Exact allocation: 24, 8, 4 rows in every batch.
    batches.forEach(b => expect(perClass([b], 3)).toEqual([24, 8, 4]));
  });

  it('explicit shares {class: share}, normalised; a class left out gets nothing', async () => {
    const batches = await collect(balancedBatches(tf.data.array(data([400, 100, 50, 30])), {batchSize: 20, strategy: {0: 2, 1: 1, 3: 1}, seed: 4, epochSize: 300}));
    const m = perClass(batches, 4);
    expect(m[2]).toBe(0);
    expect(m[0] / 6000).toBeCloseTo(0.5, 6);
    expect(m[1] / 6000).toBeCloseTo(0.25, 6);
    expect(m[3] / 6000).toBeCloseTo(0.25, 6);
  });

  it('explicit shares with fractional rows per batch: shares hold on average', async () => {
    const shares = [0.55, 0.3, 0.15];
    const batches = await collect(balancedBatches(tf.data.array(data([300, 200, 100])), {batchSize: 16, strategy: shares, seed: 5, epochSize: 1000}));
    const m = perClass(batches, 3);
    // Per batch counts are ⌊16 p⌋ or ⌈16 p⌉, the expected count exactly 16 p; s.e. of the share < 0.002.
    shares.forEach((p, c) => expect(Math.abs(m[c] / 16000 - p)).toBeLessThan(0.006));
    expect(batches.filter(b => perClass([b], 3).some((k, c) => Math.abs(k - 16 * shares[c]) >= 1))).toEqual([]);
  });

  it("'undersample': equal shares without replacement; the epoch ends when the smallest class runs out", async () => {
    const ds = balancedBatches(tf.data.array(data([200, 50, 20])), {batchSize: 6, strategy: 'undersample', seed: 6});
    const batches = await collect(ds);
    expect(batches.length).toBe(10);
    expect(ds.size).toBeNull();
    batches.forEach(b => expect(perClass([b], 3)).toEqual([2, 2, 2]));
    const ids = batches.flatMap(b => b.x.map(r => r[1]));
    expect(new Set(ids).size).toBe(ids.length); // no row twice
    checkFeaturesMatchLabels(batches);
  });

  it('rows are interleaved (not grouped by class) and each epoch is reshuffled', async () => {
    const ds = balancedBatches(tf.data.array(data([100, 100])), {batchSize: 20, seed: 7});
    const e0 = await collect(ds);
    const e1 = await collect(ds);
    expect(e0[0].labels.slice(0, 10)).not.toEqual(new Array(10).fill(e0[0].labels[0]));
    expect(e1).not.toEqual(e0);
    expect(await collect(balancedBatches(tf.data.array(data([100, 100])), {batchSize: 20, seed: 7}))).toEqual(e0);
  });

  it('one-hot labels, chunked [b, C] input and any feature rank', async () => {
    const rows = data([40, 8]);
    const chunks = [];
    for (let i = 0; i < rows.length; i += 10) {
      const part = rows.slice(i, i + 10);
      chunks.push({xs: tf.tensor3d(part.map(r => [[r.xs[0], r.xs[1]], [0, 1]])), ys: tf.oneHot(part.map(r => r.ys), 2)});
    }
    const ds = balancedBatches(tf.data.array(chunks), {batchSize: 8, seed: 8});
    const it = await ds.iterator();
    const first = (await it.next()).value;
    expect(first.xs.shape).toEqual([8, 2, 2]);
    expect(first.ys.shape).toEqual([8, 2]);
    expect(first.ys.dtype).toBe('float32');
    tf.dispose([first.xs, first.ys]);
    tf.dispose(chunks.flatMap(c => [c.xs, c.ys]));
  });
});

describe('balancedBatches: streaming reservoirs (poolSize)', () => {
  it('equal shares from an infinite stream, epochSize batches per epoch', async () => {
    const rng = new Random(9);
    let id = 0;
    const infinite = tf.data.generator(function* () {
      for (;;) {
        const c = rng.uniform() < 0.05 ? 1 : 0;
        yield {xs: [c, id++], ys: c};
      }
    });
    const ds = balancedBatches(infinite, {batchSize: 16, seed: 1, poolSize: 50, numClasses: 2, epochSize: 40});
    expect(ds.size).toBe(40);
    const batches = await collect(ds);
    expect(batches.length).toBe(40);
    batches.forEach(b => expect(perClass([b], 2)).toEqual([8, 8]));
    checkFeaturesMatchLabels(batches);
    // Batches follow the stream: the last batch uses rows from late in the stream.
    expect(Math.max(...batches[39].x.map(r => r[1]))).toBeGreaterThan(400);
  });

  it("'sqrt' from seen counts; 'undersample' never repeats a row", async () => {
    const rows = data([900, 100, 25], 3);
    const sq = await collect(balancedBatches(tf.data.array(rows), {batchSize: 36, strategy: 'sqrt', seed: 2, poolSize: 64, numClasses: 3}));
    expect(sq.length).toBeGreaterThan(20);
    const m = perClass(sq.slice(5), 3);
    const total = m.reduce((s, v) => s + v, 0);
    [30 / 45, 10 / 45, 5 / 45].forEach((p, c) => expect(Math.abs(m[c] / total - p)).toBeLessThan(0.03));
    const un = await collect(balancedBatches(tf.data.array(rows), {batchSize: 6, strategy: 'undersample', seed: 2, poolSize: 30, numClasses: 3}));
    expect(un.length).toBeGreaterThan(3);
    un.forEach(b => expect(perClass([b], 3)).toEqual([2, 2, 2]));
    const ids = un.flatMap(b => b.x.map(r => r[1]));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('requires numClasses with class-index labels; errors for a class never seen', async () => {
    await expect(collect(balancedBatches(tf.data.array(data([10, 10])), {batchSize: 4, poolSize: 5}))).rejects.toThrow(/numClasses/);
    await expect(collect(balancedBatches(tf.data.array(data([10, 10])), {batchSize: 4, poolSize: 5, numClasses: 3}))).rejects.toThrow(/class 2: expected rows in the data/);
  });
});

describe('balancedBatches: errors', () => {
  const ds = () => tf.data.array(data([20, 10]));
  it('validates options up front', () => {
    expect(() => balancedBatches(ds(), {batchSize: 8, strategy: 'balanced' as never})).toThrow(/strategy: expected 'oversample', 'undersample', 'sqrt', or an object/);
    expect(() => balancedBatches(ds(), {batchSize: 2, numClasses: 3})).toThrow(/batchSize: expected an integer >= numClasses = 3/);
    expect(() => balancedBatches(ds(), {batchSize: 0})).toThrow(ImbalancedInputError);
    expect(() => balancedBatches(ds(), {batchSize: 4, strategy: {0: -1}})).toThrow(/strategy\[0\]/);
    expect(() => balancedBatches(ds(), {batchSize: 4, strategy: {0: 0}})).toThrow(/share > 0/);
    expect(() => balancedBatches(ds(), {batchSize: 4, strategy: {x: 1} as never})).toThrow(/class index/);
    expect(() => balancedBatches(ds(), {batchSize: 4, seed: NaN})).toThrow(/seed/);
    expect(() => balancedBatches(ds(), {batchSize: 4, epochSize: 0})).toThrow(/epochSize/);
    expect(() => balancedBatches(ds(), undefined as never)).toThrow(/options/);
  });

  it('errors found while streaming', async () => {
    // numClasses inferred as 3 from the data: batchSize 2 cannot hold 3 classes.
    await expect(collect(balancedBatches(tf.data.array(data([5, 5, 5])), {batchSize: 2}))).rejects.toThrow(/batchSize: expected an integer >= 3/);
    // class 1 absent, class 2 present: 'oversample' needs every class.
    await expect(collect(balancedBatches(tf.data.array(data([5, 0, 5])), {batchSize: 6}))).rejects.toThrow(/class 1: expected rows in the data: strategy 'oversample'/);
    await expect(collect(balancedBatches(tf.data.array(data([5, 5])), {batchSize: 6, numClasses: 3, strategy: 'undersample'}))).rejects.toThrow(/class 2/);
    await expect(collect(balancedBatches(tf.data.array(data([5, 5])), {batchSize: 6, strategy: {0: 1, 2: 1}}))).rejects.toThrow(/class 2/);
    // 'sqrt' gives an absent class no share: no error
    expect((await collect(balancedBatches(tf.data.array(data([5, 5])), {batchSize: 6, numClasses: 3, strategy: 'sqrt'}))).length).toBe(2);
    await expect(collect(balancedBatches(tf.data.array([{xs: [NaN], ys: 0}]), {batchSize: 2}))).rejects.toThrow(/xs\[0\]: expected finite feature values, got NaN/);
    await expect(collect(balancedBatches(tf.data.array([{xs: [1], ys: -1}]), {batchSize: 2}))).rejects.toThrow(/class index/);
    await expect(collect(balancedBatches(tf.data.array([{xs: [1], ys: 1.5}]), {batchSize: 2}))).rejects.toThrow(/class index/);
  });
});

describe('balancedBatches: batchSize against numClasses', () => {
  it('explicit shares that leave classes out need only batchSize >= the classes with a share', async () => {
    // Used to be refused up front (batchSize 2 < numClasses 3) although class 2 has no share.
    const ds = balancedBatches(tf.data.array(data([10, 10, 10])), {batchSize: 2, numClasses: 3, strategy: {0: 1, 1: 1}, seed: 1, epochSize: 5});
    const batches = await collect(ds);
    expect(batches.length).toBe(5);
    batches.forEach(b => expect(perClass([b], 3)).toEqual([1, 1, 0]));
    // Three classes with a share still do not fit in two rows.
    await expect(collect(balancedBatches(tf.data.array(data([10, 10, 10])), {batchSize: 2, numClasses: 3, strategy: [1, 1, 1]}))).rejects.toThrow(/batchSize: expected an integer >= 3/);
  });
});
