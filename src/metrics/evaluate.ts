/**
 * `metrics.evaluate`: exact metric values of a model over a whole set, in one
 * inference pass.
 *
 * `model.evaluate` with metrics in `compile` returns batch averages (batch
 * values weighted by batch size), which is exact only for Brier: a g-mean
 * averaged over batches of 10 was 0.9 where the whole-set value was 0. Here
 * each batch's predictions add to every metric's sufficient statistics, and
 * the results are computed once at the end. The pass costs time linear in the
 * rows on every backend (src/core/predict.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import {LayersModel} from '@tensorflow/tfjs-layers';
import {ImbalancedInputError} from '../errors';
import {checkKeys, checkNumber} from '../core/validate';
import {predictionBatches} from '../core/predict';
import {feedMetrics} from './feed';
import {Metric, metricInternals} from './metric';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Metrics from `metrics.*` (left untouched: clones accumulate); results are keyed by their names, which must be unique. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  metrics: Metric<any>[];
  /** Rows per prediction batch for tensor input (memory vs per-batch overhead; any value is linear in the rows). Default 256. */
  batchSize?: number;
  /** Which model output the metrics read, for multi-output models. Default 0. */
  outputIndex?: number;
}

/** A dataset of `{xs, ys}` batches (a `tf.data.Dataset` or anything with `iterator()`). */
export interface EvaluationDataset {
  /** A fresh iterator over batched `{xs, ys}` elements (its `next()` as tf.data's). */
  iterator(): Promise<{
    /** The next element, or `done`. */
    next(): Promise<IteratorResult<unknown>>;
  }>;
}

/** Each metric's result over the whole set, by metric name (per-class metrics give arrays). */
export type EvaluationResult = {[name: string]: number | number[] | number[][]};

/**
 * Exact values of `options.metrics` for `model` on `xs` / `ys` (tensors; ys as
 * class indices or one-hot rows) or on a dataset of `{xs, ys}` batches, in one
 * inference pass:
 * ```ts
 * const {gmean, ece} = await imb.metrics.evaluate(model, testXs, testYs, {metrics: [imb.metrics.gmean(), imb.metrics.ece()]});
 * ```
 */
export async function evaluate(model: LayersModel, xs: tf.Tensor | tf.Tensor[], ys: tf.Tensor, options: EvaluateOptions): Promise<EvaluationResult>;
export async function evaluate(model: LayersModel, dataset: EvaluationDataset, options: EvaluateOptions): Promise<EvaluationResult>;
export async function evaluate(
  model: LayersModel,
  data: tf.Tensor | tf.Tensor[] | EvaluationDataset,
  ysOrOptions: tf.Tensor | EvaluateOptions,
  maybeOptions?: EvaluateOptions,
): Promise<EvaluationResult> {
  if (!(model instanceof LayersModel)) throw new ImbalancedInputError('model', 'a tf.LayersModel (tf.sequential() / tf.model())', model);
  const fromDataset = !(data instanceof tf.Tensor) && !Array.isArray(data);
  const options = (fromDataset ? ysOrOptions : maybeOptions) as EvaluateOptions;
  const {metrics, batchSize, outputIndex} = checkOptions(options, model);
  if (fromDataset) {
    if (data === null || typeof (data as EvaluationDataset).iterator !== 'function') {
      throw new ImbalancedInputError('data', '[xs, ys] as two tensors, or a dataset of {xs, ys} batches', data);
    }
    await evaluateDataset(model, data as EvaluationDataset, metrics, outputIndex);
  } else {
    const ys = ysOrOptions as tf.Tensor;
    if (!(ys instanceof tf.Tensor)) throw new ImbalancedInputError('ys', 'a tensor of labels (class indices or one-hot rows)', ys);
    const n = (Array.isArray(data) ? data[0] : data)?.shape?.[0];
    if (ys.shape[0] !== n) throw new ImbalancedInputError('ys', `${n} rows (as xs)`, `${ys.shape[0]} rows`);
    await evaluateTensors(model, data as tf.Tensor | tf.Tensor[], ys, metrics, batchSize, outputIndex);
  }
  const out: EvaluationResult = {};
  metrics.forEach(m => {
    out[m.name] = m.result() as number | number[] | number[][];
  });
  return out;
}

/** Clones of the metrics (names unique), the batch size and the output index. */
function checkOptions(options: EvaluateOptions, model: LayersModel): {metrics: Metric<unknown>[]; batchSize: number; outputIndex: number} {
  if (options === null || typeof options !== 'object') throw new ImbalancedInputError('options', '{metrics, batchSize?, outputIndex?}', options);
  checkKeys('metrics.evaluate', options, ['metrics', 'batchSize', 'outputIndex']);
  const {metrics} = options;
  if (!Array.isArray(metrics) || metrics.length === 0) throw new ImbalancedInputError('metrics', 'a non-empty array of metrics from metrics.*', metrics);
  const seen = new Set<string>();
  metrics.forEach((m, i) => {
    metricInternals(m, `metrics[${i}]`);
    if (seen.has(m.name)) throw new ImbalancedInputError(`metrics[${i}].name`, 'a name not used by another metric (pass {name} to the factory)', m.name);
    seen.add(m.name);
  });
  const batchSize = checkNumber('batchSize', options.batchSize ?? 256, {min: 1, integer: true});
  const outputIndex = checkNumber('outputIndex', options.outputIndex ?? 0, {min: 0, max: model.outputs.length - 1, integer: true});
  return {metrics: metrics.map(m => m.clone()), batchSize, outputIndex};
}

async function evaluateTensors(model: LayersModel, xs: tf.Tensor | tf.Tensor[], ys: tf.Tensor, metrics: Metric<unknown>[], batchSize: number, outputIndex: number): Promise<void> {
  const labels = await ys.data();
  const width = ys.shape.slice(1).reduce((a, b) => a * b, 1);
  for (const {outputs, start, end} of predictionBatches(model, xs, batchSize)) {
    const yPred = outputs[outputIndex];
    const yTrue = {values: labels.subarray(start * width, end * width) as ArrayLike<number>, shape: [end - start, ...ys.shape.slice(1)]};
    feedMetrics(metrics, yTrue, {values: (await yPred.data()) as ArrayLike<number>, shape: yPred.shape});
  }
}

async function evaluateDataset(model: LayersModel, dataset: EvaluationDataset, metrics: Metric<unknown>[], outputIndex: number): Promise<void> {
  const it = await dataset.iterator();
  for (let r = await it.next(), index = 0; !r.done; r = await it.next(), index++) {
    const el = r.value as {xs?: tf.Tensor | tf.Tensor[]; ys?: tf.Tensor | tf.Tensor[] | {[k: string]: tf.Tensor}} | null;
    const ys = el?.ys === undefined ? undefined
      : el.ys instanceof tf.Tensor ? el.ys
        : Array.isArray(el.ys) ? el.ys[outputIndex] : el.ys[model.outputNames[outputIndex]];
    try {
      if (!el || el.xs === undefined || !(ys instanceof tf.Tensor)) {
        throw new ImbalancedInputError(`dataset element ${index}`, 'an {xs, ys} batch of tensors', el);
      }
      await evaluateTensors(model, el.xs, ys, metrics, ys.shape[0], outputIndex);
    } finally {
      if (el) tf.dispose(el as unknown as tf.TensorContainer);
    }
  }
}
