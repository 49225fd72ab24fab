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
import {sizeOf} from '../core/inputs';
import {checkMetricList, feedMetrics} from './feed';
import {Metric} from './metric';

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
  if (fromDataset && (data === null || typeof (data as EvaluationDataset).iterator !== 'function')) {
    throw new ImbalancedInputError('data', '[xs, ys] as two tensors, or a dataset of {xs, ys} batches', data);
  }
  const set = fromDataset ? (data as EvaluationDataset) : [data as tf.Tensor | tf.Tensor[], ysOrOptions as tf.Tensor] as LabelledSet;
  await feedPredictions(model, set, metrics, {batchSize, outputIndex});
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
  const metrics = checkMetricList(options.metrics);
  const batchSize = checkNumber('batchSize', options.batchSize ?? 256, {min: 1, integer: true});
  const outputIndex = checkNumber('outputIndex', options.outputIndex ?? 0, {min: 0, max: model.outputs.length - 1, integer: true});
  return {metrics: metrics.map(m => m.clone()), batchSize, outputIndex};
}

/** `[xs, ys]`: the model's input(s) and the labels of the same rows. */
export type LabelledSet = [tf.Tensor | tf.Tensor[], tf.Tensor];

/** How {@link feedPredictions} runs. */
export interface PredictionPass {
  /** Rows per prediction batch for tensor input (a dataset's elements are its batches). */
  batchSize: number;
  /** Which model output the metrics read. */
  outputIndex: number;
  /** Names the data in errors (e.g. `'validationData'`: `validationData ys`); none: `xs`, `ys`, `dataset element i`. */
  parameter?: string;
}

/**
 * Feeds the predictions of `model` (inference mode) on every row of `data`
 * to `metrics`, batch by batch, in one linear-time pass (src/core/predict.ts):
 * the pass behind `metrics.evaluate` and `callbacks.ExactMetrics`' `validationData`.
 */
export async function feedPredictions(model: LayersModel, data: LabelledSet | EvaluationDataset, metrics: Metric<unknown>[], pass: PredictionPass): Promise<void> {
  const name = (what: string) => (pass.parameter === undefined ? what : `${pass.parameter} ${what}`);
  if (Array.isArray(data)) {
    await feedTensors(model, data[0], data[1], metrics, pass.batchSize, pass.outputIndex, name);
    return;
  }
  const it = await data.iterator();
  for (let r = await it.next(), index = 0; !r.done; r = await it.next(), index++) {
    const el = r.value as {xs?: tf.Tensor | tf.Tensor[]; ys?: tf.Tensor | tf.Tensor[] | {[k: string]: tf.Tensor}} | null;
    const ys = el?.ys === undefined ? undefined
      : el.ys instanceof tf.Tensor ? el.ys
        : Array.isArray(el.ys) ? el.ys[pass.outputIndex] : el.ys[model.outputNames[pass.outputIndex]];
    const element = `${pass.parameter ?? 'dataset'} element ${index}`;
    try {
      if (!el || el.xs === undefined || !(ys instanceof tf.Tensor)) {
        throw new ImbalancedInputError(element, 'an {xs, ys} batch of tensors', el);
      }
      await feedTensors(model, el.xs, ys, metrics, ys.shape[0], pass.outputIndex, what => `${element} ${what}`);
    } finally {
      if (el) tf.dispose(el as unknown as tf.TensorContainer);
    }
  }
}

async function feedTensors(
  model: LayersModel, xs: tf.Tensor | tf.Tensor[], ys: tf.Tensor, metrics: Metric<unknown>[], batchSize: number, outputIndex: number,
  name: (what: string) => string,
): Promise<void> {
  if (!(ys instanceof tf.Tensor)) throw new ImbalancedInputError(name('ys'), 'a tensor of labels (class indices or one-hot rows)', ys);
  const n = (Array.isArray(xs) ? xs[0] : xs)?.shape?.[0];
  if (ys.shape[0] !== n) throw new ImbalancedInputError(name('ys'), `${n} rows (as xs)`, `${ys.shape[0]} rows`);
  const labels = await ys.data();
  const width = sizeOf(ys.shape.slice(1));
  for (const {outputs, start, end} of predictionBatches(model, xs, batchSize, name('xs'))) {
    const yPred = outputs[outputIndex];
    const yTrue = {values: labels.subarray(start * width, end * width) as ArrayLike<number>, shape: [end - start, ...ys.shape.slice(1)]};
    feedMetrics(metrics, yTrue, {values: (await yPred.data()) as ArrayLike<number>, shape: yPred.shape});
  }
}
