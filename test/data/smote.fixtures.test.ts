import fixture from '../fixtures/smote.json';
import {smote} from '../../src/data/smote';
import {kNeighbors} from '../../src/data/neighbors';
import {borderlineSmote} from '../../src/data/borderlineSmote';
import {adasyn} from '../../src/data/adasyn';
import {randomOverSample, randomUnderSample} from '../../src/data/randomSampling';
import {expectClose} from '../helpers';

// test/fixtures/smote.json comes from scripts/fixtures/make_smote_fixtures.py
// (Debian's imbalanced-learn 0.10.0 / scikit-learn 1.2.1).
const X = fixture.X as number[][];
const y = fixture.y as number[];
const k = fixture.k;

function counts(ys: ArrayLike<number>, C = 3): number[] {
  const out = new Array<number>(C).fill(0);
  Array.from(ys).forEach(c => out[c]++);
  return out;
}

function dict(o: Record<string, number>): Record<number, number> {
  return Object.fromEntries(Object.entries(o).map(([c, v]) => [Number(c), v]));
}

describe('SMOTE vs imbalanced-learn (fixture)', () => {
  it('same neighbour sets: each row\'s k nearest rows of its class, js and tf kernels, float64 and float32', () => {
    for (const [c, table] of Object.entries(fixture.neighbours as Record<string, Record<string, number[]>>)) {
      const idx = y.flatMap((v, i) => (v === Number(c) ? [i] : []));
      for (const rows of [Float64Array.from(idx.flatMap(i => X[i])), Float32Array.from(idx.flatMap(i => X[i]))]) {
        for (const kernel of ['wasm', 'js', 'tf'] as const) {
          const nns = kNeighbors(rows, idx.length, 3, k, {kernel});
          idx.forEach((i, r) => {
            const ours = Array.from(nns.subarray(r * k, (r + 1) * k), j => idx[j]);
            expect(ours).toEqual(table[String(i)]);
          });
        }
      }
    }
  });

  it('same resampled counts for every strategy', () => {
    const s = fixture.smote;
    expect(counts(smote(X, y, {k, seed: 0}).ys)).toEqual(s.auto);
    expect(counts(smote(X, y, {k, seed: 0, samplingStrategy: 'not minority'}).ys)).toEqual(s['not minority']);
    expect(counts(smote(X, y, {k, seed: 0, samplingStrategy: 'all'}).ys)).toEqual(s.all);
    expect(counts(smote(X, y, {k, seed: 0, samplingStrategy: dict(s.dict.strategy)}).ys)).toEqual(s.dict.counts);
    const b = fixture.binary;
    for (const [r, want] of Object.entries(b.smote_ratio)) {
      expect(counts(smote(b.X, b.y, {k, seed: 0, samplingStrategy: Number(r)}).ys)).toEqual(want);
    }
  });

  it('every synthetic row lies on a segment between a class row and one of its imblearn neighbours', () => {
    const res = smote(X, y, {k, seed: 0});
    const table = fixture.neighbours as Record<string, Record<string, number[]>>;
    res.xs.slice(X.length).forEach((z, g) => {
      const c = res.ys[X.length + g];
      const s = res.synthetic.sample[g];
      const j = res.synthetic.neighbor[g];
      expect(y[s]).toBe(c);
      expect(table[String(c)][String(s)]).toContain(j);
      const u = res.synthetic.gap[g];
      expectClose(z, X[s].map((v, t) => v + u * (X[j][t] - v)), 1e-12, 1e-12);
    });
  });

  it('random samplers: same counts', () => {
    const r = fixture.random;
    expect(counts(randomOverSample(X, y, {seed: 0}).ys)).toEqual(r.over_auto);
    expect(counts(randomUnderSample(X, y, {seed: 0}).ys)).toEqual(r.under_auto);
    expect(counts(randomUnderSample(X, y, {seed: 0, samplingStrategy: dict(r.under_dict.strategy)}).ys)).toEqual(r.under_dict.counts);
    for (const [ratio, want] of Object.entries(fixture.binary.under_ratio)) {
      expect(counts(randomUnderSample(fixture.binary.X, fixture.binary.y, {seed: 0, samplingStrategy: Number(ratio)}).ys)).toEqual(want);
    }
  });

  it('Borderline-SMOTE: same danger rows (m = 10) and counts', () => {
    const res = borderlineSmote(X, y, {k, m: fixture.m, seed: 0});
    const want = [...fixture.borderline.danger['1'], ...fixture.borderline.danger['2']];
    expect(Array.from(res.danger)).toEqual(want);
    expect(counts(res.ys)).toEqual(fixture.borderline.counts);
  });

  it('ADASYN: same density ratios r^_i; counts hit the target exactly (imblearn\'s per-row rounding misses it)', () => {
    const res = adasyn(X, y, {k, seed: 0});
    for (const table of Object.values(fixture.adasyn.densityRatio as Record<string, Record<string, number>>)) {
      for (const [i, r] of Object.entries(table)) expectClose(res.densityRatio[Number(i)], r, 1e-12, 1e-15);
    }
    expect(counts(res.ys)).toEqual([30, 30, 30]);
    expect(fixture.adasyn.counts).toEqual([30, 29, 32]);
  });
});
