/**
 * The block `io.save` writes into a model's user-defined metadata, under the
 * key {@link METADATA_KEY}, and `io.load` reads back. It is plain JSON:
 *
 * ```json
 * {"tfjsImbalanced": {
 *   "version": 1,
 *   "compile": {
 *     "loss": {"name": "dwb", "options": {...}},           // or "categoricalCrossentropy", [..], {"out1": ..}
 *     "metrics": [{"name": "ece", "options": {...}}, "accuracy"],
 *     "optimizer": {"class_name": "Adam", "config": {"learningRate": 0.001, ...}}
 *   },
 *   "optimizerWeights": true
 * }}
 * ```
 *
 * `compile` is null for a model saved before `compile`. A loss is a tfjs loss
 * name (string) or this package's `loss.config`; a CSL loss also carries its
 * state (`state`, see ./cslState.ts). `optimizer` has the shape tfjs itself
 * writes in a `trainingConfig` (`class_name` + `optimizer.getConfig()`).
 * `optimizerWeights` says whether the weight data holds the optimizer's
 * variables (weight group `'optimizer'`, as tfjs stores them).
 */
import {ImbalancedInputError} from '../errors';
import {checkBoolean} from '../core/validate';
import {LossConfig} from '../losses/common';
import {MetricConfig} from '../metrics/metric';
import {CslStateJson} from './cslState';

/** The user-defined-metadata key holding the block. */
export const METADATA_KEY = 'tfjsImbalanced';

/** The format version this package writes; `load` reads every version up to it. */
export const FORMAT_VERSION = 1;

/** A saved loss: a tfjs loss name, or a loss of this package (its config, plus the CSL state for `csl`). */
export type SavedLoss = string | (LossConfig & {
  /** A CSL loss's state. */
  state?: CslStateJson;
});

/** A saved metric: a tfjs metric name (`'accuracy'`, ...) or a metric of this package (its config). */
export type SavedMetric = string | MetricConfig;

/** One value, one per output (array), or one per output name (object): the shapes `model.compile` accepts. */
export type PerOutput<T> = T | T[] | {[outputName: string]: T};

/** What `model.compile` was given, as JSON. */
export interface SavedCompileArgs {
  /** `compile({loss})`, entry by entry. */
  loss: PerOutput<SavedLoss>;
  /** `compile({metrics})`, entry by entry (an output name may map to a list); null without metrics. */
  metrics: PerOutput<SavedMetric | SavedMetric[]> | null;
  /** The optimizer, as tfjs serialises it in a training config. */
  optimizer: {
    /** tfjs' optimizer class name, e.g. `'Adam'`. */
    class_name: string;
    /** `optimizer.getConfig()`. */
    config: Record<string, unknown>;
  };
}

/** The block stored under {@link METADATA_KEY}. */
export interface SavedBlock {
  /** Format version ({@link FORMAT_VERSION} when written by this package). */
  version: number;
  /** The compile arguments, or null for a model saved uncompiled. */
  compile: SavedCompileArgs | null;
  /** True when the weight data holds the optimizer's variables. */
  optimizerWeights: boolean;
}

/** Where the block sits, for error messages. */
export const BLOCK_PATH = `userDefinedMetadata.${METADATA_KEY}`;

/**
 * The block in a model's user-defined metadata, checked; null when there is
 * none (a model saved by plain `model.save`). Throws ImbalancedInputError for
 * a block written by a newer version of this package or a malformed one.
 */
export function readBlock(userDefinedMetadata: unknown): SavedBlock | null {
  if (userDefinedMetadata === null || typeof userDefinedMetadata !== 'object') return null;
  const block = (userDefinedMetadata as Record<string, unknown>)[METADATA_KEY];
  if (block === undefined) return null;
  if (block === null || typeof block !== 'object' || Array.isArray(block)) {
    throw new ImbalancedInputError(BLOCK_PATH, 'an object written by imb.io.save', block);
  }
  const {version, compile, optimizerWeights: savedOptimizerWeights} = block as Record<string, unknown>;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ImbalancedInputError(`${BLOCK_PATH}.version`, 'a format version (an integer >= 1)', version);
  }
  if (version > FORMAT_VERSION) {
    throw new ImbalancedInputError(
      `${BLOCK_PATH}.version`,
      `a format version <= ${FORMAT_VERSION} (the model was saved by a newer tfjs-imbalanced: upgrade the package to load it)`,
      version,
    );
  }
  const optimizerWeights = checkBoolean(`${BLOCK_PATH}.optimizerWeights`, savedOptimizerWeights);
  if (compile === null) return {version, compile: null, optimizerWeights};
  if (typeof compile !== 'object' || Array.isArray(compile)) {
    throw new ImbalancedInputError(`${BLOCK_PATH}.compile`, 'the compile arguments (an object) or null', compile);
  }
  const {loss, metrics, optimizer} = compile as Record<string, unknown>;
  if (loss === undefined || loss === null) throw new ImbalancedInputError(`${BLOCK_PATH}.compile.loss`, 'the saved loss(es)', loss);
  const opt = optimizer as {class_name?: unknown; config?: unknown} | null | undefined;
  if (opt === null || typeof opt !== 'object' || typeof opt.class_name !== 'string' || opt.config === null || typeof opt.config !== 'object') {
    throw new ImbalancedInputError(`${BLOCK_PATH}.compile.optimizer`, 'an object {class_name, config}', optimizer);
  }
  return {version, compile: {loss, metrics: metrics ?? null, optimizer} as SavedCompileArgs, optimizerWeights};
}
