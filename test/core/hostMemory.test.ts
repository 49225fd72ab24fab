/**
 * dataOnHost (src/core/hostMemory.ts): true exactly on the backends that keep
 * tensor data in host memory (cpu, wasm), where a read-back is a copy, and
 * false on any other backend (webgl, webgpu, tfjs-node), where it waits for the
 * device. Tested by switching backends in this file's own tfjs instance.
 */
import * as tf from '@tensorflow/tfjs';
import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {dataOnHost} from '../../src/core/hostMemory';

describe('dataOnHost', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('is true on cpu', async () => {
    await tf.setBackend('cpu');
    expect(dataOnHost()).toBe(true);
  });

  it('is false on a backend that is neither cpu nor wasm, and true again after switching back', async () => {
    // A device backend stand-in: any name outside {cpu, wasm} counts as device memory.
    tf.registerBackend('device-stand-in', () => new MathBackendCPU());
    await tf.setBackend('device-stand-in');
    expect(tf.getBackend()).toBe('device-stand-in');
    expect(dataOnHost()).toBe(false);
    await tf.setBackend('cpu');
    expect(dataOnHost()).toBe(true);
  });

  it('is true on wasm', async () => {
    require('@tensorflow/tfjs-backend-wasm');
    expect(await tf.setBackend('wasm')).toBe(true);
    expect(dataOnHost()).toBe(true);
  });
});
