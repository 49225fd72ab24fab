/**
 * Sufficient-statistics helpers (src/metrics/stats/): the radix sort behind
 * AUROC on float32 scores, the float32 -> float64 widening buffer, AUROC /
 * AP on a sample large enough for the radix path against brute force, exact
 * sums against BigInt arithmetic, and the base64 typed-array encoding.
 */
import * as fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import * as metrics from '../../src/metrics';
import {ExactSums} from '../../src/metrics/stats/exactSum';
import {decodeArray, encodeArray, fromBase64, toBase64} from '../../src/metrics/stats/encoding';
import {GrowableArray, sortAscending} from '../../src/metrics/stats/scoreBuffer';
import {quantileBin, quantileEdges} from '../../src/metrics/stats/calibrationBins';
import {Random} from '../../src/core/random';
import {expectClose} from '../helpers';

describe('sortAscending', () => {
  it('radix-sorts float32 exactly like the native sort (negatives, -0, ties, infinities, subnormals)', () => {
    const rng = new Random(3);
    for (const n of [513, 4096, 70000]) {
      const x = new Float32Array(n);
      const kinds = [() => rng.uniform(), () => -rng.uniform() * 1e3, () => 0, () => -0, () => Math.round(rng.uniform() * 4) / 4, () => Infinity, () => -Infinity, () => 1e-40];
      for (let i = 0; i < n; i++) x[i] = kinds[rng.int(kinds.length)]();
      const native = x.slice().sort();
      const radix = x.slice();
      sortAscending(radix);
      expect(Array.from(radix).map(v => Object.is(v, -0) ? '-0' : v)).toEqual(Array.from(native).map(v => Object.is(v, -0) ? '-0' : v));
    }
  });
});

describe('GrowableArray', () => {
  it('stays float32 for float32-exact values and widens to float64 (keeping earlier values) otherwise', () => {
    const g = new GrowableArray('auto', 2);
    g.pushStrided(Float32Array.from([0.5, 0.25, 0.125]), 0, 1, 3);
    g.pushStrided([0.75, 1], 0, 1, 2);
    expect(g.isFloat64).toBe(false);
    g.pushStrided([0.1], 0, 1, 1);
    expect(g.isFloat64).toBe(true);
    expect(Array.from(g.view())).toEqual([0.5, 0.25, 0.125, 0.75, 1, 0.1]);
    const strided = new GrowableArray('float64');
    strided.pushStrided([1, 2, 3, 4, 5, 6], 1, 3, 2);
    expect(Array.from(strided.view())).toEqual([2, 5]);
  });
});

describe('quantile edges', () => {
  it('edges at ranks ceil(m n / M) - 1; a value on an edge goes to the lower bin', () => {
    const sorted = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];
    expect(Array.from(quantileEdges(sorted, 3))).toEqual([0.3, 0.5]); // ranks ceil(7/3)-1 = 2, ceil(14/3)-1 = 4
    const edges = quantileEdges(sorted, 3);
    expect([0.1, 0.3, 0.31, 0.5, 0.7].map(c => quantileBin(edges, c))).toEqual([0, 0, 1, 1, 2]);
  });
});

describe('ranking metrics on a large float32 sample (radix path)', () => {
  it('AUROC and AP equal brute force with ties; chunked tensors equal one call', () => {
    const rng = new Random(11);
    const n = 3000;
    const C = 3;
    const labels: number[] = [];
    const probs: number[][] = [];
    for (let i = 0; i < n; i++) {
      const y = rng.uniform() < 0.2 ? 2 : rng.uniform() < 0.5 ? 1 : 0;
      labels.push(y);
      // Coarse scores (multiples of 1/64) make many ties.
      const raw = [0, 1, 2].map(k => Math.floor((rng.uniform() + (k === y ? 0.5 : 0)) * 16) + 1);
      const s = raw.reduce((a, b) => a + b, 0);
      probs.push(raw.map(v => Math.fround(v / s)));
    }
    const bruteAuc = (k: number) => {
      const pos = probs.filter((_, i) => labels[i] === k).map(r => r[k]);
      const neg = probs.filter((_, i) => labels[i] !== k).map(r => r[k]);
      let u = 0;
      for (const a of pos) for (const b of neg) u += a > b ? 1 : a === b ? 0.5 : 0;
      return u / (pos.length * neg.length);
    };
    const bruteAp = (k: number) => {
      const order = probs.map((r, i) => [r[k], labels[i] === k ? 1 : 0]).sort((a, b) => b[0] - a[0]);
      const P = order.filter(o => o[1]).length;
      let tp = 0;
      let fp = 0;
      let ap = 0;
      for (let i = 0; i < order.length;) {
        let j = i;
        let hits = 0;
        while (j < order.length && order[j][0] === order[i][0]) {
          if (order[j][1]) hits++;
          else fp++;
          j++;
        }
        tp += hits;
        ap += (hits / P) * (tp / (tp + fp));
        i = j;
      }
      return ap;
    };
    const auc = metrics.auroc({average: 'none'});
    const ap = metrics.auprc({average: 'none'});
    const pT = tf.tensor2d(probs);
    const yT = tf.tensor1d(labels, 'int32');
    for (const [a, b] of [[0, 1000], [1000, 1001], [1001, 3000]]) {
      const y = yT.slice(a, b - a);
      const p = pT.slice([a, 0], [b - a, C]);
      auc.update(y, p);
      ap.update(y, p);
      tf.dispose([y, p]);
    }
    expectClose(auc.result(), [0, 1, 2].map(bruteAuc), 1e-12, 1e-12);
    expectClose(ap.result(), [0, 1, 2].map(bruteAp), 1e-12, 1e-12);
    tf.dispose([pT, yT]);
  });
});

