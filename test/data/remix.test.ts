import * as tf from '@tensorflow/tfjs';
import {remix, remixBatch, resampleWithinBatch} from '../../src/data/remix';
import {Random} from '../../src/core/random';
import {ImbalancedInputError} from '../../src/errors';
import {expectClose} from '../helpers';

/** One output batch as plain arrays (tensors disposed). */
interface Out {
  xShape: number[];
  x: Float32Array;
  y: number[][];
}

async function collect(ds: tf.data.Dataset<{xs: tf.Tensor; ys: tf.Tensor}>): Promise<Out[]> {
  const out: Out[] = [];
  const it = await ds.iterator();
  for (let r = await it.next(); !r.done; r = await it.next()) {
    const {xs, ys} = r.value;
    out.push({xShape: xs.shape, x: xs.dataSync() as Float32Array, y: ys.arraySync() as number[][]});
    xs.dispose();
    ys.dispose();
  }
  return out;
}

/** Rows with i.i.d. labels (class c with probability p[c]); feature = [label, row index]. */
function rows(n: number, p: number[], seed = 11): {xs: number[]; ys: number}[] {
  const rng = new Random(seed);
  return Array.from({length: n}, (_, i) => {
    let u = rng.uniform();
    let c = 0;
    while (c < p.length - 1 && u >= p[c]) u -= p[c++];
    return {xs: [c, i], ys: c};
  });
}

/** The same rows as chunks of `size` rows: {xs: [b, d], ys: [b, 1]} tensors. */
function chunked(data: {xs: number[]; ys: number}[], size: number): tf.data.Dataset<{xs: tf.Tensor; ys: tf.Tensor}> {
  return tf.data.generator(function* () {
    for (let i = 0; i < data.length; i += size) {
      const part = data.slice(i, i + size);
      yield {xs: tf.tensor2d(part.map(r => r.xs)), ys: tf.tensor2d(part.map(r => [r.ys]), undefined, 'int32')};
    }
  });
}

const colSums = (y: number[][]) => y[0].map((_, k) => y.reduce((s, r) => s + r[k], 0));

