import * as tf from '@tensorflow/tfjs';
import {smoteDataset} from '../../src/data/smoteDataset';
import {smote} from '../../src/data/smote';
import {ImbalancedInputError} from '../../src/errors';
import {Random} from '../../src/core/random';
import {expectNoGrowth, smallModel} from '../helpers';

type El = {xs: tf.Tensor; ys: tf.Tensor};

/** 40 rows of class 0, 10 of class 1, 3 features, interleaved. */
function rows(): {x: number[][]; y: number[]} {
  const rng = new Random(3);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 50; i++) {
    const c = i % 5 === 2 ? 1 : 0;
    x.push([rng.normal() + 2 * c, rng.normal(), rng.normal()]);
    y.push(c);
  }
  return {x, y};
}

/** A generator dataset that counts its iterations and the dataSync calls on class-0 features. */
function source(x: number[][], y: number[], onehot = false) {
  const stats = {iterations: 0, majorityReads: 0};
  const ds = tf.data.generator(function* () {
    stats.iterations++;
    for (let i = 0; i < x.length; i++) {
      const xs = tf.tensor1d(x[i]);
      if (y[i] === 0) {
        const orig = xs.dataSync.bind(xs);
        xs.dataSync = (() => { stats.majorityReads++; return orig(); }) as typeof xs.dataSync;
      }
      const ys = onehot ? tf.tidy(() => tf.oneHot(tf.scalar(y[i], 'int32'), 2)) : tf.scalar(y[i], 'int32');
      yield {xs, ys};
    }
  } as unknown as () => Iterator<El>);
  return {ds, stats};
}

async function collect(ds: tf.data.Dataset<El>): Promise<Array<{x: number[]; y: number | number[]}>> {
  const out: Array<{x: number[]; y: number | number[]}> = [];
  await ds.forEachAsync(el => {
    out.push({x: Array.from(el.xs.dataSync()), y: el.ys.arraySync() as number | number[]});
    tf.dispose([el.xs, el.ys]);
  });
  return out;
}

describe('smoteDataset (ds.smote())', () => {
  const {x, y} = rows();

  it('streams the source, then the synthetic rows, which equal smote() on the stacked data with the same seed', async () => {
    const {ds, stats} = source(x, y);
    const out = smoteDataset(ds, {k: 3, seed: 6});
    // The first element comes after both reading passes: class-0 features were never read back.
    const it = await out.iterator();
    const first = (await it.next()).value as El;
    expect(stats.iterations).toBe(3);
    expect(stats.majorityReads).toBe(0);
    tf.dispose([first.xs, first.ys]);
    stats.iterations = 0;
    const got = await collect(out);
    expect(got.length).toBe(80);
    got.slice(0, 50).forEach((el, i) => {
      expect(el.x).toEqual(Array.from(Float32Array.from(x[i])));
      expect(el.y).toBe(y[i]);
    });
    const ref = tf.tidy(() => {
      const r = smote(tf.tensor2d(x), tf.tensor1d(y, 'int32'), {k: 3, seed: 6});
      return {xs: r.xs.arraySync() as number[][], ys: r.ys.arraySync() as number[]};
    });
    got.slice(50).forEach((el, g) => {
      expect(el.x).toEqual(ref.xs[50 + g]);
      expect(el.y).toBe(1);
    });
    // Later epochs: one pass over the source each, the same synthetic rows.
    expect(stats.iterations).toBe(1);
    const again = await collect(out);
    expect(stats.iterations).toBe(2);
    expect(again).toEqual(got);
  });

  it('resampleEachEpoch draws new rows every epoch; one-hot labels keep their encoding', async () => {
    const {ds} = source(x, y, true);
    const out = smoteDataset(ds, {k: 3, seed: 6, resampleEachEpoch: true});
    const a = await collect(out);
    const b = await collect(out);
    expect(a.slice(0, 50)).toEqual(b.slice(0, 50));
    expect(a.slice(50)).not.toEqual(b.slice(50));
    expect(a[70].y).toEqual([0, 1]);
  });

  it('batched: source batches pass through, synthetic rows come in batches of the first batch size', async () => {
    const elements = x.map((r, i) => ({xs: tf.tensor1d(r), ys: tf.scalar(y[i], 'int32')}));
    const ds = tf.data.array(elements).batch(16) as unknown as tf.data.Dataset<El>;
    const sizes: number[] = [];
    const labels: number[] = [];
    await smoteDataset(ds, {k: 3, seed: 1, batched: true}).forEachAsync(el => {
      sizes.push(el.xs.shape[0]);
      labels.push(...Array.from(el.ys.dataSync()));
      tf.dispose([el.xs, el.ys]);
    });
    expect(sizes).toEqual([16, 16, 16, 2, 16, 14]);
    expect(labels.filter(c => c === 1).length).toBe(40);
    elements.forEach(e => tf.dispose([e.xs, e.ys]));
  });

  it('errors surface on the first iteration: k too large, NaN features, batches without batched', async () => {
    await expect(collect(smoteDataset(source(x, y).ds, {k: 10}))).rejects.toThrow(/^k: expected fewer neighbours than class 1 has other rows \(class 1 has 10 rows/);
    const bad = x.map((r, i) => (i === 7 ? [NaN, 0, 0] : r));
    await expect(collect(smoteDataset(source(bad, y).ds, {k: 3}))).rejects.toThrow(ImbalancedInputError);
    await expect(collect(smoteDataset(source(bad, y).ds, {k: 3}))).rejects.toThrow(/^xs\[7\]: expected finite feature values/);
    // A rank-2 ys is a batch in any dataset: batches of one-hot rows need no flag.
    const batches = tf.data.array(x.map((r, i) => ({xs: tf.tensor1d(r), ys: tf.tidy(() => tf.oneHot(tf.scalar(y[i], 'int32'), 2))}))).batch(4) as unknown as tf.data.Dataset<El>;
    expect((await collect(smoteDataset(batches, {k: 3, seed: 1}))).length).toBe(13 + 8); // 30 synthetic rows in batches of 4
    await expect(collect(smoteDataset(batches, {k: 3, batched: false}))).resolves.toHaveLength(21);
    expect(() => smoteDataset(source(x, y).ds, {batched: 1 as never})).toThrow(/^batched: expected a boolean/);
    expect(() => smoteDataset(source(x, y).ds, {samplingStrategy: 'balanced' as never})).toThrow(/^samplingStrategy:/);
  });

  it('fitDataset for several epochs over ds.smote() keeps tf.memory().numTensors constant', async () => {
    const {ds} = source(x, y, true);
    const train = smoteDataset(ds, {k: 3, seed: 2}).shuffle(100, '1').batch(16);
    const model = smallModel(3, 2);
    model.compile({optimizer: 'sgd', loss: 'categoricalCrossentropy'});
    const counts: number[] = [];
    await model.fitDataset(train, {epochs: 4, verbose: 0, callbacks: {onEpochEnd: async () => { counts.push(tf.memory().numTensors); }}});
    expectNoGrowth(counts);
    model.dispose();
  });
});
