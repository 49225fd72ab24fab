import * as tf from '@tensorflow/tfjs';
import {installDatasetMethods} from '../../src/data/datasetMethods';
import {balancedBatches} from '../../src/data/balance';
import {remix} from '../../src/data/remix';
import {mixup} from '../../src/data/mixup';
import {rebalancedMixup} from '../../src/data/rebalancedMixup';
import {smoteDataset} from '../../src/data/smoteDataset';
import {Random} from '../../src/core/random';
import {expectNoGrowth, smallModel} from '../helpers';

type Batch = {xs: tf.Tensor; ys: tf.Tensor};

/** n rows, 1:9 imbalance, d features; a new tensor per element (made on the current backend). */
function tensorRows(n = 120, d = 4, seed = 3): tf.data.Dataset<Batch> {
  return tf.data.generator(function* () {
    const rng = new Random(seed);
    for (let i = 0; i < n; i++) {
      const c = rng.uniform() < 0.1 ? 1 : 0;
      yield {xs: tf.tensor1d(Array.from({length: d}, () => rng.normal() + c)), ys: tf.scalar(c, 'int32')};
    }
  });
}

async function dump(ds: tf.data.Dataset<Batch>): Promise<number[][]> {
  const out: number[][] = [];
  await ds.forEachAsync(e => {
    out.push(Array.from(e.xs.dataSync()), Array.from(e.ys.dataSync()));
    tf.dispose([e.xs, e.ys]);
  });
  return out;
}

/** Every transform, built with a fixed seed (fresh dataset objects each call). */
const pipelines: Record<string, () => tf.data.Dataset<Batch>> = {
  balance: () => tensorRows().balance({batchSize: 16, seed: 1}),
  'balance (undersample, poolSize)': () => tensorRows().balance({batchSize: 4, seed: 1, strategy: 'undersample', poolSize: 8, numClasses: 2}),
  remix: () => tensorRows().remix({batchSize: 16, numClasses: 2, seed: 2}),
  "remix (source 'dataset', approx)": () => tensorRows().remix({batchSize: 16, numClasses: 2, seed: 2, source: 'dataset', balance: 'approx'}),
  mixup: () => tensorRows().batch(16).mixup({numClasses: 2, seed: 3, alpha: 0.4}),
  rebalancedMixup: () => tensorRows().batch(16).rebalancedMixup({numClasses: 2, seed: 4}),
};

describe('tf.data.Dataset methods', () => {
  it('are installed on the prototype, non-enumerable, idempotently', () => {
    const ds = tf.data.array([1, 2, 3]);
    for (const name of ['balance', 'remix', 'rebalancedMixup', 'mixup', 'smote']) {
      expect(typeof (ds as unknown as Record<string, unknown>)[name]).toBe('function');
      expect(Object.keys(tf.data.Dataset.prototype)).not.toContain(name);
    }
    const before = tf.data.Dataset.prototype.remix;
    installDatasetMethods();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../src/data/datasetMethods');
    expect(tf.data.Dataset.prototype.remix).toBe(before);
  });

  it('each method equals its plain function (same seed, same batches)', async () => {
    expect(await dump(tensorRows().remix({batchSize: 16, numClasses: 2, seed: 5}))).toEqual(await dump(remix(tensorRows(), {batchSize: 16, numClasses: 2, seed: 5})));
    expect(await dump(tensorRows().balance({batchSize: 8, seed: 5}))).toEqual(await dump(balancedBatches(tensorRows(), {batchSize: 8, seed: 5})));
    expect(await dump(tensorRows().batch(8).mixup({numClasses: 2, seed: 5}))).toEqual(await dump(mixup(tensorRows().batch(8), {numClasses: 2, seed: 5})));
    expect(await dump(tensorRows().batch(8).rebalancedMixup({numClasses: 2, seed: 5}))).toEqual(
      await dump(rebalancedMixup(tensorRows().batch(8), {numClasses: 2, seed: 5})),
    );
    const viaMethod = await dump(tensorRows().smote({seed: 5}));
    expect(viaMethod.length).toBeGreaterThan(2 * 120); // source rows plus synthetic ones, xs and ys each
    expect(viaMethod).toEqual(await dump(smoteDataset(tensorRows(), {seed: 5})));
  });

  it('chain with other tf.data methods', async () => {
    const out = await dump(tensorRows().remix({batchSize: 16, numClasses: 2, seed: 1}).take(2).map(e => ({xs: (e as Batch).xs, ys: (e as Batch).ys})));
    expect(out.length).toBe(4);
  });
});