describe('remixBatch: deterministic mixing oracle (remix.md §7)', () => {
  const X = [[0, 0], [1, 1], [2, 2], [3, 3]];
  const Y = [[1, 0], [1, 0], [0, 1], [0, 1]];
  it.each([
    [0.7, [2, 3, 0, 1], [[0.6, 0.6], [1.6, 1.6], [1.4, 1.4], [2.4, 2.4]], [[0.7, 0.3], [0.7, 0.3], [0.3, 0.7], [0.3, 0.7]]],
    [0.7, [1, 0, 3, 2], [[0.3, 0.3], [0.7, 0.7], [2.3, 2.3], [2.7, 2.7]], Y],
    [0.25, [3, 2, 1, 0], [[2.25, 2.25], [1.75, 1.75], [1.25, 1.25], [0.75, 0.75]], [[0.25, 0.75], [0.25, 0.75], [0.75, 0.25], [0.75, 0.25]]],
  ])('λ=%p idx=%p (arrays and tensors)', (lambda, idx, xExp, yExp) => {
    const a = remixBatch(X, Y, lambda, idx);
    expectClose(a.xs, xExp, 1e-6, 1e-6);
    expectClose(a.ys, yExp, 1e-6, 1e-6);
    const xt = tf.tensor2d(X);
    const yt = tf.tensor2d(Y);
    const t = remixBatch(xt, yt, lambda, idx);
    expect(t.xs.shape).toEqual([4, 2]);
    expectClose(t.xs.dataSync(), xExp.flat(), 1e-6, 1e-6);
    expectClose(t.ys.dataSync(), yExp.flat(), 1e-6, 1e-6);
    tf.dispose([xt, yt, t.xs, t.ys]);
  });

  it('invariants for random λ and permutations: row sums 1, column sums, mean, bounds', () => {
    const rng = new Random(5);
    for (let trial = 0; trial < 50; trial++) {
      const n = 2 + rng.int(30);
      const K = 2 + rng.int(4);
      const x = Array.from({length: n}, () => [rng.normal(), rng.normal() * 10]);
      const y = Array.from({length: n}, () => {
        const r = new Array(K).fill(0);
        r[rng.int(K)] = 1;
        return r;
      });
      const lambda = rng.beta(0.3, 0.3);
      const out = remixBatch(x, y, lambda, rng.permutation(n));
      out.ys.forEach(r => expect(Math.abs(r.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-6));
      expectClose(colSums(out.ys), colSums(y), 1e-5, 1e-5);
      for (let k = 0; k < 2; k++) {
        const col = x.map(r => r[k]);
        const mixed = out.xs.map(r => r[k]);
        expectClose(mixed.reduce((s, v) => s + v, 0) / n, col.reduce((s, v) => s + v, 0) / n, 1e-4, 1e-4);
        mixed.forEach(v => {
          expect(v).toBeGreaterThanOrEqual(Math.min(...col) - 1e-4);
          expect(v).toBeLessThanOrEqual(Math.max(...col) + 1e-4);
        });
      }
    }
  });

  it('rejects a non-permutation, λ outside [0, 1] and mismatched rows', () => {
    expect(() => remixBatch([[0], [1]], [[1, 0], [0, 1]], 0.5, [0, 0])).toThrow(ImbalancedInputError);
    expect(() => remixBatch([[0], [1]], [[1, 0], [0, 1]], 1.5, [0, 1])).toThrow(/lambda/);
    expect(() => remixBatch([[0], [1]], [[1, 0]], 0.5, [0, 1])).toThrow(/ys/);
    expect(() => remixBatch([[0], [1]], [[1, 0], [0, 1]], 0.5, [0, 1, 2])).toThrow(/^perm: expected a permutation of 0\.\.1/);
  });

  it('rejects NaN / Infinity in tensor input as it does in arrays', () => {
    const xs = tf.tensor2d([[0, 1], [NaN, 2]]);
    const ys = tf.tensor2d([[1, 0], [0, 1]]);
    expect(() => remixBatch(xs, ys, 0.5, [1, 0])).toThrow(/^xs\[1\]: expected finite feature values/);
    expect(() => remixBatch([[0], [1]], tf.tensor2d([[1, 0], [Infinity, 0]]), 0.5, [1, 0])).toThrow(/^ys\[1\]/);
    tf.dispose([xs, ys]);
  });
});

describe('λ ~ Beta(α, α) (remix.md §7 table)', () => {
  // var = 1/(4(2α+1)); P(min(λ, 1−λ) < 0.1) from the spec's table.
  const table: [number, number, number][] = [
    [0.1, 0.208333, 0.81277],
    [0.2, 0.178571, 0.67338],
    [0.3, 0.15625, 0.56542],
    [0.5, 0.125, 0.40967],
    [1.0, 0.083333, 0.2],
  ];
  it.each(table)('α=%p: mean ½, variance %p, P(min<0.1)=%p (100k draws)', (alpha, variance, pSmall) => {
    const rng = new Random(2024);
    const N = 100000;
    let s = 0;
    let s2 = 0;
    let small = 0;
    for (let i = 0; i < N; i++) {
      const l = rng.beta(alpha, alpha);
      s += l;
      s2 += l * l;
      if (Math.min(l, 1 - l) < 0.1) small++;
    }
    const mean = s / N;
    const v = s2 / N - mean * mean;
    // Standard errors: mean sqrt(var/N) <= 0.0015; proportion <= 0.0013; variance sqrt((μ4 − σ⁴)/N) <= 0.00034
    // (α = 0.1; 0.00024 at α = 1). Tolerances are 4-5 s.e. (the variance one was 0.004, ~12 s.e.).
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.006);
    expect(Math.abs(v - variance)).toBeLessThan(0.0018);
    expect(Math.abs(small / N - pSmall)).toBeLessThan(0.0065);
  });

  it('the transform draws one λ per batch from Beta(α, α): P(min(λ,1−λ)<0.1) from the soft labels', async () => {
    const data = rows(8 * 3000, [0.5, 0.5], 3);
    for (const [alpha, pSmall] of [[0.1, 0.81277], [0.3, 0.56542]]) {
      const batches = await collect(remix(chunked(data, 512), {alpha, batchSize: 8, numClasses: 2, seed: 9}));
      const mins: number[] = [];
      for (const b of batches) {
        // One λ per batch: every cross-class row carries min(λ, 1−λ) on one of its columns.
        const mixed = b.y.filter(r => r[0] > 0 && r[0] < 1).map(r => Math.min(r[0], r[1]));
        if (mixed.length === 0) continue;
        mixed.forEach(m => expect(m).toBeCloseTo(mixed[0], 5));
        mins.push(mixed[0]);
      }
      expect(mins.length).toBeGreaterThan(2800);
      const p = mins.filter(m => m < 0.1).length / mins.length;
      // s.e. sqrt(p(1-p)/n) <= 0.0095; tolerance ~4 s.e.
      expect(Math.abs(p - (pSmall as number))).toBeLessThan(0.035);
    }
  });
});

