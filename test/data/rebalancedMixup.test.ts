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
  });
});
