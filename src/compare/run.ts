/**
 * The comparison engine: trains every method on every repeat's split and
 * scores it on the held-out rows. Browser-safe: data come in memory, progress
 * goes to a callback, the result is a plain object (see ./types.ts).
 *
 * One run = one method on one split:
 * 1. the split's training rows (standardised with their own mean and sd) feed
 *    the method's training stream (seeded batch order; samplers seeded too);
 * 2. `model.fitDataset` trains the model from the repeat's seeded
 *    initialisation (every method of a repeat starts from the same weights),
 *    with `callbacks.ExactMetrics` writing exact validation metrics into the
 *    logs and {@link BestEpoch} stopping early on `monitor` and restoring the
 *    best epoch's weights;
 * 3. the best model predicts the test rows; the binary threshold is 0.5 or
 *    tuned on the validation rows; optionally temperature scaling fitted on
 *    the validation rows adds a calibrated evaluation.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ExactMetrics} from '../callbacks/exactMetrics';
import {Logs, resolveLogs} from '../callbacks/logs';
import {VERSION} from '../version';
import {BestEpoch} from './bestEpoch';
import {evaluateModel, RunSettings} from './evaluate';
import {makeMetric, metricInfo} from './metricSet';
import {buildPlan} from './methods';
import {DEFAULT_HIDDEN, mlp} from './model';
import {prepare, PreparedMethod, seedsOf} from './prepare';
import {asTable, disposeRepeat, RepeatTensors, repeatTensors} from './repeat';
import {summarize} from './summary';
import type {CompareData, CompareOptions, CompareResult, DataSummary, ProgressEvent, RunKey, RunResult, RunRows} from './types';

export {checkData, prepare} from './prepare';

/** Keys of the per-epoch history kept in the result. */
function keptHistory(history: tfl.History, monitor: string | null): Record<string, number[]> {
  const keep = new Set(['loss', 'val_loss', 'ece', 'val_ece']);
  if (monitor) {
    const key = monitor.replace(/^val_/, '');
    keep.add(key);
    keep.add(`val_${key}`);
  }
  const out: Record<string, number[]> = {};
  for (const [key, values] of Object.entries(history.history)) {
    if (keep.has(key)) out[key] = (values as unknown[]).map(v => (typeof v === 'number' ? v : NaN));
  }
  return out;
}

/** The repeat's rows for `onModel` (the engine's tensors: valid while the repeat runs). */
function runRows(t: RepeatTensors): RunRows {
  return {
    train: {xs: t.train.xs, labels: t.train.labelValues},
    validation: t.validation ? {xs: t.validation.xs, labels: t.validation.labels} : null,
    test: {xs: t.test.xs, labels: t.test.labels},
  };
}

/** An error of the caller's `onModel`: it stops the comparison instead of failing one run. */
class HookError extends Error {
  constructor(readonly cause: unknown) {
    super(String((cause as Error)?.message ?? cause));
  }
}

/** A callback forwarding each epoch's logs to the progress hook. */
class EpochReporter extends tfl.Callback {
  constructor(private readonly report: (epoch: number, logs: Record<string, number>) => void) {
    super();
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    this.report(epoch, {...(await resolveLogs(logs))});
  }
}

