import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import fixture from '../fixtures/smotenc.json';
import {SMOTENC, encodeMixed, medianStd, smoteNC} from '../../src/data/smoteNC';
import {exactDistance, kNeighbors} from '../../src/data/neighbors';
import {ImbalancedInputError} from '../../src/errors';
import {expectClose, expectNoGrowth, smallModel, tensorCountsPerEpoch} from '../helpers';

// test/fixtures/smotenc.json comes from scripts/fixtures/make_smotenc_fixtures.py
// (Debian's imbalanced-learn 0.10.0 / scikit-learn 1.2.1). 'neighbours' are the
// sets under the rule smoteNC implements (per-class m_c, a mismatch adds m_c^2:
// imbalanced-learn >= 0.11); 'neighboursV010' those of the installed 0.10.0
// (m of the smallest class, a mismatch adds m^2 / 2), which explain the
// synthetic rows imblearn 0.10.0 produced ('imblearnSynthetic').
const X = fixture.X as number[][];
const y = fixture.y as number[];
const k = fixture.k;
const CAT = fixture.categorical as number[];
const CONT = [0, 1, 2, 3, 4].filter(t => !CAT.includes(t));
const d = X[0].length;
type Table = Record<string, Record<string, number[]>>;

function counts(ys: ArrayLike<number>, C = 3): number[] {
  const out = new Array<number>(C).fill(0);
  Array.from(ys).forEach(c => out[c]++);
  return out;
}

function classIndices(c: number): number[] {
  return y.flatMap((v, i) => (v === c ? [i] : []));
}

/** Our neighbour table (input indices) of class c with ones of `scale`. */
function ourNeighbours(c: number, scale: number, rows: Float32Array | Float64Array, kernel: 'js' | 'tf'): Record<string, number[]> {
  const idx = classIndices(c);
  const enc = encodeMixed(rows, d, CAT, scale);
  const nns = kNeighbors(enc.values, idx.length, enc.width, k, {kernel});
  return Object.fromEntries(idx.map((i, r) => [String(i), Array.from(nns.subarray(r * k, (r + 1) * k), j => idx[j])]));
}

/** The most frequent values of feature t among rows `nbrs` of `data` (all of them on a tie). */
function modes(data: number[][], nbrs: number[], t: number): number[] {
  const tally = new Map<number, number>();
  nbrs.forEach(j => tally.set(data[j][t], (tally.get(data[j][t]) ?? 0) + 1));
  const top = Math.max(...tally.values());
  return [...tally].filter(([, c]) => c === top).map(([v]) => v);
}

/** Is z on the segment a -> b over the continuous features? */
function onSegment(z: ArrayLike<number>, a: number[], b: number[], tol: number): boolean {
  let num = 0;
  let den = 0;
  for (const t of CONT) {
    num += (z[t] - a[t]) * (b[t] - a[t]);
    den += (b[t] - a[t]) ** 2;
  }
  const u = den === 0 ? 0 : num / den;
  if (u < -tol || u > 1 + tol) return false;
  return CONT.every(t => Math.abs(a[t] + u * (b[t] - a[t]) - z[t]) <= tol * (1 + Math.abs(z[t])));
}

/**
 * A SMOTE-NC row of class c for the neighbour table, searched without
 * provenance: some class row i and neighbour j with z's continuous part on
 * the segment x_i -> x_j and every categorical value a mode among i's neighbours.
 */
function explained(z: ArrayLike<number>, c: number, table: Table, tol: number): boolean {
  return Object.entries(table[String(c)]).some(([iStr, nbrs]) => {
    const i = Number(iStr);
    if (!CAT.every(t => modes(X, nbrs, t).includes(z[t]))) return false;
    return nbrs.some(j => onSegment(z, X[i], X[j], tol));
  });
}

