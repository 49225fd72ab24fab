import * as tf from '@tensorflow/tfjs';
import {mixup} from '../../src/data/mixup';
import {Random} from '../../src/core/random';
import {expectClose} from '../helpers';

interface Out {
  xShape: number[];
  x: number[];
  y: number[][];
}

async function collect(ds: tf.data.Dataset<{xs: tf.Tensor; ys: tf.Tensor}>): Promise<Out[]> {
  const out: Out[] = [];
  const it = await ds.iterator();
  for (let r = await it.next(); !r.done; r = await it.next()) {
    out.push({xShape: r.value.xs.shape, x: Array.from(r.value.xs.dataSync()), y: r.value.ys.arraySync() as number[][]});
    tf.dispose([r.value.xs, r.value.ys]);
  }
  return out;
}

function labelled(n: number, K: number, seed = 1): {xs: number[]; ys: number}[] {
  const rng = new Random(seed);
  return Array.from({length: n}, () => {
    const c = rng.uniform() < 0.8 ? 0 : 1 + rng.int(K - 1);
    return {xs: Array.from({length: K}, (_, k) => (k === c ? 1 : 0)), ys: c};
  });
}

describe('mixup', () => {
  it('one λ and one permutation per batch: features and labels mixed alike; batch sizes kept', async () => {
    // Features = one-hot class, so the mixed features must equal the mixed labels.
    const ds = tf.data.array(labelled(100, 3)).batch(32);
    const out = await collect(mixup(ds, {alpha: 1, numClasses: 3, seed: 4}));
    expect(out.map(b => b.y.length)).toEqual([32, 32, 32, 4]);
    out.forEach(b => {
      expectClose(b.x, b.y.flat(), 1e-6, 1e-6);
      b.y.forEach(r => expect(Math.abs(r[0] + r[1] + r[2] - 1)).toBeLessThan(1e-6));
      // One λ per batch: every mixed cross-class row has its two weights in {λ, 1−λ}.
      const weights = new Set(b.y.flatMap(r => r.filter(v => v > 0 && v < 1).map(v => Math.min(v, 1 - v).toFixed(5))));
      expect(weights.size).toBeLessThanOrEqual(1);
    });
  });

  it('keeps the unbalanced class mix (no resampling): label mass per batch equals the input counts', async () => {
    const rows = labelled(64, 2, 3);
    const out = await collect(mixup(tf.data.array(rows).batch(64), {numClasses: 2, seed: 1, alpha: 0.4}));
    const mass = [0, 1].map(k => out[0].y.reduce((s, r) => s + r[k], 0));
    expectClose(mass, [rows.filter(r => r.ys === 0).length, rows.filter(r => r.ys === 1).length], 1e-5, 1e-4);
  });

  it('accepts [b, K] one-hot or soft labels and any feature rank; size follows the source', async () => {
    const ds = tf.data.array(Array.from({length: 3}, (_, i) => ({xs: tf.ones([4, 2, 2]).mul(i), ys: tf.tensor2d([[0.9, 0.1], [0, 1], [1, 0], [0.5, 0.5]])})));
    const m = mixup(ds, {seed: 2});
    expect(m.size).toBe(3);
    const out = await collect(m);
    expect(out[0].xShape).toEqual([4, 2, 2]);
    expectClose(out[2].x, new Array(16).fill(2));
    out[0].y.forEach(r => expect(Math.abs(r[0] + r[1] - 1)).toBeLessThan(1e-6));
  });

  it('same seed ⇒ same batches; epochs differ', async () => {
    const ds = tf.data.array(labelled(64, 2)).batch(16);
    const a = mixup(ds, {numClasses: 2, seed: 7, alpha: 1});
    const e0 = await collect(a);
    const e1 = await collect(a);
    expect(e1).not.toEqual(e0);
    expect(await collect(mixup(ds, {numClasses: 2, seed: 7, alpha: 1}))).toEqual(e0);
  });

  it('errors: α ≤ 0, unbatched elements, class indices without numClasses, NaN', async () => {
    const ds = tf.data.array(labelled(8, 2)).batch(4);
    expect(() => mixup(ds, {alpha: 0})).toThrow(/alpha: expected a finite number > 0/);
    expect(() => mixup(ds, {numClasses: 0})).toThrow(/numClasses/);
    await expect(collect(mixup(tf.data.array(labelled(8, 2)), {numClasses: 2}))).rejects.toThrow(/batch the dataset first: ds.batch\(n\)/);
    await expect(collect(mixup(ds))).rejects.toThrow(/numClasses: expected the number of classes/);
    await expect(collect(mixup(tf.data.array([{xs: [[1], [NaN]], ys: [0, 1]}]), {numClasses: 2}))).rejects.toThrow(/xs\[1\]: expected finite feature values/);
    await expect(collect(mixup(tf.data.array([{xs: [[1], [2]], ys: [0, 2]}]), {numClasses: 2}))).rejects.toThrow(/ys\[1\]: expected a class index: an integer in \[0, 1\]/);
  });
});
