/**
 * Everything a comparison checks and resolves before it trains: the data,
 * the methods and their option values, costs, monitor, splits and the
 * resolved configuration recorded in the result. Bad input throws
 * ImbalancedInputError naming the option.
 */
import {ImbalancedInputError} from '../errors';
import {checkBoolean, checkKeys, checkNumber, checkNumberArray, checkOneOf} from '../core/validate';
import {METRICS, resolveMetrics} from './metricSet';
import {checkMethod, DEFAULT_METHODS, describeMethod, methodOptions, parseMethod, ParsedMethod} from './methods';
import {DEFAULT_HIDDEN} from './model';
import {ResolvedSplits, resolveSplits} from './splits';
import type {CompareData, CompareOptions, Costs, ResolvedConfig, RunResult} from './types';

/** A method ready to run: its parsed name, label and effective options. */
export interface PreparedMethod {
  /** Label in tables and the report (unique within a comparison). */
  label: string;
  /** The registry name split into sampler and loss. */
  parsed: ParsedMethod;
  /** Effective options per component: defaults with the overrides applied. */
  options: Record<string, Record<string, unknown>>;
  /** One line: what the method does, with its effective options. */
  description: string;
}

/** Data after {@link checkData}: feature shape and class names filled in. */
export type CheckedData = CompareData & {
  /** Shape of one row's features (default `[numFeatures]`). */
  featureShape: number[];
  /** Class names, index = class (default `'0'`, `'1'`, ...). */
  classNames: string[];
};

/** What {@link prepare} returns: the checked inputs a comparison runs from. */
export interface Prepared {
  /** The checked data. */
  data: CheckedData;
  /** Checked costs of mistakes; null if none were given. */
  costs: Costs | null;
  /** The methods, in order, with their labels and effective options. */
  methods: PreparedMethod[];
  /** The split of each repeat. */
  splits: ResolvedSplits;
  /** The resolved configuration recorded in the result. */
  config: ResolvedConfig;
}

/** Checks the data: sizes agree, labels are class indices, every class has at least 2 rows. */
export function checkData(data: CompareData): CheckedData {
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
    checkKeys('a method entry', spec, ['method', 'label', 'options'], `methods[${i}]`);
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
  checkKeys('costs', costs, ['costFN', 'costFP'], 'costs');
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

/**
 * Seeds of repeat `r`: every one an integer >= 1, as tfjs reads an initializer
 * seed of 0 as "no seed" (`heNormal({seed: 0})` gives new weights every run).
 */
export function seedsOf(seed: number, r: number): RunResult['seeds'] {
  return {split: seed + r, init: 1000 * (seed + r) + 1, data: 1000 * (seed + r) + 500};
}

/** Resolves every option into the configuration recorded in the result. */
function resolveConfig(options: CompareOptions, data: CheckedData, methods: PreparedMethod[], costs: Costs | null, hasValidation: boolean, splitsText: string, repeats: number): ResolvedConfig {
  const epochsList = (Array.isArray(options.epochs) ? options.epochs : [options.epochs ?? 30]).map((e, i) => checkNumber(`epochs[${i}]`, e, {min: 1, integer: true}));
  const epochs = [...new Set(epochsList)].sort((a, b) => a - b);
  const hidden = options.buildModel ? null : checkNumberArray('hidden', options.hidden ?? DEFAULT_HIDDEN, {min: 1, integer: true});
  const threshold = options.threshold === 'tuned' ? 'tuned' : checkNumber('threshold', options.threshold ?? 0.5, {min: 0, max: 1});
  if (threshold === 'tuned' && !hasValidation) throw new ImbalancedInputError('threshold', "a number (tuning needs validation rows; the split has none)", 'tuned');
  const fromLogits = checkBoolean('fromLogits', options.fromLogits ?? false);
  const temperatureScale = checkBoolean('temperatureScale', options.temperatureScale ?? false);
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
  if (typeof standardizeOpt !== 'boolean' && standardizeOpt !== 'minmax') throw new ImbalancedInputError('standardize', "true, false or 'minmax'", standardizeOpt);
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
    fromLogits,
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

/** The option names of `compare.run` (the object literal makes the compiler list every key of CompareOptions). */
const COMPARE_KEYS = Object.keys({
  methods: 0, epochs: 0, batchSize: 0, learningRate: 0, hidden: 0, buildModel: 0, fromLogits: 0, repeats: 0, seed: 0, splits: 0, standardize: 0, metrics: 0,
  costs: 0, monitor: 0, patience: 0, threshold: 0, thresholdMetric: 0, temperatureScale: 0, bins: 0, classGroups: 0, dataName: 0, onProgress: 0, onModel: 0,
} satisfies Record<keyof CompareOptions, 0>);

/** Validates everything a comparison needs before any training; returns what `run` works from. */
export function prepare(data: CompareData, options: CompareOptions = {}): Prepared {
  if (options === null || typeof options !== 'object') throw new ImbalancedInputError('options', 'an options object', options);
  checkKeys('compare.run', options, COMPARE_KEYS);
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
  const ctx = {
    classCounts: counts, numClasses: checked.numClasses, costs, seed: 0, batchSize: config.batchSize, epochs: config.epochs[config.epochs.length - 1],
    fromLogits: config.fromLogits,
  };
  methods.forEach(m => checkMethod(m.parsed, m.options, ctx));
  for (const hook of ['onProgress', 'onModel'] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== 'function') throw new ImbalancedInputError(hook, 'a function', options[hook]);
  }
  return {data: checked, costs, methods, splits, config};
}