describe('remix: balancing (Alg. 1 step 2)', () => {
  it("exact: every present class carries ⌊B/C⌋ or ⌊B/C⌋+1 label mass; remainder rows go to random classes", async () => {
    const data = rows(64 * 300, [0.7, 0.2, 0.1], 4);
    const batches = await collect(remix(chunked(data, 1000), {batchSize: 64, numClasses: 4, seed: 1}));
    expect(batches.length).toBe(300);
    const mean = [0, 0, 0, 0];
    for (const b of batches) {
      const m = colSums(b.y);
      expect(m[3]).toBe(0); // class 3 never occurs: width stays numClasses, no mass
      const present = m.filter(v => v > 0).length;
      for (let c = 0; c < 3; c++) {
        if (m[c] === 0) continue;
        const lo = Math.floor(64 / present);
        expect(m[c]).toBeGreaterThan(lo - 1e-3);
        expect(m[c]).toBeLessThan(lo + 1 + 1e-3);
      }
      expectClose(m.reduce((s, v) => s + v, 0), 64, 1e-6, 1e-3);
      m.forEach((v, c) => (mean[c] += v / batches.length));
    }
    // Almost every batch holds all three classes: mean mass ≈ 64/3 per class (the extra row is uniform).
    for (let c = 0; c < 3; c++) expect(Math.abs(mean[c] - 64 / 3)).toBeLessThan(0.1);
  });

  it('exact with C | B: each class mass is exactly B/C (invariant in §7)', async () => {
    const data = rows(64 * 50, [0.9, 0.1], 5);
    const batches = await collect(remix(tf.data.array(data), {batchSize: 64, numClasses: 2, seed: 2}));
    for (const b of batches) {
      const m = colSums(b.y);
      if (m[1] === 0) continue; // no minority row in the batch: the batch stays one class
      expectClose(m, [32, 32], 1e-6, 1e-4);
    }
  });

  it('approx (code variant), B=64, C=2: class counts Multinomial(64, ½): mean 32, sd 4, χ² passes', () => {
    const rng = new Random(77);
    const labels = Int32Array.from({length: 64}, (_, i) => (i < 52 ? 0 : 1)); // 52 : 12 in the batch
    const counts: number[] = [];
    for (let t = 0; t < 4000; t++) {
      const picks = resampleWithinBatch(labels, 64, rng, 'approx');
      counts.push(Array.from(picks).filter(i => labels[i] === 1).length);
    }
    const mean = counts.reduce((s, v) => s + v, 0) / counts.length;
    const sd = Math.sqrt(counts.reduce((s, v) => s + (v - mean) ** 2, 0) / counts.length);
    expect(Math.abs(mean - 32)).toBeLessThan(0.3); // s.e. 0.063
    expect(Math.abs(sd - 4)).toBeLessThan(0.25); // s.e. of sd ≈ 0.045
    // χ² over the 4000·64 draws against (½, ½): 1 degree of freedom, 0.999 quantile 10.83.
    const ones = counts.reduce((s, v) => s + v, 0);
    const total = 4000 * 64;
    const chi2 = ((ones - total / 2) ** 2 + (total - ones - total / 2) ** 2) / (total / 2);
    expect(chi2).toBeLessThan(10.83);
    // and a negative control: the raw 52:12 batch fails the same test.
    const raw = 4000 * 12;
    expect(((raw - total / 2) ** 2 * 2) / (total / 2)).toBeGreaterThan(10.83);
  });

  it('exact resampling draws within each class, with replacement', () => {
    const rng = new Random(3);
    const labels = Int32Array.from([0, 0, 0, 0, 0, 1, 2, 2]);
    const picks = resampleWithinBatch(labels, 8, rng, 'exact');
    const byClass = [0, 0, 0];
    picks.forEach(i => byClass[labels[i]]++);
    expect(byClass.sort()).toEqual([2, 3, 3]);
    // class 1 has one row: it is repeated
    expect(Array.from(picks).filter(i => i === 5).length).toBeGreaterThanOrEqual(2);
  });

  it('P(partner has the same class) = 1/C with a uniform permutation (self-pairs included)', async () => {
    const data = rows(64 * 400, [0.8, 0.2], 6);
    const batches = await collect(remix(chunked(data, 2048), {batchSize: 64, numClasses: 2, seed: 8, alpha: 0.5}));
    let hard = 0;
    let total = 0;
    for (const b of batches) {
      if (colSums(b.y)[1] === 0) continue;
      hard += b.y.filter(r => r[0] === 0 || r[0] === 1).length;
      total += b.y.length;
    }
    // Per batch exactly 32 rows per class; P(same class) = 32/64. s.e. ≈ 0.003.
    expect(Math.abs(hard / total - 0.5)).toBeLessThan(0.015);
  });

  it("1:100 (§7): source 'batch' leaves ~53% of 64-row batches without a minority row; source 'dataset' never does", async () => {
    const pi = 0.01 / 1.01;
    const data = rows(64 * 600, [1 - pi, pi], 12);
    const batchMode = await collect(remix(chunked(data, 4096), {batchSize: 64, numClasses: 2, seed: 3}));
    const noMinority = batchMode.filter(b => colSums(b.y)[1] === 0).length / batchMode.length;
    // (1 − π)^64 = 0.5290; s.e. over 600 batches ≈ 0.02.
    expect(Math.abs(noMinority - 0.529)).toBeLessThan(0.08);
    // A one-class batch is mixup within that class: labels stay hard (§6).
    batchMode.filter(b => colSums(b.y)[1] === 0).forEach(b => expect(b.y.every(r => r[0] === 1 && r[1] === 0)).toBe(true));
    const datasetMode = await collect(remix(chunked(data, 4096), {batchSize: 64, numClasses: 2, seed: 3, source: 'dataset'}));
    expect(datasetMode.length).toBe(600); // default epoch ⌈N/B⌉
    datasetMode.forEach(b => expectClose(colSums(b.y), [32, 32], 1e-6, 1e-4));
  });

  it("source 'dataset' with poolSize streams an infinite source; epochSize bounds the epoch", async () => {
    const rng = new Random(17);
    const infinite = tf.data.generator(function* () {
      for (;;) {
        const c = rng.uniform() < 0.02 ? 1 : 0;
        yield {xs: [c, rng.normal()], ys: c};
      }
    });
    const ds = remix(infinite, {batchSize: 32, numClasses: 2, seed: 1, source: 'dataset', poolSize: 20, epochSize: 25});
    expect(ds.size).toBe(25);
    const out = await collect(ds);
    expect(out.length).toBe(25);
    out.forEach(b => expectClose(colSums(b.y), [16, 16], 1e-6, 1e-4));
  });

  it("source 'dataset', approx: each row's class uniform (counts Multinomial(B, 1/C))", async () => {
    const data = rows(3000, [0.9, 0.07, 0.03], 13);
    const out = await collect(remix(tf.data.array(data), {batchSize: 30, numClasses: 3, seed: 4, source: 'dataset', balance: 'approx', epochSize: 400, alpha: 0.2}));
    expect(out.length).toBe(400);
    const mass = [0, 0, 0];
    const perBatch: number[] = [];
    out.forEach(b => {
      const m = colSums(b.y);
      m.forEach((v, c) => (mass[c] += v));
      perBatch.push(m[0]);
    });
    mass.forEach(v => expect(Math.abs(v / (400 * 30) - 1 / 3)).toBeLessThan(0.015));
    // Unlike 'exact', the per-batch mass varies (sd of Binomial(30, 1/3) ≈ 2.6).
    expect(new Set(perBatch.map(v => Math.round(v))).size).toBeGreaterThan(5);
  });
});

