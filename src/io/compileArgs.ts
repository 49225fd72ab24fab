/**
 * What `model.compile` was given, to JSON and back. tfjs serialises only
 * string losses and metrics (`model.save({includeOptimizer: true})` throws
 * "Serialization of non-string loss is not supported" for any other), so this
 * package's losses and metrics are stored as their `config` and rebuilt with
 * `losses.fromConfig` / `metrics.fromConfig`; tfjs names stay strings.
 */
import {Optimizer, serialization} from '@tensorflow/tfjs-core';
import {LayersModel} from '@tensorflow/tfjs-layers';
import {ImbalancedInputError, describeValue, renameParameter} from '../errors';
import {LossFunction, isLossConfig} from '../losses/common';
import {fromConfig as lossFromConfig} from '../losses';
import {isCslLoss} from '../losses/csl';
import {fromConfig as metricFromConfig} from '../metrics';
import {MetricConfig} from '../metrics/metric';
import {compiledModel} from '../callbacks/modelInternals';
import {cslStateToJson, restoreCslState} from './cslState';
import {BLOCK_PATH, PerOutput, SavedCompileArgs, SavedLoss, SavedMetric} from './format';

type CompileArgs = Parameters<LayersModel['compile']>[0];
type Fn = (...args: unknown[]) => unknown;

/** The compile arguments of `model` as JSON, or null when it was never compiled. */
export function compileArgsToJson(model: LayersModel): SavedCompileArgs | null {
  const compiled = compiledModel(model);
  const optimizer = compiled.optimizer;
  if (compiled.loss == null || optimizer == null) return null;
  return {
    loss: mapPerOutput(compiled.loss, 'model.loss', saveLoss),
    metrics: compiled.metrics == null ? null : mapPerOutput(compiled.metrics, 'model.metrics', saveMetricEntry),
    optimizer: {class_name: optimizer.getClassName(), config: jsonSafe(optimizer.getConfig(), 'model.optimizer.getConfig()') as Record<string, unknown>},
  };
}

/** The losses and metrics of saved compile arguments, rebuilt (the optimizer is tfjs' job: see ./load.ts). */
export interface RebuiltCompileArgs {
  loss: CompileArgs['loss'];
  metrics: CompileArgs['metrics'];
}

/**
 * Fresh losses (a CSL loss with its saved state) and metrics from their JSON.
 * Throws ImbalancedInputError naming the entry for an unknown name or bad options.
 */
export function compileArgsFromJson(saved: SavedCompileArgs): RebuiltCompileArgs {
  const where = `${BLOCK_PATH}.compile`;
  const built: LossFunction[] = [];
  try {
    const loss = mapPerOutput(saved.loss, `${where}.loss`, (entry: SavedLoss, at: string) => {
      const fn = loadLoss(entry, at);
      if (typeof fn !== 'string') built.push(fn);
      return fn;
    });
    const metrics = saved.metrics === null ? undefined : mapPerOutput(saved.metrics, `${where}.metrics`, loadMetricEntry);
    return {loss: loss as CompileArgs['loss'], metrics: metrics as CompileArgs['metrics']};
  } catch (e) {
    built.forEach(fn => fn.dispose()); // nothing kept from a half-read block
    throw e;
  }
}

/** The losses of this package among compile arguments (`model.loss`), in any of the shapes `compile` takes. */
export function lossFunctionsOf(loss: unknown): LossFunction[] {
  const entries = Array.isArray(loss) ? loss : loss !== null && typeof loss === 'object' ? Object.values(loss) : [loss];
  return entries.filter((fn): fn is LossFunction => typeof fn === 'function' && typeof (fn as Partial<LossFunction>).dispose === 'function');
}

/** Applies `f` to one entry, each entry of an array, or each value of an object keyed by output name. */
function mapPerOutput<T, U>(value: PerOutput<T>, where: string, f: (entry: T, where: string) => U): PerOutput<U> {
  if (Array.isArray(value)) return value.map((entry, i) => f(entry, `${where}[${i}]`));
  if (value !== null && typeof value === 'object' && !isLossConfig(value)) {
    const out: {[outputName: string]: U} = {};
    Object.entries(value as {[k: string]: T}).forEach(([name, entry]) => {
      out[name] = f(entry, `${where}.${name}`);
    });
    return out;
  }
  return f(value as T, where);
}

/** A function as one without a config (losses and metrics of this package carry one); anything else as is. */
function describeFunction(fn: unknown): unknown {
  return typeof fn === 'function' ? `${describeValue(fn)} without a config` : fn;
}

