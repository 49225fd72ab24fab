/**
 * Mergeable metric state: the JSON form of a metric's sufficient statistics
 * (`metric.getState()`), and the checks a state passes before it is merged
 * (`metric.merge(state)`, `metrics.fromState(state)`). Every statistic is a
 * count, an exact sum or a multiset of scores, so merging shards in any order
 * gives exactly the value of one pass over the whole set.
 */
import {ImbalancedInputError} from '../errors';
import type {MetricConfig} from './metric';

/** The `format` tag of every state. */
export const STATE_FORMAT = 'tfjs-imbalanced/metric-state';
/** The state layout version written by this release. */
export const STATE_VERSION = 1;

/**
 * A metric's accumulated statistics as plain JSON (numbers, strings, arrays,
 * objects): survives `JSON.stringify` / `JSON.parse`, `postMessage` and
 * `structuredClone`. Arrays that grow with the data (kept scores) are stored
 * as base64 typed arrays.
 */
export interface MetricState {
  /** Always `'tfjs-imbalanced/metric-state'`. */
  format: typeof STATE_FORMAT;
  /** Layout version (1). */
  version: number;
  /** The metric's factory name and options (`metric.config`). */
  config: MetricConfig;
  /** Number of classes C; 0 before any update. */
  numClasses: number;
  /** Rows accumulated. */
  count: number;
  /** The statistics (layout depends on the metric); null before any update. */
  stats: unknown;
}

/** True for a value shaped like a `MetricState` (format tag present); the fields are checked by `checkState`. */
export function isMetricState(value: unknown): value is MetricState {
  return value !== null && typeof value === 'object' && (value as {format?: unknown}).format === STATE_FORMAT;
}

/** JSON text with object keys sorted, so equal configs give equal strings. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .filter(k => (value as Record<string, unknown>)[k] !== undefined)
      .map(k => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/**
 * The part of a config that decides the statistics: factory name and options
 * without the log `name` (two metrics that differ only in their log name merge).
 */
export function statisticsKey(config: MetricConfig): string {
  const options: Record<string, unknown> = {...(config?.options ?? {})};
  delete options.name;
  return canonical({name: config?.name, options});
}

/** Validates the envelope of a state (not its `stats`, which the metric checks). */
export function checkState(state: unknown, parameter = 'state'): MetricState {
  if (!isMetricState(state)) {
    throw new ImbalancedInputError(parameter, `a metric state from metric.getState() (format '${STATE_FORMAT}')`, state);
  }
  if (state.version !== STATE_VERSION) {
    throw new ImbalancedInputError(`${parameter}.version`, `${STATE_VERSION} (the state layout this release reads)`, state.version);
  }
  const config = state.config as MetricConfig | undefined;
  if (!config || typeof config !== 'object' || typeof config.name !== 'string' || !config.options || typeof config.options !== 'object') {
    throw new ImbalancedInputError(`${parameter}.config`, 'a metric config {name, options}', config);
  }
  if (!Number.isInteger(state.numClasses) || state.numClasses < 0 || state.numClasses === 1) {
    throw new ImbalancedInputError(`${parameter}.numClasses`, 'an integer >= 2 (0 for an empty state)', state.numClasses);
  }
  if (!Number.isSafeInteger(state.count) || state.count < 0) {
    throw new ImbalancedInputError(`${parameter}.count`, 'a non-negative integer', state.count);
  }
  if ((state.numClasses === 0) !== (state.stats === null || state.stats === undefined)) {
    throw new ImbalancedInputError(`${parameter}.stats`, state.numClasses === 0 ? 'null (numClasses is 0)' : `statistics for ${state.numClasses} classes`, state.stats);
  }
  return state;
}
