/**
 * The default network of a comparison: a seeded MLP with ReLU hidden layers
 * and a softmax output (features of rank > 1, e.g. images, are flattened first).
 */
import * as tfl from '@tensorflow/tfjs-layers';
import {ImbalancedInputError} from '../errors';
import {checkBoolean, checkKeys, checkNumber, checkNumberArray} from '../core/validate';
import type {ModelBuilder} from './types';

/** Hidden widths of the default MLP. */
export const DEFAULT_HIDDEN = [64, 32];

/** Options of {@link mlp}. */
export interface MlpOptions {
  /**
   * Dropout rate after every hidden layer, in [0, 1). Default 0 (none). The
   * dropout layers are not seeded: a seeded tfjs `dropout` layer draws the same
   * mask at every step, so runs with dropout agree only within its noise.
   */
  dropout?: number;
  /** L2 penalty on the hidden and output kernels (not the biases), >= 0. Default 0. */
  l2?: number;
  /** A linear last layer (logits, for `compare.run`'s `fromLogits: true`) instead of softmax. Default false. */
  logits?: boolean;
}

/**
 * A model builder for an MLP with the given hidden widths: He-normal ReLU
 * layers (each followed by dropout when asked) and a Glorot-uniform softmax
 * (or linear) layer, every initialiser seeded from `seed` (layer i uses
 * seed + i), so the same seed gives the same initial weights. The builder
 * refuses a seed below 1: tfjs reads an initializer seed of 0 as "no seed".
 */
export function mlp(hidden: number[] = DEFAULT_HIDDEN, options: MlpOptions = {}): ModelBuilder {
  const widths = checkNumberArray('hidden', hidden, {min: 1, integer: true});
  checkKeys('mlp', options, ['dropout', 'l2', 'logits']);
  const dropout = checkNumber('dropout', options.dropout ?? 0, {min: 0, max: 1, openMax: true});
  const l2 = checkNumber('l2', options.l2 ?? 0, {min: 0});
  const logits = checkBoolean('logits', options.logits ?? false);
  const kernelRegularizer = () => (l2 > 0 ? tfl.regularizers.l2({l2}) : undefined);
  return (inputShape, numClasses, seed) => {
    if (!(Number.isInteger(seed) && seed >= 1)) {
      throw new ImbalancedInputError('seed', 'an integer >= 1 (tfjs reads an initializer seed of 0 as no seed)', seed);
    }
    const model = tfl.sequential();
    if (inputShape.length > 1) model.add(tfl.layers.flatten({inputShape}));
    widths.forEach((units, i) => {
      model.add(tfl.layers.dense({
        units,
        activation: 'relu',
        kernelInitializer: tfl.initializers.heNormal({seed: seed + i}),
        kernelRegularizer: kernelRegularizer(),
        ...(i === 0 && inputShape.length === 1 ? {inputShape} : {}),
      }));
      if (dropout > 0) model.add(tfl.layers.dropout({rate: dropout}));
    });
    model.add(tfl.layers.dense({
      units: numClasses,
      activation: logits ? 'linear' : 'softmax',
      kernelInitializer: tfl.initializers.glorotUniform({seed: seed + widths.length}),
      kernelRegularizer: kernelRegularizer(),
      ...(widths.length === 0 && inputShape.length === 1 ? {inputShape} : {}),
    }));
    return model;
  };
}
