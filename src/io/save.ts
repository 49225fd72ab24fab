/**
 * `io.save(model, destination, options)`: `model.save` plus what tfjs cannot
 * save for a model compiled with this package's losses and metrics.
 */
import {io} from '@tensorflow/tfjs-core';
import {LayersModel} from '@tensorflow/tfjs-layers';
import {compiledModel} from '../callbacks/modelInternals';
import {withOptimizerWeights, modelArtifacts} from './artifacts';
import {compileArgsToJson} from './compileArgs';
import {FORMAT_VERSION, METADATA_KEY, SavedBlock} from './format';
import {saveHandler} from './handlers';
import {checkLayersModel, checkOptions} from './options';

/** Options of {@link save}. */
export interface SaveOptions {
  /**
   * Also store the optimizer's variables (Adam's moments, the iteration count,
   * ...), so that `fit` after `load` continues exactly where it stopped.
   * Default false, as in `model.save`: `load` then compiles with a fresh
   * optimizer of the same class and config.
   */
  includeOptimizer?: boolean;
}

/**
 * Saves `model` (topology and weights, as `model.save` does) with its compile
 * arguments in the user-defined metadata (key `tfjsImbalanced`): each loss as
 * this package's `loss.config` or a tfjs loss name, each metric as
 * `metric.config` or a tfjs metric name, the optimizer class and config; a CSL
 * loss also keeps its state. With `includeOptimizer`, the optimizer's variables
 * go into the weight data as tfjs stores them. The model itself is not changed.
 *
 * `destination`: a URL string (`indexeddb://name`, `localstorage://name`,
 * `downloads://name`, `http(s)://...`, `file://dir` in Node after importing
 * `tfjs-imbalanced/node`) or any `tf.io.IOHandler` (`tf.io.withSaveHandler`,
 * `tf.io.browserFiles`, ...). Returns the handler's `SaveResult`.
 *
 * The file stays an ordinary tfjs model: `tf.loadLayersModel` reads it (uncompiled).
 * Throws ImbalancedInputError before writing anything when a loss or metric
 * cannot be stored (a custom function: pass tfjs losses and metrics by name).
 */
export async function save(model: LayersModel, destination: string | io.IOHandler, options: SaveOptions = {}): Promise<io.SaveResult> {
  checkLayersModel(model);
  const opts = checkOptions<SaveOptions>('io.save', options, {includeOptimizer: 'boolean'});
  const handler = saveHandler(destination);
  const compile = compileArgsToJson(model);
  const optimizer = compiledModel(model).optimizer;
  const includeOptimizer = (opts.includeOptimizer ?? false) && compile !== null;
  let artifacts = await modelArtifacts(model);
  if (includeOptimizer) artifacts = await withOptimizerWeights(artifacts, optimizer);
  const block: SavedBlock = {version: FORMAT_VERSION, compile, optimizerWeights: includeOptimizer};
  // The user's own metadata keys are kept; a block from an earlier load is replaced.
  return handler.save({...artifacts, userDefinedMetadata: {...artifacts.userDefinedMetadata, [METADATA_KEY]: block}});
}
