/**
 * Losses for `model.compile({loss})`. Every factory validates its options up
 * front and returns a function of (yTrue, yPred) giving per-sample values
 * (shape [batch]) unless `reduction` says otherwise. See ./common.ts for the
 * label and prediction formats every loss accepts.
 */
import {ImbalancedInputError} from '../errors';
import {LossConfig, LossFunction, isLossConfig} from './common';
import {dwb} from './dwb';
import {weightedCrossEntropy} from './weightedCrossEntropy';
import {crcen} from './crcen';
import {rwwce, rwwceBinary} from './rwwce';
import {focal} from './focal';
import {classBalanced} from './classBalanced';
import {ldam} from './ldam';
import {csl} from './csl';

export type {BaseLossOptions, LossConfig, LossFunction, Reduction} from './common';
export type {DwbOptions, DwbWeightSource} from './dwb';
export type {WeightedCrossEntropyOptions} from './weightedCrossEntropy';
export type {CrcenCountOptions, CrcenLambdaOptions, CrcenOptions, ErrorCounts} from './crcen';
export type {RwwceBinaryOptions, RwwceOptions} from './rwwce';
export type {FocalOptions} from './focal';
export type {ClassBalancedBase, ClassBalancedOptions} from './classBalanced';
export type {LdamOptions} from './ldam';
export type {CslBase, CslLossFunction, CslOptions} from './csl';
export type {
  CslMode, CslPhase, CslPhaseSource, CslSettings, CslSettingsInput, CslSnapshot, CslStatistics, CslStatisticsPlace, HostCopy, HostVariableName,
} from './cslState';
export {dwb} from './dwb';
export {weightedCrossEntropy} from './weightedCrossEntropy';
export {crcen, crcenLambda, eq6Lhs, eq7MinorityMean, expense, impliedLambda} from './crcen';
export {rwwce, rwwceBinary} from './rwwce';
export {focal} from './focal';
export {classBalanced} from './classBalanced';
export {ldam} from './ldam';
export {csl, cslTerm, isCslLoss} from './csl';
export {CslState, cslStatistics} from './cslState';
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
  crcen,
  rwwceBinary,
  rwwce,
  focal,
  classBalanced,
  ldam,
  // A base loss of this package is stored as its config: rebuild it first.
  csl: (o) => csl({...o, base: isLossConfig(o.base) ? fromConfig(o.base) : o.base}),
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