describe('remix: formats, epochs, determinism', () => {
  it('soft labels: numClasses wide, rows sum to 1; features any rank; integer features cast', async () => {
    const data = Array.from({length: 40}, (_, i) => ({xs: tf.tensor3d(Array.from({length: 12}, (_, k) => i + k), [2, 3, 2], 'int32'), ys: tf.oneHot(i % 3 === 0 ? 1 : 0, 5)}));
    const ds = tf.data.array(data);
    const out = await collect(remix(ds, {batchSize: 16, seed: 1}));
    expect(out.map(b => b.xShape)).toEqual([[16, 2, 3, 2], [16, 2, 3, 2], [8, 2, 3, 2]]);
    out.forEach(b => b.y.forEach(r => {
      expect(r.length).toBe(5);
      expect(Math.abs(r.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-6);
    }));
    tf.dispose(data.flatMap(d => [d.xs, d.ys]));
  });

  it('the last partial batch is resampled to its own size; smallLastBatch: false drops it; size', async () => {
    const data = rows(100, [0.5, 0.5]);
    const a = remix(tf.data.array(data), {batchSize: 64, numClasses: 2, seed: 1});
    expect(a.size).toBe(2);
    expect((await collect(a)).map(b => b.y.length)).toEqual([64, 36]);
    const b = remix(tf.data.array(data), {batchSize: 64, numClasses: 2, seed: 1, smallLastBatch: false});
    expect(b.size).toBe(1);
    expect((await collect(b)).length).toBe(1);
    // A generator's size is unknown: it is learned from the first complete epoch.
    const c = remix(chunked(data, 10), {batchSize: 64, numClasses: 2, seed: 1});
    expect(c.size).toBeNull();
    await collect(c);
    expect(c.size).toBe(2);
    // An array of 10 chunks has size 10: the first guess (⌈10/64⌉ = 1) is corrected by the first epoch.
    const parts = Array.from({length: 10}, (_, k) => ({xs: data.slice(10 * k, 10 * k + 10).map(r => r.xs), ys: data.slice(10 * k, 10 * k + 10).map(r => [r.ys])}));
    const d = remix(tf.data.array(parts), {batchSize: 64, numClasses: 2, seed: 1});
    expect(d.size).toBe(1);
    expect((await collect(d)).length).toBe(2);
    expect(d.size).toBe(2);
  });

  it("epochSize caps an epoch of source 'batch' (and its size)", async () => {
    const data = rows(320, [0.5, 0.5]);
    const full = await collect(remix(tf.data.array(data), {batchSize: 32, numClasses: 2, seed: 1}));
    const capped = remix(tf.data.array(data), {batchSize: 32, numClasses: 2, seed: 1, epochSize: 3});
    expect(capped.size).toBe(3);
    const out = await collect(capped);
    expect(out).toEqual(full.slice(0, 3)); // the same first batches, then the epoch ends
  });

  it('single rows, chunks and one-hot labels give identical batches for the same seed', async () => {
    const data = rows(300, [0.8, 0.15, 0.05], 21);
    const single = await collect(remix(tf.data.array(data), {batchSize: 32, numClasses: 3, seed: 5}));
    const chunks = await collect(remix(chunked(data, 37), {batchSize: 32, numClasses: 3, seed: 5}));
    const oneHot = await collect(remix(tf.data.array(data.map(r => ({xs: Float32Array.from(r.xs), ys: [0, 1, 2].map(k => (k === r.ys ? 1 : 0))}))), {batchSize: 32, seed: 5}));
    expect(chunks).toEqual(single);
    expect(oneHot).toEqual(single);
  });

  it('same seed ⇒ same batches; each epoch (iterator) differs; different seeds differ', async () => {
    const data = rows(200, [0.7, 0.3]);
    const ds = remix(tf.data.array(data), {batchSize: 32, numClasses: 2, seed: 42});
    const e0 = await collect(ds);
    const e1 = await collect(ds);
    expect(e1).not.toEqual(e0);
    const again = remix(tf.data.array(data), {batchSize: 32, numClasses: 2, seed: 42});
    expect(await collect(again)).toEqual(e0);
    expect(await collect(again)).toEqual(e1);
    expect(await collect(remix(tf.data.array(data), {batchSize: 32, numClasses: 2, seed: 43}))).not.toEqual(e0);
  });

  it('augment (ReMix (Aug)) runs on the resampled batch before mixing', async () => {
    const data = rows(64, [0.5, 0.5]);
    const seen: number[][] = [];
    const out = await collect(
      remix(tf.data.array(data), {
        batchSize: 32,
        numClasses: 2,
        seed: 3,
        augment: x => {
          seen.push(x.shape);
          return tf.concat([x.mul(0).add(7), x], 1); // a new feature column of 7s
        },
      }),
    );
    expect(seen).toEqual([[32, 2], [32, 2]]);
    expect(out[0].xShape).toEqual([32, 4]);
    for (let i = 0; i < 32; i++) {
      expect(out[0].x[i * 4]).toBeCloseTo(7, 5);
      expect(out[0].x[i * 4 + 1]).toBeCloseTo(7, 5);
    }
    await expect(collect(remix(tf.data.array(data), {batchSize: 32, numClasses: 2, augment: x => x.slice(0, 3)}))).rejects.toThrow(/augment/);
  });

  it('features of a mixed row come from its resampled pair (labels and features mixed alike)', async () => {
    // Feature = one-hot class, so mixed features equal the soft labels.
    const data = rows(256, [0.6, 0.3, 0.1], 31).map(r => ({xs: [0, 1, 2].map(k => (k === r.ys ? 1 : 0)), ys: r.ys}));
    const out = await collect(remix(tf.data.array(data), {batchSize: 32, numClasses: 3, seed: 6, alpha: 1}));
    out.forEach(b => expectClose(b.x, b.y.flat(), 1e-6, 1e-6));
  });
});

describe('remix: errors', () => {
  const good = () => tf.data.array(rows(20, [0.5, 0.5]));
  it('validates options up front', () => {
    expect(() => remix(good(), {alpha: 0, numClasses: 2})).toThrow(/alpha: expected a finite number > 0, got 0/);
    expect(() => remix(good(), {alpha: -1, numClasses: 2})).toThrow(ImbalancedInputError);
    expect(() => remix(good(), {source: 'global' as never})).toThrow(/source/);
    expect(() => remix(good(), {balance: 'fair' as never})).toThrow(/balance/);
    expect(() => remix(good(), {batchSize: 0})).toThrow(/batchSize/);
    expect(() => remix(good(), {batchSize: 2, numClasses: 3, source: 'dataset'})).toThrow(/batchSize: expected an integer >= numClasses = 3/);
    expect(() => remix(good(), {poolSize: 10})).toThrow(/poolSize/);
    expect(() => remix({} as never)).toThrow(/dataset/);
  });

  it('rejects bad data while streaming', async () => {
    const nan = tf.data.array([{xs: [1, 2], ys: 0}, {xs: [NaN, 2], ys: 1}]);
    await expect(collect(remix(nan, {numClasses: 2}))).rejects.toThrow(/xs\[1\]: expected finite feature values, got NaN/);
    const inf = tf.data.array([{xs: [1, Infinity], ys: 0}]);
    await expect(collect(remix(inf, {numClasses: 2}))).rejects.toThrow(/finite feature values/);
    await expect(collect(remix(good()))).rejects.toThrow(/numClasses: expected the number of classes/);
    await expect(collect(remix(tf.data.array([{xs: [1], ys: 2}]), {numClasses: 2}))).rejects.toThrow(/ys\[0\]: expected a class index: an integer in \[0, 1\]/);
    await expect(collect(remix(tf.data.array([{xs: [1], ys: [0.5, 0.5]}])))).rejects.toThrow(/one-hot row/);
    // A batched dataset with rank-1 class-index labels is read as batches of rows (said by batched: true, or inferred).
    const batched = tf.data.array(rows(20, [0.5, 0.5])).batch(4);
    const read = await collect(remix(batched, {numClasses: 2, batched: true, batchSize: 5}));
    expect(read.map(b => b.xShape)).toEqual([[5, 2], [5, 2], [5, 2], [5, 2]]);
    await expect(collect(remix(batched, {numClasses: 2, batched: false}))).rejects.toThrow(/got shape \[1, 4\] \(dataset element 0: ys \[4\] read as one row\)/);
    expect(() => remix(batched, {numClases: 2} as never)).toThrow(/^numClases: expected an option of remix: did you mean 'numClasses'\?/);
    const shapes = tf.data.array([{xs: [1, 2], ys: 0}, {xs: [1, 2, 3], ys: 1}]);
    await expect(collect(remix(shapes, {numClasses: 2}))).rejects.toThrow(/like the first row/);
    const absent = tf.data.array(rows(20, [1, 0]));
    await expect(collect(remix(absent, {numClasses: 2, source: 'dataset'}))).rejects.toThrow(/class 1: expected rows in the data/);
  });
});