describe('smoteNC vs imbalanced-learn (fixture)', () => {
  const grown = fixture.grown as number[];
  const table = fixture.neighbours as Table;
  const tableV010 = fixture.neighboursV010 as Table;

  it('m_c: the median of the continuous features\' standard deviations (ddof 0) in each grown class', () => {
    const res = smoteNC(X, y, {categoricalFeatures: CAT, k, seed: 0});
    for (const c of grown) {
      const rows = Float64Array.from(classIndices(c).flatMap(i => X[i]));
      expectClose(medianStd(rows, d, CONT), (fixture.medianStd as Record<string, number>)[String(c)], 1e-12, 1e-15);
      expectClose(res.medianStd[c], (fixture.medianStd as Record<string, number>)[String(c)], 1e-12, 1e-15);
    }
    expect(res.medianStd[0]).toBeNaN();
    // imblearn 0.10's single m is the smallest class's (class 2).
    expectClose(fixture.medianStdV010, (fixture.medianStd as Record<string, number>)['2'], 1e-12, 0);
  });

  it('same neighbour sets under both encodings (js and tf kernels, float64 and float32 rows); the two rules differ', () => {
    for (const c of grown) {
      const idx = classIndices(c);
      const m = (fixture.medianStd as Record<string, number>)[String(c)];
      for (const rows of [Float64Array.from(idx.flatMap(i => X[i])), Float32Array.from(idx.flatMap(i => X[i]))]) {
        for (const kernel of ['js', 'tf'] as const) {
          expect(ourNeighbours(c, m / Math.SQRT2, rows, kernel)).toEqual(table[String(c)]);
          expect(ourNeighbours(c, fixture.medianStdV010 / 2, rows, kernel)).toEqual(tableV010[String(c)]);
        }
      }
    }
    // So the comparison above can tell the rules apart.
    expect(fixture.rowsWhoseSetsDiffer).toBeGreaterThan(0);
    expect(table).not.toEqual(tableV010);
  });

  it('imblearn 0.10.0\'s own synthetic rows are explained by our encoding, k-NN and mode rule (with its m and scale)', () => {
    const ours: Table = {};
    for (const c of grown) ours[String(c)] = ourNeighbours(c, fixture.medianStdV010 / 2, Float64Array.from(classIndices(c).flatMap(i => X[i])), 'js');
    const s = fixture.imblearnSynthetic;
    expect(s.y.length).toBe(54);
    s.X.forEach((z, g) => expect(explained(z, s.y[g], ours, 1e-9)).toBe(true));
    // Negative control: with the neighbour sets of the other rule some row is not explained.
    expect(s.X.some((z, g) => !explained(z, s.y[g], table, 1e-9))).toBe(true);
  });

  it('every synthetic row: continuous part on a segment from a class row to one of its neighbours, categorical values their mode', () => {
    // ~1000 rows per class, so that the drawn (row, neighbour) pairs cover the whole neighbour table.
    const res = smoteNC(X, y, {categoricalFeatures: CAT, k, seed: 0, samplingStrategy: {1: 1016, 2: 1010}});
    expect(res.xs.length).toBe(X.length + 2000);
    expect(res.xs.slice(0, X.length)).toEqual(X);
    const used = new Map<number, Set<number>>();
    res.xs.slice(X.length).forEach((z, g) => {
      const c = res.ys[X.length + g];
      if (g % 20 === 0) expect(explained(z, c, table, 1e-9)).toBe(true); // without provenance (a sample: it is a slow search)
      // The provenance names the segment; the categorical values are the modes among the base row's neighbours.
      const s = res.synthetic.sample[g];
      const j = res.synthetic.neighbor[g];
      const u = res.synthetic.gap[g];
      expect(y[s]).toBe(c);
      expect(res.synthetic.label[g]).toBe(c);
      expect(table[String(c)][String(s)]).toContain(j);
      for (const t of CONT) expectClose(z[t], X[s][t] + u * (X[j][t] - X[s][t]), 1e-12, 1e-12);
      for (const t of CAT) expect(modes(X, table[String(c)][String(s)], t)).toContain(z[t]);
      if (!used.has(s)) used.set(s, new Set());
      (used.get(s) as Set<number>).add(j);
    });
    // Every row of the grown classes used every one of its imblearn-matching neighbours.
    for (const c of grown) {
      for (const [i, nbrs] of Object.entries(table[String(c)])) expect([...(used.get(Number(i)) ?? [])].sort((a, b) => a - b)).toEqual([...nbrs].sort((a, b) => a - b));
    }
  });

  it('same resampled counts: index list and mask, strategies, binary ratios', () => {
    const r = fixture.resampled;
    expect(counts(smoteNC(X, y, {categoricalFeatures: CAT, k, seed: 0}).ys)).toEqual(r.auto);
    const mask = X[0].map((_, t) => CAT.includes(t));
    expect(counts(smoteNC(X, y, {categoricalFeatures: mask, k, seed: 0}).ys)).toEqual(r.mask);
    // The mask and the index list are the same option.
    expect(smoteNC(X, y, {categoricalFeatures: mask, k, seed: 0}).xs).toEqual(smoteNC(X, y, {categoricalFeatures: [3, 1], k, seed: 0}).xs);
    expect(counts(smoteNC(X, y, {categoricalFeatures: CAT, k, seed: 0, samplingStrategy: 'not minority'}).ys)).toEqual(r['not minority']);
    const dict = Object.fromEntries(Object.entries(r.dict.strategy).map(([c, v]) => [Number(c), v]));
    expect(counts(smoteNC(X, y, {categoricalFeatures: CAT, k, seed: 0, samplingStrategy: dict}).ys)).toEqual(r.dict.counts);
    for (const [ratio, want] of Object.entries(fixture.binary.ratio)) {
      expect(counts(smoteNC(fixture.binary.X, fixture.binary.y, {categoricalFeatures: CAT, k, seed: 0, samplingStrategy: Number(ratio)}).ys)).toEqual(want);
    }
  });
});

