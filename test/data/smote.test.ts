import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {SMOTE, interpolate, smote} from '../../src/data/smote';
import {exactDistance} from '../../src/data/neighbors';
import {ImbalancedInputError} from '../../src/errors';
import {expectClose, expectNoGrowth, smallModel, tensorCountsPerEpoch} from '../helpers';
import {Random} from '../../src/core/random';

/** Seeded 3-class data: 60 / 14 / 9 rows, d features, shifted class means. */
function data(d = 3, sizes = [60, 14, 9], seed = 5): {x: number[][]; y: number[]} {
  const rng = new Random(seed);
  const x: number[][] = [];
  const y: number[] = [];
  sizes.forEach((n, c) => {
    for (let i = 0; i < n; i++) {
      x.push(Array.from({length: d}, (_, t) => rng.normal() + (t === c % d ? 2 : 0)));
      y.push(c);
    }
  });
  // Interleave the classes so that class rows are not contiguous.
  const perm = Array.from(new Random(seed + 1).permutation(y.length));
  return {x: perm.map(i => x[i]), y: perm.map(i => y[i])};
}

/** Brute-force k nearest same-class neighbours (input indices) of every row. */
function bruteNeighbours(x: number[][], y: number[], k: number): Map<number, number[]> {
  const flat = Float64Array.from(x.flat());
  const d = x[0].length;
  const out = new Map<number, number[]>();
  y.forEach((c, i) => {
    const cand: Array<[number, number]> = [];
    y.forEach((c2, j) => { if (c2 === c && j !== i) cand.push([exactDistance(flat, i, flat, j, d), j]); });
    cand.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    out.set(i, cand.slice(0, k).map(p => p[1]));
  });
  return out;
}

/** Is z on the segment a -> b? Returns the gap t, or null. */
function segmentGap(z: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>, tol: number): number | null {
  let num = 0;
  let den = 0;
  for (let t = 0; t < a.length; t++) {
    num += (z[t] - a[t]) * (b[t] - a[t]);
    den += (b[t] - a[t]) ** 2;
  }
  const u = den === 0 ? 0 : num / den;
  if (u < -tol || u > 1 + tol) return null;
  for (let t = 0; t < a.length; t++) if (Math.abs(a[t] + u * (b[t] - a[t]) - z[t]) > tol * (1 + Math.abs(z[t]))) return null;
  return u;
}

describe('SMOTE interpolation (remix.md §7 oracle)', () => {
  it('x = [1, 1], x_nn = [3, 2], u = 0.25 gives [1.5, 1.25]', () => {
    const out = new Float64Array(2);
    interpolate(Float64Array.of(1, 1), Float64Array.of(3, 2), 2, Int32Array.of(0), Int32Array.of(0), Float64Array.of(0.25), out, 0);
    expectClose(out, [1.5, 1.25], 0, 1e-15);
  });
});

describe('smote: statistical tests with fixed seeds', () => {
  const {x, y} = data();
  const k = 5;
  const nn = bruteNeighbours(x, y, k);

  it('every synthetic row lies on a segment from a class row to one of its k nearest class rows (brute-force reference)', () => {
    const res = smote(x, y, {k, seed: 11});
    const synth = res.xs.slice(x.length);
    expect(synth.length).toBe(46 + 51);
    synth.forEach((z, g) => {
      const c = res.ys[x.length + g];
      // Independently of the provenance: search every (row, neighbour) segment of the class.
      let found = false;
      for (let i = 0; i < y.length && !found; i++) {
        if (y[i] !== c) continue;
        for (const j of nn.get(i) as number[]) if (segmentGap(z, x[i], x[j], 1e-9) !== null) { found = true; break; }
      }
      expect(found).toBe(true);
      // And the provenance says which segment: x[sample] + gap (x[neighbor] - x[sample]).
      const s = res.synthetic.sample[g];
      const j = res.synthetic.neighbor[g];
      expect(y[s]).toBe(c);
      expect(nn.get(s)).toContain(j);
      expect(res.synthetic.gap[g]).toBeGreaterThanOrEqual(0);
      expect(res.synthetic.gap[g]).toBeLessThan(1);
      expectClose(z, x[s].map((v, t) => v + res.synthetic.gap[g] * (x[j][t] - v)), 1e-12, 1e-12);
    });
  });

  it('class counts reach the target of each strategy; originals come first, unchanged', () => {
    const cases: Array<[Parameters<typeof smote>[2], number[]]> = [
      [{}, [60, 60, 60]],
      [{samplingStrategy: 'minority'}, [60, 14, 60]],
      [{samplingStrategy: {1: 20, 2: 9}}, [60, 20, 9]],
      [{samplingStrategy: (c: number[]) => ({2: c[1] * 2})}, [60, 14, 28]],
    ];
    for (const [opts, want] of cases) {
      const res = smote(x, y, {seed: 1, ...opts});
      const counts = [0, 0, 0];
      (res.ys as number[]).forEach(c => counts[c]++);
      expect(counts).toEqual(want);
      expect(res.xs.slice(0, x.length)).toEqual(x);
      expect(res.ys.slice(0, y.length)).toEqual(y);
      // Synthetic rows grouped by ascending class.
      const tail = res.ys.slice(y.length);
      expect(tail).toEqual([...tail].sort((p, q) => p - q));
    }
    // A ratio on binary data.
    const bin = y.map((c, i) => [c, i] as const).filter(([c]) => c !== 2);
    const res = smote(bin.map(([, i]) => x[i]), bin.map(([c]) => c), {samplingStrategy: 0.5, seed: 2});
    expect(res.ys.filter(c => c === 1).length).toBe(30);
  });

  it('gaps are U(0, 1) and base rows / neighbour ranks uniform (fixed seed, loose bounds)', () => {
    const res = smote(x, y, {k, seed: 3, samplingStrategy: {2: 9 + 9000}});
    const gaps = Array.from(res.synthetic.gap);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.015); // sd of the mean: 0.003
    const perBase = new Map<number, number>();
    res.synthetic.sample.forEach(s => perBase.set(s, (perBase.get(s) ?? 0) + 1));
    expect(perBase.size).toBe(9);
    for (const v of perBase.values()) expect(Math.abs(v - 1000)).toBeLessThan(150); // sd ~ 30
  });
});

