/**
 * Sufficient-statistics helpers (src/metrics/stats/): the radix sort behind
 * AUROC on float32 scores, the float32 -> float64 widening buffer, and AUROC /
 * AP on a sample large enough for the radix path, against brute force.
 */
import * as tf from '@tensorflow/tfjs';
import * as metrics from '../../src/metrics';
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