describe('smoteNC: oracles', () => {
  it('medianStd and encodeMixed by hand: a categorical mismatch adds exactly scale^2 per one-hot entry', () => {
    // Continuous columns 0, 2, 3: std 1.118..., 0, 1 -> median 1.
    const rows = Float64Array.from([1, 7, 0, 0, 2, 7, 0, 2, 3, 9, 0, 0, 4, 9, 0, 2]);
    expectClose(medianStd(rows, 4, [0, 2, 3]), 1, 0, 1e-15);
    // Even count: the mean of the two middle values.
    expectClose(medianStd(rows, 4, [0, 3]), (Math.sqrt(1.25) + 1) / 2, 1e-15, 0);
    const enc = encodeMixed(rows, 4, [1], 1 / Math.SQRT2);
    expect(enc.width).toBe(3 + 2);
    // Rows 0 and 2 differ in the categorical feature (7 vs 9): continuous distance 4 + 0 + 0, plus m^2 = 1.
    expectClose(exactDistance(enc.values, 0, enc.values, 2, enc.width), 4 + 1, 1e-15, 0);
    expectClose(exactDistance(enc.values, 0, enc.values, 1, enc.width), 1 + 4, 1e-15, 0);
  });

  it('categorical values: the mode among the k neighbours (the base row itself not counted); ties drawn uniformly', () => {
    // Class 1: 5 rows, k = 4, so every row's neighbours are the 4 others. Codes 0, 0, 1, 1, 2:
    // rows 0 and 1 -> mode 1, rows 2 and 3 -> mode 0, row 4 -> a tie of 0 and 1.
    const x1 = [[0, 0, 0], [0.1, 0, 1], [0.2, 1, 0], [0.3, 1, 1], [0.4, 2, 0.5]];
    const x0 = Array.from({length: 6}, (_, i) => [5 + i, 0, 5]);
    const xs = [...x0, ...x1];
    const ys = [...x0.map(() => 0), ...x1.map(() => 1)];
    const res = smoteNC(xs, ys, {categoricalFeatures: [1], k: 4, seed: 2, samplingStrategy: {1: 5 + 2000}});
    const want = [1, 1, 0, 0];
    const tie = [0, 0];
    res.synthetic.sample.forEach((s, g) => {
      const code = res.xs[xs.length + g][1];
      const base = s - x0.length;
      if (base < 4) expect(code).toBe(want[base]);
      else tie[code]++;
    });
    // About 400 rows seed from row 4: each tied code about half of them (sd ~ 10).
    expect(tie[0] + tie[1]).toBeGreaterThan(300);
    expect(Math.abs(tie[0] - tie[1])).toBeLessThan(100);
  });
});

