/**
 * Prediction passes over a large set whose cost is linear in its rows on every
 * backend, with each batch's outputs streamed to a consumer (never
 * concatenated).
 *
 * `model.predict(xs, {batchSize})` cuts every batch with `tf.slice`. On the
 * wasm backend (tfjs 4.22) a slice first copies the whole source tensor, so a
 * pass costs rows² / batchSize (143 s for 43k × 784 rows at the default batch
 * of 32). `tf.split` slices the same way, and wasm's gather copies element by
 * element (1.4 s per 50k × 784 rows). On the backends whose tensors live in
 * host memory (cpu, wasm) we read the rows once and build each batch from a
 * view of them (0.2 s per 50k × 784); elsewhere (webgl, webgpu, tfjs-node)
 * slicing is native and costs only the batch.
 */
import * as tf from '@tensorflow/tfjs-core';
import {LayersModel} from '@tensorflow/tfjs-layers';
import {ImbalancedInputError} from '../errors';
import {dataOnHost} from './hostMemory';
import {sizeOf} from './inputs';

/** One batch of a prediction pass: the outputs (one tensor per model output) for rows [start, end). */
export interface PredictionBatch {
  outputs: tf.Tensor[];
  start: number;
  end: number;
}

/**
 * Runs `model` in inference mode over the rows of `xs` (one tensor per model
 * input), `batchSize` rows at a time, yielding each batch's outputs; they are
 * disposed when the loop moves on (or leaves), so keep what you need. Input
 * shapes are checked against the model's up front.
 * ```ts
 * for (const {outputs: [p], start} of predictionBatches(model, xs, 1024)) consume(await p.data(), start);
 * ```
 */
export function* predictionBatches(model: LayersModel, xs: tf.Tensor | tf.Tensor[], batchSize: number, parameter = 'xs'): Generator<PredictionBatch> {
  const inputs = Array.isArray(xs) ? xs : [xs];
  const n = checkInputs(model, inputs, parameter);
  const rows = rowSource(inputs);
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const outputs = tf.tidy(() => {
      const batch = rows(start, end);
      const out = model.apply(batch.length === 1 ? batch[0] : batch, {training: false}) as tf.Tensor | tf.Tensor[];
      return Array.isArray(out) ? out : [out];
    });
    try {
      yield {outputs, start, end};
    } finally {
      tf.dispose(outputs);
    }
  }
}

/**
 * A function cutting rows [start, end) of every input, at a cost proportional
 * to end − start: views of the rows read once (`hostMemory`, default on cpu and
 * wasm), else `tf.slice`.
 */
export function rowSource(inputs: tf.Tensor[], hostMemory = dataOnHost()): (start: number, end: number) => tf.Tensor[] {
  if (!hostMemory) {
    return (start, end) => inputs.map(x => tf.slice(x, [start, ...x.shape.slice(1).map(() => 0)], [end - start, ...x.shape.slice(1).map(() => -1)]));
  }
  const values = inputs.map(x => x.dataSync()); // host memory: no device sync
  return (start, end) => inputs.map((x, i) => {
    const width = sizeOf(x.shape.slice(1));
    return tf.tensor(values[i].subarray(start * width, end * width) as tf.TypedArray, [end - start, ...x.shape.slice(1)], x.dtype);
  });
}

/** The number of rows, after checking each input against the model's input shape. */
function checkInputs(model: LayersModel, inputs: tf.Tensor[], parameter: string): number {
  const expected = model.inputs.map(input => input.shape);
  if (inputs.length !== expected.length || !inputs.every(x => x instanceof tf.Tensor)) {
    throw new ImbalancedInputError(parameter, `${expected.length} tensor(s), one per model input`, `${inputs.length} value(s): ${inputs.map(x => (x instanceof tf.Tensor ? `tensor [${x.shape.join(', ')}]` : typeof x)).join(', ')}`);
  }
  const n = inputs[0].shape[0];
  inputs.forEach((x, i) => {
    const want = expected[i];
    const name = inputs.length === 1 ? parameter : `${parameter}[${i}]`;
    const fits = x.rank === want.length && x.shape.every((d, k) => k === 0 || want[k] == null || want[k] === d);
    if (!fits) throw new ImbalancedInputError(name, `shape [${want.map(d => d ?? 'n').join(', ')}] (the model's input)`, `shape [${x.shape.join(', ')}]`);
    if (x.shape[0] !== n) throw new ImbalancedInputError(name, `${n} rows (as the first input)`, `${x.shape[0]} rows`);
  });
  return n;
}
