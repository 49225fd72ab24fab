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
import {ImbalancedInputError} from '../errors';
import {checkNumber, checkNumberArray, checkOneOf} from '../core/validate';
import {ExactMetrics} from '../callbacks/exactMetrics';
import {Logs, resolveLogs} from '../callbacks/logs';
import {temperatureScaling} from '../calibration/temperatureScaling';
import {selectRows, standardize, TabularDataset} from '../datasets/tabular';
import {VERSION} from '../version';
import {BestEpoch} from './bestEpoch';
import {evaluatePredictions, makeMetric, METRICS, metricInfo, resolveMetrics} from './metricSet';
import {buildPlan, checkMethod, DEFAULT_METHODS, describeMethod, methodOptions, parseMethod, ParsedMethod} from './methods';
import {DEFAULT_HIDDEN, mlp} from './model';
import {resolveSplits} from './splits';
import {summarize} from './summary';
import {tuneThreshold, ThresholdMetric} from './threshold';
import type {
  CompareData, CompareOptions, CompareResult, Costs, DataSummary, Evaluation, ModelBuilder, ProgressEvent, ResolvedConfig,
  RunKey, RunResult, SplitIndices,
} from './types';

/** A method ready to run: its parsed name, label and effective options. */
interface PreparedMethod {
  label: string;
  parsed: ParsedMethod;
  options: Record<string, Record<string, unknown>>;
  description: string;
}

/** One repeat's data as tensors, shared by every method of the repeat. */
interface RepeatTensors {
  train: {xs: tf.Tensor; labels: tf.Tensor1D; oneHot: tf.Tensor2D};
  validation: {xs: tf.Tensor; labels: Int32Array; labelTensor: tf.Tensor1D; oneHot: tf.Tensor2D} | null;
  test: {xs: tf.Tensor; labels: Int32Array};
  trainCounts: number[];
  seeds: RunResult['seeds'];
}

/** Checks the data: sizes agree, labels are class indices, every class has at least 2 rows. */
export function checkData(data: CompareData): Required<Pick<CompareData, 'featureShape' | 'classNames'>> & CompareData {
  if (data === null || typeof data !== 'object') throw new ImbalancedInputError('data', '{features, labels, numRows, numFeatures, numClasses}', data);
  const numRows = checkNumber('data.numRows', data.numRows, {min: 1, integer: true});
  const numClasses = checkNumber('data.numClasses', data.numClasses, {min: 2, integer: true});
  const featureShape = data.featureShape ?? [data.numFeatures];
  checkNumberArray('data.featureShape', featureShape, {min: 1, integer: true});
  const rowSize = featureShape.reduce((a, b) => a * b, 1);
  if (!(data.features instanceof Float32Array) || data.features.length !== numRows * rowSize) {
    throw new ImbalancedInputError('data.features', `a Float32Array of numRows x prod(featureShape) = ${numRows * rowSize} values`, data.features instanceof Float32Array ? `length ${data.features.length}` : data.features);
  }
  if (!(data.labels instanceof Int32Array) || data.labels.length !== numRows) {
    throw new ImbalancedInputError('data.labels', `an Int32Array of ${numRows} class indices`, data.labels instanceof Int32Array ? `length ${data.labels.length}` : data.labels);
  }
  for (let i = 0; i < data.features.length; i++) {
    if (!Number.isFinite(data.features[i])) {
      throw new ImbalancedInputError(`data.features (row ${Math.floor(i / rowSize)}, value ${i % rowSize})`, 'a finite number', data.features[i]);
    }
  }
  const counts = new Array<number>(numClasses).fill(0);
  const first = new Array<number>(numClasses).fill(-1);
  data.labels.forEach((y, i) => {
    if (!(y >= 0 && y < numClasses)) throw new ImbalancedInputError(`data.labels[${i}]`, `a class index in [0, ${numClasses - 1}]`, y);
    counts[y]++;
    if (first[y] < 0) first[y] = i;
  });
  const classNames = data.classNames ?? counts.map((_, k) => String(k));
  if (classNames.length !== numClasses) throw new ImbalancedInputError('data.classNames', `${numClasses} names (one per class)`, classNames);
  counts.forEach((n, k) => {
    if (n < 2) {
      throw new ImbalancedInputError(
        first[k] >= 0 ? `data.labels[${first[k]}]` : 'data.labels',
        'at least 2 rows of every class (stratified splits need them)',
        `${n} row${n === 1 ? '' : 's'} of class ${JSON.stringify(classNames[k])}`,
      );
    }
  });
  return {...data, featureShape, classNames};
}

