import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import {chooseKernel, exactDistance, kNeighbors} from '../../src/data/neighbors';
import type {KnnKernel} from '../../src/data/neighbors';
import {knnModule, setKnnExecutor, wasmKnnBytes} from '../../src/data/knnWasm';
import {knnThreads} from '../../src/node/knnThreads';
import {Random} from '../../src/core/random';
import {ImbalancedInputError} from '../../src/errors';

const KERNELS = ['wasm', 'js', 'tf'] as const;

/** Brute-force reference: every exact distance, sorted by (distance, index). */
function brute(query: Float32Array | Float64Array, ref: Float32Array | Float64Array, d: number, k: number, exclude?: (i: number) => number): number[][] {
  const nq = query.length / d;
  const nr = ref.length / d;
  const out: number[][] = [];
  for (let i = 0; i < nq; i++) {
    const all: Array<[number, number]> = [];
    for (let j = 0; j < nr; j++) if (!exclude || exclude(i) !== j) all.push([exactDistance(query, i, ref, j, d), j]);
    all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    out.push(all.slice(0, k).map(p => p[1]));
  }
  return out;
}

function rows(table: Int32Array, k: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < table.length / k; i++) out.push(Array.from(table.subarray(i * k, (i + 1) * k)));
  return out;
}

function gaussian(n: number, d: number, seed: number, offset = 0): Float32Array {
  const rng = new Random(seed);
  return Float32Array.from({length: n * d}, () => rng.normal() + offset);
}

