/**
 * Access to the compiled state tfjs keeps on a model. `tf.Sequential` wraps an
 * inner LayersModel (`sequential.model`) that holds it; callbacks attached by
 * `fit` receive that inner model, callers may hand us either.
 */
import * as tf from '@tensorflow/tfjs-core';
import {LayersModel} from '@tensorflow/tfjs-layers';
import {LossConfig, isLossConfig} from '../losses/common';

type Compiled = LayersModel & {model?: LayersModel};

/** A compiled loss as tfjs calls it. */
export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** The LayersModel that owns `lossFunctions` / `metricsTensors`. */
export function compiledModel(model: LayersModel): LayersModel {
  const inner = (model as Compiled).model;
  return inner instanceof LayersModel && !(model as Compiled).lossFunctions ? inner : model;
}

/** Our wrappers around compiled losses (the fit-phase taps), each with the loss it calls. */
const WRAPPED = new WeakMap<object, LossFn>();

/** Records that `wrapper` only calls `original` (so lookups see through it). */
export function registerLossWrapper(wrapper: LossFn, original: LossFn): void {
  WRAPPED.set(wrapper, original);
}

/** `fn` without any of our wrappers around it. */
export function unwrapLoss<T>(fn: T): T {
  let f: unknown = fn;
  for (let inner = WRAPPED.get(f as object); inner !== undefined; inner = WRAPPED.get(f as object)) f = inner;
  return f as T;
}

/** The compiled losses of the model, one per output, seen through our wrappers (empty before compile). */
export function compiledLosses(model: LayersModel): unknown[] {
  const losses = (compiledModel(model) as unknown as {lossFunctions?: unknown[]}).lossFunctions;
  return Array.isArray(losses) ? losses.map(unwrapLoss) : [];
}

/** The compiled loss of output `index` seen through our wrappers, or undefined before compile. */
export function compiledLoss(model: LayersModel, index = 0): unknown {
  return compiledLosses(model)[index];
}

/** The config of a loss of this package (`loss.config`), or undefined. */
export function lossConfigOf(fn: unknown): LossConfig | undefined {
  const config = typeof fn === 'function' ? (fn as {config?: unknown}).config : undefined;
  return isLossConfig(config) ? config : undefined;
}

/**
 * The first config named `name` in `config` or, for a loss built on a base loss
 * (`csl({base: crcen(...)})`), in its base's config.
 */
export function findLossConfig(config: LossConfig | undefined, name: string): LossConfig | undefined {
  for (let c = config; c !== undefined; c = isLossConfig(c.options.base) ? c.options.base : undefined) {
    if (c.name === name) return c;
  }
  return undefined;
}

