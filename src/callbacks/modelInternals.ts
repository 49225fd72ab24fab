/**
 * Access to the compiled state tfjs keeps on a model. `tf.Sequential` wraps an
 * inner LayersModel (`sequential.model`) that holds it; callbacks attached by
 * `fit` receive that inner model, callers may hand us either.
 */
import {LayersModel} from '@tensorflow/tfjs-layers';
import {LossFunction} from '../losses/common';

type Compiled = LayersModel & {model?: LayersModel};

/** The LayersModel that owns `lossFunctions` / `metricsTensors`. */
export function compiledModel(model: LayersModel): LayersModel {
  const inner = (model as Compiled).model;
  return inner instanceof LayersModel && !(model as Compiled).lossFunctions ? inner : model;
}

/** The compiled loss of output `index`, or undefined before compile. */
export function compiledLoss(model: LayersModel, index = 0): (LossFunction | ((...a: unknown[]) => unknown)) | undefined {
  return compiledModel(model).lossFunctions?.[index] as LossFunction | undefined;
}