describe('smoteNC: formats', () => {
  const opts = {categoricalFeatures: CAT, k, seed: 4};

  it('tensors in, tensors out: float32 / int32 features, sparse / one-hot labels; categorical codes stay integers', () => {
    const arr = smoteNC(X, y, opts);
    const variants: Array<[tf.Tensor, number[]]> = [
      [tf.tensor1d(y, 'int32'), [120]],
      [tf.oneHot(tf.tensor1d(y, 'int32'), 3), [120, 3]],
    ];
    const xs = tf.tensor2d(X);
    for (const [ys, shape] of variants) {
      const before = tf.memory().numTensors;
      const res = smoteNC(xs, ys, opts);
      expect(tf.memory().numTensors).toBe(before + 2);
      expect(res.xs.shape).toEqual([120, 5]);
      expect(res.xs.dtype).toBe('float32');
      expect(res.ys.shape).toEqual(shape);
      expect(res.ys.dtype).toBe(ys.dtype);
      const out = res.xs.arraySync() as number[][];
      // Same synthetic rows as the float64 array input, to float32 precision; categorical values exactly.
      expectClose(out.flat(), arr.xs.flat(), 1e-6, 1e-6);
      out.forEach((row, i) => CAT.forEach(t => expect(row[t]).toBe(arr.xs[i][t])));
      tf.dispose([res.xs, res.ys, ys]);
    }
    xs.dispose();
    // Integer features (a continuous int32 column is interpolated to non-integers).
    const xi = tf.tensor2d(X.map(r => r.map(v => Math.round(v * 10))), undefined, 'int32');
    const yi = tf.tensor1d(y, 'int32');
    const ri = smoteNC(xi, yi, opts);
    expect(ri.xs.dtype).toBe('float32');
    const synth = (ri.xs.arraySync() as number[][]).slice(X.length);
    expect(synth.some(row => !Number.isInteger(row[0]))).toBe(true);
    expect(synth.every(row => CAT.every(t => Number.isInteger(row[t])))).toBe(true);
    tf.dispose([xi, yi, ri.xs, ri.ys]);
  });

  it('typed rows and typed labels keep their containers', () => {
    const res = smoteNC(X.map(r => Float64Array.from(r)), Int32Array.from(y), opts);
    expect(res.ys).toBeInstanceOf(Int32Array);
    expect(res.xs[100]).toBeInstanceOf(Float64Array);
    expect(Array.from(res.xs[100])).toEqual(smoteNC(X, y, opts).xs[100]);
  });
});

