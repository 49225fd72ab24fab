/**
 * Where tensor data lives, and so what reading it back costs. On the cpu and
 * wasm backends reading a tensor back (`dataSync`) costs a copy of its bytes;
 * on webgl, webgpu and tfjs-node it waits for the device (or the TensorFlow
 * runtime), which stalls a training step.
 */
import * as tf from '@tensorflow/tfjs-core';

const HOST_MEMORY_BACKENDS = new Set(['cpu', 'wasm']);

/**
 * Backends whose `dataSync` blocks nothing outside a training step: the host
 * memory ones and tfjs-node (its tensors are in CPU memory; about 1 µs against
 * 5 µs for `await data()` per small tensor). Others (webgl, webgpu) are read
 * with `await data()`.
 */
const SYNC_READ_BACKENDS = new Set([...HOST_MEMORY_BACKENDS, 'tensorflow']);

/** True when the current backend keeps tensor data in host memory (cpu, wasm). */
export function dataOnHost(): boolean {
  return HOST_MEMORY_BACKENDS.has(tf.getBackend());
}

/** True when tensors on the current backend can be read synchronously without a GPU stall (data transforms, outside training). */
export function canReadSync(): boolean {
  return SYNC_READ_BACKENDS.has(tf.getBackend());
}
