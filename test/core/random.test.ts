import {Random} from '../../src/core/random';

describe('Random', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const sa = Array.from({length: 5}, () => a.uniform());
    expect(Array.from({length: 5}, () => b.uniform())).toEqual(sa);
    expect(Array.from({length: 5}, () => c.uniform())).not.toEqual(sa);
  });

  it('uniform() lies in [0, 1) with mean 1/2 and variance 1/12', () => {
    const r = new Random(1);
    const n = 100000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      s += u;
      s2 += u * u;
    }
    const mean = s / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.004); // sd of the mean = 0.0009
    expect(Math.abs(s2 / n - mean * mean - 1 / 12)).toBeLessThan(0.002);
  });

  it('int(n) hits every value with equal frequency', () => {
    const r = new Random(2);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70000; i++) counts[r.int(7)]++;
    // chi-square with 6 dof: 99.9% quantile is 22.46
    const chi2 = counts.reduce((a, c) => a + (c - 10000) ** 2 / 10000, 0);
    expect(chi2).toBeLessThan(22.46);
  });

  it('normal() has mean 0 and variance 1', () => {
    const r = new Random(3);
    const xs = Array.from({length: 100000}, () => r.normal());
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
    expect(Math.abs(m)).toBeLessThan(0.015);
    expect(Math.abs(v - 1)).toBeLessThan(0.02);
  });

  it.each([0.1, 0.5, 1, 2.5, 10])('Gamma(%p) draws have mean = variance = shape', shape => {
    const r = new Random(4);
    const n = 40000;
    const xs = Array.from({length: n}, () => Math.exp(r.logGamma(shape)));
    const m = xs.reduce((a, b) => a + b, 0) / n;
    const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / n;
    expect(Math.abs(m - shape)).toBeLessThan(5 * Math.sqrt(shape / n));
    // Relative s.e. of the sample variance: sqrt((2 + 6/shape) / n) (excess kurtosis 6/shape); 5 s.e.
    // (was 0.06 + 2/sqrt(100 shape): 0.69 at shape 0.1, about 17 s.e.).
    expect(Math.abs(v / shape - 1)).toBeLessThan(5 * Math.sqrt((2 + 6 / shape) / n));
  });

  it('Beta(α, α) has mean 1/2 and variance 1/(4(2α+1)), stays finite for tiny α', () => {
    for (const alpha of [0.1, 0.4, 2]) {
      const r = new Random(5);
      const n = 40000;
      const xs = Array.from({length: n}, () => r.beta(alpha, alpha));
      const m = xs.reduce((a, b) => a + b, 0) / n;
      const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / n;
      expect(Math.abs(m - 0.5)).toBeLessThan(0.01); // sd of the mean <= 0.0023
      // s.e. of the variance sqrt((μ4 − σ⁴)/n) <= 0.00054 (α = 0.1): 5 s.e. (was 0.006, ~11 s.e.).
      expect(Math.abs(v - 1 / (4 * (2 * alpha + 1)))).toBeLessThan(0.0027);
    }
    const r = new Random(6);
    for (let i = 0; i < 1000; i++) {
      const x = r.beta(1e-4, 1e-4);
      expect(x >= 0 && x <= 1).toBe(true);
    }
  });

  it('permutation() is a permutation; shuffle keeps the elements', () => {
    const r = new Random(7);
    const p = Array.from(r.permutation(100));
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({length: 100}, (_, i) => i));
    expect(p).not.toEqual(Array.from({length: 100}, (_, i) => i));
    expect(r.shuffle(['a', 'b', 'c']).slice().sort()).toEqual(['a', 'b', 'c']);
  });

  it('rejects a non-finite seed', () => {
    expect(() => new Random(NaN)).toThrow(/seed/);
  });
});
