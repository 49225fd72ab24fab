/**
 * Exact epoch-level metrics in `model.fit` / `model.fitDataset` logs.
 *
 * tfjs averages compile-time metric values over batches, which is wrong for
 * every metric here except Brier (an ECE logged 0.334 with batch size 8 where
 * the true value was 0.106). This callback accumulates each metric's
 * sufficient statistics over the epoch and writes the exact values into the
 * epoch logs — `ece` for the training data, `val_ece` for the validation data —
 * so they reach `history.history` and callbacks that monitor them.
 *
 * How (no second pass over the training data): tfjs' train step and test step
 * both call `model.lossFunctions[i](targets[i], outputs[i])`. For the length of
 * the fit, the fit's session (./fitPhase.ts) taps output `outputIndex`: each
 * call reaches this callback with its phase (training step or validation), and
 * it keeps a clone (shared data, no copy) of yTrue and yPred. Clones are read
 * with `await data()` at the end of each batch and epoch, fed to the metrics
 * and disposed. Training and validation statistics live in separate metric
 * clones (never mixed: tensorflow/tensorflow#36250); the metric objects passed
 * in are not touched.
 *
 * Training values are computed from the training forward pass (dropout active,
 * weights before that batch's update), as Keras and tfjs do for training
 * metrics. If `validationData` is given, `val_` values come from predicting on
 * it at each epoch end (inference mode, one linear-time pass: src/core/predict.ts)
 * instead of tapping tfjs' validation.
 *
 * Any callback order gives the same logs (the session writes our keys before
 * any other callback's `onEpochEnd`), and the compiled loss is put back when
 * the fit ends, also when it throws.
 */
import * as tf from '@tensorflow/tfjs-core';
import {LayersModel} from '@tensorflow/tfjs-layers';
import {ImbalancedInputError} from '../errors';
import {checkKeys, checkNumber} from '../core/validate';
import {Metric, metricInternals} from '../metrics/metric';
import {checkMetricList, feedMetrics, logEntries} from '../metrics/feed';
import {EvaluationDataset, LabelledSet, feedPredictions} from '../metrics/evaluate';
import {CallPhase, FitSession, PHASE_ORDER, PhaseCallback, PhaseWork} from './fitPhase';
import {Logs} from './logs';

/** A dataset of `{xs, ys}` batches (a `tf.data.Dataset` or anything with `iterator()`), as `metrics.evaluate` reads. */
export type ValidationDataset = EvaluationDataset;

/** Options of `ExactMetrics`. */
export interface ExactMetricsOptions {
  /** Metrics from `metrics.*`; each is logged under its `name` (`val_<name>` for validation). Names must be unique. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  metrics: Metric<any>[];
  /**
   * Optional `[xs, ys]` tensors or a dataset of batched `{xs, ys}`: `val_`
   * values are computed by predicting on it at each epoch end (e.g. for
   * `fitDataset` without validation, or a different set). Without it, `val_`
   * values come from the fit's own validation (if any).
   */
  validationData?: [tf.Tensor | tf.Tensor[], tf.Tensor] | ValidationDataset;
  /** Which model output (and loss) the metrics read, for multi-output models. Default 0. */
  outputIndex?: number;
  /** Rows per batch when predicting on `validationData` tensors (memory vs per-batch overhead; any value is linear in the rows). Default 256. */
  batchSize?: number;
}

type Tap = [tf.Tensor, tf.Tensor];

/**
 * Callback writing exact epoch-level metric values into the logs:
 * `logs[name]` (training data) and `logs['val_' + name]` (validation data).
 * A metric with per-class results (`average: 'none'`) writes `<name>_<k>` for
 * each class k; `confusionMatrix` writes `<name>_<true>_<pred>` for each cell.
 * A key already present (the batch-averaged value of the same compile-time
 * metric) is overwritten. Metrics that saw no data in an epoch write nothing.
 * Statistics are reset at every epoch.
 */
export class ExactMetrics extends PhaseCallback {
  /** Log names, in order. */
  readonly names: string[];
  private readonly trainMetrics: Metric<unknown>[];
  private readonly valMetrics: Metric<unknown>[];
  private readonly valData?: ExactMetricsOptions['validationData'];
  private readonly outputIndex: number;
  private readonly batchSize: number;
  private trainQueue: Tap[] = [];
  private valQueue: Tap[] = [];

