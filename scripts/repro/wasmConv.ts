/**
 * tfjs-backend-wasm 4.22 has no `Conv2DBackpropFilter` kernel, so a CNN cannot
 * train on wasm ("Kernel 'Conv2DBackpropFilter' not registered"). It does have
 * `Conv3DBackpropFilterV2`: a 2-D convolution is a 3-D one with depth 1, so
 * this registers the missing kernel as reshape -> Conv3DBackpropFilterV2 ->
 * reshape. Used by the csl-lt reproduction; checked against the cpu backend in
 * test/scripts/repro.test.ts.
 */
import * as tf from '@tensorflow/tfjs';

type Attrs = {strides: number | [number, number]; pad: 'valid' | 'same' | number; dataFormat?: 'NHWC' | 'NCHW'; filterShape: [number, number, number, number]; dilations?: number | [number, number]};

/** Registers `Conv2DBackpropFilter` on wasm if it is missing; true when registered (or already there). */
export function registerWasmConv2DBackpropFilter(): boolean {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return true;
  const conv3d = tf.getKernel('Conv3DBackpropFilterV2', 'wasm');
  const reshape = tf.getKernel('Reshape', 'wasm');
  if (!conv3d || !reshape) return false;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({inputs, backend, attrs}) => {
      const {x, dy} = inputs as {x: tf.TensorInfo; dy: tf.TensorInfo};
      const a = attrs as unknown as Attrs;
      const [sh, sw] = typeof a.strides === 'number' ? [a.strides, a.strides] : a.strides;
      // Checked against the cpu backend for stride 1 only (stride 2 'same' disagreed): refuse the rest.
      if ((a.dataFormat ?? 'NHWC') !== 'NHWC' || typeof a.pad === 'number' || sh !== 1 || sw !== 1) {
        throw new Error('Conv2DBackpropFilter (wasm shim): only NHWC, stride 1, padding "valid" or "same"');
      }
      const r = (t: tf.TensorInfo, shape: number[]) => reshape.kernelFunc({inputs: {x: t}, backend, attrs: {shape}}) as tf.TensorInfo;
      const x5 = r(x, [x.shape[0], 1, ...x.shape.slice(1)]);
      const dy5 = r(dy, [dy.shape[0], 1, ...dy.shape.slice(1)]);
      const [fh, fw, cin, cout] = a.filterShape;
      const dw5 = conv3d.kernelFunc({
        inputs: {x: x5, dy: dy5}, backend,
        attrs: {strides: [1, sh, sw], pad: a.pad, filterShape: [1, fh, fw, cin, cout]},
      }) as tf.TensorInfo;
      const out = r(dw5, a.filterShape);
      for (const t of [x5, dy5, dw5]) (backend as unknown as {disposeData(id: unknown): void}).disposeData(t.dataId);
      return out;
    },
  });
  return true;
}
