/**
 * Losses for `model.compile({loss})`. Every factory validates its options up
 * front and returns a function of (yTrue, yPred) giving per-sample values
 * (shape [batch]) unless `reduction` says otherwise. See ./common.ts for the
 * label and prediction formats every loss accepts.
 */
import {ImbalancedInputError} from '../errors';
import {LossConfig, LossFunction} from './common';
import {dwb} from './dwb';
import {weightedCrossEntropy} from './weightedCrossEntropy';

export type {BaseLossOptions, LossConfig, LossFunction, Reduction} from './common';
export type {DwbOptions, DwbWeightSource} from './dwb';
export type {WeightedCrossEntropyOptions} from './weightedCrossEntropy';
export {dwb} from './dwb';
export {weightedCrossEntropy} from './weightedCrossEntropy';
export {
  classBalancedWeights, crcenWeights, dwbWeights, inverseFrequencyWeights, ldamMargins, toClassWeightMap,
} from './classWeights';

/**
 * Factories by the name they log under. Each loss's `config.options` is
 * accepted by its factory as is, so `fromConfig(loss.config)` rebuilds it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const FACTORIES: Record<string, (options: any) => LossFunction> = {
  dwb,
  weightedCrossEntropy,
};

/**
 * Rebuilds a loss from `loss.config` (e.g. kept in a saved model's
 * user-defined metadata, since tfjs cannot serialise custom losses).
 */
export function fromConfig(config: LossConfig): LossFunction {
  const factory = config && FACTORIES[config.name];
  if (!factory) throw new ImbalancedInputError('config.name', `one of ${Object.keys(FACTORIES).join(', ')}`, config?.name);
  return factory(config.options);
}
