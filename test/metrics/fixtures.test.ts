/**
 * Every metric against scikit-learn / imbalanced-learn / numpy reference values
 * (test/fixtures/metrics.json, written by scripts/fixtures/make_metric_fixtures.py):
 * three prediction sets (2, 5, 10 classes) streamed in uneven chunks
 * (1, 7, 50, rest), in several input formats, compared at 1e-6.
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as path from 'path';
import * as metrics from '../../src/metrics';
import {LabelInput, Metric, PredictionInput} from '../../src/metrics';

interface Case {
  metric: string;
  options: Record<string, unknown>;
  value: number | null | (number | null)[] | number[][];
  source: string;
  /** `threshold` cases: only meaningful for a one-column sigmoid yPred. */
  sigmoidOnly?: boolean;
}
interface FixtureSet {
  name: string;
  numClasses: number;
  labels: number[];
  probs2p20: number[][];
  cases: Case[];
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'metrics.json'), 'utf8')) as {sets: FixtureSet[]};
const TOL = 1e-6;

/** Row ranges of the uneven chunks 1, 7, 50, rest. */
function chunks(n: number): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (const size of [1, 7, 50]) {
    out.push([start, Math.min(n, start + size)]);
    start = Math.min(n, start + size);
  }
  out.push([start, n]);
  return out;
}

/** Max absolute difference, NaN/null-aware (NaN equals NaN, NaN vs a number is Infinity). */
function maxError(actual: unknown, expected: unknown): number {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return Infinity;
    return expected.reduce((m: number, e, i) => Math.max(m, maxError(actual[i], e)), 0);
  }
  const e = expected === null ? NaN : (expected as number);
  const a = actual as number;
  if (Number.isNaN(e) || Number.isNaN(a)) return Number.isNaN(e) && Number.isNaN(a) ? 0 : Infinity;
  return Math.abs(a - e);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const build = (c: Case): Metric<any> => (metrics as any)[c.metric](c.options);

/** Input formats per set: each yields the chunk [a, b) as (yTrue, yPred). */
type Format = {name: string; sigmoid?: boolean; slice: (a: number, b: number) => [LabelInput, PredictionInput]; dispose?: () => void};

function formats(set: FixtureSet): Format[] {
  const P = set.probs2p20.map(row => row.map(k => k / 2 ** 20));
  const y = set.labels;
  const C = set.numClasses;
  const out: Format[] = [{name: 'sparse labels, nested arrays', slice: (a, b) => [y.slice(a, b), P.slice(a, b)]}];
  if (C === 2) {
    // Binary sigmoid column P(y = 1) as a float32 tensor [N, 1] (exact: multiples of 2^-20).
    const col = tf.tensor2d(P.map(r => [r[1]]), [P.length, 1]);
    const yt = tf.tensor1d(y, 'int32');
    out.push({
      name: 'sigmoid column tensor',
      sigmoid: true,
      slice: (a, b) => [yt.slice(a, b - a), col.slice([a, 0], [b - a, 1])],
      dispose: () => tf.dispose([col, yt]),
    });
  } else if (C === 5) {
    const pt = tf.tensor2d(P);
    const yt = tf.oneHot(tf.tensor1d(y, 'int32'), C).toFloat();
    out.push({
      name: 'one-hot float32 tensors',
      slice: (a, b) => [yt.slice([a, 0], [b - a, C]), pt.slice([a, 0], [b - a, C])],
      dispose: () => tf.dispose([pt, yt]),
    });
  } else {
    const flat = Float32Array.from(P.flat());
    const labels = Int32Array.from(y);
    out.push({
      name: '{values, shape} typed arrays, labels [N, 1]',
      slice: (a, b) => [{values: labels.subarray(a, b), shape: [b - a, 1]}, {values: flat.subarray(a * C, b * C), shape: [b - a, C]}],
    });
  }
  return out;
}

describe.each(fixture.sets.map(s => [s.name, s] as const))('fixture set %s', (_name, set) => {
  const fmts = formats(set);
  afterAll(() => fmts.forEach(f => f.dispose?.()));

  it.each(fmts.map(f => [f.name, f] as const))('streams %s in chunks 1, 7, 50, rest and matches every reference value', (_f, fmt) => {
    const failures: string[] = [];
    const ranges = chunks(set.labels.length);
    for (const c of set.cases) {
      if (c.sigmoidOnly && !fmt.sigmoid) continue;
      const m = build(c);
      const created: tf.Tensor[] = [];
      for (const [a, b] of ranges) {
        const [yt, yp] = fmt.slice(a, b);
        m.update(yt, yp);
        [yt, yp].forEach(t => t instanceof tf.Tensor && created.push(t));
      }
      tf.dispose(created);
      const err = maxError(m.result(), c.value);
      if (!(err <= TOL)) failures.push(`${c.metric} ${JSON.stringify(c.options)} (${c.source}): got ${JSON.stringify(m.result())}, expected ${JSON.stringify(c.value)}`);
    }
    expect(failures).toEqual([]);
  });

  it('one update equals the chunked result, and the compile-time function equals it on the whole set', () => {
    const P = set.probs2p20.map(row => row.map(k => k / 2 ** 20));
    const yT = tf.tensor1d(set.labels, 'int32');
    const pT = tf.tensor2d(P);
    for (const c of set.cases.filter(k => !k.sigmoidOnly)) {
      const m = build(c);
      m.update(set.labels, P);
      const once = m.result();
      expect(maxError(once, c.value)).toBeLessThanOrEqual(TOL);
      if (typeof c.value === 'number') {
        const s = m(yT, pT);
        // The callable returns a float32 scalar computed from fresh statistics.
        expect(Math.abs(s.dataSync()[0] - c.value)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(c.value)));
        s.dispose();
        expect(maxError(m.result(), once)).toBe(0); // the callable did not touch the state
      }
    }
    tf.dispose([yT, pT]);
  });
});

describe('fixture sanity', () => {
  it('covers every factory and the documented edge cases', () => {
    const names = new Set(fixture.sets.flatMap(s => s.cases.map(c => c.metric)));
    for (const f of ['ece', 'mce', 'brier', 'balancedBrier', 'gmean', 'balancedAccuracy', 'precision', 'recall', 'f1', 'mcc', 'auroc', 'auprc', 'realWorldCost', 'confusionMatrix']) {
      expect(names.has(f)).toBe(true);
    }
    const flat = fixture.sets.flatMap(s => s.probs2p20.flat());
    expect(flat).toContain(0);
    expect(flat).toContain(2 ** 20); // a confidence of exactly 1
    // The 10-class set has a class absent from labels (undefined AUROC -> null).
    const ten = fixture.sets.find(s => s.numClasses === 10) as FixtureSet;
    expect(ten.labels).not.toContain(9);
    expect((ten.cases.find(c => c.metric === 'auroc' && c.options.average === 'none')?.value as unknown[])[9]).toBeNull();
  });
});
