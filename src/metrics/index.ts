/**
 * Stateful metrics that are exact over an epoch (or any stream of chunks).
 *
 * Every factory returns a `Metric`: a function `(yTrue, yPred) => tf.Scalar`
 * accepted by `model.compile({metrics: [...]})` (it logs the per-batch value
 * under `metric.name`; tfjs averages those over batches, which is exact only
 * for Brier), and an object with `update(yTrue, yPred)`, `result()`,
 * `reset()` accumulating sufficient statistics (confusion matrix,
 * calibration-bin sums, per-class squared-error sums, score buffers). Give the
 * same objects to `callbacks.ExactMetrics` to get exact epoch values in the
 * logs and `history` (`ece`, `val_ece`, ...).
 *
 * Every metric is mergeable: `metric.merge(other)` adds another metric's (or
 * a `getState()` JSON state's) statistics, `metrics.fromState(state)` rebuilds
 * one, and the result equals one pass over all the rows (./state.ts).
 *
 * Input formats, label sets and zero-division rules: ./metric.ts and
 * ./classification.ts.
 */
import {ImbalancedInputError} from '../errors';
import {auprc, auroc} from './auroc';
import {balancedBrier, brier} from './brier';
import {balancedAccuracy, confusionMatrix, f1, gmean, mcc, precision, recall} from './classification';
import {ece, mce} from './ece';
import {Metric, MetricConfig} from './metric';
import {MetricState, checkState} from './state';
import {realWorldCost} from './realWorldCost';

export type {
  BaseMetricOptions, Batch, LabelInput, Metric, MetricConfig, PredictionInput, TensorData, ZeroDivision,
} from './metric';
export type {CalibrationErrorOptions} from './ece';
export type {Binning, CalibrationMode} from './stats/calibrationBins';
export type {
  Average, BalancedAccuracyOptions, ConfusionMatrixOptions, GmeanOptions, PrfOptions, PrfPerClassOptions,
} from './classification';
export type {AurocOptions, PerClassRanking, RankingAverage, RankingMetric, RankingOptions} from './auroc';
export type {MetricState} from './state';
export type {BinaryCosts, MatrixCosts, RealWorldCostOptions} from './realWorldCost';
export type {ReliabilityBin, ReliabilityDiagram, ReliabilityDiagramOptions} from './reliabilityDiagram';

export {ece, mce} from './ece';
export {brier, balancedBrier} from './brier';
export {balancedAccuracy, confusionMatrix, f1, gmean, mcc, precision, recall} from './classification';
export {auprc, auroc} from './auroc';
export {realWorldCost} from './realWorldCost';
export {reliabilityDiagram} from './reliabilityDiagram';
export {evaluate} from './evaluate';
export type {EvaluateOptions, EvaluationDataset, EvaluationResult} from './evaluate';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const FACTORIES: Record<string, (options: any) => Metric<any>> = {
  ece, mce, brier, balancedBrier, gmean, balancedAccuracy, precision, recall, f1, mcc, auroc, auprc, realWorldCost, confusionMatrix,
};

/**
 * Rebuilds a metric from `metric.config` (e.g. kept in a saved model's
 * user-defined metadata: tfjs cannot serialise custom metrics).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fromConfig(config: MetricConfig): Metric<any> {
  const factory = config && FACTORIES[config.name];
  if (!factory) throw new ImbalancedInputError('config.name', `one of ${Object.keys(FACTORIES).join(', ')}`, config?.name);
  return factory(config.options);
}

/**
 * Rebuilds a metric, statistics included, from `metric.getState()` (for
 * example sent back by a worker thread, another process or a browser, through
 * JSON or `postMessage`): `result()` is then exactly the original metric's.
 * Equivalent to `fromConfig(state.config)` followed by `merge(state)`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fromState(state: MetricState): Metric<any> {
  const checked = checkState(state);
  const metric = fromConfig(checked.config);
  metric.merge(checked);
  return metric;
}