describe('kNeighbors (exact, every kernel)', () => {
  it('the wasm kernel is available here (WebAssembly SIMD), so the tests below exercise it', () => {
    expect(knnModule(false)).not.toBeNull();
    expect(chooseKernel('auto', 1e7)).toBe('wasm'); // tests run on the cpu backend
    expect(chooseKernel('wasm', 10)).toBe('wasm');
  });

  it('self mode equals the brute-force reference (several sizes, n not a multiple of the 8-row panels)', () => {
    for (const [n, d, k] of [[2, 1, 1], [7, 2, 3], [9, 1, 8], [130, 5, 5], [300, 17, 4], [61, 33, 6]]) {
      const x = gaussian(n, d, n, 5);
      const ref = brute(x, x, d, k, i => i);
      for (const kernel of KERNELS) expect(rows(kNeighbors(x, n, d, k, {kernel}), k)).toEqual(ref);
    }
  });

  it('query mode with and without an excluded index per query', () => {
    const d = 6;
    const ref = gaussian(90, d, 3);
    const query = gaussian(25, d, 4);
    // Queries that are reference rows 10..34, each excluding itself.
    const sub = ref.slice(10 * d, 35 * d);
    const exclude = Int32Array.from({length: 25}, (_, i) => i + 10);
    const want = brute(sub, ref, d, 5, i => i + 10);
    for (const kernel of KERNELS) {
      expect(rows(kNeighbors(ref, 90, d, 5, {query, kernel}), 5)).toEqual(brute(query, ref, d, 5));
      expect(rows(kNeighbors(ref, 90, d, 5, {query: sub, exclude, kernel}), 5)).toEqual(want);
    }
  });

  it('ties and duplicates: lower index first; a duplicate at another index is a neighbour at distance 0', () => {
    // A square grid: many equal distances, plus a duplicate of row 0 at index 9.
    const pts = [[0, 0], [1, 0], [0, 1], [1, 1], [2, 0], [0, 2], [2, 1], [1, 2], [2, 2], [0, 0]];
    const x = Float64Array.from(pts.flat());
    const want = brute(x, x, 2, 4, i => i);
    expect(want[0][0]).toBe(9);
    expect(want[9][0]).toBe(0);
    for (const kernel of KERNELS) expect(rows(kNeighbors(x, 10, 2, 4, {kernel}), 4)).toEqual(want);
  });

  it('many near ties (points on a sphere around each query) fall back to the exact scan and stay exact', () => {
    // 200 points at distance 1 +- 1e-9 from the origin, far from the centre of mass, float64 input.
    const d = 3;
    const rng = new Random(9);
    const pts: number[] = [0, 0, 0];
    for (let i = 0; i < 200; i++) {
      const v = [rng.normal(), rng.normal(), rng.normal()];
      const r = Math.hypot(...v) / (1 + 1e-9 * rng.uniform());
      pts.push(...v.map(a => a / r + 1000));
    }
    pts[0] = pts[1] = pts[2] = 1000;
    const x = Float64Array.from(pts);
    const want = brute(x.subarray(0, 3), x, d, 5, () => 0);
    const q = x.slice(0, 3);
    for (const kernel of KERNELS) {
      expect(rows(kNeighbors(x, 201, d, 5, {query: q, exclude: Int32Array.of(0), kernel}), 5)).toEqual(want);
    }
  });

  it('float64 input: exact distances decide, not the float32 fast scores', () => {
    // Two candidates whose distances differ by 1e-12 (invisible in float32).
    const x = Float64Array.from([0, 0, 1 + 2e-12, 0, 0, 1 + 1e-12, 5, 5]);
    for (const kernel of KERNELS) expect(Array.from(kNeighbors(x, 4, 2, 1, {kernel})).slice(0, 1)).toEqual([2]);
  });

  it('values whose squares overflow float32 (norms > 1e30) still give the exact neighbours', () => {
    const n = 40;
    const d = 3;
    const x = Float64Array.from(gaussian(n, d, 2), v => v * 1e17);
    const want = brute(x, x, d, 4, i => i);
    for (const kernel of KERNELS) expect(rows(kNeighbors(x, n, d, 4, {kernel}), 4)).toEqual(want);
  });

  it('property: small classes with ties and duplicates (integer grid values) give the naive O(n^2) neighbours', () => {
    // Coordinates from {-2..2}: many equal distances and repeated rows; n below and above the 8-row panel.
    const data = fc.integer({min: 1, max: 5}).chain(d =>
      fc.integer({min: 2, max: 40}).chain(n =>
        fc.record({
          d: fc.constant(d),
          n: fc.constant(n),
          k: fc.integer({min: 1, max: n - 1}),
          values: fc.array(fc.integer({min: -2, max: 2}), {minLength: n * d, maxLength: n * d}),
          queries: fc.array(fc.integer({min: -2, max: 2}), {minLength: 0, maxLength: 6 * d}).map(q => q.slice(0, q.length - (q.length % d))),
        }),
      ),
    );
    fc.assert(
      fc.property(data, ({d, n, k, values, queries}) => {
        const x = Float32Array.from(values);
        const q = Float32Array.from(queries);
        const self = brute(x, x, d, k, i => i);
        const query = brute(q, x, d, k);
        for (const kernel of KERNELS) {
          expect(rows(kNeighbors(x, n, d, k, {kernel}), k)).toEqual(self);
          expect(rows(kNeighbors(x, n, d, k, {kernel, query: q}), k)).toEqual(query);
        }
      }),
      {seed: 11, numRuns: 60},
    );
  });

  it('property: continuous data with duplicated rows, float32 and float64, equals the naive neighbours', () => {
    fc.assert(
      fc.property(fc.integer({min: 3, max: 60}), fc.integer({min: 1, max: 12}), fc.integer({min: 0, max: 1e6}), fc.boolean(), (n, d, seed, f64) => {
        const rng = new Random(seed);
        const base = Array.from({length: n * d}, () => rng.normal() * 3);
        // Copy a few rows onto others: exact duplicates.
        for (let r = 0; r < n / 5; r++) {
          const from = rng.int(n);
          const to = rng.int(n);
          for (let t = 0; t < d; t++) base[to * d + t] = base[from * d + t];
        }
        const x = f64 ? Float64Array.from(base) : Float32Array.from(base);
        const k = Math.min(5, n - 1);
        const want = brute(x, x, d, k, i => i);
        for (const kernel of KERNELS) expect(rows(kNeighbors(x, n, d, k, {kernel}), k)).toEqual(want);
      }),
      {seed: 12, numRuns: 40},
    );
  });

  it('with worker threads (Node entry) the wasm kernel gives the same neighbours, self and query mode', () => {
    // 1500 x 16 is above the size where the scan is split between threads.
    const n = 1500;
    const d = 16;
    const x = gaussian(n, d, 21);
    const q = gaussian(800, d, 22);
    const exclude = Int32Array.from({length: 800}, (_, i) => (i % 3 === 0 ? i : -1));
    const single = [kNeighbors(x, n, d, 5, {kernel: 'wasm'}), kNeighbors(x, n, d, 5, {kernel: 'wasm', query: q, exclude})];
    try {
      expect(knnThreads(3)).toBe(3);
      for (let rep = 0; rep < 3; rep++) {
        expect(kNeighbors(x, n, d, 5, {kernel: 'wasm'})).toEqual(single[0]);
        expect(kNeighbors(x, n, d, 5, {kernel: 'wasm', query: q, exclude})).toEqual(single[1]);
      }
    } finally {
      expect(knnThreads(1)).toBe(1);
    }
    expect(rows(single[0], 5).slice(0, 50)).toEqual(brute(x.subarray(0, 50 * d), x, d, 5, i => i));
    expect(() => knnThreads(0)).toThrow(/^threads: /);
  });

  it('a split scan is complete even when no worker takes a chunk (the calling thread claims them all)', () => {
    const n = 1500;
    const d = 16;
    const x = gaussian(n, d, 23);
    const want = kNeighbors(x, n, d, 4, {kernel: 'wasm'});
    const started: number[][] = [];
    setKnnExecutor({workers: 2, start: (_module, _memory, _control, cfgs) => void started.push(cfgs)});
    try {
      expect(kNeighbors(x, n, d, 4, {kernel: 'wasm'})).toEqual(want);
    } finally {
      setKnnExecutor(null);
    }
    expect(started.length).toBe(1);
    expect(started[0].length).toBe(2);
  });

  it('memory is linear in the class size (no n x n block): the wasm kernel allocates O(n (d + k)) bytes', () => {
    const d = 32;
    const k = 5;
    const at = (n: number) => wasmKnnBytes(n, n, d, k, true);
    // Packed rows + norms + exclusions + lists: about 4 n (d + 2) + 8 n (k + 4) bytes.
    for (const n of [1000, 10_000, 100_000]) {
      expect(at(n)).toBeLessThan(4 * n * (d + 2) + 8 * n * (k + 5) + 4096);
      expect(at(n)).toBeGreaterThan(4 * n * d);
    }
    expect(at(100_000) / at(10_000)).toBeCloseTo(10, 1);
    // Query mode: the queries' rows and lists, not a queries x references block.
    expect(wasmKnnBytes(1000, 100_000, d, k, false)).toBeLessThan(4 * 100_000 * (d + 1) + 4 * 1000 * (d + 2) + 8 * 1000 * (k + 5) + 4096);
  });

  it('no kernel leaves tensors behind', () => {
    const x = gaussian(600, 8, 5);
    const before = tf.memory().numTensors;
    for (const kernel of ['auto', ...KERNELS] as KnnKernel[]) kNeighbors(x, 600, 8, 5, {kernel});
    expect(tf.memory().numTensors).toBe(before);
  });

  it('k larger than the candidates available throws, naming k', () => {
    const x = gaussian(4, 2, 1);
    expect(() => kNeighbors(x, 4, 2, 4)).toThrow(ImbalancedInputError);
    expect(() => kNeighbors(x, 4, 2, 4)).toThrow(/^k: expected at most 3/);
    expect(() => kNeighbors(x, 4, 2, 3, {kernel: 'gpu' as never})).toThrow(/^kernel:/);
  });
});
