import * as tf from '@tensorflow/tfjs';
import {BestEpoch, monitorMode} from '../../src/compare/bestEpoch';
import {smallModel} from '../helpers';

/** Sets every weight of `model` to `value`. */
function fillWeights(model: tf.LayersModel, value: number): void {
  const fills = model.getWeights().map(w => tf.fill(w.shape, value));
  model.setWeights(fills);
  tf.dispose(fills);
}

/** Drives the callback by hand: epoch e sets every weight to e, then reports logs[e]. */
async function drive(cb: BestEpoch, model: tf.LayersModel, logs: Record<string, number>[]): Promise<number> {
  cb.setModel(model);
  await cb.onTrainBegin();
  let epochs = 0;
  for (let e = 0; e < logs.length; e++) {
    fillWeights(model, e);
    await cb.onEpochEnd(e, {...logs[e]});
    epochs++;
    if (model.stopTraining) break;
  }
  await cb.onTrainEnd();
  return epochs;
}

const weightValue = (model: tf.LayersModel) => model.getWeights()[0].dataSync()[0];

describe('BestEpoch', () => {
  it('restores the weights of the best epoch and stops after `patience` epochs without improvement', async () => {
    const model = smallModel(3, 2);
    const before = tf.memory().numTensors;
    const cb = new BestEpoch({monitor: 'val_gmean', patience: 2});
    const ran = await drive(cb, model, [0.5, 0.7, 0.6, 0.65, 0.9].map(v => ({loss: 1, val_gmean: v})));
    expect(ran).toBe(4); // epochs 3 and 4 do not beat epoch 2: stop after epoch 4
    expect(cb.bestEpoch).toBe(2);
    expect(cb.epochsRun).toBe(4);
    expect(weightValue(model)).toBe(1); // epoch index 1 wrote 1s
    expect(tf.memory().numTensors).toBe(before); // the kept copy is freed
    model.dispose();
  });

  it('minimises loss-like keys, keeps the last epoch without a monitor, and reports a diverged loss', async () => {
    expect(monitorMode('val_loss')).toBe('min');
    expect(monitorMode('val_ece')).toBe('min');
    expect(monitorMode('val_balancedBrier')).toBe('min');
    expect(monitorMode('val_auroc')).toBe('max');
    const model = smallModel(3, 2);
    const min = new BestEpoch({monitor: 'val_loss'});
    await drive(min, model, [3, 1, 2].map(v => ({loss: 1, val_loss: v})));
    expect(min.bestEpoch).toBe(2);
    const none = new BestEpoch({monitor: null});
    await drive(none, model, [{loss: 1}, {loss: 1}, {loss: 1}]);
    expect([none.bestEpoch, weightValue(model)]).toEqual([3, 2]);
    const nan = new BestEpoch({monitor: 'val_loss'});
    expect(await drive(nan, model, [{loss: 1, val_loss: 1}, {loss: NaN, val_loss: 1}, {loss: 1, val_loss: 0}])).toBe(2);
    expect(nan.diverged).toBe('the training loss became NaN in epoch 2');
    model.dispose();
  });

  it('runs checkpoints with the best-so-far weights, then puts the current ones back', async () => {
    const model = smallModel(3, 2);
    const seen: [number, number, number][] = [];
    const cb = new BestEpoch({
      monitor: 'val_gmean', checkpoints: [2, 3],
      onCheckpoint: async (epoch, best) => {
        seen.push([epoch, best, weightValue(model)]);
      },
    });
    cb.setModel(model);
    await cb.onTrainBegin();
    for (const [e, v] of [[0, 0.9], [1, 0.5], [2, 0.95]]) {
      fillWeights(model, e);
      await cb.onEpochEnd(e, {loss: 1, val_gmean: v});
      expect(weightValue(model)).toBe(e); // training goes on from the current weights
    }
    await cb.onTrainEnd();
    expect(seen).toEqual([[2, 1, 0], [3, 3, 2]]);
    model.dispose();
  });

  it('rejects bad options and a monitor missing from the logs', async () => {
    expect(() => new BestEpoch({monitor: ''})).toThrow(/^monitor:/);
    expect(() => new BestEpoch({monitor: 'x', patience: 0})).toThrow(/^patience:/);
    const model = smallModel(3, 2);
    const cb = new BestEpoch({monitor: 'val_gmean'});
    cb.setModel(model);
    await cb.onTrainBegin();
    await expect(cb.onEpochEnd(0, {loss: 1, val_loss: 2})).rejects.toThrow(/^monitor: expected a key of the epoch logs \(loss, val_loss\), got "val_gmean"/);
    cb.dispose();
    model.dispose();
  });
});
