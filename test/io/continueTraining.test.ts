import * as tf from '@tensorflow/tfjs';
import * as imb from '../../src';
import {smallModel, toyData} from '../helpers';
import {roundTrip} from './memory';

// A model trained 1 epoch, saved with its optimizer, loaded and trained 1 more epoch
// gives the epoch-2 loss of the original trained 2 epochs on the same batches.

const COUNTS = [30, 12, 6];
type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

type Setup = {optimizer: () => tf.Optimizer; loss: () => LossFn; callbacks?: (loss: LossFn) => tf.Callback[]};

async function epochLoss(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor, callbacks: tf.Callback[] = []): Promise<number> {
  const history = await model.fit(xs, ys, {epochs: 1, batchSize: 8, shuffle: false, verbose: 0, callbacks});
  return history.history.loss[0] as number;
}

function build(setup: Setup): tf.LayersModel {
  const model = smallModel(4, 3, 'softmax', 21);
  model.compile({optimizer: setup.optimizer(), loss: setup.loss(), metrics: [imb.metrics.gmean()]});
  return model;
}

/** [epoch-2 loss of the model trained straight through, of the saved and reloaded one]. */
async function secondEpochLosses(setup: Setup, includeOptimizer: boolean): Promise<[number, number]> {
  const {xs, labels} = toyData(48, 4, COUNTS, 3);
  const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
  const callbacksOf = (m: tf.LayersModel) => setup.callbacks?.(m.loss as LossFn) ?? [];
  const straight = build(setup);
  await epochLoss(straight, xs, ys, callbacksOf(straight));
  const resumed = await roundTrip(straight, {includeOptimizer});
  const expected = await epochLoss(straight, xs, ys, callbacksOf(straight));
  const got = await epochLoss(resumed, xs, ys, callbacksOf(resumed));
  imb.io.dispose(straight);
  imb.io.dispose(resumed);
  tf.dispose([xs, ys]);
  return [expected, got];
}

const SETUPS: Array<{name: string} & Setup> = [
  {name: 'adam + dwb', optimizer: () => tf.train.adam(0.02), loss: () => imb.losses.dwb({classCounts: COUNTS})},
  {name: 'sgd + focal', optimizer: () => tf.train.sgd(0.1), loss: () => imb.losses.focal({gamma: 2})},
  {name: 'momentum + ldam', optimizer: () => tf.train.momentum(0.05, 0.9), loss: () => imb.losses.ldam({classCounts: COUNTS, scale: 5})},
  {name: 'rmsprop + classBalanced', optimizer: () => tf.train.rmsprop(0.01), loss: () => imb.losses.classBalanced({classCounts: COUNTS, beta: 0.9})},
  {name: 'adam + csl (batch mode)', optimizer: () => tf.train.adam(0.02), loss: () => imb.losses.csl({numClasses: 3})},
  {
    name: 'adam + csl (epoch mode, callbacks.CSL)', optimizer: () => tf.train.adam(0.02), loss: () => imb.losses.csl({numClasses: 3, mode: 'epoch'}),
    callbacks: loss => [new imb.callbacks.CSL(loss as imb.losses.CslLossFunction)],
  },
];

describe('continued training after load', () => {
  it.each(SETUPS)('$name: same next-epoch loss (within 1e-6) with includeOptimizer', async setup => {
    const [expected, got] = await secondEpochLosses(setup, true);
    expect(Number.isFinite(expected)).toBe(true);
    expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-6);
  });

  it('without the optimizer state Adam restarts its moments: the next-epoch loss differs (the check above can fail)', async () => {
    const [expected, got] = await secondEpochLosses(SETUPS[0], false);
    expect(Math.abs(got - expected)).toBeGreaterThan(1e-4);
  });

  it('includeOptimizer before any training (Adam has only its iteration count): training after load matches', async () => {
    const {xs, labels} = toyData(24, 4, COUNTS, 6);
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
    const model = build(SETUPS[0]);
    const loaded = await roundTrip(model, {includeOptimizer: true});
    expect(await epochLoss(loaded, xs, ys)).toBe(await epochLoss(model, xs, ys));
    imb.io.dispose(model);
    imb.io.dispose(loaded);
    tf.dispose([xs, ys]);
  });

  it('without includeOptimizer the optimizer is still rebuilt with the same class and config', async () => {
    const model = build(SETUPS[0]);
    const loaded = await roundTrip(model);
    expect(loaded.optimizer.getClassName()).toBe('Adam');
    expect(loaded.optimizer.getConfig()).toEqual(model.optimizer.getConfig());
    imb.io.dispose(model);
    imb.io.dispose(loaded);
  });
});
