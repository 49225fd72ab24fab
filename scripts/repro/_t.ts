import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {registerWasmConv2DBackpropFilter} from './wasmConv';
async function grads(backend: string) {
  await tf.setBackend(backend); await tf.ready();
  const x = tf.tensor4d(Array.from({length: 2*7*7*3}, (_, i) => Math.sin(i)), [2, 7, 7, 3]);
  const w = tf.tensor4d(Array.from({length: 3*3*3*4}, (_, i) => Math.cos(i)), [3, 3, 3, 4]);
  const out: number[][] = [];
  for (const [s, pad] of [[1, 'valid'], [2, 'same'], [1, 'same']] as const) {
    const g = tf.grad(ww => tf.sum(tf.square(tf.conv2d(x, ww as tf.Tensor4D, s, pad))))(w);
    out.push(Array.from(g.dataSync()));
  }
  return out;
}
async function main() {
  console.log('registered', registerWasmConv2DBackpropFilter());
  const a = await grads('cpu'); const b = await grads('wasm');
  a.forEach((v, i) => console.log('max abs diff', Math.max(...v.map((e, j) => Math.abs(e - b[i][j]))), 'max', Math.max(...v.map(Math.abs))));
  // speed: CNN epoch on 2000 images
  for (const be of ['wasm', 'cpu']) {
    await tf.setBackend(be); await tf.ready();
    const m = tf.sequential();
    m.add(tf.layers.conv2d({inputShape: [28, 28, 1], filters: 16, kernelSize: 3, activation: 'relu'}));
    m.add(tf.layers.maxPooling2d({poolSize: 2}));
    m.add(tf.layers.conv2d({filters: 32, kernelSize: 3, activation: 'relu'}));
    m.add(tf.layers.maxPooling2d({poolSize: 2}));
    m.add(tf.layers.flatten());
    m.add(tf.layers.dense({units: 64, activation: 'relu'}));
    m.add(tf.layers.dense({units: 10, activation: 'softmax'}));
    m.compile({optimizer: 'adam', loss: 'categoricalCrossentropy'});
    const xs = tf.randomUniform([2048, 28, 28, 1]); const ys = tf.oneHot(tf.randomUniform([2048], 0, 10, 'int32'), 10);
    const t0 = Date.now(); const c0 = process.cpuUsage();
    await m.fit(xs, ys, {epochs: 1, batchSize: 128, verbose: 0});
    const c = process.cpuUsage(c0);
    console.log(be, 'wall ms per 2048 images', Date.now() - t0, 'cpu ms', ((c.user + c.system) / 1000).toFixed(0));
  }
}
main();
