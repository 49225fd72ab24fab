/**
 * Saving and loading models compiled with this package's losses and metrics.
 * tfjs cannot serialise function losses or metrics: `model.save` stores none
 * (and throws with `includeOptimizer: true`). `save` keeps the compile
 * arguments (loss and metric configs, optimizer class and config, a CSL
 * loss's state) in the model's user-defined metadata and, on request, the
 * optimizer's variables in the weight data; `load` returns the model compiled
 * again. Browser-safe: URL schemes are whatever tfjs has registered (Node's
 * `file://` comes from `tfjs-imbalanced/node`).
 */
export {save} from './save';
export type {SaveOptions} from './save';
export {dispose, load} from './load';
export type {LoadOptions} from './load';
export {FORMAT_VERSION, METADATA_KEY} from './format';
export type {PerOutput, SavedBlock, SavedCompileArgs, SavedLoss, SavedMetric} from './format';
export type {CslStateJson} from './cslState';
