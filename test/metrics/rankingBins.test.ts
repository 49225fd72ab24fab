/**
 * Bounded-memory AUROC / AUPRC (`bins` option, src/metrics/stats/scoreHistogram.ts):
 * the binned value is the exact metric of the binned scores, it stays within
 * `errorBound()` of the exact value on random and adversarial data, and the
 * bound is attained when a bin holds every row.
 */
import * as fc from 'fast-check';
import * as metrics from '../../src/metrics';
import {ImbalancedInputError} from '../../src/errors';

interface Data {
  C: number;
  labels: number[];
  probs: number[][];
}

/** Random rows for C classes; `coarse` puts many scores on a few values (ties inside and across bins). */
const dataArb: fc.Arbitrary<Data> = fc
  .record({C: fc.constantFrom(2, 4), n: fc.integer({min: 1, max: 80}), coarse: fc.boolean()})
  .chain(({C, n, coarse}) =>
    fc.record({
      C: fc.constant(C),
      labels: fc.array(fc.integer({min: 0, max: C - 1}), {minLength: n, maxLength: n}),
      probs: fc.array(
        fc.array(coarse ? fc.integer({min: 0, max: 6}).map(v => v / 6) : fc.double({min: 0, max: 1, noNaN: true}), {minLength: C, maxLength: C}),
        {minLength: n, maxLength: n},
      ),
    }),
  )
  // Probability rows sum to 1 (an all-zero row becomes uniform).
  .map(d => ({...d, probs: d.probs.map(r => {
    const s = r.reduce((a, b) => a + b, 0);
    return s === 0 ? r.map(() => 1 / d.C) : r.map(v => v / s);
  })}));

const perClass = (r: number | number[]): number[] => (Array.isArray(r) ? r : [r]);

describe('binned AUROC / AUPRC stay within errorBound() of the exact values', () => {
  it('random data, 2 to 4096 bins (fast-check)', () => {
    fc.assert(
      fc.property(dataArb, fc.constantFrom(2, 3, 7, 64, 4096), fc.constantFrom<'none' | 'macro' | 'weighted'>('none', 'macro', 'weighted'), (d, bins, average) => {
        for (const factory of [metrics.auroc, metrics.auprc]) {
          const exact = factory({average});
          const binned = factory({average, bins});
          exact.update(d.labels, d.probs);
          binned.update(d.labels, d.probs);
          const e = perClass(exact.result());
          const b = perClass(binned.result());
          const bound = perClass(binned.errorBound());
          expect(perClass(exact.errorBound()).map(v => (Number.isNaN(v) ? v : 0))).toEqual(e.map(v => (Number.isNaN(v) ? v : 0)));
          e.forEach((v, k) => {
            if (Number.isNaN(v)) {
              expect(b[k]).toBeNaN();
              expect(bound[k]).toBeNaN();
            } else {
              expect(Math.abs(b[k] - v)).toBeLessThanOrEqual(bound[k] + 1e-12);
            }
          });
        }
      }),
      {seed: 42, numRuns: 150},
    );
  });

  it('equals the exact metric of the binned scores (trapezoidal ROC through the bin edges; AP with each bin one tied score)', () => {
    fc.assert(
      fc.property(dataArb, fc.constantFrom(3, 16, 100), (d, bins) => {
        const binOf = (s: number) => Math.min(bins - 1, Math.floor(s * bins));
        for (const factory of [metrics.auroc, metrics.auprc]) {
          const binned = factory({average: 'none', bins});
          binned.update(d.labels, d.probs);
          const a = binned.result();
          for (let k = 0; k < d.C; k++) {
            // One-vs-rest for class k as a binary problem on the bin centres (a sigmoid column).
            const exactOfBins = factory();
            exactOfBins.update(d.labels.map(y => (y === k ? 1 : 0)), d.probs.map(r => (binOf(r[k]) + 0.5) / bins));
            const b = exactOfBins.result();
            if (Number.isNaN(a[k])) expect(b).toBeNaN();
            else expect(a[k]).toBeCloseTo(b, 12);
          }
        }
      }),
      {seed: 5, numRuns: 100},
    );
  });

  it('adversarial: every row in one bin with positives above negatives: exact 1, binned 1/2, bound 1/2 (attained)', () => {
    const labels = [0, 0, 0, 1, 1];
    const p = [0.5, 0.5001, 0.5002, 0.5003, 0.5004];
    const exact = metrics.auroc();
    const binned = metrics.auroc({bins: 4});
    exact.update(labels, p);
    binned.update(labels, p);
    expect(exact.result()).toBe(1);
    expect(binned.result()).toBe(0.5);
    expect(binned.errorBound()).toBe(0.5);
    // AP: positives below the negatives inside one bin.
    const apExact = metrics.auprc();
    const apBinned = metrics.auprc({bins: 4});
    const y = [1, 0, 0, 0];
    const s = [0.5, 0.51, 0.52, 0.53];
    apExact.update(y, s);
    apBinned.update(y, s);
    expect(apExact.result()).toBe(0.25);
    expect(apBinned.result()).toBe(0.25);
    // All 4 rows tie in one bin: the exact AP could be anywhere in [1/4, 1]; the bound covers it.
    expect(apBinned.errorBound()).toBe(0.75);
  });

  it('one row per bin: binned equals exact and the bound is 0', () => {
    const labels = [0, 1, 0, 1, 1, 0];
    const p = [0.05, 0.15, 0.25, 0.35, 0.55, 0.95];
    for (const factory of [metrics.auroc, metrics.auprc]) {
      const exact = factory();
      const binned = factory({bins: 10});
      exact.update(labels, p);
      binned.update(labels, p);
      expect(binned.result()).toBeCloseTo(exact.result() as number, 15);
      expect(binned.errorBound()).toBe(0);
    }
  });

  it('options: bins is an integer >= 2, not with hardPredictions; it is part of the config', () => {
    expect(() => metrics.auroc({bins: 1})).toThrow(ImbalancedInputError);
    expect(() => metrics.auprc({bins: 2.5})).toThrow(/^bins: expected an integer >= 2/);
    expect(() => metrics.auroc({bins: 64, hardPredictions: true})).toThrow(/^bins: expected no bins with hardPredictions/);
    const m = metrics.auroc({bins: 64});
    expect(m.config.options.bins).toBe(64);
    expect(metrics.fromConfig(m.config).config).toEqual(m.config);
    expect(metrics.auroc().config.options.bins).toBeUndefined();
  });

  it('binary data keeps one class histogram; state size does not grow with the rows', () => {
    const m = metrics.auroc({bins: 256});
    const small = JSON.stringify((() => {
      m.update([0, 1], [0.1, 0.9]);
      return m.getState();
    })()).length;
    const labels = Array.from({length: 5000}, (_, i) => i % 2);
    m.update(labels, labels.map((y, i) => (y + (i % 97) / 97) / 2));
    expect(JSON.stringify(m.getState()).length).toBe(small + (String(5002).length - String(2).length) * 2);
  });
});
