import * as tf from '@tensorflow/tfjs';
import {compiledLoss, compiledModel, findLossConfig, lossConfigOf, registerLossWrapper, unwrapLoss} from '../../src/callbacks/modelInternals';
import {focal} from '../../src/losses/focal';
import {crcen} from '../../src/losses/crcen';
import {csl} from '../../src/losses/csl';
import {smallModel} from '../helpers';

describe('compiledModel / compiledLoss', () => {
  it('a tf.Sequential resolves to the inner model that holds lossFunctions; a functional model to itself', () => {
    const seq = smallModel(4, 3);
    const loss = focal();
    expect(compiledLoss(seq)).toBeUndefined(); // before compile
    seq.compile({optimizer: 'sgd', loss});
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const inner = (seq as any).model as tf.LayersModel;
    expect(compiledModel(seq)).toBe(inner);
    expect(compiledModel(inner)).toBe(inner);
    expect(compiledLoss(seq)).toBe(loss);
    const input = tf.input({shape: [2]});
    const functional = tf.model({inputs: input, outputs: tf.layers.dense({units: 1}).apply(input) as tf.SymbolicTensor});
    functional.compile({optimizer: 'sgd', loss: 'meanSquaredError'});
    expect(compiledModel(functional)).toBe(functional);
    expect(typeof compiledLoss(functional)).toBe('function');
  });
});

describe('seeing through wrappers', () => {
  it('unwrapLoss follows our registered wrappers (nested) and nothing else', () => {
    const loss = focal();
    const w1 = (y: tf.Tensor, p: tf.Tensor) => loss(y, p);
    const w2 = (y: tf.Tensor, p: tf.Tensor) => w1(y, p);
    expect(unwrapLoss(w2)).toBe(w2);
    registerLossWrapper(w1, loss);
    registerLossWrapper(w2, w1);
    expect(unwrapLoss(w2)).toBe(loss);
    const seq = smallModel(4, 2);
    seq.compile({optimizer: 'sgd', loss: w2});
    expect(compiledLoss(seq)).toBe(loss);
  });

  it('findLossConfig finds a loss by name in a config or its base config', () => {
    const base = crcen({lambda: 0.7});
    const outer = csl({numClasses: 2, base});
    expect(findLossConfig(lossConfigOf(outer), 'crcen')).toEqual(base.config);
    expect(findLossConfig(lossConfigOf(outer), 'csl')?.name).toBe('csl');
    expect(findLossConfig(lossConfigOf(focal()), 'crcen')).toBeUndefined();
    expect(lossConfigOf(() => 0)).toBeUndefined();
    expect(findLossConfig(undefined, 'crcen')).toBeUndefined();
    outer.dispose();
  });
});