describe('smote: formats', () => {
  const {x, y} = data(4, [30, 8]);
  const opts = {k: 3, seed: 4};

  it('tensors in, tensors out: sparse [n] int32, [n, 1] float32, one-hot [n, C]', () => {
    const arr = smote(x, y, opts);
    const xs = tf.tensor2d(x);
    const variants: Array<[tf.Tensor, number[]]> = [
      [tf.tensor1d(y, 'int32'), [60]],
      [tf.tensor2d(y, [y.length, 1]), [60, 1]],
      [tf.oneHot(tf.tensor1d(y, 'int32'), 2).toFloat(), [60, 2]],
    ];
    for (const [ys, shape] of variants) {
      const before = tf.memory().numTensors;
      const res = smote(xs, ys, opts);
      expect(tf.memory().numTensors).toBe(before + 2);
      expect(res.xs.shape).toEqual([60, 4]);
      expect(res.ys.shape).toEqual(shape);
      expect(res.ys.dtype).toBe(ys.dtype);
      const labels = shape.length === 2 && shape[1] === 2 ? Array.from(res.ys.argMax(1).dataSync()) : Array.from(res.ys.dataSync());
      expect(labels).toEqual(arr.ys);
      // Same synthetic rows as the array input, to float32 precision.
      expectClose(res.xs.dataSync(), arr.xs.flat(), 1e-6, 1e-6);
      tf.dispose([res.xs, res.ys, ys]);
    }
    xs.dispose();
  });

  it('arrays out mirror the input containers: typed labels, one-hot rows, typed rows', () => {
    const typed = smote(x.map(r => Float32Array.from(r)), Int32Array.from(y), opts);
    expect(typed.ys).toBeInstanceOf(Int32Array);
    expect(typed.xs[40]).toBeInstanceOf(Float32Array);
    const onehot = smote(x, y.map(c => (c === 0 ? [1, 0] : [0, 1])), opts);
    expect(onehot.ys[45]).toEqual([0, 1]);
    expect(onehot.ys.length).toBe(60);
    // Integer typed rows would truncate the interpolated values: with synthetic rows they come back as Float64Array.
    const scaled = x.map(r => r.map(v => Math.round(v * 100)));
    const ints = smote(scaled.map(r => Int32Array.from(r)), y, opts);
    expect(ints.xs[0]).toBeInstanceOf(Float64Array);
    expect(ints.xs[45]).toBeInstanceOf(Float64Array);
    expect(ints.xs.map(r => Array.from(r))).toEqual(smote(scaled, y, opts).xs);
    expect(ints.xs.slice(30).some(r => Array.from(r).some(v => !Number.isInteger(v)))).toBe(true);
    // The same for a typed array of scalar rows.
    const col = smote(Int16Array.from(scaled, r => r[0]), y, opts);
    expect(col.xs).toBeInstanceOf(Float64Array);
    expect(Array.from(col.xs)).toEqual(smote(scaled.map(r => r[0]), y, opts).xs);
  });

  it('any feature rank: [n, 2, 2] tensors and nested arrays keep their row shape', () => {
    const x3 = x.map(r => [[r[0], r[1]], [r[2], r[3]]]);
    const res = smote(x3, y, opts);
    expect(res.xs.length).toBe(60);
    expect(res.xs[59].length).toBe(2);
    expect(res.xs[59][1].length).toBe(2);
    const flatRes = smote(x, y, opts);
    expect(res.xs.map(r => r.flat())).toEqual(flatRes.xs);
    const t = tf.tensor3d(x3);
    const ys = tf.tensor1d(y, 'int32');
    const rt = smote(t, ys, opts);
    expect(rt.xs.shape).toEqual([60, 2, 2]);
    tf.dispose([t, ys, rt.xs, rt.ys]);
  });
});

