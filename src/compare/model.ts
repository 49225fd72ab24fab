/**
 * The default network of a comparison: a seeded MLP with ReLU hidden layers
 * and a softmax output (features of rank > 1, e.g. images, are flattened first).
 */
import * as tfl from '@tensorflow/tfjs-layers';
import {checkNumberArray} from '../core/validate';
import type {ModelBuilder} from './types';

/** Hidden widths of the default MLP. */
export const DEFAULT_HIDDEN = [64, 32];

/**
 * A model builder for an MLP with the given hidden widths: He-normal ReLU
 * layers and a Glorot-uniform softmax layer, every initialiser seeded from
 * `seed` (layer i uses seed + i), so the same seed gives the same weights.
 */
export function mlp(hidden: number[] = DEFAULT_HIDDEN): ModelBuilder {
  const widths = checkNumberArray('hidden', hidden, {min: 1, integer: true});
  return (inputShape, numClasses, seed) => {
    const model = tfl.sequential();
    if (inputShape.length > 1) model.add(tfl.layers.flatten({inputShape}));
    widths.forEach((units, i) => {
      model.add(tfl.layers.dense({
        units,
        activation: 'relu',
        kernelInitializer: tfl.initializers.heNormal({seed: seed + i}),
        ...(i === 0 && inputShape.length === 1 ? {inputShape} : {}),
      }));
    });
    model.add(tfl.layers.dense({
      units: numClasses,
      activation: 'softmax',
      kernelInitializer: tfl.initializers.glorotUniform({seed: seed + widths.length}),
    }));
    return model;
  };
}
