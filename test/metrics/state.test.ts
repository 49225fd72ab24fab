/**
 * Mergeable metric state (src/metrics/state.ts, metric.merge / getState,
 * metrics.fromState): any split of a dataset into shards, each updated in
 * arbitrary chunks, merged in any order (as metric objects or through
 * JSON.stringify / parse), gives exactly the one-call result, for every metric
 * and option set; plus the errors for states that do not fit.
 */
import * as fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import * as metrics from '../../src/metrics';
import {ImbalancedInputError} from '../../src/errors';
import {Metric, MetricState} from '../../src/metrics';
import {inputError} from '../helpers';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyMetric = Metric<any>;

/** Every metric with the option sets whose statistics differ, for C classes. */
function suite(C: number): AnyMetric[] {
  const costs = C === 2 ? [metrics.realWorldCost({costFN: 5, costFP: 1})] : [];
  if (C === 3) costs.push(metrics.realWorldCost({costFN: [1, 2, 3], costFP: [[0, 1, 2], [1, 0, 1], [3, 1, 0]]}));
  return [
    metrics.ece(), metrics.ece({bins: 4, binning: 'quantile'}), metrics.ece({bins: 5, mode: 'classwise'}),
    metrics.ece({bins: 3, mode: 'classwise', binning: 'quantile'}), metrics.mce({bins: 7}),
    metrics.brier(), metrics.balancedBrier(), metrics.gmean(), metrics.gmean({correction: 0.01}),
    metrics.balancedAccuracy({adjusted: true}), metrics.precision({average: 'none'}), metrics.recall({average: 'weighted'}),
    metrics.f1(), metrics.f1({average: 'micro', zeroDivision: 'nan'}), metrics.mcc(),
    metrics.auroc(), metrics.auroc({average: 'none'}), metrics.auroc({average: 'weighted', hardPredictions: true}),
    metrics.auroc({bins: 16}), metrics.auroc({bins: 8, average: 'none'}),
    metrics.auprc(), metrics.auprc({average: 'weighted'}), metrics.auprc({bins: 32, average: 'none'}),
    metrics.confusionMatrix({normalize: 'true'}), ...costs,
  ];
}

interface Data {
  C: number;
  /** One sigmoid column instead of two softmax columns (C = 2 only). */
  sigmoid: boolean;
  labels: number[];
  probs: number[][];
}

/** Random rows: coarse probabilities (ties), float32-exact or not, classes that may be absent or have one row. */
const dataArb: fc.Arbitrary<Data> = fc
  .record({C: fc.constantFrom(2, 3, 5), sigmoid: fc.boolean(), n: fc.integer({min: 0, max: 40}), coarse: fc.boolean(), seed: fc.integer()})
  .chain(({C, sigmoid, n, coarse}) =>
    fc.record({
      C: fc.constant(C),
      sigmoid: fc.constant(C === 2 && sigmoid),
      labels: fc.array(fc.integer({min: 0, max: C - 1}), {minLength: n, maxLength: n}),
      probs: fc.array(
        fc.array(coarse ? fc.integer({min: 0, max: 4}).map(v => v / 4) : fc.double({min: 0, max: 1, noNaN: true}), {minLength: C, maxLength: C}),
        {minLength: n, maxLength: n},
      ),
    }),
  )
  .map(d => ({
    ...d,
    // Rows normalised to sum to 1 (all-zero rows become uniform); a sigmoid keeps p(class 1).
    probs: d.probs.map(r => {
      const s = r.reduce((a, b) => a + b, 0);
      return s === 0 ? r.map(() => 1 / d.C) : r.map(v => v / s);
    }),
  }));

/** A split: which shard each row goes to, the chunk sizes within each shard, the merge order, which merges go through JSON. */
const planArb = (n: number) =>
  fc.record({
    shards: fc.integer({min: 1, max: 5}),
    assign: fc.array(fc.nat(), {minLength: n, maxLength: n}),
    chunk: fc.array(fc.integer({min: 0, max: 9}), {minLength: 1, maxLength: 8}),
    order: fc.array(fc.nat(), {minLength: 5, maxLength: 5}),
    viaJson: fc.array(fc.boolean(), {minLength: 5, maxLength: 5}),
  });

function rowsOf(d: Data, idx: number[]): [metrics.LabelInput, metrics.PredictionInput] {
  if (idx.length === 0) return [[], {values: [], shape: d.sigmoid ? [0] : [0, d.C]}];
  return [idx.map(i => d.labels[i]), d.sigmoid ? idx.map(i => d.probs[i][1]) : idx.map(i => d.probs[i])];
}

/** Updates `m` with the rows `idx` in chunks cycling through `sizes` (a 0 is an empty update; all zeros: one empty update, then the rest). */
function feed(m: AnyMetric, d: Data, idx: number[], sizes: number[]): void {
  const steps = sizes.some(s => s > 0) ? sizes : [0, Math.max(1, idx.length)];
  let start = 0;
  for (let c = 0; start < idx.length || c === 0; c++) {
    const size = steps[c % steps.length];
    m.update(...rowsOf(d, idx.slice(start, start + size)));
    start += size;
  }
}

