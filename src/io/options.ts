/** Checks of the arguments `io.save` / `io.load` take besides the destination or source. */
import {LayersModel} from '@tensorflow/tfjs-layers';
import {ImbalancedInputError} from '../errors';
import {checkKeys} from '../core/validate';

/** Throws unless `model` is a tf.LayersModel (tf.sequential(), tf.model(), tf.loadLayersModel()). */
export function checkLayersModel(model: unknown): asserts model is LayersModel {
  if (!(model instanceof LayersModel)) {
    throw new ImbalancedInputError('model', 'a tf.LayersModel (tf.sequential(), tf.model() or a loaded model)', model);
  }
}

/**
 * `options` as an object whose keys are all in `types` (an unknown key, a typo
 * such as `includeOptimiser`, throws with the closest valid name), each of
 * its value's type when set. `owner` names the function in the message.
 */
export function checkOptions<T>(owner: string, options: unknown, types: {[K in keyof T]-?: 'boolean'}): T {
  if (options === undefined) return {} as T;
  checkKeys(owner, options, Object.keys(types));
  Object.entries(options as Record<string, unknown>).forEach(([key, value]) => {
    if (value !== undefined && typeof value !== types[key as keyof T]) {
      throw new ImbalancedInputError(key, `a ${types[key as keyof T]}`, value);
    }
  });
  return options as T;
}
