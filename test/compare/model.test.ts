/**
 * The default MLP builder and the seeds the engine gives it: initialisers are
 * seeded from an integer >= 1 (tfjs reads an initializer seed of 0 as "no
 * seed"), dropout is never seeded (a seeded tfjs dropout layer draws the same
 * mask at every step), L2 goes on the kernels only.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import {mlp} from '../../src/compare/model';
import {seedsOf} from '../../src/compare/prepare';

const weightsOf = (m: tf.LayersModel) => m.getWeights().map(w => Array.from(w.dataSync()));

describe('compare.mlp', () => {
  it('gives the same initial weights for the same seed and different ones for another seed', () => {
    const build = mlp([6, 4], {dropout: 0.2});
    const [a, b, c] = [build([3], 2, 1), build([3], 2, 1), build([3], 2, 2)];
    expect(weightsOf(a)).toEqual(weightsOf(b));
    expect(weightsOf(a)[0]).not.toEqual(weightsOf(c)[0]);
    [a, b, c].forEach(m => m.dispose());
  });

  it('refuses a seed below 1: tfjs would leave the initialisers unseeded', () => {
    expect(() => mlp()([3], 2, 0)).toThrow(/^seed: expected an integer >= 1 \(tfjs reads an initializer seed of 0 as no seed\), got 0/);
    expect(() => mlp()([3], 2, 1.5)).toThrow(/^seed: expected an integer >= 1/);
  });

  it('puts unseeded dropout after every hidden layer, L2 on the kernels only, softmax or linear last', () => {
    const model = mlp([5, 5], {dropout: 0.1, l2: 1e-3})([3], 4, 7);
    const configs = model.layers.map(l => l.getConfig());
    expect(model.layers.map(l => l.getClassName())).toEqual(['Dense', 'Dropout', 'Dense', 'Dropout', 'Dense']);
    for (const c of configs.filter((_, i) => i % 2 === 1)) {
      expect(c.rate).toBe(0.1);
      expect(c.seed == null).toBe(true);
    }
    for (const c of configs.filter((_, i) => i % 2 === 0)) {
      expect(c.kernelRegularizer).toMatchObject({className: 'L1L2', config: {l1: 0, l2: 1e-3}});
      expect(c.biasRegularizer).toBeNull();
    }
    expect(configs[4].activation).toBe('softmax');
    expect(mlp([5], {logits: true})([3], 4, 7).layers[1].getConfig().activation).toBe('linear');
    model.dispose();
  });

  it('dropout is active in training only and draws a new mask at every step', () => {
    const model = mlp([64], {dropout: 0.5})([4], 2, 3);
    const x = tf.ones([1, 4]);
    const hidden = tf.sequential({layers: model.layers.slice(0, 2)});
    const masks = [0, 1, 2].map(() => tf.tidy(() => Array.from((hidden.apply(x, {training: true}) as tf.Tensor).dataSync()).map(v => v === 0)));
    expect(masks[0]).not.toEqual(masks[1]);
    expect(masks[1]).not.toEqual(masks[2]);
    const inference = tf.tidy(() => Array.from((hidden.apply(x, {training: false}) as tf.Tensor).dataSync()));
    const plain = tf.tidy(() => Array.from((model.layers[0].apply(x) as tf.Tensor).dataSync()));
    expect(inference).toEqual(plain);
    tf.dispose(x);
    model.dispose();
  });

  it('rejects bad options by name', () => {
    expect(() => mlp([4], {dropout: 1})).toThrow(/^dropout: expected/);
    expect(() => mlp([4], {l2: -1})).toThrow(/^l2: expected/);
    expect(() => mlp([4], {dropuot: 0.1} as never)).toThrow(/did you mean 'dropout'/);
  });
});

describe('the seeds of a repeat', () => {
  it('are integers >= 1 for every base seed and repeat, distinct across repeats and between init and data', () => {
    fc.assert(
      fc.property(fc.integer({min: 0, max: 1e6}), fc.integer({min: 0, max: 100}), (seed, r) => {
        const s = seedsOf(seed, r);
        for (const v of [s.init, s.data]) expect(Number.isInteger(v) && v >= 1).toBe(true);
        expect(s.init).not.toBe(s.data);
        expect(seedsOf(seed, r + 1).init).not.toBe(s.init);
      }),
      {seed: 11, numRuns: 200},
    );
  });
});
