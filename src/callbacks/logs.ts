/**
 * Epoch and batch logs reach `tf.Callback` subclasses with some values still
 * as scalar tensors (tfjs resolves them only for plain-object callbacks).
 */
import * as tf from '@tensorflow/tfjs-core';

/** Logs as a `tf.Callback` receives them: numbers, or scalar tensors not yet read. */
export type Logs = {[key: string]: number | tf.Scalar | unknown};

/** Replaces scalar tensors in `logs` by their numbers, in place (as tfjs' own resolver does), and returns it. */
export async function resolveLogs(logs: Logs | undefined): Promise<{[key: string]: number}> {
  if (!logs) return {};
  for (const key of Object.keys(logs)) {
    const value = logs[key];
    if (value instanceof tf.Tensor) {
      logs[key] = (await value.data())[0];
      value.dispose();
    }
  }
  return logs as {[key: string]: number};
}
