import {fitTemperature, nllAtTemperature} from '../../src/calibration/temperature';
import {Random} from '../../src/core/random';

/** Logits z ~ 3·N(0, 1) per class; labels drawn from softmax(z / T0), so T0 is the NLL optimum in the limit. */
function synthetic(n: number, C: number, T0: number, seed = 1) {
  const r = new Random(seed);
  const logits = new Float64Array(n * C);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const z = Array.from({length: C}, () => 3 * r.normal());
    z.forEach((v, j) => (logits[i * C + j] = v));
    const e = z.map(v => Math.exp(v / T0));
    const s = e.reduce((a, b) => a + b, 0);
    let u = r.uniform() * s;
    let k = 0;
    while (k < C - 1 && u >= e[k]) u -= e[k++];
    labels[i] = k;
  }
  return {logits, labels, numClasses: C};
}

describe('fitTemperature', () => {
  it('recovers the temperature that generated the labels', () => {
    for (const T0 of [0.5, 2, 4]) {
      const set = synthetic(20000, 4, T0);
      expect(Math.abs(fitTemperature(set) / T0 - 1)).toBeLessThan(0.05);
    }
  });

  it('finds a stationary point of the NLL (central differences)', () => {
    const set = synthetic(3000, 3, 1.7, 9);
    const T = fitTemperature(set);
    const h = 1e-4;
    const slope = (nllAtTemperature(set, T + h) - nllAtTemperature(set, T - h)) / (2 * h);
    expect(Math.abs(slope)).toBeLessThan(1e-6);
    expect(nllAtTemperature(set, T)).toBeLessThanOrEqual(nllAtTemperature(set, T * 1.05));
    expect(nllAtTemperature(set, T)).toBeLessThanOrEqual(nllAtTemperature(set, T / 1.05));
  });

  it('hand example: two samples, logits [0, 1]', () => {
    // Labels 1 and 0 once each: NLL(β) = LSE(0, β) - β/2 is minimised at β = 0 (T -> ∞): bounded at T = 100.
    const tied = {logits: new Float64Array([0, 1, 0, 1]), labels: new Int32Array([1, 0]), numClasses: 2};
    expect(fitTemperature(tied)).toBeCloseTo(100, 6);
    // Label 1 three times out of four: σ(β) = 3/4, β = ln 3.
    const skewed = {logits: new Float64Array([0, 1, 0, 1, 0, 1, 0, 1]), labels: new Int32Array([1, 1, 1, 0]), numClasses: 2};
    expect(fitTemperature(skewed)).toBeCloseTo(1 / Math.log(3), 8);
  });

  it('rejects an empty set', () => {
    expect(() => fitTemperature({logits: new Float64Array(0), labels: new Int32Array(0), numClasses: 2})).toThrow(/validationData/);
  });

  it('rejects an inconsistent set, non-finite logits, bad options and T <= 0, naming the parameter', () => {
    const ok = {logits: new Float64Array([0, 1, 2, 0]), labels: new Int32Array([1, 0]), numClasses: 2};
    expect(() => fitTemperature({...ok, numClasses: 3})).toThrow(/set\.logits: expected labels\.length x numClasses = 2 x 3 logits, got length 4/);
    expect(() => fitTemperature({...ok, numClasses: 1})).toThrow(/set\.numClasses/);
    expect(() => fitTemperature({...ok, labels: new Int32Array([1, 2])})).toThrow(/set\.labels\[1\]: expected a class index in \[0, 2\)/);
    expect(() => fitTemperature({...ok, logits: new Float64Array([0, NaN, 2, 0])})).toThrow(/set\.logits\[1\]: expected a finite logit, got NaN/);
    expect(() => fitTemperature(ok, {maxIterations: 0})).toThrow(/maxIterations/);
    expect(() => fitTemperature(ok, {tolerance: -1})).toThrow(/tolerance/);
    expect(() => nllAtTemperature(ok, 0)).toThrow(/temperature: expected a finite number > 0/);
    expect(nllAtTemperature(ok, 1)).toBeCloseTo((Math.log(1 + Math.E) - 1 + Math.log(1 + Math.exp(2)) - 2) / 2, 12);
  });
});
