/**
 * The comparison engine (browser-safe): trains each method on the same
 * seeded splits of in-memory data and scores it on held-out rows with exact
 * imbalance and calibration metrics. `run(data, options)` returns a plain
 * result object; `report.renderHtml(result)` draws it; the
 * `tfjs-imbalanced compare` command is a thin shell around both.
 */
export {run, prepare, checkData} from './run';
export type {CheckedData, Prepared, PreparedMethod} from './prepare';
export {DEFAULT_METHODS, LOSSES, SAMPLERS, METHOD_NAMES, parseMethod, methodOptions, describeMethod, buildPlan} from './methods';
export type {Component, LossComponent, LossPart, MethodContext, MethodPlan, ParsedMethod, SamplerComponent, TrainingBatch, TrainingTensors} from './methods';
export {METRICS, DEFAULT_METRICS, GROUP_PREFIX, evaluatePredictions, makeMetric, metricInfo, resolveMetrics} from './metricSet';
export type {EvaluateOptions, MetricContext, MetricDef} from './metricSet';
export {BestEpoch, monitorMode} from './bestEpoch';
export type {BestEpochOptions} from './bestEpoch';
export {mlp, DEFAULT_HIDDEN} from './model';
export type {MlpOptions} from './model';
export {resolveSplits, checkSplit, DEFAULT_SPLIT} from './splits';
export type {ResolvedSplits} from './splits';
export {summarize, stat, rowLabel} from './summary';
export {tuneThreshold} from './threshold';
export type {ThresholdMetric} from './threshold';
export * from './types';
