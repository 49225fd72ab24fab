/**
 * Whether tensor data lives in host memory. On the cpu and wasm backends
 * reading a tensor back (`dataSync`) costs a copy of its bytes; on webgl,
 * webgpu and tfjs-node it waits for the device (or the TensorFlow runtime),
 * which stalls a training step.
 */
import * as tf from '@tensorflow/tfjs-core';

const HOST_MEMORY_BACKENDS = new Set(['cpu', 'wasm']);

/** True when the current backend keeps tensor data in host memory (cpu, wasm). */
export function dataOnHost(): boolean {
  return HOST_MEMORY_BACKENDS.has(tf.getBackend());
}