describe('smoteNC: determinism', () => {
  it('same seed, same rows; kernels js and tf agree; another seed differs; an unseeded sampler draws anew', () => {
    const a = smoteNC(X, y, {categoricalFeatures: CAT, seed: 7, kernel: 'js'});
    expect(smoteNC(X, y, {categoricalFeatures: CAT, seed: 7, kernel: 'tf'}).xs).toEqual(a.xs);
    expect(smoteNC(X, y, {categoricalFeatures: CAT, seed: 7}).xs).toEqual(a.xs);
    expect(smoteNC(X, y, {categoricalFeatures: CAT, seed: 8}).xs).not.toEqual(a.xs);
    const seeded = new SMOTENC({categoricalFeatures: CAT, seed: 3});
    expect(seeded.fitResample(X, y).xs).toEqual(seeded.fitResample(X, y).xs);
    const unseeded = new SMOTENC({categoricalFeatures: CAT});
    expect(unseeded.fitResample(X, y).xs).not.toEqual(unseeded.fitResample(X, y).xs);
  });

  it('identical output on the cpu and wasm backends (tensor input, tf kernel)', async () => {
    const run = () => tf.tidy(() => {
      const res = smoteNC(tf.tensor2d(X), tf.tensor1d(y, 'int32'), {categoricalFeatures: CAT, seed: 9, kernel: 'tf'});
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

describe('smoteNC: errors', () => {
  const ok = {categoricalFeatures: CAT, k};

  it('categoricalFeatures: missing, empty, all-false mask, duplicates, bad entries (at construction)', () => {
    expect(() => new SMOTENC({} as never)).toThrow(ImbalancedInputError);
    expect(() => new SMOTENC({} as never)).toThrow(/^categoricalFeatures: expected the indices of the categorical features or a boolean mask .*use smote.*got undefined/);
    expect(() => new SMOTENC(undefined as never)).toThrow(/^options: expected an options object/);
    expect(() => new SMOTENC({categoricalFeatures: []})).toThrow(/^categoricalFeatures: expected at least one categorical feature index \(without any, use smote\)/);
    expect(() => new SMOTENC({categoricalFeatures: [false, false]})).toThrow(/^categoricalFeatures: expected a mask with at least one categorical feature/);
    expect(() => new SMOTENC({categoricalFeatures: [1, 3, 1]})).toThrow(/^categoricalFeatures\[2\]: expected distinct feature indices/);
    expect(() => new SMOTENC({categoricalFeatures: [1, -1]})).toThrow(/^categoricalFeatures\[1\]: expected an integer >= 0, got -1/);
    expect(() => new SMOTENC({categoricalFeatures: [1.5]})).toThrow(/^categoricalFeatures\[0\]: expected an integer >= 0, got 1.5/);
    expect(() => new SMOTENC({categoricalFeatures: [1, true] as never})).toThrow(/^categoricalFeatures\[1\]: expected an integer/);
    expect(() => new SMOTENC({categoricalFeatures: CAT, k: 0})).toThrow(/^k: expected an integer >= 1/);
  });

  it('against the data: indices out of range, mask length, all categorical (-> SMOTEN), not [n, d]', () => {
    expect(() => smoteNC(X, y, {categoricalFeatures: [1, 5], k})).toThrow(/^categoricalFeatures\[1\]: expected an integer >= 0 and <= 4, got 5/);
    expect(() => smoteNC(X, y, {categoricalFeatures: [true, false], k})).toThrow(/^categoricalFeatures: expected a boolean mask of length 5 \(one entry per feature\), got a mask of length 2/);
    const allCat = X.map(r => r.map(v => Math.round(v)));
    expect(() => smoteNC(allCat, y, {categoricalFeatures: [0, 1, 2, 3, 4], k})).toThrow(/^categoricalFeatures: expected at least one continuous feature .*use SMOTEN/);
    expect(() => smoteNC(X.map(r => [r.slice(0, 2), r.slice(2, 4)]), y, {categoricalFeatures: [1], k})).toThrow(/^xs: expected rows of d features, shape \[n, d\].*got rows of shape \[2, 2\]/);
    expect(() => smoteNC(X.map(r => r[0]), y, {categoricalFeatures: [0], k})).toThrow(/^xs: expected rows of d features/);
  });

  it('values: non-integer codes in a categorical column, NaN / Infinity anywhere; plus the smote checks', () => {
    const frac = X.map(r => r.slice());
    frac[6][3] = 2.5;
    expect(() => smoteNC(frac, y, ok)).toThrow(/^xs\[6\]\[3\]: expected an integer category code \(feature 3 is categorical\), got 2.5/);
    for (const t of [0, 1]) {
      const bad = X.map(r => r.slice());
      bad[4][t] = NaN;
      expect(() => smoteNC(bad, y, ok)).toThrow(/^xs\[4\]: expected finite feature values/);
    }
    const inf = tf.tensor2d(X.map((r, i) => (i === 9 ? [r[0], r[1], Infinity, r[3], r[4]] : r)));
    const ys = tf.tensor1d(y, 'int32');
    expect(() => smoteNC(inf, ys, ok)).toThrow(/^xs\[9\]: expected finite/);
    tf.dispose([inf, ys]);
    // A grown class of 10 rows: k <= 9.
    expect(() => smoteNC(X, y, {categoricalFeatures: CAT, k: 10})).toThrow(/^k: expected fewer neighbours than class 2 has other rows \(class 2 has 10 rows/);
    expect(() => smoteNC(X, y.slice(1), ok)).toThrow(/^ys: expected 66 labels/);
    expect(() => smoteNC(X, y, {...ok, samplingStrategy: 'balanced' as never})).toThrow(/^samplingStrategy:/);
  });
});

describe('smoteNC: no tensor leaks', () => {
  it('no tensors besides the two outputs; fit on the output keeps tf.memory().numTensors constant across epochs', async () => {
    const before = tf.memory().numTensors;
    const xsIn = tf.tensor2d(X);
    const ysIn = tf.tidy(() => tf.oneHot(tf.tensor1d(y, 'int32'), 3));
    const {xs, ys} = smoteNC(xsIn, ysIn, {categoricalFeatures: CAT, k, seed: 1, kernel: 'tf'});
    tf.dispose([xsIn, ysIn]);
    expect(tf.memory().numTensors).toBe(before + 2);
    const model = smallModel(5, 3);
    model.compile({optimizer: 'sgd', loss: 'categoricalCrossentropy'});
    expectNoGrowth(await tensorCountsPerEpoch(model, xs, ys, {}, 3));
    model.dispose();
    tf.dispose([xs, ys]);
  });
});
