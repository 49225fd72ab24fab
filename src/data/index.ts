/**
 * Data utilities: class counts, resampling and augmentation transforms. Every
 * transform is a plain function here and (after importing the package) a
 * chainable method on tf.data.Dataset.
 */
import './datasetMethods';

export {classCounts} from './classCounts';
export type {ClassCountsOptions, LabelSource, LabelledDataset} from './classCounts';
export {SMOTE, smote} from './smote';
export type {SmoteOptions, SmoteResult, SyntheticProvenance} from './smote';
export {BorderlineSMOTE, borderlineSmote} from './borderlineSmote';
export type {BorderlineSmoteOptions, BorderlineSmoteResult} from './borderlineSmote';
export {ADASYN, adasyn} from './adasyn';
export type {AdasynOptions, AdasynResult} from './adasyn';
export {RandomOverSampler, RandomUnderSampler, randomOverSample, randomUnderSample} from './randomSampling';
export type {RandomOverSamplerOptions, RandomUnderSamplerOptions, SampledResult} from './randomSampling';
export {smoteDataset} from './smoteDataset';
export type {LabelledElement, SmoteDatasetOptions} from './smoteDataset';
export {kNeighbors} from './neighbors';
export type {FloatRows, KNeighborsOptions, KnnKernel} from './neighbors';
export {resolveSamplingStrategy} from './samplingStrategy';
export type {SamplingKind, SamplingStrategy, NamedSamplingStrategy} from './samplingStrategy';
export type {FeatureInput, FeatureRow, LabelInput, Resampled} from './resampledData';
export {installDatasetMethods} from './datasetMethods';
export {balancedBatches} from './balance';
export type {BalancedBatchesOptions, BalanceStrategy} from './balance';
export {remix, remixBatch} from './remix';
export type {RemixOptions} from './remix';
export {rebalancedMixup, rebalancedLabelWeight} from './rebalancedMixup';
export type {RebalancedMixupOptions} from './rebalancedMixup';
export {mixup} from './mixup';
export type {MixupOptions} from './mixup';
export type {BatchElement, EpochDataset, SourceDataset, SourceIterator} from './elements';
export {fromTensors} from './fromTensors';
export type {FromTensorsOptions, RowChunkElement} from './fromTensors';
export {SMOTENC, smoteNC} from './smoteNC';
export type {SmoteNCOptions, SmoteNCResult} from './smoteNC';