describe('ExactSums', () => {
  /** The correctly rounded sum of m_i * 2^e_i (|m_i| < 2^53, e_i >= -80), via BigInt. */
  const exactSum = (terms: [number, number][]): number => {
    const scaled = terms.reduce((acc, [m, e]) => acc + BigInt(m) * BigInt(2) ** BigInt(e + 80), BigInt(0));
    return Number(scaled) * 2 ** -80; // Number(BigInt) rounds to nearest-even; * 2^-80 is exact here
  };
  const termArb = fc.tuple(fc.integer({min: -(2 ** 31), max: 2 ** 31}).chain(hi => fc.integer({min: 0, max: 2 ** 21}).map(lo => hi * 2 ** 21 + lo)), fc.integer({min: -80, max: 10}));

  it('is the correctly rounded exact sum, whatever the order, the split and the JSON round trip (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(termArb, {maxLength: 60}), fc.array(fc.nat(), {maxLength: 60}), (terms, cuts) => {
        const values = terms.map(([m, e]) => m * 2 ** e);
        const expected = exactSum(terms);
        const one = new ExactSums(1);
        values.forEach(v => one.add(0, v));
        expect(one.value(0)).toBe(expected);
        // Reversed order, split into 3 accumulators merged through JSON.
        const parts = [new ExactSums(1), new ExactSums(1), new ExactSums(1)];
        values.slice().reverse().forEach((v, i) => parts[(cuts[i] ?? i) % 3].add(0, v));
        const merged = ExactSums.fromJSON('s', JSON.parse(JSON.stringify(parts[0].toJSON())), 1);
        merged.merge(parts[2]);
        merged.merge(parts[1]);
        expect(merged.value(0)).toBe(expected);
        expect(merged.total()).toBe(expected);
      }),
      {seed: 7, numRuns: 300},
    );
  });

  it('cancellation and half-way ties: 1 + 2^-53 + 2^-105 rounds up; 1e16 + 1 - 1e16 = 1', () => {
    const s = new ExactSums(2);
    [1, 2 ** -53, 2 ** -105].forEach(v => s.add(0, v));
    expect(s.value(0)).toBe(1 + 2 ** -52);
    [1e16, 1, -1e16].forEach(v => s.add(1, v));
    expect(s.value(1)).toBe(1);
    expect(s.total()).toBe(2 + 2 ** -52);
  });
});

describe('typed-array encoding', () => {
  it('base64 equals Node\'s for every length mod 3 (fast-check); decode inverts it; bad text is rejected', () => {
    fc.assert(
      fc.property(fc.uint8Array({maxLength: 50}), bytes => {
        const text = toBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(fromBase64(text)).toEqual(bytes);
      }),
      {seed: 3, numRuns: 200},
    );
    for (const bad of ['A', 'AB=C', '====', 'AAA*', 'A===']) expect(fromBase64(bad)).toBeNull();
  });
  it('typed arrays round trip with their dtype; a wrong dtype or length is an ImbalancedInputError', () => {
    const x = Float32Array.from([0, -0, 1.5, 1e-40, 3.4e38]);
    expect(Array.from(decodeArray('x', encodeArray(x), ['float32']))).toEqual(Array.from(x));
    const y = Float64Array.from([0.1, 1 / 3, 5e-324]);
    expect(decodeArray('y', JSON.parse(JSON.stringify(encodeArray(y))), ['float64'])).toEqual(y);
    expect(() => decodeArray('y', encodeArray(y), ['float32'])).toThrow(/^y: expected an encoded array \{dtype: 'float32'/);
    expect(() => decodeArray('y', {...encodeArray(y), length: 4}, ['float64'])).toThrow(/^y.base64: expected base64 of 4 float64 values/);
  });
});