const bound = (m: AnyMetric): unknown => (typeof (m as unknown as {errorBound?: () => unknown}).errorBound === 'function' ? (m as unknown as {errorBound: () => unknown}).errorBound() : undefined);

describe('any split into shards, merged in any order, equals one call', () => {
  it('for every metric (fast-check)', () => {
    fc.assert(
      fc.property(dataArb.chain(d => fc.tuple(fc.constant(d), planArb(d.labels.length))), ([d, plan]) => {
        const all = d.labels.map((_, i) => i);
        const reference = suite(d.C);
        reference.forEach(m => m.update(...rowsOf(d, all)));
        const shardRows: number[][] = Array.from({length: plan.shards}, () => []);
        all.forEach(i => shardRows[plan.assign[i] % plan.shards].push(i));
        const shards = shardRows.map(idx => {
          const ms = suite(d.C);
          ms.forEach(m => feed(m, d, idx, plan.chunk));
          return ms;
        });
        // Merge order: a permutation of the shards driven by plan.order.
        const order = shards.map((_, s) => s).sort((a, b) => (plan.order[a] % 7) - (plan.order[b] % 7) || a - b);
        const first = order[0];
        const merged = shards[first].map(m => (plan.viaJson[0] ? metrics.fromState(JSON.parse(JSON.stringify(m.getState())) as MetricState) : m));
        for (const s of order.slice(1)) {
          merged.forEach((m, j) => m.merge(plan.viaJson[s] ? (JSON.parse(JSON.stringify(shards[s][j].getState())) as MetricState) : shards[s][j]));
        }
        merged.forEach((m, j) => {
          expect([m.config.name, m.result()]).toEqual([reference[j].config.name, reference[j].result()]);
          expect(bound(m)).toEqual(bound(reference[j]));
          expect(m.getState().count).toBe(d.labels.length);
        });
      }),
      {seed: 20240611, numRuns: 60},
    );
  });

  it('a class with one row alone in its shard, an empty shard, and the rest', () => {
    const d: Data = {
      C: 3, sigmoid: false,
      labels: [0, 1, 0, 2, 1, 0, 1],
      probs: [[0.5, 0.25, 0.25], [0.2, 0.6, 0.2], [0.7, 0.2, 0.1], [0.3, 0.3, 0.4], [0.1, 0.1, 0.8], [0.4, 0.4, 0.2], [0.25, 0.5, 0.25]],
    };
    const reference = suite(3);
    reference.forEach(m => m.update(...rowsOf(d, [0, 1, 2, 3, 4, 5, 6])));
    const shards = [[3], [], [6, 0, 5], [1, 2, 4]].map(idx => {
      const ms = suite(3);
      ms.forEach(m => feed(m, d, idx, [2, 0, 1]));
      return ms;
    });
    const merged = shards[1].map((m, j) => {
      const out = metrics.fromState(JSON.parse(JSON.stringify(m.getState())) as MetricState);
      [3, 0, 2].forEach(s => out.merge(shards[s][j]));
      return out;
    });
    expect(merged.map(m => m.result())).toEqual(reference.map(m => m.result()));
  });

  it('float32 tensors and float64 arrays mix; a metric merged into itself doubles its rows', () => {
    const probs = [[0.1, 0.7, 0.2], [0.3, 0.3, 0.4], [0.6, 0.2, 0.2], [0.05, 0.05, 0.9]];
    const labels = [1, 2, 0, 0];
    for (const make of [() => metrics.auroc({average: 'none'}), () => metrics.ece({binning: 'quantile', bins: 3}), () => metrics.brier()]) {
      const a = make();
      const pt = tf.tensor2d(probs.slice(0, 2));
      a.update(tf.tensor1d(labels.slice(0, 2), 'int32'), pt);
      const b = make();
      b.update(labels.slice(2), probs.slice(2).map(r => r.map(v => v + 1e-12 * v)));
      const one = make();
      one.update(labels.slice(0, 2), pt);
      one.update(labels.slice(2), probs.slice(2).map(r => r.map(v => v + 1e-12 * v)));
      a.merge(b);
      expect(a.result()).toEqual(one.result());
      const twice = make();
      twice.update(labels.slice(0, 2), pt);
      twice.update(labels.slice(0, 2), pt);
      const self = make();
      self.update(labels.slice(0, 2), pt);
      self.merge(self);
      expect(self.result()).toEqual(twice.result());
      expect(self.getState().count).toBe(4);
      pt.dispose();
    }
  });
});

