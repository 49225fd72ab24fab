import * as tf from '@tensorflow/tfjs';
import {rebalancedLabelWeight, rebalancedMixup} from '../../src/data/rebalancedMixup';
import {Random} from '../../src/core/random';

async function collect(ds: tf.data.Dataset<{xs: tf.Tensor; ys: tf.Tensor}>): Promise<{x: number[][]; y: number[][]}[]> {
  const out: {x: number[][]; y: number[][]}[] = [];
  const it = await ds.iterator();
  for (let r = await it.next(); !r.done; r = await it.next()) {
    out.push({x: r.value.xs.arraySync() as number[][], y: r.value.ys.arraySync() as number[][]});
    tf.dispose([r.value.xs, r.value.ys]);
  }
  return out;
}

describe('rebalancedMixup (Chou et al.)', () => {
  it('label rule oracle (remix.md §7, κ=3, τ=0.5)', () => {
    expect(rebalancedLabelWeight(100, 10, 0.3)).toBe(0);
    expect(rebalancedLabelWeight(100, 10, 0.7)).toBe(0.7);
    expect(rebalancedLabelWeight(10, 100, 0.7)).toBe(1);
    // balanced pair (ratio < κ): plain mixup weight
    expect(rebalancedLabelWeight(50, 40, 0.3)).toBe(0.3);
    expect(rebalancedLabelWeight(10, 100, 0.3)).toBe(0.3);
    // κ and τ are honoured; bad arguments are named.
    expect(rebalancedLabelWeight(100, 50, 0.3, 2)).toBe(0);
    expect(rebalancedLabelWeight(100, 10, 0.3, 3, 0.2)).toBe(0.3);
    expect(() => rebalancedLabelWeight(0, 10, 0.5)).toThrow(/^ni: expected a finite number > 0/);
    expect(() => rebalancedLabelWeight(10, 10, 1.5)).toThrow(/^lambda:/);
    expect(() => rebalancedLabelWeight(10, 10, 0.5, 0.5)).toThrow(/^kappa:/);
  });

  it('every mixed row follows the rule with the training counts', async () => {
    // Features = one-hot class: x̃ puts weight a on class p and 1−a on class q, and the
    // rule is symmetric under (i, λ) ↔ (j, 1−λ), so ỹ[p] = λ_y(n_p, n_q, a).
    const counts = [500, 50, 10];
    const rng = new Random(3);
    const rows = Array.from({length: 560}, () => {
      const u = rng.uniform() * 560;
      const c = u < 500 ? 0 : u < 550 ? 1 : 2;
      return {xs: [0, 1, 2].map(k => (k === c ? 1 : 0)), ys: c};
    });
    const out = await collect(rebalancedMixup(tf.data.array(rows).batch(40), {classCounts: counts, seed: 5}));
    let ruled = 0;
    let checked = 0;
    for (const b of out) {
      b.x.forEach((x, i) => {
        const nz = x.map((v, k) => [v, k]).filter(([v]) => v > 1e-7);
        if (nz.length < 2) {
          expect(b.y[i]).toEqual(x.map(v => (v > 0.5 ? 1 : 0))); // same class (or λ∈{0,1}): hard label
          return;
        }
        const [[a, p], [, q]] = nz;
        const ly = rebalancedLabelWeight(counts[p], counts[q], a);
        expect(b.y[i][p]).toBeCloseTo(ly, 5);
        expect(b.y[i][q]).toBeCloseTo(1 - ly, 5);
        checked++;
        if (ly === 0 || ly === 1) ruled++;
      });
    }
    expect(checked).toBeGreaterThan(50);
    expect(ruled).toBeGreaterThan(10); // the rule did fire (not just mixup)
  });

  it('kappa and tau reach the rule: a huge κ (no pair is "majority") gives plain mixup labels', async () => {
    const rows = Array.from({length: 64}, (_, i) => {
      const c = i % 8 === 0 ? 1 : 0;
      return {xs: [c === 0 ? 1 : 0, c], ys: c};
    });
    const ds = tf.data.array(rows).batch(32);
    const plain = await collect(rebalancedMixup(ds, {classCounts: [56, 8], kappa: 1e9, seed: 3, alpha: 0.5}));
    let mixed = 0;
    plain.forEach(b => b.x.forEach((x, i) => {
      expect(b.y[i][0]).toBeCloseTo(x[0], 5); // λ_y = λ: labels mixed like the one-hot features
      if (x[0] > 1e-6 && x[0] < 1 - 1e-6) mixed++;
    }));
    expect(mixed).toBeGreaterThan(5);
    // With the default κ = 3 (56/8 = 7 >= 3) the same draws move some labels wholly to the minority class.
    const ruled = await collect(rebalancedMixup(ds, {classCounts: [56, 8], seed: 3, alpha: 0.5}));
    expect(ruled).not.toEqual(plain);
    expect(ruled.map(b => b.x)).toEqual(plain.map(b => b.x)); // features are mixed alike
  });

  it('counts the classes itself when classCounts is omitted; same seed ⇒ same batches', async () => {
    const rows = Array.from({length: 64}, (_, i) => ({xs: [i], ys: i % 8 === 0 ? 1 : 0}));
    const ds = tf.data.array(rows).batch(16);
    const a = await collect(rebalancedMixup(ds, {numClasses: 2, seed: 1}));
    const b = await collect(rebalancedMixup(ds, {numClasses: 2, seed: 1, classCounts: [56, 8]}));
    expect(a).toEqual(b);
    expect(a.length).toBe(4);
  });

  it('errors: soft labels, α ≤ 0, counts of the wrong length, a class with count 0', async () => {
    const soft = tf.data.array([{xs: [[1], [2]], ys: [[0.5, 0.5], [1, 0]]}]);
    await expect(collect(rebalancedMixup(soft, {classCounts: [1, 1]}))).rejects.toThrow(/hard labels/);
    expect(() => rebalancedMixup(soft, {alpha: -0.1, classCounts: [1, 1]})).toThrow(/alpha/);
    expect(() => rebalancedMixup(soft, {classCounts: [1, 1], numClasses: 3})).toThrow(/classCounts/);
    const hard = tf.data.array([{xs: [[1], [2]], ys: [0, 1]}]);
    await expect(collect(rebalancedMixup(hard, {classCounts: [3, 0]}))).rejects.toThrow(/classCounts\[1\]/);
    // Without classCounts the labels are counted first; class indices still need numClasses for the label width.
    await expect(collect(rebalancedMixup(hard))).rejects.toThrow(/numClasses: expected the number of classes/);
    await expect(collect(rebalancedMixup(soft))).rejects.toThrow(/hard labels/);
  });

  it('counts the classes of one-hot batches itself (one extra pass) and leaks nothing', async () => {
    const rows = Array.from({length: 24}, (_, i) => ({xs: tf.tensor1d([i, -i]), ys: tf.oneHot(i % 6 === 0 ? 1 : 0, 2)}));
    const before = tf.memory().numTensors;
    const out = await collect(rebalancedMixup(tf.data.array(rows).batch(8), {seed: 2}));
    expect(out.length).toBe(3);
    expect(out[0].y[0]).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(rows.flatMap(r => [r.xs, r.ys]));
  });
});
