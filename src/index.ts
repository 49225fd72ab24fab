/**
 * tfjs-imbalanced: class-imbalance losses, resampling transforms, exact
 * calibration and imbalance metrics, and the callbacks that tie them to
 * `model.fit`, plus the comparison engine (`compare.run`) and its report
 * renderer (`report.renderHtml`) behind the `tfjs-imbalanced compare`
 * command. Browser-safe: nothing here touches Node built-ins or does work
 * at import time beyond one side effect: importing the package adds the
 * `balance`, `remix`, `mixup`, `smote` ... methods to `tf.data.Dataset`
 * (./data/datasetMethods). Node file loaders: `tfjs-imbalanced/node`.
 */
export * as losses from './losses';
export * as metrics from './metrics';
export * as callbacks from './callbacks';
export * as data from './data';
export * as datasets from './datasets';
export * as backend from './backend';
export * as calibration from './calibration';
export * as compare from './compare';
export * as report from './report';
export * as io from './io';
export {ImbalancedInputError} from './errors';
export {VERSION} from './version';
