/**
 * `io.load(source, options)`: the model `io.save` stored, compiled again with
 * the same losses, metrics and optimizer (and the optimizer's variables when
 * they were saved), ready for `predict`, `evaluate` or more `fit`.
 */
import {io} from '@tensorflow/tfjs-core';
import {LayersModel, loadLayersModel} from '@tensorflow/tfjs-layers';
import {ImbalancedInputError} from '../errors';
import {compiledModel} from '../callbacks/modelInternals';
import {checkOptimizerClass, compileArgsFromJson, lossFunctionsOf} from './compileArgs';
import {METADATA_KEY, readBlock} from './format';
import {loadHandler} from './handlers';
import {checkOptions} from './options';

/** Options of {@link load}. */
export interface LoadOptions {
  /**
   * `true`: the model must come back compiled (throws for a model saved
   * uncompiled or by plain `model.save`). `false`: topology and weights only,
   * for inference. Default: compiled when it was saved compiled.
   */
  compile?: boolean;
  /** Every weight of the model must be in the file and no other (tfjs' `strict`). Default true. */
  strict?: boolean;
}

/**
 * Loads a model saved by {@link save}: topology and weights, then `compile`
 * with losses and metrics rebuilt by `losses.fromConfig` / `metrics.fromConfig`
 * (a CSL loss gets its saved state back), tfjs loss / metric names as they
 * were, and the optimizer's class and config; its variables when saved with
 * `includeOptimizer`, so training resumes exactly. The loaded model owns its
 * optimizer (`model.dispose()` frees it); {@link dispose} also frees the losses.
 *
 * A model saved by plain `model.save` loads as tfjs loads it (uncompiled, or
 * compiled from a tfjs training config of string losses).
 *
 * `source`: a URL string (`indexeddb://name`, `localstorage://name`,
 * `http(s)://.../model.json`, `file://dir` in Node after importing
 * `tfjs-imbalanced/node`) or any `tf.io.IOHandler` with `load`
 * (`tf.io.fromMemory`, `tf.io.browserFiles`, ...). Throws ImbalancedInputError
 * for a metadata block written by a newer version of this package, an unknown
 * loss, metric or optimizer name, or `compile: true` without saved compile arguments.
 */
export async function load(source: string | io.IOHandler, options: LoadOptions = {}): Promise<LayersModel> {
  const opts = checkOptions<LoadOptions>('io.load', options, {compile: 'boolean', strict: 'boolean'});
  const handler = loadHandler(source);
  const artifacts = await handler.load();
  const block = readBlock(artifacts.userDefinedMetadata);
  const saved = opts.compile === false ? null : block?.compile ?? null;
  const tfjsConfig = block === null && opts.compile !== false ? artifacts.trainingConfig : undefined;
  if (opts.compile === true && saved === null && tfjsConfig === undefined) {
    throw new ImbalancedInputError(
      'compile',
      'false, or a model saved compiled (imb.io.save of a compiled model, or model.save({includeOptimizer: true}) with string losses)',
      block === null ? 'true for a model saved without compile arguments (plain model.save)' : 'true for a model saved before compile',
    );
  }
  if (saved !== null) checkOptimizerClass(saved.optimizer);
  const args = saved === null ? null : compileArgsFromJson(saved); // bad entries throw before the model is built
  let model: LayersModel;
  try {
    model = await loadLayersModel(fromArtifacts({
      ...artifacts,
      userDefinedMetadata: withoutBlock(artifacts.userDefinedMetadata),
      // With a training config, tfjs builds the optimizer and restores its saved variables;
      // its placeholder loss is replaced by the real ones right after.
      trainingConfig: saved === null ? tfjsConfig : {loss: 'meanSquaredError', metrics: [], optimizer_config: saved.optimizer},
    }), {strict: opts.strict ?? true});
  } catch (e) {
    if (args !== null) lossFunctionsOf(args.loss).forEach(fn => fn.dispose());
    throw tfjsConfig === undefined ? e : trainingConfigError(e);
  }
  if (args !== null) model.compile({...args, optimizer: model.optimizer});
  if (saved !== null || tfjsConfig !== undefined) ownOptimizer(model);
  return model;
}

/**
 * Frees a model and what it was compiled with: `model.dispose()` (weights, and
 * the optimizer when the model owns it, as after {@link load} or
 * `compile({optimizer: 'adam'})`) and `dispose()` of each loss of this package
 * (kept constants; a CSL loss's state).
 */
export function dispose(model: LayersModel): void {
  const losses = lossFunctionsOf(compiledModel(model).loss);
  model.dispose();
  losses.forEach(fn => fn.dispose());
}

/**
 * tfjs' own training config (plain `model.save({includeOptimizer: true})`)
 * names only tfjs losses and metrics; this package's metrics in it make tfjs
 * throw "Unknown metric": say how to load such a file.
 */
function trainingConfigError(error: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error);
  if (!/^Unknown (loss|metric)/.test(message)) return error;
  return new ImbalancedInputError(
    'trainingConfig',
    'a tfjs training config of tfjs loss and metric names (the model was saved by plain model.save; ' +
      'load it with {compile: false} and compile it yourself, or save it with imb.io.save)',
    `${message.split('.')[0]}`,
  );
}

/** An IOHandler that hands tfjs these artifacts. */
function fromArtifacts(artifacts: io.ModelArtifacts): io.IOHandler {
  return {load: async () => artifacts};
}

/** The user's own metadata keys, without this package's block (undefined when nothing is left). */
function withoutBlock(metadata: io.ModelArtifacts['userDefinedMetadata']): io.ModelArtifacts['userDefinedMetadata'] {
  if (metadata === undefined || !(METADATA_KEY in metadata)) return metadata;
  const {[METADATA_KEY]: _block, ...rest} = metadata;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/** The model frees the optimizer load made for it on `model.dispose()`, as for `compile({optimizer: 'adam'})`. */
function ownOptimizer(model: LayersModel): void {
  [model, compiledModel(model)].forEach(m => {
    (m as unknown as {isOptimizerOwned: boolean}).isOptimizerOwned = true;
  });
}
