import * as tf from '@tensorflow/tfjs';
import {compiledLoss, compiledModel} from '../../src/callbacks/modelInternals';
import {focal} from '../../src/losses/focal';
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