/** Resolves and checks the methods: names, labels (unique) and option overrides. */
function prepareMethods(entries: CompareOptions['methods']): PreparedMethod[] {
  const list = entries ?? DEFAULT_METHODS;
  if (!Array.isArray(list) || list.length === 0) throw new ImbalancedInputError('methods', 'a non-empty list of methods', entries);
  const labels = new Set<string>();
  return list.map((entry, i) => {
    const spec = typeof entry === 'string' ? {method: entry} : entry;
    if (spec === null || typeof spec !== 'object') throw new ImbalancedInputError(`methods[${i}]`, 'a method name or {method, label?, options?}', entry);
    const parsed = parseMethod(spec.method, `methods[${i}]`);
    const options = methodOptions(parsed, spec.options ?? {}, `methods[${i}].options`);
    const overrides = Object.entries(spec.options ?? {}).flatMap(([, o]) => Object.entries(o ?? {}).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(';') : v}`));
    const label = spec.label ?? (overrides.length ? `${parsed.name}(${overrides.join(', ')})` : parsed.name);
    if (typeof label !== 'string' || label === '') throw new ImbalancedInputError(`methods[${i}].label`, 'a non-empty string', label);
    if (labels.has(label)) throw new ImbalancedInputError(`methods[${i}]`, 'methods with distinct labels (give {label} to run one twice)', label);
    labels.add(label);
    return {label, parsed, options, description: describeMethod(parsed, options)};
  });
}

/** Checks the costs against the number of classes. */
function checkCosts(costs: Costs | undefined, numClasses: number): Costs | null {
  if (costs === undefined) return null;
  if (costs === null || typeof costs !== 'object') throw new ImbalancedInputError('costs', '{costFN, costFP}', costs);
  if (typeof costs.costFN === 'number') {
    if (numClasses !== 2) throw new ImbalancedInputError('costs', `a per-class cost vector and ${numClasses} x ${numClasses} matrix for ${numClasses} classes`, 'binary costs');
    checkNumber('costs.costFN', costs.costFN, {min: 0});
    checkNumber('costs.costFP', costs.costFP, {min: 0});
    return {costFN: costs.costFN, costFP: costs.costFP as number};
  }
  const fn = checkNumberArray('costs.costFN', costs.costFN, {min: 0, length: numClasses});
  const fp = costs.costFP as number[][];
  if (!Array.isArray(fp) || fp.length !== numClasses) throw new ImbalancedInputError('costs.costFP', `a ${numClasses} x ${numClasses} matrix`, fp);
  fp.forEach((row, i) => checkNumberArray(`costs.costFP[${i}]`, row, {min: 0, length: numClasses}));
  return {costFN: fn, costFP: fp.map(r => r.slice())};
}

/** Checks `monitor` names a log key the runs will write. */
function checkMonitor(monitor: string | null, hasValidation: boolean, costs: Costs | null): string | null {
  if (monitor === null) return null;
  if (typeof monitor !== 'string') throw new ImbalancedInputError('monitor', "a log key such as 'val_gmean', or null", monitor);
  const key = monitor.replace(/^val_/, '');
  const known = key === 'loss' || (METRICS[key] !== undefined && (!METRICS[key].needsCosts || costs !== null));
  if (!known) {
    const keys = ['loss', ...Object.keys(METRICS).filter(k => !METRICS[k].needsCosts || costs !== null)];
    throw new ImbalancedInputError('monitor', `one of ${keys.map(k => `val_${k}`).join(', ')} (or the same without val_ for training values)`, monitor);
  }
  if (monitor.startsWith('val_') && !hasValidation) throw new ImbalancedInputError('monitor', 'a training key (no validation rows in the split)', monitor);
  return monitor;
}

/** Seeds of repeat `r`. */
function seedsOf(seed: number, r: number): RunResult['seeds'] {
  return {split: seed + r, init: 1000 * (seed + r) + 1, data: 1000 * (seed + r) + 500};
}

/** The rows of `idx` as a dataset view for `selectRows` / `standardize`. */
function asTable(data: ReturnType<typeof checkData>): TabularDataset {
  return {
    features: data.features, labels: data.labels, numRows: data.numRows, numFeatures: data.features.length / data.numRows,
    numClasses: data.numClasses, featureNames: data.featureNames ?? [], classNames: data.classNames,
  };
}

/** Builds one repeat's tensors (standardised with the training rows when asked). */
function repeatTensors(table: TabularDataset, featureShape: number[], split: SplitIndices, doStandardize: boolean, seeds: RunResult['seeds']): RepeatTensors {
  const parts = [split.train, split.validation ?? [], split.test].map(idx => selectRows(table, idx));
  const [train, validation, test] = doStandardize ? standardize(parts[0], parts[1], parts[2]) : parts;
  const C = table.numClasses;
  const xsOf = (t: TabularDataset) => tf.tensor(t.features, [t.numRows, ...featureShape], 'float32');
  const oneHotOf = (t: TabularDataset) => tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(t.labels, 'int32'), C), 'float32')) as tf.Tensor2D;
  const trainCounts = new Array<number>(C).fill(0);
  train.labels.forEach(y => trainCounts[y]++);
  return {
    train: {xs: xsOf(train), labels: tf.tensor1d(train.labels, 'int32'), oneHot: oneHotOf(train)},
    validation: validation.numRows > 0
      ? {xs: xsOf(validation), labels: validation.labels, labelTensor: tf.tensor1d(validation.labels, 'int32'), oneHot: oneHotOf(validation)}
      : null,
    test: {xs: xsOf(test), labels: test.labels},
    trainCounts,
    seeds,
  };
}

function disposeRepeat(t: RepeatTensors): void {
  tf.dispose([t.train.xs, t.train.labels, t.train.oneHot, t.test.xs]);
  if (t.validation) tf.dispose([t.validation.xs, t.validation.labelTensor, t.validation.oneHot]);
}

/** Softmax outputs of `model` on `xs` as a flat array. */
async function predictProbs(model: tfl.LayersModel, xs: tf.Tensor): Promise<{tensor: tf.Tensor2D; values: Float32Array}> {
  const out = model.predict(xs, {batchSize: 1024}) as tf.Tensor2D;
  return {tensor: out, values: (await out.data()) as Float32Array};
}

/** P(class 1) of row-major two-class probabilities. */
function positiveColumn(probs: Float32Array): Float32Array {
  const p1 = new Float32Array(probs.length / 2);
  for (let i = 0; i < p1.length; i++) p1[i] = probs[2 * i + 1];
  return p1;
}

/** Settings every run of a comparison shares. */
interface RunSettings {
  config: ResolvedConfig;
  numClasses: number;
  featureShape: number[];
  builder: ModelBuilder;
  costs: Costs | null;
  emit: (e: ProgressEvent) => void;
}

/**
 * Evaluates `model` (its current weights) on the test rows: threshold (fixed or
 * tuned on validation rows), metrics, and optionally the temperature-scaled variant.
 */
async function evaluateModel(model: tfl.LayersModel, t: RepeatTensors, s: RunSettings, budget: number, epoch: number): Promise<Evaluation[]> {
  const {config, numClasses} = s;
  const binary = numClasses === 2;
  const opts = {metrics: config.metrics, bins: config.bins, costs: s.costs, classGroups: config.classGroups};
  const test = await predictProbs(model, t.test.xs);
  const val = t.validation && (config.threshold === 'tuned' || config.temperatureScale) ? await predictProbs(model, t.validation.xs) : null;
  const thresholdFor = (valProbs: Float32Array | null): number | null => {
    if (!binary) return null;
    if (config.threshold !== 'tuned') return config.threshold;
    return valProbs && t.validation ? tuneThreshold(t.validation.labels, positiveColumn(valProbs), config.thresholdMetric as ThresholdMetric) : 0.5;
  };
  const out: Evaluation[] = [];
  try {
    const threshold = thresholdFor(val?.values ?? null);
    out.push({budget, calibrated: false, epoch, ...evaluatePredictions(t.test.labels, test.values, numClasses, {...opts, threshold})});
    if (config.temperatureScale && t.validation && val) {
      const scaler = await temperatureScaling(model, [t.validation.xs, t.validation.labelTensor]);
      const calTest = scaler.calibrate(test.tensor);
      const calVal = scaler.calibrate(val.tensor);
      try {
        const [testValues, valValues] = await Promise.all([calTest.data(), calVal.data()]);
        const calThreshold = thresholdFor(valValues as Float32Array);
        out.push({
          budget, calibrated: true, epoch, temperature: scaler.temperature,
          ...evaluatePredictions(t.test.labels, testValues as Float32Array, numClasses, {...opts, threshold: calThreshold}),
        });
      } finally {
        tf.dispose([calTest, calVal]);
      }
    }
  } finally {
    tf.dispose([test.tensor, val?.tensor ?? []].flat());
  }
  return out;
}

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
    }, t.train);
    model = s.builder(s.featureShape, numClasses, t.seeds.init);
    optimizer = tf.train.adam(config.learningRate);
    model.compile({optimizer, loss: plan.loss as string});
    const exactKeys = new Set<string>(['ece']);
    if (config.monitor && config.monitor.replace(/^val_/, '') !== 'loss') exactKeys.add(config.monitor.replace(/^val_/, ''));
    const exact = new ExactMetrics({metrics: [...exactKeys].map(k => makeMetric(k, {numClasses, threshold: 0.5, bins: config.bins, costs: s.costs}))});
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
    return result;
  } catch (e) {
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

/** Resolves every option into the configuration recorded in the result. */
function resolveConfig(options: CompareOptions, data: ReturnType<typeof checkData>, methods: PreparedMethod[], costs: Costs | null, hasValidation: boolean, splitsText: string, repeats: number): ResolvedConfig {
  const epochsList = (Array.isArray(options.epochs) ? options.epochs : [options.epochs ?? 30]).map((e, i) => checkNumber(`epochs[${i}]`, e, {min: 1, integer: true}));
  const epochs = [...new Set(epochsList)].sort((a, b) => a - b);
  const hidden = options.buildModel ? null : checkNumberArray('hidden', options.hidden ?? DEFAULT_HIDDEN, {min: 1, integer: true});
  const threshold = options.threshold === 'tuned' ? 'tuned' : checkNumber('threshold', options.threshold ?? 0.5, {min: 0, max: 1});
  if (threshold === 'tuned' && !hasValidation) throw new ImbalancedInputError('threshold', "a number (tuning needs validation rows; the split has none)", 'tuned');
  const temperatureScale = options.temperatureScale ?? false;
  if (typeof temperatureScale !== 'boolean') throw new ImbalancedInputError('temperatureScale', 'a boolean', temperatureScale);
  if (temperatureScale && !hasValidation) throw new ImbalancedInputError('temperatureScale', 'false (temperature scaling needs validation rows; the split has none)', true);
  const groups = options.classGroups ?? null;
  if (groups !== null) {
    if (typeof groups !== 'object') throw new ImbalancedInputError('classGroups', '{name: [class indices]}', groups);
    for (const [name, classes] of Object.entries(groups)) {
      checkNumberArray(`classGroups.${name}`, classes, {min: 0, integer: true}).forEach((k, i) => {
        if (k >= data.numClasses) throw new ImbalancedInputError(`classGroups.${name}[${i}]`, `a class index below ${data.numClasses}`, k);
      });
    }
  }
  const standardizeOpt = options.standardize ?? data.featureShape.length === 1;
  if (typeof standardizeOpt !== 'boolean') throw new ImbalancedInputError('standardize', 'a boolean', standardizeOpt);
  const monitor = checkMonitor(options.monitor === undefined ? (hasValidation ? 'val_gmean' : null) : options.monitor, hasValidation, costs);
  const patienceOpt = options.patience ?? 10;
  const patience = patienceOpt === Infinity ? Infinity : checkNumber('patience', patienceOpt, {min: 1, integer: true});
  return {
    methods: methods.map(m => ({label: m.label, method: m.parsed.name, options: m.options})),
    epochs,
    batchSize: checkNumber('batchSize', options.batchSize ?? 64, {min: 1, integer: true}),
    learningRate: checkNumber('learningRate', options.learningRate ?? 1e-3, {min: 0, openMin: true}),
    hidden,
    customModel: options.buildModel !== undefined,
    repeats,
    seed: checkNumber('seed', options.seed ?? 0, {min: 0, integer: true}),
    splits: splitsText,
    standardize: standardizeOpt,
    metrics: resolveMetrics(options.metrics, data.numClasses, costs),
    costs,
    monitor,
    patience: monitor === null ? null : patience,
    threshold,
    thresholdMetric: checkOneOf('thresholdMetric', options.thresholdMetric ?? 'gmean', ['gmean', 'balancedAccuracy', 'macroF1', 'f1'] as const),
    temperatureScale,
    bins: checkNumber('bins', options.bins ?? 15, {min: 1, integer: true}),
    classGroups: groups,
  };
}

/** Validates everything a comparison needs before any training; returns what `run` works from. */
export function prepare(data: CompareData, options: CompareOptions = {}) {
  if (options === null || typeof options !== 'object') throw new ImbalancedInputError('options', 'an options object', options);
  const checked = checkData(data);
  const costs = checkCosts(options.costs, checked.numClasses);
  const methods = prepareMethods(options.methods);
  if (costs === null) {
    methods.forEach((m, i) => {
      if (m.parsed.loss === 'rwwce') throw new ImbalancedInputError(`methods[${i}]`, 'costs for rwwce (option costs / --costs fn,fp)', m.label);
    });
  }
  const splits = resolveSplits(options.splits, checked.labels, checked.numClasses);
  const repeats = checkNumber('repeats', options.repeats ?? splits.repeats ?? 3, {min: 1, integer: true});
  if (splits.repeats !== null && repeats > splits.repeats) {
    throw new ImbalancedInputError('repeats', `at most ${splits.repeats} (the number of fixed splits)`, repeats);
  }
  const seed = checkNumber('seed', options.seed ?? 0, {min: 0, integer: true});
  // Validation rows exist unless the split has none: look at the first repeat's split.
  const firstSplit = splits.get(0, seedsOf(seed, 0).split);
  const hasValidation = (firstSplit.validation?.length ?? 0) > 0;
  const config = resolveConfig(options, checked, methods, costs, hasValidation, splits.description, repeats);
  const counts = new Array<number>(checked.numClasses).fill(0);
  checked.labels.forEach(y => counts[y]++);
  const ctx = {classCounts: counts, numClasses: checked.numClasses, costs, seed: 0, batchSize: config.batchSize, epochs: config.epochs[config.epochs.length - 1]};
  methods.forEach(m => checkMethod(m.parsed, m.options, ctx));
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw new ImbalancedInputError('onProgress', 'a function', options.onProgress);
  return {data: checked, costs, methods, splits, config};
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
  const builder = options.buildModel ?? mlp(config.hidden ?? DEFAULT_HIDDEN);
  const settings: RunSettings = {config, numClasses: checked.numClasses, featureShape: checked.featureShape, builder, costs, emit};
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
