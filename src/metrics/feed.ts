/**
 * Feeding one batch to several metrics with one read: the batch is validated
 * and converted once per distinct read setting (`fromLogits`, `threshold`),
 * then added to every metric's statistics.
 */
import {Batch, Metric, TensorData, metricInternals, readBatch} from './metric';

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
