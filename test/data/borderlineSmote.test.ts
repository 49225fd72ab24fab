import {BorderlineSMOTE, borderlineSmote, dangerMask} from '../../src/data/borderlineSmote';
import {Random} from '../../src/core/random';

/** Two overlapping 2-D classes: 80 majority rows around (0, 0), 20 minority rows around (1.5, 0). */
function data(): {x: number[][]; y: number[]} {
  const rng = new Random(12);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 100; i++) {
    const c = i % 5 === 0 ? 1 : 0;
    x.push([rng.normal() + 1.5 * c, rng.normal()]);
    y.push(c);
  }
  return {x, y};
}

describe('Borderline-SMOTE', () => {
  const {x, y} = data();

  it('danger rule: m/2 <= other-class neighbours < m', () => {
    // m = 4: rows with 0..4 other-class neighbours.
    const labels = [0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1];
    expect(Array.from(dangerMask(labels, 4, 0, 5))).toEqual([0, 0, 1, 1, 0]);
  });

  it('borderline-1: synthetic rows come only from danger rows and their own-class neighbours, u in [0, 1)', () => {
    const res = borderlineSmote(x, y, {seed: 1});
    expect(res.ys.filter(c => c === 1).length).toBe(80);
    const danger = new Set(res.danger);
    expect(danger.size).toBeGreaterThan(0);
    expect(danger.size).toBeLessThan(20);
    res.synthetic.sample.forEach((s, g) => {
      expect(danger.has(s)).toBe(true);
      expect(y[res.synthetic.neighbor[g]]).toBe(1);
      expect(res.synthetic.gap[g]).toBeLessThan(1);
    });
  });

  it('borderline-2: part of the rows interpolate towards other-class rows with u in [0, 0.5); total reaches the target', () => {
    const res = new BorderlineSMOTE({seed: 2, kind: 'borderline-2'}).fitResample(x, y);
    expect(res.ys.filter(c => c === 1).length).toBe(80);
    let toOther = 0;
    res.synthetic.neighbor.forEach((j, g) => {
      if (y[j] !== 1) {
        toOther++;
        expect(res.synthetic.gap[g]).toBeLessThan(0.5);
      }
      const z = res.xs[100 + g];
      const a = x[res.synthetic.sample[g]];
      const u = res.synthetic.gap[g];
      z.forEach((v, t) => expect(Math.abs(v - (a[t] + u * (x[j][t] - a[t])))).toBeLessThan(1e-12));
    });
    expect(toOther).toBeGreaterThan(5);
    expect(toOther).toBeLessThan(55);
  });

  it('the same seed gives the same rows; errors name m and kind', () => {
    expect(borderlineSmote(x, y, {seed: 5}).xs).toEqual(borderlineSmote(x, y, {seed: 5, kernel: 'tf'}).xs);
    expect(() => borderlineSmote(x, y, {m: 100})).toThrow(/^m: expected at most 99/);
    expect(() => borderlineSmote(x, y, {kind: 'borderline-3' as never})).toThrow(/^kind:/);
    expect(() => borderlineSmote(x, y, {k: 20})).toThrow(/^k: expected fewer neighbours than class 1/);
    // borderline-2 needs k rows of the other classes; checked up front, whatever the seed (growing class 0: 20 others).
    for (const seed of [1, 2, 3]) {
      expect(() => borderlineSmote(x, y, {kind: 'borderline-2', k: 21, m: 30, seed, samplingStrategy: {0: 100}}))
        .toThrow(/^k: expected at most the 20 rows of the classes other than 0 \(borderline-2 interpolates towards them\), got 21/);
    }
    // borderline-1 interpolates within the class only.
    expect(() => borderlineSmote(x, y, {kind: 'borderline-1', k: 21, m: 30, seed: 1, samplingStrategy: {0: 100}})).not.toThrow();
  });
});
