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
 * both call `model.lossFunctions[i](targets[i], outputs[i])`, reading the array
 * at call time. From `onTrainBegin` to `onTrainEnd` the loss of output
 * `outputIndex` is replaced by a wrapper that calls the original loss and keeps
 * a clone (shared data, no copy) of yTrue and yPred. The first loss call after
 * `onBatchBegin` is the training step; every other call is validation (fit
 * validates inside the last batch, fitDataset after it). Clones are read with
 * `await data()` in `onBatchEnd` / `onEpochEnd`, fed to the metrics and
 * disposed. Training and validation statistics live in separate metric clones
 * (never mixed: tensorflow/tensorflow#36250); the metric objects passed in are
 * not touched.
 *
 * Training values are computed from the training forward pass (dropout active,
 * weights before that batch's update), as Keras and tfjs do for training
 * metrics. If `validationData` is given, `val_` values come from predicting on
 * it at each epoch end (inference mode) instead of tapping tfjs' validation.
 *
 * Restoring the loss: `onTrainEnd` puts the original back. If `fit` throws, tfjs
 * skips `onTrainEnd`; the wrapper then notices on its next call (the model is
 * no longer training, or a different fit is running) and restores the original
 * itself, and the next `onTrainBegin` of this callback does the same.
 *
 * Order matters: put ExactMetrics before callbacks that read its keys (e.g.
 * `tf.callbacks.earlyStopping({monitor: 'val_gmean'})`); tfjs calls callbacks in
 * the given order and `History` last.
 */
import * as tf from '@tensorflow/tfjs-core';
import {Callback, LayersModel} from '@tensorflow/tfjs-layers';
import {ImbalancedInputError} from '../errors';
import {checkKeys, checkNumber} from '../core/validate';
import {Batch, Metric, TensorData, metricInternals, readBatch} from '../metrics/metric';
import {Logs} from './logs';
import {compiledModel} from './modelInternals';

/** A dataset of `{xs, ys}` batches (a `tf.data.Dataset` or anything with `iterator()`). */
export interface ValidationDataset {
  iterator(): Promise<{next(): Promise<IteratorResult<unknown>>}>;
}

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
  /** Batch size for predicting on `validationData` tensors. Default 32. */
  batchSize?: number;
}

type Tap = [tf.Tensor, tf.Tensor];
type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;
type Session = {model: LayersModel; original: LossFn; wrapper: LossFn; history: unknown; closed: boolean};

/** Every tap wrapper ever installed, so a restore can skip wrappers already closed (two ExactMetrics on one model). */
const WRAPPERS = new WeakMap<LossFn, Session>();

/** The loss a restore should put back: `fn`, minus any closed tap wrappers around the original. */
function unwrapClosed(fn: LossFn): LossFn {
  let f = fn;
  for (let s = WRAPPERS.get(f); s && s.closed; s = WRAPPERS.get(f)) f = s.original;
  return f;
}

/**
 * Callback writing exact epoch-level metric values into the logs:
 * `logs[name]` (training data) and `logs['val_' + name]` (validation data).
 * A metric with per-class results (`average: 'none'`) writes `<name>_<k>` for
 * each class k; `confusionMatrix` writes `<name>_<true>_<pred>` for each cell.
 * A key already present (the batch-averaged value of the same compile-time
 * metric) is overwritten. Metrics that saw no data in an epoch write nothing.
 * Statistics are reset at every epoch.
 */
export class ExactMetrics extends Callback {
  /** Log names, in order. */
  readonly names: string[];
  private readonly trainMetrics: Metric<unknown>[];
  private readonly valMetrics: Metric<unknown>[];
  private readonly valData?: ExactMetricsOptions['validationData'];
  private readonly outputIndex: number;
  private readonly batchSize: number;
  private trainQueue: Tap[] = [];
  private valQueue: Tap[] = [];
  private expectTrain = false;
  private installed: Session | null = null;

  constructor(options: ExactMetricsOptions) {
    super();
    if (options === null || typeof options !== 'object') throw new ImbalancedInputError('options', '{metrics, validationData?}', options);
    checkKeys('new ExactMetrics()', options, ['metrics', 'validationData', 'outputIndex', 'batchSize']);
    const {metrics} = options;
    if (!Array.isArray(metrics) || metrics.length === 0) {
      throw new ImbalancedInputError('metrics', 'a non-empty array of metrics from metrics.*', metrics);
    }
    metrics.forEach((m, i) => metricInternals(m, `metrics[${i}]`));
    this.names = metrics.map(m => m.name);
    const seen = new Set<string>();
    this.names.forEach((n, i) => {
      if (seen.has(n)) throw new ImbalancedInputError(`metrics[${i}].name`, 'a name not used by another metric (pass {name} to the factory)', n);
      seen.add(n);
    });
    this.trainMetrics = metrics.map(m => m.clone());
    this.valMetrics = metrics.map(m => m.clone());
    this.outputIndex = checkNumber('outputIndex', options.outputIndex ?? 0, {min: 0, integer: true});
    this.batchSize = checkNumber('batchSize', options.batchSize ?? 32, {min: 1, integer: true});
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

  override async onTrainBegin(): Promise<void> {
    this.uninstall();
    this.resetAll();
    const model = compiledModel(this.model);
    const losses = model.lossFunctions as LossFn[];
    if (!Array.isArray(losses) || this.outputIndex >= losses.length) {
      throw new ImbalancedInputError('outputIndex', `an output index below the model's ${losses?.length ?? 0} outputs`, this.outputIndex);
    }
    const original = losses[this.outputIndex];
    const session: Session = {model, original, wrapper: null as unknown as LossFn, history: model.history, closed: false};
    const wrapper: LossFn = (yTrue, yPred) => {
      const out = original(yTrue, yPred);
      // Stale wrapper: its fit threw before onTrainEnd, or another fit is running.
      if (this.installed !== session || !(model as unknown as {isTraining: boolean}).isTraining || model.history !== session.history) {
        session.closed = true;
        if (this.installed === session) this.uninstall();
        else if (model.lossFunctions[this.outputIndex] === wrapper) model.lossFunctions[this.outputIndex] = unwrapClosed(original);
        return out;
      }
      const training = this.expectTrain;
      this.expectTrain = false;
      if (!training && this.valData !== undefined) return out;
      (training ? this.trainQueue : this.valQueue).push([tf.keep(tf.clone(yTrue)), tf.keep(tf.clone(yPred))]);
      return out;
    };
    Object.defineProperty(wrapper, 'name', {value: original.name});
    session.wrapper = wrapper;
    WRAPPERS.set(wrapper, session);
    losses[this.outputIndex] = wrapper;
    this.installed = session;
  }

  override async onEpochBegin(): Promise<void> {
    this.resetAll();
  }

  override async onBatchBegin(): Promise<void> {
    this.expectTrain = true;
  }

  override async onBatchEnd(): Promise<void> {
    this.expectTrain = false;
    await this.harvestAll();
  }

  override async onEpochEnd(_epoch: number, logs?: Logs): Promise<void> {
    await this.harvestAll();
    if (this.valData !== undefined) await this.predictValidation();
    if (logs) {
      this.write(logs, '', this.trainMetrics);
      this.write(logs, 'val_', this.valMetrics);
    }
    this.resetAll();
  }

  override async onTrainEnd(): Promise<void> {
    this.uninstall();
    this.resetAll();
  }

  /** Puts the original loss back and drops pending taps. */
  private uninstall(): void {
    const s = this.installed;
    if (s) {
      s.closed = true;
      const losses = s.model.lossFunctions as LossFn[];
      if (losses && losses[this.outputIndex] === s.wrapper) losses[this.outputIndex] = unwrapClosed(s.original);
      this.installed = null;
    }
    this.dropQueues();
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
    try {
      while (queue.length > 0) {
        const [y, p] = queue[0];
        const [yv, pv] = await Promise.all([y.data(), p.data()]);
        queue.shift();
        y.dispose();
        p.dispose();
        feed(targets, {values: yv as ArrayLike<number>, shape: y.shape}, {values: pv as ArrayLike<number>, shape: p.shape});
      }
    } catch (err) {
      // tfjs will not call onTrainEnd after this throws: clean up now.
      this.uninstall();
      throw err;
    }
  }

  private async predictValidation(): Promise<void> {
    const model = this.model as LayersModel;
    const vd = this.valData as ExactMetricsOptions['validationData'];
    const pick = (x: tf.Tensor | tf.Tensor[] | {[k: string]: tf.Tensor}): tf.Tensor => {
      if (Array.isArray(x)) return x[this.outputIndex];
      if (x instanceof tf.Tensor) return x;
      return x[model.outputNames[this.outputIndex]];
    };
    const evaluate = async (xs: tf.Tensor | tf.Tensor[], ys: tf.Tensor): Promise<void> => {
      const out = model.predict(xs, {batchSize: this.batchSize});
      const outputs = Array.isArray(out) ? out : [out];
      try {
        const yPred = outputs[this.outputIndex];
        const [yv, pv] = await Promise.all([ys.data(), yPred.data()]);
        feed(this.valMetrics, {values: yv as ArrayLike<number>, shape: ys.shape}, {values: pv as ArrayLike<number>, shape: yPred.shape});
      } finally {
        tf.dispose(outputs);
      }
    };
    if (Array.isArray(vd)) {
      await evaluate(vd[0], vd[1]);
      return;
    }
    const it = await (vd as ValidationDataset).iterator();
    for (let r = await it.next(); !r.done; r = await it.next()) {
      const el = r.value as {xs?: tf.Tensor | tf.Tensor[]; ys?: tf.Tensor | tf.Tensor[] | {[k: string]: tf.Tensor}} | null;
      if (!el || el.xs === undefined || el.ys === undefined) {
        throw new ImbalancedInputError('validationData', 'a dataset whose elements are {xs, ys} batches', el);
      }
      try {
        await evaluate(el.xs, pick(el.ys));
      } finally {
        tf.dispose(el as unknown as tf.TensorContainer);
      }
    }
  }

  private write(logs: Logs, prefix: string, metrics: Metric<unknown>[]): void {
    metrics.forEach((m, idx) => {
      if (metricInternals(m).count() === 0) return;
      const key = prefix + this.names[idx];
      const r = m.result();
      if (typeof r === 'number') setLog(logs, key, r);
      else if (Array.isArray(r) && r.length > 0 && Array.isArray(r[0])) {
        (r as number[][]).forEach((row, i) => row.forEach((v, j) => setLog(logs, `${key}_${i}_${j}`, v)));
      } else if (Array.isArray(r)) (r as number[]).forEach((v, k) => setLog(logs, `${key}_${k}`, v));
    });
  }
}

/** Reads a batch once per distinct read-options group and adds it to every metric. */
function feed(metrics: Metric<unknown>[], yTrue: TensorData, yPred: TensorData): void {
  const batches = new Map<string, Batch>();
  for (const m of metrics) {
    const internals = metricInternals(m);
    const key = `${internals.read.fromLogits}|${internals.read.threshold}`;
    let batch = batches.get(key);
    if (!batch) {
      batch = readBatch(yTrue, yPred, internals.read);
      batches.set(key, batch);
    }
    internals.addBatch(batch);
  }
}

function setLog(logs: Logs, key: string, value: number): void {
  const old = logs[key];
  if (old instanceof tf.Tensor) old.dispose();
  logs[key] = value;
}