/** Trains and evaluates one method on one repeat's split. */
async function runOne(method: PreparedMethod, repeat: number, t: RepeatTensors, s: RunSettings, key: RunKey): Promise<RunResult> {
  const {config, numClasses} = s;
  const budgets = config.epochs;
  const maxEpochs = budgets[budgets.length - 1];
  const result: RunResult = {
    method: method.label, methodName: method.parsed.name, repeat, seeds: t.seeds,
    rows: {train: t.train.labels.shape[0], validation: t.validation?.labels.length ?? 0, test: t.test.labels.length, trainCounts: t.trainCounts},
    epochsRun: 0, bestEpoch: 0, seconds: 0, history: {}, evaluations: [],
  };
  let plan: ReturnType<typeof buildPlan> | null = null;
  let model: tfl.LayersModel | null = null;
  let optimizer: tf.Optimizer | null = null;
  let best: BestEpoch | null = null;
  try {
    plan = buildPlan(method.parsed, method.options, {
      classCounts: t.trainCounts, numClasses, costs: s.costs, seed: t.seeds.data, batchSize: config.batchSize, epochs: maxEpochs,
      fromLogits: config.fromLogits,
    }, t.train);
    model = s.builder(s.featureShape, numClasses, t.seeds.init);
    optimizer = tf.train.adam(config.learningRate);
    model.compile({optimizer, loss: plan.loss as string});
    const exactKeys = new Set<string>(['ece']);
    if (config.monitor && config.monitor.replace(/^val_/, '') !== 'loss') exactKeys.add(config.monitor.replace(/^val_/, ''));
    const exact = new ExactMetrics({
      metrics: [...exactKeys].map(k => makeMetric(k, {numClasses, threshold: 0.5, bins: config.bins, costs: s.costs, fromLogits: config.fromLogits})),
    });
    const currentModel = model;
    best = new BestEpoch({
      monitor: config.monitor,
      patience: config.patience ?? Infinity,
      checkpoints: budgets.slice(0, -1),
      onCheckpoint: async (epoch, bestEpoch) => {
        result.evaluations.push(...(await evaluateModel(currentModel, t, s, epoch, bestEpoch)));
      },
    });
    const reporter = new EpochReporter((epoch, logs) => s.emit({type: 'epoch', run: key, epoch, epochs: maxEpochs, logs}));
    const start = Date.now();
    const history = await model.fitDataset(plan.dataset, {
      epochs: maxEpochs,
      validationData: t.validation ? [t.validation.xs, t.validation.oneHot] : undefined,
      validationBatchSize: 1024,
      callbacks: [...plan.callbacks, exact, best, reporter],
      verbose: 0,
    });
    result.seconds = (Date.now() - start) / 1000;
    result.epochsRun = best.epochsRun;
    result.bestEpoch = best.bestEpoch;
    result.history = keptHistory(history, config.monitor);
    if (best.diverged !== null) {
      result.error = best.diverged;
      result.evaluations = [];
      return result;
    }
    // Budgets the run stopped before share the final (best) model's evaluation.
    const done = new Set(result.evaluations.map(e => e.budget));
    const final = await evaluateModel(model, t, s, maxEpochs, best.bestEpoch);
    for (const b of budgets) {
      if (!done.has(b)) result.evaluations.push(...final.map(e => ({...e, budget: b})));
    }
    result.evaluations.sort((a, b) => a.budget - b.budget || Number(a.calibrated) - Number(b.calibrated));
    if (s.onModel) {
      try {
        await s.onModel(model, result, runRows(t));
      } catch (e) {
        throw new HookError(e);
      }
    }
    return result;
  } catch (e) {
    if (e instanceof HookError) throw e.cause;
    const message = (e as Error)?.message ?? String(e);
    // ExactMetrics refuses non-finite predictions: say what that means for a run.
    result.error = /^yPred.*finite prediction/.test(message) ? `training diverged: the model's outputs became NaN or infinite (${message})` : message;
    result.evaluations = [];
    return result;
  } finally {
    best?.dispose();
    model?.dispose();
    optimizer?.dispose();
    plan?.dispose();
  }
}

/**
 * Compares methods on `data` (see the module comment and {@link CompareOptions});
 * resolves to a {@link CompareResult} with every per-repeat number. Bad options
 * and data throw ImbalancedInputError before any training; a run that fails
 * (e.g. the loss becomes NaN) is recorded with its `error` and the others go on.
 */
export async function run(data: CompareData, options: CompareOptions = {}): Promise<CompareResult> {
  const start = Date.now();
  const {data: checked, costs, methods, splits, config} = prepare(data, options);
  const emit = (e: ProgressEvent) => options.onProgress?.(e);
  const builder = options.buildModel ?? mlp(config.hidden ?? DEFAULT_HIDDEN, {logits: config.fromLogits});
  const settings: RunSettings = {config, numClasses: checked.numClasses, featureShape: checked.featureShape, builder, costs, emit, onModel: options.onModel};
  const table = asTable(checked);
  const total = methods.length * config.repeats;
  emit({type: 'start', runs: total, epochs: config.epochs[config.epochs.length - 1], methods: methods.map(m => m.label), repeats: config.repeats});
  const runs: RunResult[] = [];
  for (let r = 0; r < config.repeats; r++) {
    const seeds = seedsOf(config.seed, r);
    const tensors = repeatTensors(table, checked.featureShape, splits.get(r, seeds.split), config.standardize, seeds);
    try {
      for (const method of methods) {
        const key: RunKey = {method: method.label, repeat: r, index: runs.length, total};
        emit({type: 'runStart', run: key});
        const result = await runOne(method, r, tensors, settings, key);
        runs.push(result);
        emit({type: 'runEnd', run: key, result});
      }
    } finally {
      disposeRepeat(tensors);
    }
  }
  const seconds = (Date.now() - start) / 1000;
  emit({type: 'end', seconds});
  const info = metricInfo(config.metrics, config.classGroups);
  const counts = new Array<number>(checked.numClasses).fill(0);
  checked.labels.forEach(y => counts[y]++);
  const dataSummary: DataSummary = {
    name: options.dataName ?? 'data',
    numRows: checked.numRows,
    featureShape: checked.featureShape,
    numClasses: checked.numClasses,
    classNames: checked.classNames,
    classCounts: counts,
    imbalanceRatio: Math.max(...counts) / Math.min(...counts),
  };
  return {
    format: 'tfjs-imbalanced/compare@1',
    environment: {library: VERSION, tfjs: tf.version_core, backend: tf.getBackend()},
    config,
    data: dataSummary,
    metrics: info,
    methods: methods.map(m => ({label: m.label, method: m.parsed.name, description: m.description})),
    runs,
    summary: summarize(runs, info, methods.map(m => m.label), config),
    seconds,
  };
}
