import {stat, summarize, rowLabel} from '../../src/compare/summary';
import type {Evaluation, MetricInfo, RunResult} from '../../src/compare/types';
import {evaluatePredictions, resolveMetrics, metricInfo} from '../../src/compare/metricSet';
import {balancedAccuracy, brier, ece, gmean, realWorldCost, reliabilityDiagram, confusionMatrix} from '../../src/metrics';

function fakeRun(method: string, repeat: number, metrics: Record<string, number>, error?: string): RunResult {
  const e = {budget: 5, calibrated: false, epoch: 3, threshold: 0.5, metrics, confusion: [], reliability: [], perClass: {recall: [], precision: [], f1: []}} as Evaluation;
  return {
    method, methodName: method, repeat, seeds: {split: 0, init: 0, data: 0}, rows: {train: 1, validation: 1, test: 1, trainCounts: [1]},
    epochsRun: 5, bestEpoch: 3, seconds: 2, history: {}, evaluations: error ? [] : [e], ...(error ? {error} : {}),
  };
}

describe('summary', () => {
  it('stat: mean and sample sd of the finite values', () => {
    expect(stat([1, 2, 3, 4])).toEqual({mean: 2.5, sd: Math.sqrt(5 / 3), values: [1, 2, 3, 4]});
    expect(stat([7])).toEqual({mean: 7, sd: 0, values: [7]});
    expect(stat([NaN, 2, 4]).mean).toBe(3);
    expect(Number.isNaN(stat([]).mean)).toBe(true);
  });

  it('marks the best mean per column in its direction, ties at the shown precision included, and counts failures', () => {
    const metrics: MetricInfo[] = [
      {key: 'gmean', label: 'g-mean', better: 'max', description: ''},
      {key: 'ece', label: 'ECE', better: 'min', description: ''},
    ];
    const runs = [
      fakeRun('a', 0, {gmean: 0.8, ece: 0.05}), fakeRun('a', 1, {gmean: 0.9, ece: 0.07}),
      fakeRun('b', 0, {gmean: 0.85, ece: 0.02}), fakeRun('b', 1, {gmean: 0.85002, ece: 0.02}),
      fakeRun('c', 0, {gmean: 0.1, ece: 0.5}), fakeRun('c', 1, {}, 'loss became NaN'),
    ];
    const rows = summarize(runs, metrics, ['a', 'b', 'c'], {epochs: [5], temperatureScale: false});
    expect(rows.map(r => r.label)).toEqual(['a', 'b', 'c']);
    expect(rows.map(r => r.best)).toEqual([['gmean'], ['gmean', 'ece'], []]);
    expect(rows[2].failed).toBe(1);
    expect(rows[2].stats.gmean.values).toEqual([0.1]);
    expect(rowLabel('dwb', true, 30, true)).toBe('dwb + TS @ 30 ep.');
  });
});

describe('evaluatePredictions', () => {
  // 6 rows, binary: P(class 1) and labels.
  const labels = Int32Array.from([0, 0, 0, 1, 1, 0]);
  const p1 = [0.1, 0.4, 0.7, 0.8, 0.3, 0.2];
  const probs = Float32Array.from(p1.flatMap(p => [1 - p, p]));

  it('equals the library metrics on P(class 1) at the given threshold', () => {
    const keys = resolveMetrics(undefined, 2, {costFN: 5, costFP: 1});
    expect(keys[keys.length - 1]).toBe('cost');
    const at = (t: number) => evaluatePredictions(labels, probs, 2, {metrics: keys, threshold: t, bins: 5, costs: {costFN: 5, costFP: 1}, classGroups: null});
    const col = Array.from(probs.filter((_, i) => i % 2 === 1)).map(v => [v]);
    for (const t of [0.5, 0.25]) {
      const r = at(t);
      const ref = (m: {update(a: unknown, b: unknown): void; result(): unknown}) => {
        m.update(Array.from(labels), col);
        return m.result();
      };
      expect(r.threshold).toBe(t);
      expect(r.metrics.gmean).toBe(ref(gmean({threshold: t})));
      expect(r.metrics.balancedAccuracy).toBe(ref(balancedAccuracy({threshold: t})));
      expect(r.metrics.cost).toBe(ref(realWorldCost({costFN: 5, costFP: 1, threshold: t})));
      expect(r.metrics.ece).toBe(ref(ece({bins: 5})));
      expect(r.metrics.brier).toBe(ref(brier()));
      expect(r.confusion).toEqual(ref(confusionMatrix({threshold: t})));
      expect(r.reliability).toEqual(reliabilityDiagram(Array.from(labels), col, {bins: 5}).bins);
    }
    // At 0.5: TP = 1 (0.8), FN = 1 (0.3), FP = 1 (0.7); at 0.25 the 0.3 row becomes a TP and 0.4 an FP.
    expect(at(0.5).confusion).toEqual([[3, 1], [1, 1]]);
    expect(at(0.25).confusion).toEqual([[2, 2], [0, 2]]);
    expect(at(0.5).perClass.recall).toEqual([0.75, 0.5]);
  });

  it('multiclass: argmax decisions, group recalls, info rows', () => {
    const y = Int32Array.from([0, 1, 2, 2]);
    const p = Float32Array.from([0.8, 0.1, 0.1, 0.2, 0.3, 0.5, 0.1, 0.1, 0.8, 0.6, 0.2, 0.2]);
    const r = evaluatePredictions(y, p, 3, {metrics: ['balancedAccuracy'], threshold: 0.9, bins: 10, costs: null, classGroups: {tail: [1, 2]}});
    expect(r.threshold).toBeNull();
    expect(r.perClass.recall).toEqual([1, 0, 0.5]);
    expect(r.metrics['recall:tail']).toBe(0.25);
    expect(metricInfo(['gmean'], {tail: [1, 2]}).map(m => m.label)).toEqual(['g-mean', 'tail recall']);
    expect(() => resolveMetrics(['f1'], 3, null)).toThrow(/^metrics\[0\]: expected a metric defined for this multiclass task/);
    expect(() => resolveMetrics(['cost'], 2, null)).toThrow(/^metrics\[0\]: expected costs for the cost metric/);
  });
});
