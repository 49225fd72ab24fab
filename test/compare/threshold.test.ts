import fc from 'fast-check';
import {tuneThreshold, ThresholdMetric} from '../../src/compare/threshold';
import {gmean, balancedAccuracy, f1} from '../../src/metrics';

/** The metric of the decisions p > t, computed by the library's own metrics. */
function scoreAt(metric: ThresholdMetric, labels: number[], p: number[], t: number): number {
  const m = metric === 'gmean' ? gmean({threshold: t}) : metric === 'balancedAccuracy' ? balancedAccuracy({threshold: t})
    : f1({threshold: t, average: metric === 'f1' ? 'binary' : 'macro', zeroDivision: 0});
  m.update(labels, p.map(v => [v]));
  return m.result();
}

describe('tuneThreshold', () => {
  it('finds a threshold as good as any cut between the scores (property, checked with the library metrics)', () => {
    const metrics: ThresholdMetric[] = ['gmean', 'balancedAccuracy', 'macroF1', 'f1'];
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.integer({min: 0, max: 1}), fc.integer({min: 0, max: 20})), {minLength: 2, maxLength: 40}),
      fc.constantFrom(...metrics),
      (rows, metric) => {
        const labels = rows.map(r => r[0]);
        if (!labels.includes(0) || !labels.includes(1)) return;
        const p = rows.map(r => r[1] / 20); // ties on purpose
        const t = tuneThreshold(labels, p, metric);
        expect(t).toBeGreaterThanOrEqual(0);
        expect(t).toBeLessThanOrEqual(1);
        const best = scoreAt(metric, labels, p, t);
        const candidates = [0, ...p.map(v => v - 1e-6), ...p.map(v => v + 1e-6)].filter(v => v >= 0 && v <= 1);
        for (const c of candidates) expect(best).toBeGreaterThanOrEqual(scoreAt(metric, labels, p, c) - 1e-12);
      },
    ), {seed: 11, numRuns: 80});
  });

  it('separable scores: the cut falls between the classes', () => {
    const t = tuneThreshold([0, 0, 1, 1], [0.1, 0.3, 0.6, 0.9]);
    expect(t).toBeCloseTo(0.45, 12);
    expect(tuneThreshold([], [])).toBe(0.5);
    expect(() => tuneThreshold([0, 1], [0.5])).toThrow(/^p1: expected 2 scores/);
  });
});
