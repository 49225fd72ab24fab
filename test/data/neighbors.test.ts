import {exactDistance, kNeighbors} from '../../src/data/neighbors';
import {Random} from '../../src/core/random';
import {ImbalancedInputError} from '../../src/errors';

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

describe('kNeighbors (exact, both kernels)', () => {
  it('self mode equals the brute-force reference (js and tf kernels, several sizes)', () => {
    for (const [n, d, k] of [[7, 2, 3], [130, 5, 5], [300, 17, 4]]) {
      const x = gaussian(n, d, n, 5);
      const ref = brute(x, x, d, k, i => i);
      expect(rows(kNeighbors(x, n, d, k, {kernel: 'js'}), k)).toEqual(ref);
      expect(rows(kNeighbors(x, n, d, k, {kernel: 'tf'}), k)).toEqual(ref);
    }
  });

  it('query mode with and without an excluded index per query', () => {
    const d = 6;
    const ref = gaussian(90, d, 3);
    const query = gaussian(25, d, 4);
    expect(rows(kNeighbors(ref, 90, d, 5, {query, kernel: 'js'}), 5)).toEqual(brute(query, ref, d, 5));
    expect(rows(kNeighbors(ref, 90, d, 5, {query, kernel: 'tf'}), 5)).toEqual(brute(query, ref, d, 5));
    // Queries that are reference rows 10..34, each excluding itself.
    const sub = ref.slice(10 * d, 35 * d);
    const exclude = Int32Array.from({length: 25}, (_, i) => i + 10);
    const want = brute(sub, ref, d, 5, i => i + 10);
    expect(rows(kNeighbors(ref, 90, d, 5, {query: sub, exclude, kernel: 'js'}), 5)).toEqual(want);
    expect(rows(kNeighbors(ref, 90, d, 5, {query: sub, exclude, kernel: 'tf'}), 5)).toEqual(want);
  });

  it('ties and duplicates: lower index first; a duplicate at another index is a neighbour at distance 0', () => {
    // A square grid: many equal distances, plus a duplicate of row 0 at index 9.
    const pts = [[0, 0], [1, 0], [0, 1], [1, 1], [2, 0], [0, 2], [2, 1], [1, 2], [2, 2], [0, 0]];
    const x = Float64Array.from(pts.flat());
    const want = brute(x, x, 2, 4, i => i);
    expect(want[0][0]).toBe(9);
    expect(want[9][0]).toBe(0);
    expect(rows(kNeighbors(x, 10, 2, 4, {kernel: 'js'}), 4)).toEqual(want);
    expect(rows(kNeighbors(x, 10, 2, 4, {kernel: 'tf'}), 4)).toEqual(want);
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
    for (const kernel of ['js', 'tf'] as const) {
      expect(rows(kNeighbors(x, 201, d, 5, {query: q, exclude: Int32Array.of(0), kernel}), 5)).toEqual(want);
    }
  });

  it('float64 input: exact distances decide, not the float32 fast scores', () => {
    // Two candidates whose distances differ by 1e-12 (invisible in float32).
    const x = Float64Array.from([0, 0, 1 + 2e-12, 0, 0, 1 + 1e-12, 5, 5]);
    expect(Array.from(kNeighbors(x, 4, 2, 1, {kernel: 'js'})).slice(0, 1)).toEqual([2]);
    expect(Array.from(kNeighbors(x, 4, 2, 1, {kernel: 'tf'})).slice(0, 1)).toEqual([2]);
  });

  it('k larger than the candidates available throws, naming k', () => {
    const x = gaussian(4, 2, 1);
    expect(() => kNeighbors(x, 4, 2, 4)).toThrow(ImbalancedInputError);
    expect(() => kNeighbors(x, 4, 2, 4)).toThrow(/^k: expected at most 3/);
    expect(() => kNeighbors(x, 4, 2, 3, {kernel: 'gpu' as never})).toThrow(/^kernel:/);
  });
});
