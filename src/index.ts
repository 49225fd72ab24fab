/**
 * tfjs-imbalanced: class-imbalance losses, resampling transforms, exact
 * calibration and imbalance metrics, and the callbacks that tie them to
 * `model.fit`. Importing the package also adds `balance`, `remix`, `mixup`,
 * `smote` ... methods to `tf.data.Dataset` (see ./data).
 */
export * as losses from './losses';
export * as metrics from './metrics';
export * as callbacks from './callbacks';
export * as data from './data';
export * as datasets from './datasets';
export * as backend from './backend';
export * as calibration from './calibration';
export * as io from './io';
export {ImbalancedInputError} from './errors';
