/**
 * Feeding one batch to several metrics with one read: the batch is validated
 * and converted once per distinct read setting (`fromLogits`, `threshold`),
 * then added to every metric's statistics.
 */
import {ImbalancedInputError} from '../errors';
import {Batch, Metric, TensorData, metricInternals, readBatch} from './metric';

/**
 * `metrics` as given to `metrics.evaluate` or `callbacks.ExactMetrics`: a
 * non-empty array of metrics built by `metrics.*` whose log names are unique.
 */
export function checkMetricList(metrics: unknown): Metric<unknown>[] {
  if (!Array.isArray(metrics) || metrics.length === 0) throw new ImbalancedInputError('metrics', 'a non-empty array of metrics from metrics.*', metrics);
  const seen = new Set<string>();
  metrics.forEach((m, i) => {
    metricInternals(m, `metrics[${i}]`);
    if (seen.has(m.name)) throw new ImbalancedInputError(`metrics[${i}].name`, 'a name not used by another metric (pass {name} to the factory)', m.name);
    seen.add(m.name);
  });
  return metrics as Metric<unknown>[];
}

/** Adds (yTrue, yPred), already read from their tensors, to every metric. */
export function feedMetrics(metrics: Array<Metric<unknown>>, yTrue: TensorData, yPred: TensorData): void {
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

/**
 * A result as log entries: a number under `key`, a per-class array as
 * `key_k`, a matrix (confusionMatrix) as `key_i_j`.
 */
export function logEntries(key: string, result: unknown): Array<[string, number]> {
  if (typeof result === 'number') return [[key, result]];
  if (!Array.isArray(result)) return [];
  return (result as unknown[]).flatMap((row, i) => (Array.isArray(row)
    ? (row as number[]).map((v, j): [string, number] => [`${key}_${i}_${j}`, v])
    : [[`${key}_${i}`, row as number] as [string, number]]));
}