  constructor(options: ExactMetricsOptions) {
    super();
    if (options === null || typeof options !== 'object') throw new ImbalancedInputError('options', '{metrics, validationData?}', options);
    checkKeys('new ExactMetrics()', options, ['metrics', 'validationData', 'outputIndex', 'batchSize']);
    const metrics = checkMetricList(options.metrics);
    this.names = metrics.map(m => m.name);
    this.trainMetrics = metrics.map(m => m.clone());
    this.valMetrics = metrics.map(m => m.clone());
    this.outputIndex = checkNumber('outputIndex', options.outputIndex ?? 0, {min: 0, integer: true});
    this.batchSize = checkNumber('batchSize', options.batchSize ?? 256, {min: 1, integer: true});
    const vd = options.validationData;
    if (vd !== undefined) {
      const isPair = Array.isArray(vd) && vd.length === 2 && vd[1] instanceof tf.Tensor;
      const isDataset = !Array.isArray(vd) && vd !== null && typeof (vd as ValidationDataset).iterator === 'function';
      if (!isPair && !isDataset) {
        throw new ImbalancedInputError('validationData', '[xs, ys] tensors or a dataset of {xs, ys} batches', vd);
      }
      this.valData = vd;
    }
  }

  /** Taps output `outputIndex` for the length of the fit. */
  protected async begin(session: FitSession): Promise<PhaseWork> {
    const outputs = (session.model.lossFunctions as unknown[] | undefined)?.length ?? 0;
    if (this.outputIndex >= outputs) {
      throw new ImbalancedInputError('outputIndex', `an output index below the model's ${outputs} outputs`, this.outputIndex);
    }
    this.resetAll();
    const untap = session.tap(this.outputIndex, (phase, yTrue, yPred) => this.keep(phase, yTrue, yPred));
    return {
      order: PHASE_ORDER.exactMetrics,
      epochBegin: () => this.resetAll(),
      batchEnd: () => this.harvestAll(),
      epochEnd: (_epoch, logs) => this.endEpoch(logs),
      close: () => {
        untap();
        this.resetAll();
      },
    };
  }

  /** Keeps a clone of one tapped loss call's (yTrue, yPred) until the next harvest. */
  private keep(phase: CallPhase, yTrue: tf.Tensor, yPred: tf.Tensor): void {
    if (phase === 'off' || (phase === 'validation' && this.valData !== undefined)) return;
    (phase === 'train' ? this.trainQueue : this.valQueue).push([tf.keep(tf.clone(yTrue)), tf.keep(tf.clone(yPred))]);
  }

  private async endEpoch(logs: Logs): Promise<void> {
    await this.harvestAll();
    if (this.valData !== undefined) await this.predictValidation();
    this.write(logs, '', this.trainMetrics);
    this.write(logs, 'val_', this.valMetrics);
    this.resetAll();
  }

  private dropQueues(): void {
    for (const [y, p] of [...this.trainQueue, ...this.valQueue]) {
      y.dispose();
      p.dispose();
    }
    this.trainQueue = [];
    this.valQueue = [];
  }

  private resetAll(): void {
    this.dropQueues();
    this.trainMetrics.forEach(m => m.reset());
    this.valMetrics.forEach(m => m.reset());
  }

  private async harvestAll(): Promise<void> {
    await this.harvest(this.trainQueue, this.trainMetrics);
    await this.harvest(this.valQueue, this.valMetrics);
  }

  private async harvest(queue: Tap[], targets: Metric<unknown>[]): Promise<void> {
    while (queue.length > 0) {
      const [y, p] = queue[0];
      const [yv, pv] = await Promise.all([y.data(), p.data()]);
      queue.shift();
      y.dispose();
      p.dispose();
      feedMetrics(targets, {values: yv as ArrayLike<number>, shape: y.shape}, {values: pv as ArrayLike<number>, shape: p.shape});
    }
  }

  /** One inference pass over `validationData`, fed to the validation metrics batch by batch. */
  private async predictValidation(): Promise<void> {
    const pass = {batchSize: this.batchSize, outputIndex: this.outputIndex, parameter: 'validationData'};
    await feedPredictions(this.model as LayersModel, this.valData as LabelledSet | ValidationDataset, this.valMetrics, pass);
  }

  private write(logs: Logs, prefix: string, metrics: Metric<unknown>[]): void {
    metrics.forEach((m, idx) => {
      if (metricInternals(m).count() === 0) return;
      for (const [key, value] of logEntries(prefix + this.names[idx], m.result())) setLog(logs, key, value);
    });
  }
}

function setLog(logs: Logs, key: string, value: number): void {
  const old = logs[key];
  if (old instanceof tf.Tensor) old.dispose();
  logs[key] = value;
}