describe('fitDataset', () => {
  it.each(Object.keys(pipelines))('%s: no tensor leak over 3 epochs', async name => {
    const model = smallModel(4, 2);
    model.compile({optimizer: 'sgd', loss: 'categoricalCrossentropy'});
    const counts: number[] = [];
    await model.fitDataset(pipelines[name](), {epochs: 3, verbose: 0, callbacks: {onEpochEnd: async () => void counts.push(tf.memory().numTensors)}});
    expectNoGrowth(counts);
    model.dispose();
  });

  it('remix with augment: no tensor leak', async () => {
    const model = smallModel(4, 2);
    model.compile({optimizer: 'sgd', loss: 'categoricalCrossentropy'});
    const counts: number[] = [];
    const ds = tensorRows().remix({batchSize: 16, numClasses: 2, seed: 1, augment: x => tf.add(x, tf.scalar(0.1))});
    await model.fitDataset(ds, {epochs: 3, verbose: 0, callbacks: {onEpochEnd: async () => void counts.push(tf.memory().numTensors)}});
    expectNoGrowth(counts);
    model.dispose();
  });

  it('sees fresh, seed-determined batches every epoch; epoch 0 is the first epoch read', async () => {
    const seenPerEpoch: string[][] = [];
    let epoch = 0;
    const ds = tensorRows().remix({batchSize: 16, numClasses: 2, seed: 9});
    const tapped = ds.map(e => {
      const b = e as Batch;
      (seenPerEpoch[epoch] ??= []).push(Array.from(b.ys.dataSync()).map(v => v.toFixed(6)).join(','));
      return b;
    });
    const model = smallModel(4, 2);
    model.compile({optimizer: 'sgd', loss: 'categoricalCrossentropy'});
    await model.fitDataset(tapped, {epochs: 3, verbose: 0, callbacks: {onEpochEnd: async () => void epoch++}});
    model.dispose();
    expect(seenPerEpoch.length).toBe(3);
    expect(seenPerEpoch[1]).not.toEqual(seenPerEpoch[0]);
    expect(seenPerEpoch[2]).not.toEqual(seenPerEpoch[1]);
    // A fresh dataset with the same seed replays epoch 0, then epoch 1.
    const fresh = tensorRows().remix({batchSize: 16, numClasses: 2, seed: 9});
    for (const e of [0, 1]) {
      const ys = (await dump(fresh)).filter((_, i) => i % 2 === 1).map(v => v.map(x => x.toFixed(6)).join(','));
      expect(ys).toEqual(seenPerEpoch[e]);
    }
  });
});

describe('determinism across backends', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('@tensorflow/tfjs-backend-wasm');
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('cpu and wasm give bit-identical batches for every transform (two epochs each)', async () => {
    const run = async () => {
      const all: Record<string, number[][]> = {};
      for (const [name, make] of Object.entries(pipelines)) {
        const ds = make();
        all[name] = [...(await dump(ds)), ...(await dump(ds))];
      }
      return all;
    };
    await tf.setBackend('cpu');
    const cpu = await run();
    expect(await tf.setBackend('wasm')).toBe(true);
    expect(tf.getBackend()).toBe('wasm');
    const wasm = await run();
    await tf.setBackend('cpu');
    for (const name of Object.keys(pipelines)) {
      expect(cpu[name].length).toBeGreaterThan(4);
      expect(wasm[name]).toEqual(cpu[name]);
    }
  });
});