function saveLoss(loss: unknown, where: string): SavedLoss {
  if (typeof loss === 'string') return loss;
  const config = typeof loss === 'function' ? (loss as Partial<LossFunction>).config : undefined;
  if (!isLossConfig(config)) {
    throw new ImbalancedInputError(
      where,
      "a loss of this package (imb.losses.*, which carries its config) or a tfjs loss name such as 'categoricalCrossentropy'",
      describeFunction(loss),
    );
  }
  const saved: SavedLoss = {name: config.name, options: jsonSafe(config.options, `${where}.config.options`) as Record<string, unknown>};
  if (isCslLoss(loss)) saved.state = cslStateToJson(loss.state);
  return saved;
}

function saveMetric(metric: unknown, where: string): SavedMetric {
  if (typeof metric === 'string') return metric;
  const config = typeof metric === 'function' ? (metric as {config?: MetricConfig}).config : undefined;
  if (!isLossConfig(config)) {
    throw new ImbalancedInputError(
      where,
      "a metric of this package (imb.metrics.*, which carries its config) or a tfjs metric name such as 'accuracy'",
      describeFunction(metric),
    );
  }
  return {name: config.name, options: jsonSafe(config.options, `${where}.config.options`) as Record<string, unknown>};
}

/** An output name may map to one metric or a list of them. */
function saveMetricEntry(entry: unknown, where: string): SavedMetric | SavedMetric[] {
  return Array.isArray(entry) ? entry.map((m, i) => saveMetric(m, `${where}[${i}]`)) : saveMetric(entry, where);
}

function loadLoss(saved: SavedLoss, where: string): string | LossFunction {
  if (typeof saved === 'string') return saved;
  if (!isLossConfig(saved)) throw new ImbalancedInputError(where, "a tfjs loss name or a loss config {name, options}", saved);
  let loss: LossFunction;
  try {
    loss = lossFromConfig({name: saved.name, options: saved.options});
  } catch (e) {
    throw rethrowAt(where, e);
  }
  if (isCslLoss(loss)) {
    try {
      restoreCslState(loss.state, saved.state, `${where}.state`);
    } catch (e) {
      loss.dispose();
      throw e;
    }
  }
  return loss;
}

function loadMetric(saved: SavedMetric, where: string): string | Fn {
  if (typeof saved === 'string') return saved;
  if (!isLossConfig(saved)) throw new ImbalancedInputError(where, "a tfjs metric name or a metric config {name, options}", saved);
  try {
    return metricFromConfig(saved) as unknown as Fn;
  } catch (e) {
    throw rethrowAt(where, e);
  }
}

function loadMetricEntry(saved: SavedMetric | SavedMetric[], where: string): string | Fn | Array<string | Fn> {
  return Array.isArray(saved) ? saved.map((m, i) => loadMetric(m, `${where}[${i}]`)) : loadMetric(saved, where);
}

/** Throws unless the saved optimizer class is registered with tfjs (built-in optimizers, or yours via `tf.serialization.registerClass`). */
export function checkOptimizerClass(saved: {class_name: string}): void {
  const entry = serialization.SerializationMap.getMap().classNameMap[saved.class_name];
  if (entry === undefined || !(entry[0].prototype instanceof Optimizer)) {
    throw new ImbalancedInputError(
      `${BLOCK_PATH}.compile.optimizer.class_name`,
      'a tf.Optimizer class registered with tf.serialization.registerClass (Adam, SGD, RMSProp, Momentum, Adagrad, Adadelta, Adamax or yours)',
      saved.class_name,
    );
  }
}

/**
 * An ImbalancedInputError from rebuilding a saved entry, re-thrown with the
 * entry's place in the metadata in front of the parameter name (the value is
 * shown as the original error rendered it). Anything else passes through.
 */
function rethrowAt(where: string, error: unknown): unknown {
  if (!(error instanceof ImbalancedInputError)) return error;
  const inner = error.parameter.startsWith('config.') ? error.parameter.slice('config.'.length) : `options.${error.parameter}`;
  return renameParameter(error, `${where}.${inner}`);
}

/**
 * `value` itself after checking it survives JSON unchanged: only null,
 * booleans, finite numbers, strings, arrays and plain objects (a function,
 * e.g. a custom CSL base loss, or an Infinity would be lost or altered).
 */
export function jsonSafe(value: unknown, where: string): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ImbalancedInputError(where, 'a finite number (JSON cannot hold NaN or Infinity)', value);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => jsonSafe(v, `${where}[${i}]`));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    Object.entries(value as Record<string, unknown>).forEach(([k, v]) => {
      if (v !== undefined) out[k] = jsonSafe(v, `${where}.${k}`);
    });
    return out;
  }
  throw new ImbalancedInputError(where, 'a JSON value (a loss of this package or a name, numbers, strings, arrays, plain objects)', describeFunction(value));
}