describe('smote: determinism', () => {
  const {x, y} = data(5, [80, 20]);

  it('the same seed gives identical rows; kernels js and tf agree; another seed differs', () => {
    const a = smote(x, y, {seed: 7, kernel: 'js'});
    const b = smote(x, y, {seed: 7, kernel: 'tf'});
    const c = smote(x, y, {seed: 7});
    expect(b.xs).toEqual(a.xs);
    expect(c.xs).toEqual(a.xs);
    expect(smote(x, y, {seed: 8}).xs).not.toEqual(a.xs);
    // An unseeded sampler draws new rows on every call; a seeded one repeats them.
    const seeded = new SMOTE({seed: 3});
    expect(seeded.fitResample(x, y).xs).toEqual(seeded.fitResample(x, y).xs);
    const unseeded = new SMOTE();
    expect(unseeded.fitResample(x, y).xs).not.toEqual(unseeded.fitResample(x, y).xs);
  });

  it('identical output on the cpu and wasm backends (tensor input, tf kernel)', async () => {
    const run = () => tf.tidy(() => {
      const res = smote(tf.tensor2d(x), tf.tensor1d(y, 'int32'), {seed: 9, kernel: 'tf'});
      return Array.from(res.xs.dataSync());
    });
    const cpu = run();
    expect(await tf.setBackend('wasm')).toBe(true);
    await tf.ready();
    try {
      expect(tf.getBackend()).toBe('wasm');
      expect(run()).toEqual(cpu);
    } finally {
      await tf.setBackend('cpu');
    }
  });
});

describe('smote: errors', () => {
  const {x, y} = data(3, [20, 5]);

  it('k >= the size of a class to grow names k, the class and its size', () => {
    expect(() => smote(x, y, {k: 5})).toThrow(ImbalancedInputError);
    expect(() => smote(x, y, {k: 5})).toThrow(/^k: expected fewer neighbours than class 1 has other rows \(class 1 has 5 rows, so k <= 4/);
    expect(smote(x, y, {k: 4, seed: 1}).ys.length).toBe(40);
    // A class that is not grown may be small.
    expect(smote(x, y, {k: 6, samplingStrategy: {0: 25}, seed: 1}).ys.length).toBe(30);
  });

  it('NaN / Infinity features, length mismatch, bad labels, bad strategy, absent class', () => {
    const bad = x.map(r => r.slice());
    bad[3][1] = NaN;
    expect(() => smote(bad, y, {k: 3})).toThrow(/^xs\[3\]: expected finite feature values/);
    const inf = tf.tensor2d(x.map((r, i) => (i === 7 ? [r[0], Infinity, r[2]] : r)));
    expect(() => smote(inf, tf.tensor1d(y, 'int32'), {k: 3})).toThrow(/^xs\[7\]: expected finite/);
    inf.dispose();
    expect(() => smote(x, y.slice(1), {k: 3})).toThrow(/^ys: expected 25 labels \(one per row of xs\), got 24 labels/);
    expect(() => smote(x, y.map((c, i) => (i === 2 ? 0.5 : c)), {k: 3})).toThrow(/^ys\[2\]: expected a class index/);
    expect(() => smote(x, y, {samplingStrategy: 'balanced' as never})).toThrow(/^samplingStrategy: expected one of/);
    expect(() => smote(x, y, {k: 3, samplingStrategy: {2: 10}})).toThrow(/^samplingStrategy\[2\]: expected a class present in the data/);
    expect(() => smote(x, y, {k: 0})).toThrow(/^k: expected an integer >= 1/);
    expect(() => smote(x, y.map(() => 1), {k: 3})).toThrow(/at least 2 classes/);
    expect(() => smote([[1, 2], [3]], [0, 1])).toThrow(/^xs\[1\]: expected an array of shape \[2\]/);
  });
});

describe('smote: no tensor leaks', () => {
  it('fit on smote() output keeps tf.memory().numTensors constant across epochs', async () => {
    const {x, y} = data(4, [40, 10]);
    const {xs, ys} = smote(tf.tensor2d(x), tf.oneHot(tf.tensor1d(y, 'int32'), 2), {k: 3, seed: 1});
    const model = smallModel(4, 2);
    model.compile({optimizer: 'sgd', loss: 'categoricalCrossentropy'});
    expectNoGrowth(await tensorCountsPerEpoch(model, xs, ys, {}, 3));
    model.dispose();
    tf.dispose([xs, ys]);
  });
});