describe('state contents', () => {
  it('empty metric: numClasses 0, stats null; fromState gives an empty metric; merging it changes nothing', () => {
    const m = metrics.f1({average: 'none'});
    const s = m.getState();
    expect(s).toEqual({format: 'tfjs-imbalanced/metric-state', version: 1, config: m.config, numClasses: 0, count: 0, stats: null});
    expect(metrics.fromState(s).result()).toEqual([]);
    const full = metrics.f1({average: 'none'});
    full.update([0, 1], [0.2, 0.9]);
    const before = full.result();
    full.merge(s);
    expect(full.result()).toEqual(before);
  });

  it('getState is plain JSON: structuredClone and JSON give the same state; fromState keeps the log name', () => {
    const m = metrics.auroc({name: 'val_auc', average: 'none'});
    m.update([0, 1, 2, 2], [[0.5, 0.25, 0.25], [0.125, 0.75, 0.125], [0.25, 0.25, 0.5], [0.5, 0.125, 0.375]]);
    const s = m.getState();
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(structuredClone(s)).toEqual(s);
    const back = metrics.fromState(s);
    expect(back.name).toBe('val_auc');
    expect(back.result()).toEqual(m.result());
    // Exact AUROC keeps the scores: float32-exact values as base64 float32, labels as uint8.
    const stats = s.stats as {labels: {dtype: string; length: number}; scores: {dtype: string}[]};
    expect(stats.labels).toMatchObject({dtype: 'uint8', length: 4});
    expect(stats.scores.map(c => c.dtype)).toEqual(['float32', 'float32', 'float32']);
  });

  it('the log name may differ; everything else in the config must match', () => {
    const a = metrics.gmean({name: 'train_gmean'});
    const b = metrics.gmean({name: 'val_gmean'});
    a.update([0, 1], [0.2, 0.9]);
    b.update([0, 1], [0.7, 0.9]);
    a.merge(b);
    expect(a.result()).toBeCloseTo(Math.sqrt(0.5), 12);
    const err = inputError;
    const e = err(() => metrics.ece({bins: 10}).merge(metrics.ece({bins: 15})));
    expect(e.parameter).toBe('other');
    expect(e.message).toMatch(/same config/);
    expect(e.message).toMatch(/"bins":10/);
    expect(err(() => metrics.ece().merge(metrics.mce())).parameter).toBe('other');
    expect(err(() => metrics.auroc().merge(metrics.auroc({bins: 64}))).parameter).toBe('other');
    expect(err(() => metrics.ece().merge({} as MetricState)).parameter).toBe('other');
    expect(err(() => metrics.ece().merge((() => 1) as unknown as AnyMetric)).parameter).toBe('other');
  });

  it('different numbers of classes do not merge', () => {
    const a = metrics.brier();
    a.update([0, 1], [0.2, 0.9]);
    const b = metrics.brier();
    b.update([0, 2], [[0.5, 0.25, 0.25], [0.5, 0.25, 0.25]]);
    expect(() => a.merge(b)).toThrow(/other.numClasses: expected 2 classes, as in the earlier updates/);
    expect(() => a.merge(b.getState())).toThrow(ImbalancedInputError);
    // An empty metric adopts the other's number of classes.
    const c = metrics.brier();
    c.merge(b);
    expect(c.result()).toBe(b.result());
    expect(() => c.update([0], [0.5])).toThrow(/3 classes, as in the earlier updates/);
  });

  it('malformed states: clear errors naming the field', () => {
    const m = metrics.auroc();
    m.update([0, 1, 1], [0.25, 0.5, 0.75]);
    const good = m.getState();
    const bad = (patch: (s: MetricState & {stats: Record<string, unknown>}) => void): string => {
      const s = JSON.parse(JSON.stringify(good));
      patch(s);
      return inputError(() => metrics.fromState(s)).parameter;
    };
    expect(bad(s => { s.version = 2; })).toBe('state.version');
    expect(bad(s => { s.numClasses = 1; })).toBe('state.numClasses');
    expect(bad(s => { s.count = 4; })).toBe('other.count');
    expect(bad(s => { s.count = -1; })).toBe('state.count');
    expect(bad(s => { (s as {stats: unknown}).stats = null; })).toBe('state.stats');
    expect(bad(s => { (s.stats.labels as {base64: string}).base64 = 'AAE'; })).toBe('state.stats.labels.base64');
    expect(bad(s => { (s.stats.labels as {dtype: string}).dtype = 'float32'; })).toBe('state.stats.labels');
    expect(bad(s => { s.config = {name: 'nope', options: {}}; })).toBe('config.name');
    const cm = metrics.confusionMatrix();
    cm.update([0, 1], [0.2, 0.9]);
    const cs = cm.getState();
    expect(() => metrics.fromState({...cs, stats: {counts: [1, 0, -1, 1]}})).toThrow(/state.stats.counts: expected 4 non-negative integer counts/);
    const e = metrics.ece();
    e.update([0, 1], [0.2, 0.9]);
    const es = e.getState() as MetricState & {stats: {columns: {sumConf: unknown[][]}[]}};
    es.stats.columns[0].sumConf[0] = [NaN];
    expect(() => metrics.fromState(es)).toThrow(/state.stats.columns\[0\].sumConf\[0\]\[0\]: expected a finite number/);
  });
});
